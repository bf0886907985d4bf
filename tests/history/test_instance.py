"""The versioned instance on a real git repository: save, history, diff, merge, restore, publish, sync."""

import hashlib
import subprocess
from pathlib import Path

import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Conflict, Forbidden, Invalid, NotFound
from toolkit.history.committing import EXTERNAL
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.locking import LockTimeout

ANNA = Author("Anna Jensen", "anna@rm.dk")
BO = Author("Bo Nielsen", "bo@rm.dk")
SLUG = "adgang-til-data"


def git(instance: Instance, *args: str) -> str:
    return subprocess.run(["git", "-C", str(instance.content), *args], capture_output=True, text=True,
                          check=True).stdout


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_create_makes_a_git_repository_with_editions(instance):
    assert (instance.content / "library" / f"{SLUG}.md").is_file()
    assert git(instance, "log", "--format=%s").strip() == "Create the instance from library/"
    assert git(instance, "tag", "--list").split() == ["adgang-til-data/1.2.0", "samtykke-playbook/1.0.0"]
    assert git(instance, "status", "--porcelain") == ""
    assert len(instance.library()) == 3


def test_create_refuses_an_existing_instance(instance, library_path):
    with pytest.raises(Invalid, match="already holds an instance"):
        Instance.create(instance.home, library=library_path)


def test_open_missing_instance_is_not_found_or_created(tmp_path):
    with pytest.raises(NotFound, match="netkit init"):
        Instance.open(tmp_path / "none")
    created = Instance.open(tmp_path / "new", create=True)
    assert len(created.library()) >= 13


def test_bundled_folders_are_never_written(tmp_path):
    def digest() -> str:
        h = hashlib.sha256()
        for path in sorted(BUNDLED_LIBRARY.rglob("*")):
            h.update(str(path).encode() + (path.read_bytes() if path.is_file() else b""))
        return h.hexdigest()

    before = digest()
    instance = Instance.create(tmp_path / "i")
    text = instance.read("samtykkemodeller")
    instance.save("samtykkemodeller", text + "\nEkstra afsnit.\n", ANNA, "Tilføj afsnit",
                  instance.latest_revision("samtykkemodeller"))
    assert digest() == before


def test_save_commits_a_revision_with_author_and_message(instance):
    base = instance.latest_revision(SLUG)
    text = edit(instance.read(SLUG), "Ansøg om godkendelse.", "Ansøg i god tid om godkendelse.")
    result = instance.save(SLUG, text, ANNA, "Præciser ansøgning", base)
    assert result.changed and result.revision != base
    newest = instance.history(SLUG)[0]
    assert (newest.id, newest.author, newest.email, newest.message) == (result.revision, "Anna Jensen",
                                                                         "anna@rm.dk", "Præciser ansøgning")
    assert "Ansøg i god tid" in instance.read(SLUG)
    assert "Ansøg om godkendelse." in instance.read(SLUG, base)
    assert git(instance, "log", "-1", "--format=%an <%ae>").strip() == "Anna Jensen <anna@rm.dk>"


def test_changing_a_published_text_starts_a_draft_and_the_edition_stays(instance):
    base = instance.latest_revision(SLUG)
    text = edit(instance.read(SLUG), "## Drift", "## Drift og vedligehold")
    result = instance.save(SLUG, text, ANNA, "Nyt afsnitsnavn", base)
    assert result.material.status == "draft"
    assert any("saved as a draft" in note for note in result.notes)
    published = instance.read_version(SLUG, "1.2.0")
    assert published.status == "published" and "## Drift\n" in published.body
    assert "## Drift og vedligehold" in instance.library().get(SLUG).body


