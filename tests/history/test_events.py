"""Events (toolkit.history.events): every committed change is told to the listeners, after the commit; a failing
listener never fails the change."""

from __future__ import annotations

from toolkit.history.events import Event
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance

ANNA = Author("anna", "anna@example.org")


def test_saves_status_changes_and_publications_are_told_after_they_are_committed(tmp_path, library_path):
    instance = Instance.create(tmp_path / "instance", library=library_path)
    seen: list[tuple[Event, str]] = []
    instance.events.add(lambda event: seen.append((event, instance.head())))
    slug = sorted(p.stem for p in instance.library_dir.glob("*.md") if p.stem != "README")[0]
    material = instance.library().get(slug)
    text = instance.read(slug) + "\nEn ny linje.\n"
    saved = instance.save(slug, text, ANNA, "Ny linje", instance.latest_revision(slug))
    assert seen[-1][0].kind == "saved" and seen[-1][0].slug == slug and seen[-1][0].actor == "anna"
    assert seen[-1][0].revision == saved.revision == seen[-1][1]  # told after the commit
    if material.status != "review":
        instance.set_status(slug, "review", ANNA, "Klar til review")
        assert (seen[-1][0].kind, seen[-1][0].detail["to"], seen[-1][0].detail["message"]) == \
            ("status", "review", "Klar til review")
    edition = instance.publish(slug, "minor", "Første udgave", ANNA)
    assert seen[-1][0].kind == "published" and seen[-1][0].detail["version"] == edition.version


def test_a_failing_listener_never_fails_the_save(tmp_path, library_path, caplog):
    instance = Instance.create(tmp_path / "instance", library=library_path)
    told = []

    def broken(event: Event) -> None:
        raise RuntimeError("the mail server is on fire")

    instance.events.add(broken)
    instance.events.add(told.append)
    slug = sorted(p.stem for p in instance.library_dir.glob("*.md") if p.stem != "README")[0]
    result = instance.save(slug, instance.read(slug) + "\nMere.\n", ANNA, "Mere", instance.latest_revision(slug))
    assert result.changed and told and told[-1].kind == "saved"
    assert "a listener failed" in caplog.text
