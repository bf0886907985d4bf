"""Forms opened before someone else saved (issue 14, M6 and M7): a stale meeting or project form is refused with
409 and everything typed kept; parallel edits of one project never lose a change; a forged kind or group in the
material editor cannot smuggle front matter in (H1)."""

from __future__ import annotations

import threading

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from webui.context import SOURCE_KEY

MEETING = "2027-02-04-adgang-til-data"
PROJECT = "sepsis-tidlig-varsling"
SLUG = "samtykkemodeller"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("fie", "facilitator"),
                          ("mette", "member", ("dataadgang",)))


def client_of(app, name):
    return sign_in(app, name, f"{name}-kodeord-1")[0]


def record_text(app, folder: str, slug: str) -> str:
    return (app.extensions[SOURCE_KEY].library_dir / folder / f"{slug}.yaml").read_text(encoding="utf-8")


def test_a_stale_meeting_form_is_refused_and_keeps_what_was_typed(app):
    frida, fie = client_of(app, "frida"), client_of(app, "fie")
    editor = f"/moeder/{MEETING}/rediger"
    stale = form_data(frida.get(editor).get_data(as_text=True), editor)
    fresh = form_data(fie.get(editor).get_data(as_text=True), editor)
    assert stale["base"] and stale["base"] == fresh["base"]
    fresh.update(place="Fies nye mødested", action="save")
    assert fie.post(editor, data=fresh).status_code == 302

    stale.update(problem="Fridas problemformulering, skrevet i et gammelt vindue.", action="save")
    refused = frida.post(editor, data=stale)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "En anden har gemt mødet" in page
    kept = form_data(page, editor)
    assert kept["problem"] == stale["problem"] and kept["base"] != stale["base"]
    text = record_text(app, "meetings", MEETING)
    assert "Fies nye mødested" in text and "Fridas problemformulering" not in text

    assert frida.post(editor, data={**kept, "action": "save"}).status_code == 302  # now knowingly
    assert "Fridas problemformulering" in record_text(app, "meetings", MEETING)


def test_a_stale_project_form_is_refused_and_keeps_what_was_typed(app):
    frida, fie = client_of(app, "frida"), client_of(app, "fie")
    editor = f"/projekter/{PROJECT}/rediger"
    stale = form_data(frida.get(editor).get_data(as_text=True), editor)
    fresh = form_data(fie.get(editor).get_data(as_text=True), editor)
    fresh.update(department="Fies afdeling", action="save")
    assert fie.post(editor, data=fresh).status_code == 302
    stale.update(ai_method="Fridas metode", action="save")
    refused = frida.post(editor, data=stale)
    assert refused.status_code == 409
    assert form_data(refused.get_data(as_text=True), editor)["ai_method"] == "Fridas metode"
    text = record_text(app, "projects", PROJECT)
    assert "Fies afdeling" in text and "Fridas metode" not in text


def test_parallel_project_edits_lose_no_change(app):
    """Twelve editors each change their own line of the data sources at the same time; a refused (stale) save
    is opened again and repeated, as a person would. Every change ends up in the record."""
    editor = f"/projekter/{PROJECT}/rediger"
    clients = [client_of(app, "frida") for _ in range(12)]
    errors: list[str] = []

    def add_source(number: int) -> None:
        client = clients[number]
        for _attempt in range(40):
            form = form_data(client.get(editor).get_data(as_text=True), editor)
            form.update(data_sources=form["data_sources"].rstrip("\n") + f"\nKilde nummer {number}", action="save")
            answer = client.post(editor, data=form)
            if answer.status_code == 302:
                return
            if answer.status_code != 409:
                errors.append(f"{answer.status_code}")
                return
        errors.append(f"editor {number} never got its save in")

    threads = [threading.Thread(target=add_source, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    text = record_text(app, "projects", PROJECT)
    assert all(f"Kilde nummer {n}" in text for n in range(12))


def test_a_kind_with_a_line_break_cannot_publish_or_move_a_material(app):
    """H1: the edit form's kind was written bare into the front matter, so a newline in it injected
    `status: published`, a version, another working group and a closing fence."""
    from toolkit.library.frontmatter import parse
    from toolkit.library.materials import FIELDS

    mette = client_of(app, "mette")
    source = app.extensions[SOURCE_KEY]
    editor = f"/m/{SLUG}/rediger"
    for field, value in (
            ("kind", "guide\nstatus: published\nversion: 9.9.9\nworking_group: andet\n---"),
            ("kind", "guide\r\nstatus: published"),
            ("working_group", "dataadgang\nstatus: published"),
            ("title", "Titel\u2028version: 9.9.9"),
            ("summary", "Resumé med et nul\x00-tegn i")):
        form = form_data(mette.get(editor).get_data(as_text=True), editor)
        form.update({field: value, "action": "save"})
        answer = mette.post(editor, data=form)
        assert answer.status_code in (302, 400), (field, answer.status_code)
        text = source.read(SLUG)
        matter = parse(text)
        assert set(matter.data) <= set(FIELDS) and not matter.duplicate_keys, (field, matter.data)
        material = source.library().get(SLUG)
        assert (material.version, material.working_group, material.kind) == ("1.0.0", "dataadgang", "guide")
        assert material.status in ("published", "draft")
        assert "\x00" not in text and "9.9.9" not in text.split("\n---", 1)[0].replace("Titel version: 9.9.9", "")
    assert [e.version for e in source.versions(SLUG)] == ["1.0.0"]


def test_a_save_never_changes_status_or_version(instance):
    """Whatever a saved text says of its status and version, they stay: only set_status and publish move them."""
    from toolkit.history.gitstore import Author

    text = instance.read("adgang-til-data")
    material = instance.library().get("adgang-til-data")
    forged = text.replace(f"version: {material.version}", "version: 9.9.9").replace(
        f"status: {material.status}", "status: retired").replace("\n---\n", "\nreplaced_by: samtykkemodeller\n---\n", 1)
    result = instance.save("adgang-til-data", forged + "\nNy linje.\n", Author("A", "a@example.dk"), "x",
                           instance.latest_revision("adgang-til-data"))
    saved = instance.library().get("adgang-til-data")
    assert result.changed and saved.version == material.version and saved.replaced_by is None
    assert saved.status == "draft"  # a published text that changes becomes a draft — never retired by a save
    new = forged.replace("Adgang til data", "Helt ny vejledning")
    instance.save("helt-ny", new, Author("A", "a@example.dk"), "ny", None)
    created = instance.library().get("helt-ny")
    assert (created.status, created.version, created.replaced_by) == ("draft", "0.1.0", None)
