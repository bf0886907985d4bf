"""Comment threads on a material's text (toolkit.history.comments) in a real instance: started on a block of the
revision the reviewer saw, answered, resolved and reopened, each entry a commit with its author; kept through
later edits or shown as outdated; every bad input refused with its field; many processes commenting at once
under the writer lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import HELPERS
from toolkit.errors import Conflict, Invalid, NotFound
from toolkit.history import comments as comments_module
from toolkit.history.comments import COMMENTS, TEXT_MAX, Comments
from toolkit.history.gitstore import Author
from toolkit.history.records import Records
from toolkit.library.frontmatter import set_fields
from toolkit.people.accounts import User
from toolkit.people.permissions import can_resolve

SLUG = "adgang-til-data"
ANNA, BO, FRIDA = Author("anna", "anna@x"), Author("bo", "bo@x"), Author("frida", "frida@x")
PARAGRAPH = 2  # "Ansøg om godkendelse.[^1]" under "## Forskning" in tests/data/library/adgang-til-data.md


@pytest.fixture
def comments(instance) -> Comments:
    return Comments(instance)


@pytest.fixture
def events(instance) -> list:
    told: list = []
    instance.events.add(told.append)
    return told


def git_log(instance, path: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(instance.content), "log", "--format=%an|%s", "--", path],
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def edit(instance, slug: str, change) -> None:
    text = instance.read(slug)
    instance.save(slug, change(text), ANNA, "Ændret", instance.latest_revision(slug))


# -- a thread's life -------------------------------------------------------------------------------------------

def test_a_thread_is_started_answered_resolved_and_reopened_each_as_a_commit(instance, comments, events):
    material_before = (instance.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
    thread = comments.start(SLUG, PARAGRAPH, "  Hvilken godkendelse?\r\n ", ANNA)
    assert thread.anchor.text == "Ansøg om godkendelse." and thread.anchor.section == "Forskning"
    assert thread.anchor.revision == instance.latest_revision(SLUG)
    assert thread.first.text == "Hvilken godkendelse?" and thread.first.author == "anna" and thread.is_open
    comments.reply(SLUG, thread.id, "Komitéens.\nSe § 46.", BO)
    resolved = comments.set_open(SLUG, thread.id, False, FRIDA)
    assert not resolved.is_open
    reopened = comments.set_open(SLUG, thread.id, True, ANNA)
    assert reopened.is_open

    record = Comments(instance).of(SLUG, fresh=True)  # read back from the file by another reader
    (kept,) = record.threads
    assert [(e.action, e.author, e.text) for e in kept.entries] == [
        ("comment", "anna", "Hvilken godkendelse?"), ("reply", "bo", "Komitéens.\nSe § 46."),
        ("resolve", "frida", ""), ("reopen", "anna", "")]
    assert all(e.time.tzinfo is not None for e in kept.entries)
    assert kept.messages == kept.entries[:2]
    log = git_log(instance, f"library/comments/{SLUG}.yaml")
    assert [line.split("|")[0] for line in log] == ["anna", "frida", "bo", "anna"]  # newest first, with authors
    assert all(thread.id in line for line in log)
    # Comments are never part of the material's own file or history.
    assert (instance.library_dir / f"{SLUG}.md").read_text(encoding="utf-8") == material_before
    assert all(thread.id not in rev.message for rev in instance.history(SLUG))
    assert [(e.kind, e.actor, e.detail["thread"], e.detail["action"]) for e in events] == [
        ("comment", "anna", thread.id, "comment"), ("comment", "bo", thread.id, "reply"),
        ("comment_state", "frida", thread.id, "resolve"), ("comment_state", "anna", thread.id, "reopen")]
    assert events[0].detail["text"] == "Hvilken godkendelse?" and events[0].slug == SLUG
    assert events[0].revision and events[0].revision != events[1].revision


def test_resolving_a_resolved_thread_writes_and_tells_nothing(instance, comments, events):
    thread = comments.start(SLUG, PARAGRAPH, "Tjek kilden.", ANNA)
    comments.set_open(SLUG, thread.id, False, ANNA)
    head, told = instance.head(), len(events)
    assert not comments.set_open(SLUG, thread.id, False, FRIDA).is_open
    assert instance.head() == head and len(events) == told


def test_an_answer_since_the_page_was_read_stops_a_resolve(instance, comments):
    thread = comments.start(SLUG, PARAGRAPH, "Tjek kilden.", ANNA)
    comments.reply(SLUG, thread.id, "Kilden er forældet!", BO)
    head = instance.head()
    with pytest.raises(Conflict):
        comments.set_open(SLUG, thread.id, False, FRIDA, seen=1)  # saw only the comment
    assert instance.head() == head and comments.of(SLUG, fresh=True).get(thread.id).is_open
    assert not comments.set_open(SLUG, thread.id, False, FRIDA, seen=2).is_open


def test_threads_of_several_materials_are_kept_apart(instance, comments):
    one = comments.start(SLUG, PARAGRAPH, "Om adgang.", ANNA)
    other = comments.start("samtykke-playbook", 0, "Om samtykke.", BO)
    assert [t.id for t in comments.of(SLUG, fresh=True).threads] == [one.id]
    assert [t.id for t in comments.of("samtykke-playbook").threads] == [other.id]
    assert comments.open_count(SLUG) == 1 and comments.of("nyhedsbrev-kladde").threads == ()


# -- anchors through later edits -------------------------------------------------------------------------------

def test_a_comment_made_on_an_older_revision_lands_on_the_passage_the_reviewer_saw(instance, comments):
    seen = instance.latest_revision(SLUG)
    edit(instance, SLUG, lambda text: text.replace("## Forskning\n", "Et nyt afsnit først.\n\n## Forskning\n"))
    thread = comments.start(SLUG, PARAGRAPH, "Hvilken godkendelse?", ANNA, revision=seen)
    assert thread.anchor.text == "Ansøg om godkendelse." and thread.anchor.revision == seen
    blocks = comments.blocks(SLUG)
    placement = comments.place(comments.of(SLUG, fresh=True), blocks)
    assert blocks[placement.block_of(thread.id)].text == "Ansøg om godkendelse."


def test_threads_follow_edited_and_moved_passages_and_are_outdated_when_deleted(instance, comments):
    on_paragraph = comments.start(SLUG, PARAGRAPH, "Hvilken godkendelse?", ANNA)
    on_heading = comments.start(SLUG, 4, "Er »Drift« det rette ord?", BO)  # "## Drift"
    edit(instance, SLUG, lambda text: text.replace("Ansøg om godkendelse.[^1]\n\n", "")
         .replace("- [x] Lav aftale\n", "- [x] Lav aftale\n\nAnsøg om godkendelse straks.[^1]\n")
         .replace("## Drift", "## Driften"))
    blocks = comments.blocks(SLUG)
    placement = comments.place(comments.of(SLUG, fresh=True), blocks)
    moved = blocks[placement.block_of(on_paragraph.id)]
    assert moved.text == "Ansøg om godkendelse straks." and moved.section == "Driften"
    assert blocks[placement.block_of(on_heading.id)].text == "Driften"
    assert placement.outdated == []

    edit(instance, SLUG, lambda text: text.replace("\nAnsøg om godkendelse straks.[^1]\n", ""))
    placement = comments.place(comments.of(SLUG, fresh=True), comments.blocks(SLUG))
    assert [t.id for t in placement.outdated] == [on_paragraph.id]
    assert placement.block_of(on_paragraph.id) is None and placement.block_of(on_heading.id) is not None
    assert placement.outdated[0].anchor.text == "Ansøg om godkendelse."  # the quote shown for an outdated thread


def test_an_answer_anchors_the_thread_to_the_passage_as_it_is_now(instance, comments):
    """Small edits one after another: each is close to the one before, the last is far from the first."""
    first = "Ansøg om godkendelse.[^1]"
    steps = ["Ansøg hos komitéen om godkendelse i god tid.[^1]",
             "Ansøg hos komitéen om godkendelse i god tid, helst tre måneder før start.[^1]",
             "Send ansøgningen til komitéen i god tid, helst tre måneder før projektets start.[^1]"]
    thread = comments.start(SLUG, PARAGRAPH, "Hvornår?", ANNA)
    previous = first
    for step in steps:
        edit(instance, SLUG, lambda text, old=previous, new=step: text.replace(old, new))
        comments.reply(SLUG, thread.id, f"Nu: {step[:20]}", BO)  # each answer re-anchors the thread
        previous = step
    blocks = comments.blocks(SLUG)
    kept = comments.of(SLUG, fresh=True).get(thread.id)
    assert blocks[comments.place(comments.of(SLUG), blocks).block_of(thread.id)].text.startswith("Send ansøgningen")
    assert kept.anchor.text.startswith("Send ansøgningen") and kept.anchor.revision == instance.latest_revision(SLUG)
    unanswered = comments.start(SLUG, PARAGRAPH, "Og uden svar?", ANNA)
    assert comments.of(SLUG, fresh=True).get(unanswered.id).anchor.text.startswith("Send ansøgningen")


# -- validation ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "field"), [("", "text"), ("   \n ", "text"), ("x" * (TEXT_MAX + 1), "text"),
                                             ("Skjult\x07tegn", "text"), ("Linje\u2028skift", "text")])
def test_a_bad_comment_text_is_refused_at_its_field_and_nothing_is_written(instance, comments, text, field):
    head = instance.head()
    with pytest.raises(Invalid) as refused:
        comments.start(SLUG, PARAGRAPH, text, ANNA)
    assert {p.field for p in refused.value.problems} == {field}
    assert instance.head() == head and not (instance.library_dir / "comments").exists()


def test_a_comment_at_the_size_limit_and_with_tabs_is_kept(comments):
    text = "\t" + "ø" * (TEXT_MAX - 1)
    assert comments.start(SLUG, PARAGRAPH, text, ANNA).first.text == text.strip()
    assert comments.start(SLUG, PARAGRAPH, "Et\tindrykket svar", ANNA).first.text == "Et\tindrykket svar"


def test_a_thread_needs_a_block_to_comment_on(instance, comments):
    for block in (-1, 99):
        with pytest.raises(Invalid) as refused:
            comments.start(SLUG, block, "Hvor?", ANNA)
        assert refused.value.problems[0].field == "block"
    with pytest.raises(Invalid) as refused:
        comments.start(SLUG, PARAGRAPH, "Hvor?", ANNA, revision="--all")
    assert refused.value.problems[0].field == "revision"
    with pytest.raises(NotFound):
        comments.start("findes-ikke", 0, "Hvor?", ANNA)
    with pytest.raises(Exception):  # noqa: B017 - a slug that is no slug (ValueError or Invalid) never reaches git
        comments.start("../x", 0, "Hvor?", ANNA)


def test_unknown_threads_are_not_found(comments):
    thread = comments.start(SLUG, PARAGRAPH, "Tjek.", ANNA)
    for thread_id in ("t00000000", "T" + thread.id[1:], "../x", thread.id + "0"):
        with pytest.raises(NotFound):
            comments.reply(SLUG, thread_id, "Svar", BO)
    with pytest.raises(NotFound):
        comments.reply("samtykke-playbook", thread.id, "Svar", BO)


def test_a_thread_and_a_material_have_caps(instance, comments, monkeypatch):
    monkeypatch.setattr(comments_module, "ENTRIES_MAX", 3)
    monkeypatch.setattr(comments_module, "THREADS_MAX", 2)
    thread = comments.start(SLUG, PARAGRAPH, "Første.", ANNA)
    comments.reply(SLUG, thread.id, "Svar 1", BO)
    comments.reply(SLUG, thread.id, "Svar 2", BO)
    with pytest.raises(Invalid) as refused:
        comments.reply(SLUG, thread.id, "Svar 3", BO)
    assert refused.value.problems[0].field == "entries"
    comments.start(SLUG, PARAGRAPH, "Anden.", ANNA)
    with pytest.raises(Invalid) as refused:
        comments.start(SLUG, PARAGRAPH, "Tredje.", ANNA)
    assert refused.value.problems[0].field == "threads"
    assert len(comments.of(SLUG, fresh=True).threads) == 2


def test_a_record_edited_by_hand_is_checked_with_lines(instance, comments):
    folder = instance.library_dir / "comments"
    folder.mkdir()
    (folder / f"{SLUG}.yaml").write_text(
        "threads:\n"
        "- id: t0000000g\n"
        "  anchor: {kind: paragraph, text: Tekst, digest: abc}\n"
        "  entries:\n"
        "  - {action: reply, author: anna, time: '2026-05-04T09:12:00Z', text: Hej}\n"
        "  - {action: resolve, author: '', time: i går}\n", encoding="utf-8")
    records = Records(instance.library_dir, COMMENTS)
    problems = {p.field: p for p in records.problems()}
    assert set(problems) >= {"threads[1].id", "threads[1].entries[1].action", "threads[1].entries[2].author",
                             "threads[1].entries[2].time"}
    assert problems["threads[1].id"].line == 2
    assert SLUG not in records  # a broken record is reported, never half read


# -- who may resolve -------------------------------------------------------------------------------------------

def test_who_may_resolve_a_thread(instance):
    material = instance.library().get(SLUG)  # working group "dataadgang"
    starter = User("anna", "member", ("andre",))
    in_group = User("mette", "member", ("dataadgang",))
    outsider = User("ole", "member", ("andre",))
    facilitator = User("frida", "facilitator", ())
    assert can_resolve(starter, material, "anna")
    assert can_resolve(in_group, material, "anna")
    assert can_resolve(facilitator, material, "anna")
    assert not can_resolve(outsider, material, "anna")
    assert not can_resolve(None, material, "anna")


# -- many writers ----------------------------------------------------------------------------------------------

def test_many_processes_commenting_at_once_lose_no_comment(instance, tmp_path):
    writers, count = 4, 5
    processes = [subprocess.Popen([sys.executable, str(HELPERS / "commenter.py"), str(instance.home), str(w),
                                   str(count), SLUG, str(PARAGRAPH)], stderr=subprocess.PIPE, text=True)
                 for w in range(writers)]
    (instance.home.parent / "go").write_text("", encoding="utf-8")
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    record = Comments(instance).of(SLUG, fresh=True)
    texts = sorted(thread.first.text for thread in record.threads)
    assert texts == sorted(f"Kommentar {n} fra skriver {w}" for w in range(writers) for n in range(count))
    assert len({thread.id for thread in record.threads}) == writers * count
    assert len(git_log(instance, f"library/comments/{SLUG}.yaml")) == writers * count
    fsck = subprocess.run(["git", "-C", str(instance.content), "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr


def test_an_edit_of_the_material_and_a_comment_at_once_both_survive(instance, comments):
    """A comment computed from the record as it is under the lock: a reply and a new thread made by two readers
    that each read the record before the other wrote keep both."""
    first = comments.start(SLUG, PARAGRAPH, "Første.", ANNA)
    other_reader = Comments(instance)
    other_reader.of(SLUG)  # read (and cached) before the write below
    comments.reply(SLUG, first.id, "Svar.", BO)
    other_reader.start(SLUG, 1, "Overskriften?", FRIDA)
    edit(instance, SLUG, lambda text: set_fields(text, {"summary": "Ny kort tekst."}))
    record = Comments(instance).of(SLUG, fresh=True)
    assert [len(t.entries) for t in record.threads] == [2, 1]