def test_invalid_save_is_refused_with_problems_and_the_text_kept(instance):
    base = instance.latest_revision(SLUG)
    before = git(instance, "rev-parse", "HEAD")
    bad = edit(instance.read(SLUG), "kind: guide", "kind: poem")
    with pytest.raises(Invalid) as info:
        instance.save(SLUG, bad, ANNA, "Forkert", base)
    assert info.value.text == bad
    assert info.value.problems[0].field == "kind" and info.value.problems[0].line == 3
    assert git(instance, "rev-parse", "HEAD") == before
    assert "kind: guide" in (instance.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")


def test_new_material_and_existing_without_base(instance):
    text = instance.read(SLUG).replace("Adgang til data (testudgave)", "Ny vejledning")
    result = instance.save("ny-vejledning", text, ANNA, "Ny", None)
    assert result.changed and "ny-vejledning" in instance.library()
    with pytest.raises(Conflict, match="already exists"):
        instance.save("ny-vejledning", text, BO, "Også ny", None)


def test_save_of_unchanged_text_makes_no_revision(instance):
    base = instance.latest_revision(SLUG)
    result = instance.save(SLUG, instance.read(SLUG), ANNA, "Intet", base)
    assert not result.changed and len(instance.history(SLUG)) == 1


def test_stale_base_with_separate_changes_merges(instance):
    base = instance.latest_revision(SLUG)
    original = instance.read(SLUG)
    instance.save(SLUG, edit(original, "Ansøg om godkendelse.", "Ansøg tidligt."), ANNA, "Anna", base)
    result = instance.save(SLUG, edit(original, "- [x] Lav aftale", "- [x] Lav databehandleraftale"), BO, "Bo", base)
    assert result.merged
    text = instance.read(SLUG)
    assert "Ansøg tidligt." in text and "Lav databehandleraftale" in text


def test_stale_base_with_overlapping_changes_is_a_conflict_that_keeps_everything(instance):
    base = instance.latest_revision(SLUG)
    original = instance.read(SLUG)
    theirs = edit(original, "Ansøg om godkendelse.", "Ansøg tidligt.")
    instance.save(SLUG, theirs, ANNA, "Anna", base)
    mine = edit(original, "Ansøg om godkendelse.", "Ansøg hos komitéen.")
    head = git(instance, "rev-parse", "HEAD")
    with pytest.raises(Conflict) as info:
        instance.save(SLUG, mine, BO, "Bo", base)
    conflict = info.value
    assert conflict.mine == mine and conflict.base == original
    assert "Ansøg tidligt." in conflict.theirs
    (part,) = conflict.parts
    assert (part.base, part.theirs, part.mine) == ("Ansøg om godkendelse.[^1]", "Ansøg tidligt.[^1]",
                                                   "Ansøg hos komitéen.[^1]")
    assert git(instance, "rev-parse", "HEAD") == head


def test_stale_base_without_own_changes_keeps_theirs(instance):
    base = instance.latest_revision(SLUG)
    original = instance.read(SLUG)
    instance.save(SLUG, edit(original, "Ansøg om godkendelse.", "Ansøg tidligt."), ANNA, "Anna", base)
    instance.save(SLUG, original, BO, "Bo gemmer uden ændringer", base)
    assert "Ansøg tidligt." in instance.read(SLUG)


def test_diff_unified_and_word_level(instance):
    base = instance.latest_revision(SLUG)
    text = edit(instance.read(SLUG), "Ansøg om godkendelse.", "Ansøg om etisk godkendelse.")
    instance.save(SLUG, text, ANNA, "Etisk", base)
    diff = instance.diff(SLUG)
    assert "-Ansøg om godkendelse.[^1]" in diff.unified and "+Ansøg om etisk godkendelse.[^1]" in diff.unified
    changed = [row for row in diff.rows if row.kind == "replace" and "Ansøg" in row.right[0].text]
    assert [s.text.strip() for s in changed[0].right if s.changed] == ["etisk"]
    assert diff.added >= 1 and diff.removed >= 1


def test_restore_is_a_new_revision(instance):
    first = instance.latest_revision(SLUG)
    original = instance.read(SLUG)
    instance.save(SLUG, edit(original, "## Forskning", "## Forskningsprojekter"), ANNA, "Omdøb", first)
    result = instance.restore(SLUG, first, BO)
    assert result.changed
    history = instance.history(SLUG)
    assert len(history) == 3 and history[0].message.startswith("Restore adgang-til-data to revision")
    assert "## Forskning\n" in instance.read(SLUG)


def test_restore_of_unknown_revision_writes_nothing(instance):
    head = git(instance, "rev-parse", "HEAD")
    with pytest.raises(NotFound):
        instance.restore(SLUG, "deadbeef", ANNA)
    with pytest.raises(NotFound):
        instance.restore(SLUG, "--all", ANNA)
    assert git(instance, "rev-parse", "HEAD") == head


def test_publish_bumps_tags_and_keeps_a_changelog(instance):
    base = instance.latest_revision(SLUG)
    instance.save(SLUG, edit(instance.read(SLUG), "## Drift", "## Drift i praksis"), ANNA, "Omskriv", base)
    edition = instance.publish(SLUG, "minor", "Nyt afsnit om drift", BO)
    assert edition.version == "1.3.0" and edition.message == "Nyt afsnit om drift" and edition.author == "Bo Nielsen"
    assert [e.version for e in instance.versions(SLUG)] == ["1.2.0", "1.3.0"]
    material = instance.library().get(SLUG)
    assert (material.status, material.version) == ("published", "1.3.0")
    assert git(instance, "tag", "--list", f"{SLUG}/*").split() == [f"{SLUG}/1.2.0", f"{SLUG}/1.3.0"]
    assert instance.history(SLUG)[0].versions == ("1.3.0",)
    assert instance.publish(SLUG, "major", "Ny udgave", BO).version == "2.0.0"
    assert instance.read_version(SLUG, "1.2.0").body != instance.read_version(SLUG, "1.3.0").body


def test_publish_refuses_problems_and_missing_message(instance, library_path):
    (instance.library_dir / "doed.md").write_text(
        instance.read(SLUG).replace("Se også", "Se [[ingenting]] og"), encoding="utf-8")
    with pytest.raises(Invalid, match="fix them before publishing"):
        instance.publish("doed", "patch", "x", ANNA)
    with pytest.raises(Invalid, match="needs a message"):
        instance.publish(SLUG, "patch", "  ", ANNA)
    with pytest.raises(NotFound, match=r"no published version 9\.9\.9"):
        instance.read_version(SLUG, "9.9.9")


def test_workflow_transitions(instance):
    draft = "nyhedsbrev-kladde"
    assert instance.set_status(draft, "review", ANNA, "Til review").material.status == "review"
    with pytest.raises(Forbidden, match="use publish"):
        instance.set_status(draft, "published", ANNA)
    assert instance.set_status(draft, "draft", BO, "Retur: mangler kilder").material.status == "draft"
    assert instance.set_status(SLUG, "retired", BO, "Erstattet").material.status == "retired"


def test_external_edit_is_committed_and_seen(instance):
    instance.interval = 0
    path = instance.library_dir / "samtykke-playbook.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Trin 1", "Trin et"), encoding="utf-8")
    assert "## Trin et" in instance.library().get("samtykke-playbook").body
    newest = instance.history("samtykke-playbook")[0]
    assert (newest.author, newest.email) == (EXTERNAL.name, EXTERNAL.email)
    assert git(instance, "status", "--porcelain") == ""


