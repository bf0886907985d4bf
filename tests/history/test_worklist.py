"""The review queue's core (toolkit.history.worklist) on a real instance: status changes read from the history,
"since" as the time of the status change (git's clock set per step), what is whose, the reviewer's queue oldest
waiting first, and the Queue kept per library version."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.history.gitstore import Author
from toolkit.history.worklist import Queue, entries, entry_of, history_commits, identities, status_change, worklist

ANNA = Author("anna", "anna@netkit.localhost")
BO = Author("bo", "bo@netkit.localhost")
FRIDA = Author("frida", "frida@netkit.localhost")
DRAFT, GUIDE, PLAYBOOK = "nyhedsbrev-kladde", "adgang-til-data", "samtykke-playbook"


@pytest.fixture
def at(monkeypatch):
    """Make the next commits at this time (git reads its clock from the environment)."""

    def set_clock(when: str) -> None:
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(name, when)

    return set_clock


def edit(instance, slug: str, author: Author, words: str) -> None:
    instance.save(slug, instance.read(slug) + f"\n{words}\n", author, f"Ret {slug}", instance.latest_revision(slug))


def by_slug(instance) -> dict:
    lib = instance.library()
    return {e.material.slug: e for e in entries(lib, history_commits(instance.revisions))}


@pytest.fixture
def cycle(instance, at):
    """anna writes a draft; bo asks review of the playbook; anna asks review of the guide and frida returns it
    with a comment — one commit a day from 1 March."""
    at("2026-03-01T09:00:00+01:00")
    edit(instance, DRAFT, ANNA, "Annas afsnit.")
    at("2026-03-02T09:00:00+01:00")
    edit(instance, PLAYBOOK, BO, "Bos afsnit.")  # published → draft
    at("2026-03-03T09:00:00+01:00")
    instance.set_status(PLAYBOOK, "review", BO, "Klar til gennemsyn")
    at("2026-03-04T09:00:00+01:00")
    edit(instance, GUIDE, ANNA, "Annas nye afsnit.")
    at("2026-03-05T09:00:00+01:00")
    instance.set_status(GUIDE, "review", ANNA, "Se afsnit 2")
    at("2026-03-06T09:00:00+01:00")
    instance.set_status(GUIDE, "draft", FRIDA, "Afsnit 2 mangler kilder.\nSe også bilaget.")
    return instance


def test_a_status_line_and_a_publication_are_read_and_other_commits_are_not():
    assert status_change("adgang: review → draft: Mangler kilder.\nOg mere.").__dict__ == {
        "old": "review", "new": "draft", "note": "Mangler kilder.\nOg mere."}
    assert status_change("adgang: draft → review").note == ""
    assert status_change("Publish adgang 1.2.0: Nye afsnit").new == "published"
    for other in ("Ret adgang", "Rename a → b", "Create the instance from library/", "a: b → c d"):
        assert status_change(other) is None


def test_a_return_carries_the_reviewers_comment_and_the_time_of_the_return(cycle):
    guide = by_slug(cycle)[GUIDE]
    assert guide.status == "draft" and guide.returned
    assert guide.note == "Afsnit 2 mangler kilder.\nSe også bilaget."
    assert guide.moved_by == "frida"
    assert guide.since == dt.datetime(2026, 3, 6, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert guide.requested_by == ("anna", "anna@netkit.localhost")


def test_anna_sees_her_draft_and_her_returned_guide_and_bo_what_he_asked_for(cycle):
    found = by_slug(cycle)
    anna = worklist(found.values(), identities("anna", "anna@netkit.localhost"), reviewer=False)
    assert [e.material.slug for e in anna.drafts] == [DRAFT]
    assert [e.material.slug for e in anna.returned] == [GUIDE]
    assert anna.asked == [] and anna.queue == [] and anna.waiting_for_me == 1
    bo = worklist(found.values(), identities("bo"), reviewer=False)
    assert [e.material.slug for e in bo.asked] == [PLAYBOOK] and bo.drafts == [] and bo.returned == []
    assert bo.waiting_for_me == 0
    frida = worklist(found.values(), identities("frida"), reviewer=True)  # she returned the guide: not hers
    assert frida.returned == [] and frida.drafts == [] and [e.material.slug for e in frida.queue] == [PLAYBOOK]


def test_the_queue_is_oldest_waiting_first_by_the_time_of_the_status_change(cycle, at):
    # The guide was written later but asked for review again before the playbook was approved …
    at("2026-03-07T09:00:00+01:00")
    cycle.set_status(GUIDE, "review", ANNA, "Kilder tilføjet")
    at("2026-03-08T09:00:00+01:00")
    cycle.set_status(PLAYBOOK, "approved", FRIDA)
    # … so the guide (in review since the 7th) waits longer than the playbook (approved on the 8th)
    frida = worklist(by_slug(cycle).values(), identities("frida"), reviewer=True)
    assert [(e.material.slug, e.status) for e in frida.queue] == [(GUIDE, "review"), (PLAYBOOK, "approved")]
    assert [e.since.day for e in frida.queue] == [7, 8]
    assert frida.queue[0].note == "Kilder tilføjet" and frida.queue[1].moved_by == "frida"
    assert frida.waiting_for_me == 2 and frida.drafts == []  # a reviewer's queue is not their own work


def test_an_edit_after_approval_waits_since_that_edit(cycle, at):
    at("2026-03-07T09:00:00+01:00")
    cycle.set_status(PLAYBOOK, "approved", FRIDA)
    at("2026-03-09T09:00:00+01:00")
    edit(cycle, PLAYBOOK, BO, "Rettelse efter godkendelse.")  # approved → review by the edit (workflow.after_edit)
    at("2026-03-10T09:00:00+01:00")
    edit(cycle, PLAYBOOK, BO, "Endnu en rettelse.")
    playbook = by_slug(cycle)[PLAYBOOK]
    assert playbook.status == "review" and playbook.since.day == 9 and playbook.moved_by == "bo"
    assert playbook.note == ""


def test_a_material_never_moved_waits_since_its_first_commit(instance):
    commits = history_commits(instance.revisions)(DRAFT)
    draft = entry_of(instance.library().get(DRAFT), commits)
    assert draft.since == commits[-1].time and not draft.returned and draft.requested_by is None
    assert "netkit" in draft.writers  # the instance's first commit


def test_published_materials_are_not_in_the_worklist(instance):
    assert set(by_slug(instance)) == {DRAFT}


def test_the_queue_is_computed_once_per_library_version(cycle, at):
    queue, asked = Queue(), []
    lookup = history_commits(cycle.revisions)

    def counting(slug: str):
        asked.append(slug)
        return lookup(slug)

    lib = cycle.library()
    first = queue.entries(lib, cycle.head(), counting)
    again = queue.entries(cycle.library(), cycle.head(), counting)
    assert again is first and len(asked) == 3  # one look-up per unpublished material, once
    at("2026-03-07T09:00:00+01:00")
    cycle.set_status(GUIDE, "review", ANNA)
    cycle.refresh()
    after = queue.entries(cycle.library(), cycle.head(), counting)
    assert len(asked) == 6 and {e.material.slug: e.status for e in after}[GUIDE] == "review"


def test_a_return_is_work_for_the_authors_and_not_for_the_reviewer_who_wrote_in_it_too(cycle, at):
    at("2026-03-07T09:00:00+01:00")
    edit(cycle, PLAYBOOK, FRIDA, "Fridas eget afsnit.")  # the reviewer wrote in it herself
    at("2026-03-08T09:00:00+01:00")
    cycle.set_status(PLAYBOOK, "draft", FRIDA, "Mangler et resumé.")
    found = by_slug(cycle)
    frida = worklist(found.values(), identities("frida", "frida@netkit.localhost"), reviewer=True)
    assert frida.returned == [] and frida.waiting_for_me == 0
    assert PLAYBOOK in [e.material.slug for e in frida.drafts]  # still a draft she wrote in
    bo = worklist(found.values(), identities("bo", "bo@netkit.localhost"), reviewer=False)
    assert [e.material.slug for e in bo.returned] == [PLAYBOOK] and bo.waiting_for_me == 1
