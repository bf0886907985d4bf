"""Renaming a material (Instance.rename, toolkit.history.renaming) on real git repositories: one commit with the
links of other materials, the redirects file (chains collapsed, checked when read), the history, texts and
editions followed under the new slug, refusals that change nothing, and saves racing a rename."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from toolkit.errors import Conflict, Invalid, InvalidSlug, NotFound
from toolkit.history.events import Event
from toolkit.history.gitstore import Author
from toolkit.history.historyindex import merge_logs
from toolkit.history.instance import Instance
from toolkit.history.redirects import parse_redirects, with_rename
from toolkit.library.relinking import relink

ANNA = Author("Anna Jensen", "anna@example.dk")
OLD, NEW = "samtykke-playbook", "samtykke-i-praksis"


def git(instance: Instance, *args: str) -> str:
    return subprocess.run(["git", "-C", str(instance.content), *args], capture_output=True, text=True,
                          check=True).stdout


def test_a_rename_moves_the_file_and_updates_every_link_in_the_same_commit(instance):
    told: list[Event] = []
    instance.events.add(told.append)
    before = instance.head()
    result = instance.rename(OLD, NEW, ANNA, "Et navn, der siger, hvad det er")

    assert git(instance, "rev-parse", "HEAD~1").strip() == before  # one commit
    changed = git(instance, "show", "--no-renames", "--name-status", "--format=%s", "HEAD").splitlines()
    assert changed[0] == f"Rename {OLD} → {NEW}: Et navn, der siger, hvad det er"
    assert set(changed[2:]) == {f"D\tlibrary/{OLD}.md", f"A\tlibrary/{NEW}.md", "M\tlibrary/adgang-til-data.md",
                                "A\tlibrary/redirects.yaml"}
    assert result.relinked == ("adgang-til-data",) and result.revision == instance.head()

    linking = instance.read("adgang-til-data")
    assert f"related: [{NEW}]" in linking
    assert f"Se også [[{NEW}]] og [[{NEW}#trin-2|trin 2]]." in linking
    assert OLD not in linking
    moved = instance.read(NEW)
    assert "Indhent samtykke. Skriv ikke `[[ikke-et-link]]` i kode." in moved  # the file itself, as it was
    library = instance.library()
    assert NEW in library and OLD not in library and library.problems == []
    assert [m.slug for m in library.related(library.get("adgang-til-data"))] == [NEW]
    summary = git(instance, "show", "-M", "--summary", "--format=", "HEAD")
    assert f"rename library/{{{OLD}.md => {NEW}.md}} (100%)" in summary  # plain git sees a rename, too
    assert told[-1].kind == "renamed" and told[-1].slug == NEW and told[-1].revision == result.revision
    assert (told[-1].detail["from"], told[-1].detail["to"], told[-1].detail["relinked"]) == (OLD, NEW,
                                                                                             "adgang-til-data")


def test_block_lists_replaced_by_labels_and_code_are_handled(instance, tmp_path):
    text = instance.read(OLD)  # `related:` as a block list naming adgang-til-data
    assert "related:\n  - adgang-til-data\n" in text
    instance.set_status(OLD, "retired", ANNA, replaced_by="adgang-til-data")
    extra = ("\nIkke et link: `[[adgang-til-data]]`.\n\n```\n[[adgang-til-data]]\n```\n\n"
             "Og [[ adgang-til-data | med mellemrum ]] samt [[adgang-til-data-ny]].\n")
    base = instance.latest_revision("nyhedsbrev-kladde")
    instance.save("nyhedsbrev-kladde", instance.read("nyhedsbrev-kladde") + extra, ANNA, "Links", base)

    result = instance.rename("adgang-til-data", "dataadgang", ANNA)

    assert set(result.relinked) == {OLD, "nyhedsbrev-kladde"}
    retired = instance.read(OLD)
    assert "related:\n  - dataadgang\n" in retired and "replaced_by: dataadgang" in retired
    assert "[[dataadgang|vejledningen om data]]" in retired
    assert instance.library().get(OLD).replaced_by == "dataadgang"
    assert [p.message.split(";")[0] for p in instance.library().problems] == [
        "[[adgang-til-data-ny]] links to no material"]  # the one dead link of the test, nothing else
    letter = instance.read("nyhedsbrev-kladde")
    assert "Read [[dataadgang]]." in letter
    assert "`[[adgang-til-data]]`" in letter and "```\n[[adgang-til-data]]\n```" in letter  # code stays code
    assert "[[ dataadgang | med mellemrum ]]" in letter
    assert "[[adgang-til-data-ny]]" in letter  # a longer slug is another material


def test_relink_leaves_a_file_it_cannot_read_alone():
    assert relink("no front matter [[a]]\n", "a", "b") == "no front matter [[a]]\n"
    text = "---\ntitle: X\nrelated: [a-b, a]\n---\n[[a#x]] [[a-b]]\n"
    assert relink(text, "a", "c") == "---\ntitle: X\nrelated: [a-b, c]\n---\n[[c#x]] [[a-b]]\n"


def test_redirects_are_collapsed_and_renaming_back_leaves_no_loop(instance):
    instance.rename(OLD, NEW, ANNA)
    instance.rename(NEW, "samtykke", ANNA)
    assert instance.revisions.redirects.current() == {OLD: "samtykke", NEW: "samtykke"}
    instance.rename("samtykke", OLD, ANNA)  # back to the first name: it is a material again
    assert instance.revisions.redirects.current() == {NEW: OLD, "samtykke": OLD}
    assert instance.revisions.renamed_to(NEW) == OLD and instance.revisions.renamed_to(OLD) is None
    text = (instance.library_dir / "redirects.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[-2:] == [f"samtykke: {OLD}", f"{NEW}: {OLD}"]
    assert with_rename({"a": "b"}, "b", "a") == {"b": "a"}


def test_the_redirects_file_is_checked_when_read(instance):
    redirects, problems = parse_redirects("a: b\nb: c\nx: x\nUpper: d\ne: 'ikke en slug'\nl1: l2\nl2: l1\n",
                                          "library/redirects.yaml")
    assert redirects == {"a": "c", "b": "c"}  # a chain written by hand is followed to its end
    found = {(p.line, p.message) for p in problems}
    assert (3, "'x' points at itself") in found and (4, "'Upper' is not a slug") in found
    assert (5, "'e' points at 'ikke en slug', which is not a slug") in found
    assert sum("loop" in message for _line, message in found) == 2
    with pytest.raises(Invalid, match="not valid YAML"):
        parse_redirects("a: [b\n", "library/redirects.yaml")

    (instance.library_dir / "redirects.yaml").write_text("gammel: adgang-til-data\nforkert: Forkert\n",
                                                         encoding="utf-8")
    assert instance.revisions.renamed_to("gammel") == "adgang-til-data"  # the good entries still answer
    head = instance.head()
    with pytest.raises(Invalid) as refused:  # writing the file back would drop the bad line unseen
        instance.rename(OLD, NEW, ANNA)
    assert refused.value.problems[0].line == 2
    assert (instance.library_dir / f"{OLD}.md").exists() and not (instance.library_dir / f"{NEW}.md").exists()
    assert git(instance, "log", "-1", "--format=%s").startswith("External change")  # the hand edit, kept
    assert git(instance, "rev-parse", "HEAD~1").strip() == head


def test_the_history_is_followed_across_renames(instance):
    first = instance.latest_revision(OLD)
    before = instance.read(OLD).replace("Forbered samtykkeerklæringen.", "Forbered erklæringen grundigt.")
    instance.save(OLD, before, ANNA, "Før omdøbningen", first)
    instance.rename(OLD, NEW, ANNA)
    instance.save(NEW, instance.read(NEW) + "\nEfter første omdøbning.\n", ANNA, "Mellem omdøbningerne",
                  instance.latest_revision(NEW))
    instance.rename(NEW, "samtykke", ANNA)
    instance.save("samtykke", instance.read("samtykke") + "\nTil sidst.\n", ANNA, "Efter omdøbningerne",
                  instance.latest_revision("samtykke"))

    messages = [r.message.splitlines()[0] for r in instance.history("samtykke")]
    assert messages == ["Efter omdøbningerne", f"Rename {NEW} → samtykke", "Mellem omdøbningerne",
                        f"Rename {OLD} → {NEW}", "Før omdøbningen", "Create the instance from library/"]
    assert instance.read("samtykke", first) == instance.read(OLD, first)  # the text before, under the new slug
    diff = instance.diff("samtykke", first, instance.history("samtykke")[0].id)
    assert "+Forbered erklæringen grundigt." in diff.unified and "+Til sidst." in diff.unified
    with pytest.raises(NotFound):
        instance.read(OLD)  # the old slug holds nothing now


def test_a_later_material_under_an_old_slug_keeps_its_own_history(instance):
    instance.rename(OLD, NEW, ANNA)
    (instance.library_dir / f"{OLD}.md").write_text(instance.read("nyhedsbrev-kladde").replace(
        "Nyhedsbrev om netværket", "En helt anden tekst"), encoding="utf-8")  # made by hand, outside the app
    instance.sync()
    assert instance.revisions.renamed_to(OLD) is None  # the live material answers at its address
    messages = [r.message.splitlines()[0] for r in instance.history(NEW)]
    assert messages == [f"Rename {OLD} → {NEW}", "Create the instance from library/"]


def test_editions_stay_readable_under_the_new_slug_and_publishing_goes_on(instance):
    published = instance.versions(OLD)
    assert [e.version for e in published] == ["1.0.0"]
    instance.rename(OLD, NEW, ANNA)
    editions = instance.versions(NEW)
    assert [(e.slug, e.version, e.revision) for e in editions] == [(NEW, "1.0.0", published[0].revision)]
    assert instance.read_version(NEW, "1.0.0").title == "Samtykke i praksis"
    assert instance.editions()[NEW] == ["1.0.0"] and OLD not in instance.editions()
    assert git(instance, "tag", "--list", f"{OLD}/*").split() == [f"{OLD}/1.0.0"]  # tags are never rewritten

    instance.set_status(NEW, "draft", ANNA)
    edition = instance.publish(NEW, "minor", "Efter omdøbningen", ANNA)
    assert edition.version == "1.1.0"  # the numbering goes on from the editions under the old slug
    assert [e.version for e in instance.versions(NEW)] == ["1.0.0", "1.1.0"]
    assert instance.editions()[NEW] == ["1.0.0", "1.1.0"]
    assert [r.versions for r in instance.history(NEW) if r.versions] == [("1.1.0",), ("1.0.0",)]


def test_refusals_change_nothing(instance):
    head = instance.head()
    with pytest.raises(Conflict, match="already a material"):
        instance.rename(OLD, "adgang-til-data", ANNA)
    with pytest.raises(NotFound, match="did you mean 'samtykke-playbook'"):
        instance.rename("samtykke-playbok", NEW, ANNA)
    with pytest.raises(InvalidSlug):
        instance.rename(OLD, "Samtykke i praksis", ANNA)
    with pytest.raises(InvalidSlug):
        instance.rename("../taxonomy", NEW, ANNA)
    with pytest.raises(Invalid, match="already has that slug"):
        instance.rename(OLD, OLD, ANNA)
    assert instance.head() == head and git(instance, "status", "--porcelain") == ""
    assert not (instance.library_dir / "redirects.yaml").exists()


def test_an_old_slug_is_never_given_to_another_material(instance):
    """Decided: an old address leads to its material for good, so neither a new material nor another rename may
    take it (a reader's bookmark would silently show something else); only the material itself may take it back."""
    instance.rename(OLD, NEW, ANNA)
    head = instance.head()
    with pytest.raises(Conflict, match=f"'{OLD}' is the old address of '{NEW}' and keeps leading there"):
        instance.save(OLD, instance.read(NEW).replace("Samtykke i praksis", "Noget nyt"), ANNA, "Ny", None)
    with pytest.raises(Conflict, match=f"'{OLD}' is the old address of '{NEW}' and keeps leading there"):
        instance.rename("adgang-til-data", OLD, ANNA)
    with pytest.raises(NotFound, match=f"'{OLD}' was renamed to '{NEW}'") as moved:
        instance.rename(OLD, "noget-andet", ANNA)
    assert moved.value.suggestion == NEW
    assert instance.head() == head and not (instance.library_dir / f"{OLD}.md").exists()
    assert instance.revisions.renamed_to(OLD) == NEW
    instance.rename(NEW, OLD, ANNA)  # the material itself takes its old name back: no redirect from it now
    assert instance.revisions.redirects.current() == {NEW: OLD}
    with pytest.raises(Conflict, match=f"'{NEW}' is the old address of '{OLD}'"):
        instance.save(NEW, instance.read(OLD), ANNA, "Ny", None)


def test_a_save_from_an_editor_opened_before_the_rename_lands_in_the_renamed_material(instance):
    base = instance.latest_revision(OLD)
    typed = instance.read(OLD, base).replace("Forbered samtykkeerklæringen.", "Forbered erklæringen i god tid.")
    instance.rename(OLD, NEW, ANNA)
    other = instance.read(NEW).replace("Indhent samtykke.", "Indhent samtykket skriftligt.")
    instance.save(NEW, other, Author("Bo", "bo@example.dk"), "Efter omdøbningen", instance.latest_revision(NEW))
    result = instance.save(OLD, typed, ANNA, "Skrevet før omdøbningen", base)
    assert result.material.slug == NEW and result.changed and result.merged
    now = instance.read(NEW)
    assert "Forbered erklæringen i god tid." in now and "Indhent samtykket skriftligt." in now  # both kept
    assert not (instance.library_dir / f"{OLD}.md").exists()


def test_saves_racing_renames_are_all_kept_in_the_one_material(instance):
    names = (OLD, NEW)
    editor = Instance(instance.home)  # another writer on the same instance, as a second web worker is
    saved: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def saves() -> None:
        known, number = OLD, 0
        while not stop.is_set() and number < 60:
            try:
                base = editor.latest_revision(known)
                text = editor.read(known, base)
            except NotFound:  # renamed since: the old address says where it went
                known = editor.revisions.renamed_to(known) or known
                continue
            number += 1
            time.sleep(0.005)  # the editor types; a rename may come in between
            line = f"Linje nummer {number}."
            try:
                result = editor.save(known, text.rstrip("\n") + f"\n\n{line}\n", ANNA, f"Linje {number}", base)
            except BaseException as exc:
                errors.append(exc)
                return
            saved.append(line)
            known = result.material.slug

    writer = threading.Thread(target=saves)
    writer.start()
    try:
        for number in range(6):
            time.sleep(0.03)
            instance.rename(names[number % 2], names[(number + 1) % 2], ANNA)
    finally:
        stop.set()
        writer.join(timeout=120)
    assert not errors, errors[:3]
    assert len(saved) >= 3
    final = instance.read(OLD)  # six renames: back at the first name
    assert all(line in final for line in saved), "a save racing a rename was lost"
    assert not (instance.library_dir / f"{NEW}.md").exists()
    assert instance.revisions.redirects.current() == {NEW: OLD}
    history = [r.message for r in instance.history(OLD)]
    assert all(f"Linje {n}" in history for n in range(1, len(saved) + 1))
    assert sum(m.startswith("Rename ") for m in history) == 6


def test_merge_logs_keeps_one_order(instance):
    instance.rename(OLD, NEW, ANNA)
    old_log = instance.revisions.index.log(f"library/{OLD}.md")
    new_log = instance.revisions.index.log(f"library/{NEW}.md")
    merged = merge_logs([new_log, old_log])
    assert [c.id for c in merged] == [new_log[0].id, old_log[1].id] and merge_logs([]) == []


def test_comment_threads_move_with_the_material_in_the_same_commit(instance):
    from toolkit.history.comments import Comments

    comments = Comments(instance)
    thread = comments.start(OLD, 1, "Hvilken erklæring?", ANNA)
    instance.rename(OLD, NEW, ANNA)
    changed = git(instance, "show", "--no-renames", "--name-status", "--format=", "HEAD").split()
    assert f"library/comments/{OLD}.yaml" in changed and f"library/comments/{NEW}.yaml" in changed
    moved = Comments(instance).of(NEW, fresh=True)
    assert [t.id for t in moved.threads] == [thread.id] and moved.threads[0].first.text == "Hvilken erklæring?"
    assert not (instance.library_dir / "comments" / f"{OLD}.yaml").exists()


def test_a_comment_record_left_under_the_new_slug_is_never_mixed_in(instance):
    from toolkit.history.comments import Comments

    Comments(instance).start(OLD, 1, "Til det gamle navn.", ANNA)
    stray = instance.library_dir / "comments" / f"{NEW}.yaml"
    stray.write_text("threads: []\n", encoding="utf-8")
    instance.sync()  # the stray file, committed as an external change
    head = instance.head()
    with pytest.raises(Conflict, match=f"library/comments/{NEW}.yaml already exists"):
        instance.rename(OLD, NEW, ANNA)
    assert instance.head() == head and (instance.library_dir / f"{OLD}.md").exists()


def test_a_meeting_naming_the_material_as_its_minutes_follows_in_the_same_commit(instance):
    from toolkit.config import BUNDLED_LIBRARY
    from toolkit.network.meetings import meeting_records

    meetings = instance.library_dir / "meetings"
    meetings.mkdir()
    source = (BUNDLED_LIBRARY / "meetings" / "2027-02-04-adgang-til-data.yaml").read_text(encoding="utf-8")
    (meetings / "2027-02-04-adgang-til-data.yaml").write_text(source + f"minutes_material: {OLD}\n",
                                                              encoding="utf-8")
    (meetings / "2027-03-01-andet.yaml").write_text(source + f"minutes_material: {OLD}-2\n", encoding="utf-8")
    instance.sync()
    assert meeting_records(instance.library_dir).get("2027-02-04-adgang-til-data").minutes_material == OLD

    result = instance.rename(OLD, NEW, ANNA)

    assert "meetings/2027-02-04-adgang-til-data" in result.relinked
    changed = git(instance, "show", "--name-only", "--format=", "HEAD").split()
    assert "library/meetings/2027-02-04-adgang-til-data.yaml" in changed
    assert meeting_records(instance.library_dir).get("2027-02-04-adgang-til-data").minutes_material == NEW
    other = (meetings / "2027-03-01-andet.yaml").read_text(encoding="utf-8")
    assert other.endswith(f"minutes_material: {OLD}-2\n")  # a longer slug is another material


def test_a_file_that_is_not_utf8_is_left_byte_for_byte(instance):
    broken = instance.library_dir / "ikke-utf8.md"
    data = f"---\ntitle: Forkert tegns\xe6t\n---\nSe [[{OLD}]].\n".encode("latin-1")
    broken.write_bytes(data)
    instance.sync()
    result = instance.rename(OLD, NEW, ANNA)
    assert broken.read_bytes() == data and "ikke-utf8" not in result.relinked