def test_external_commit_and_invalid_external_file(instance):
    instance.interval = 0
    path = instance.library_dir / "samtykke-playbook.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Trin 2", "Trin to"), encoding="utf-8")
    git(instance, "commit", "-qam", "Edited with a text editor and git")
    (instance.library_dir / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    library = instance.library()
    assert "## Trin to" in library.get("samtykke-playbook").body
    assert any(p.path == "library/broken.md" for p in library.problems)
    assert "broken.md" in git(instance, "log", "-1", "--name-only", "--format=")
    reopened = Instance.open(instance.home)
    assert len(reopened.library()) == 3


def test_no_temporary_files_are_left(instance):
    instance.save(SLUG, edit(instance.read(SLUG), "## Drift", "## Drift 2"), ANNA, "x",
                  instance.latest_revision(SLUG))
    assert not list((instance.home / "tmp").glob("*"))


def test_writer_lock_times_out_with_a_clear_error(instance):
    holder = subprocess.Popen(["python", "-c", (
        "import fcntl, sys, time\n"
        f"f = open({str(instance.home / 'write.lock')!r}, 'w')\n"
        "fcntl.flock(f, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        instance.lock_timeout = 0.3
        with pytest.raises(LockTimeout, match="another save is still running"):
            instance.save(SLUG, instance.read(SLUG) + "x\n", ANNA, "x", instance.latest_revision(SLUG))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    instance.save(SLUG, instance.read(SLUG) + "x\n", ANNA, "x", instance.latest_revision(SLUG))


def test_history_of_unknown_material(instance):
    with pytest.raises(NotFound):
        instance.history("findes-ikke")


def test_read_unknown_path_and_revision(instance):
    with pytest.raises(NotFound):
        instance.read("findes-ikke")
    assert isinstance(instance.home, Path)


def test_history_index_follows_external_commits_rewrites_and_survives_a_bad_cache(instance):
    base = instance.latest_revision(SLUG)
    saved = instance.save(SLUG, instance.read(SLUG) + "Mere.\n", ANNA, "Mere", base).revision
    assert [r.id for r in instance.history(SLUG)] == [saved, base]
    # history rewritten outside the app: the index notices and reads the log again
    git(instance, "reset", "--quiet", "--hard", base)
    assert [r.id for r in instance.history(SLUG)] == [base]
    # a commit made with plain git appears
    (instance.library_dir / f"{SLUG}.md").write_text(instance.read(SLUG) + "Git.\n", encoding="utf-8")
    git(instance, "commit", "-qam", "Plain git")
    assert instance.history(SLUG)[0].message == "Plain git"
    # a new process starts from the cache file; a broken cache file is ignored
    cache = instance.home / "cache" / "history.json"
    assert cache.is_file()
    assert Instance(instance.home).history(SLUG)[0].message == "Plain git"
    cache.write_text("{not json", encoding="utf-8")
    assert Instance(instance.home).history(SLUG)[0].message == "Plain git"
