"""Topic proposals for the network's meetings (`library/proposals/<slug>.yaml`): any member proposes a topic
(title, the problem, why it matters across the value chain); facilitators merge duplicates, plan a proposal
into a meeting or decline it; the proposer follows its status (new, merged, planned, declined).

Every operation is one or two saved revisions through the instance:
- `propose` creates the proposal (status new);
- `merge(duplicate, into)` marks the duplicate merged into the other (a proposal that is itself merged is
  followed to the one it was merged into, so merges never chain);
- `plan(proposal, meeting)` makes two commits: first the meeting lists the proposal (`proposals:`), then the
  proposal is set to planned with the meeting's slug. Should the second save fail, the meeting already lists
  the proposal and the proposal is still new; running `plan` again finishes it (the first step is skipped
  when the meeting lists the proposal already), so nothing is lost and nothing is done twice;
- `decline(proposal, note)` sets it declined with an optional note to the proposer.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from toolkit.documents.answers import parse_date
from toolkit.errors import Forbidden, Invalid, Problem
from toolkit.history.gitstore import Author
from toolkit.history.records import RecordKind, Records, line, save_record
from toolkit.library.materials import SLUG_MAX, SLUG_RE
from toolkit.library.starters import slug_from_title
from toolkit.network.meetings import Meeting, meeting_data

FOLDER = "proposals"
STATUSES = ("new", "merged", "planned", "declined")
FIELDS = ("title", "problem", "why", "proposer", "created", "status", "merged_into", "meeting", "note")
TITLE_MAX, TEXT_MAX, NOTE_MAX, PROPOSER_MAX = 150, 2000, 500, 60


@dataclass(frozen=True)
class Proposal:
    slug: str
    title: str
    problem: str
    why: str
    proposer: str
    created: dt.date
    status: str = "new"
    merged_into: str | None = None
    meeting: str | None = None
    note: str = ""

    @property
    def path(self) -> str:
        return f"library/{FOLDER}/{self.slug}.yaml"


def parse_proposal(slug: str, data: Any, where: str, others: dict[str, Proposal]) -> tuple[Proposal | None,
                                                                                           list[Problem]]:
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem.at(where, message, line=line(data, field), field=field))

    if not isinstance(data, dict):
        return None, [Problem.at(where, "a topic proposal is a mapping of fields: title, problem, why, proposer, "
                                        "created, status")]
    for key in data:
        if key not in FIELDS:
            hint = difflib.get_close_matches(str(key), FIELDS, n=1)
            problem(str(key), "unknown field" + (f"; did you mean '{hint[0]}'?" if hint else
                                                 f"; allowed: {', '.join(FIELDS)}"))

    def text(field: str, what: str, high: int, *, required: bool = True, low: int = 3) -> str:
        value = data.get(field)
        if value in (None, ""):
            if required:
                problem(field, f"write {what}; it is required")
            return ""
        if not isinstance(value, str):
            problem(field, "must be text")
            return ""
        value = value.strip()
        if required and len(value) < low:
            problem(field, f"write {what} (at least {low} characters)")
        elif len(value) > high:
            problem(field, f"is {len(value)} characters long; at most {high} are allowed")
        return value

    title = text("title", "the topic's title", TITLE_MAX)
    problem_text = text("problem", "the problem the meeting should take up", TEXT_MAX, low=10)
    why = text("why", "why it matters across the value chain", TEXT_MAX, low=10)
    proposer = text("proposer", "who proposes it (a user name)", PROPOSER_MAX, low=1)
    note = text("note", "", NOTE_MAX, required=False)
    created = parse_date(data.get("created"))
    if created is None:
        problem("created", f"'{data.get('created')}' is not a date; write YYYY-MM-DD" if data.get("created")
                else "give the day the topic was proposed (YYYY-MM-DD)")
    status = data.get("status", "new")
    if status not in STATUSES:
        problem("status", f"'{status}' is not a status; use one of {', '.join(STATUSES)}")
    merged_into = data.get("merged_into") or None
    meeting = data.get("meeting") or None
    for field, value in (("merged_into", merged_into), ("meeting", meeting)):
        if value is not None and (not isinstance(value, str) or not SLUG_RE.match(value)):
            problem(field, f"'{value}' is not an id (lowercase letters, digits and hyphens)")
    if status == "merged" and not merged_into:
        problem("merged_into", "a merged proposal names the proposal it was merged into")
    if merged_into and status != "merged":
        problem("merged_into", "only a merged proposal names another proposal; set status: merged or remove this")
    if merged_into == slug:
        problem("merged_into", "a proposal cannot be merged into itself")
    if status == "planned" and not meeting:
        problem("meeting", "a planned proposal names its meeting (the meeting's slug)")
    if meeting and status != "planned":
        problem("meeting", "only a planned proposal names a meeting; set status: planned or remove this")
    if problems or created is None:
        return None, problems
    return Proposal(slug, title, problem_text, why, proposer, created, str(status), merged_into, meeting, note), []


PROPOSAL = RecordKind(folder=FOLDER, noun="topic proposal", parse=parse_proposal)


def proposal_records(library_dir: Path) -> Records[Proposal]:
    return Records(library_dir, PROPOSAL)


def proposal_data(proposal: Proposal, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"title": proposal.title, "problem": proposal.problem, "why": proposal.why,
                            "proposer": proposal.proposer, "created": proposal.created.isoformat(),
                            "status": proposal.status, "merged_into": proposal.merged_into,
                            "meeting": proposal.meeting, "note": proposal.note}
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, "")}


def final(records: Records[Proposal], proposal: Proposal) -> Proposal:
    """The proposal a merged one ended up in (itself when not merged); a broken chain stops where it breaks."""
    seen = {proposal.slug}
    current = proposal
    while current.status == "merged" and current.merged_into and current.merged_into not in seen:
        if current.merged_into not in records:
            break
        current = records.get(current.merged_into)
        seen.add(current.slug)
    return current


def merged_here(records: Records[Proposal], proposal: Proposal) -> list[Proposal]:
    """The proposals merged into this one."""
    return sorted((p for p in records.all() if p.status == "merged" and p.merged_into == proposal.slug),
                  key=lambda p: (p.created, p.slug))


def queue(records: Records[Proposal]) -> list[Proposal]:
    """Every proposal: new ones first (oldest first), then planned, merged and declined ones."""
    order = {status: i for i, status in enumerate(("new", "planned", "merged", "declined"))}
    return sorted(records.all(), key=lambda p: (order.get(p.status, 9), p.created, p.slug))


def propose(instance, records: Records[Proposal], *, title: str, problem: str, why: str, proposer: str,
            author: Author, today: dt.date | None = None) -> Proposal:
    """Save a new proposal (status new) under a slug made from the title (made unique with -2, -3 …)."""
    base = slug_from_title(title)[:SLUG_MAX - 4].rstrip("-") or "forslag"
    data = {"title": title.strip(), "problem": problem.strip(), "why": why.strip(), "proposer": proposer,
            "created": (today or dt.date.today()).isoformat(), "status": "new"}
    with instance.writing():  # the free name is found with the lock held: two proposals never take the same
        records.invalidate()
        slug, number = base, 1
        while slug in records:
            number += 1
            slug = f"{base}-{number}"
        return save_record(instance, records, slug, data, author, f"Emneforslag: {title.strip()[:80]}", create=True)


def merge(instance, records: Records[Proposal], duplicate: str, into: str, author: Author) -> Proposal:
    """Mark `duplicate` as merged into `into` (followed to where `into` itself ended up)."""
    with instance.writing():  # decided on the proposals as they are when the change is written
        records.invalidate()
        return _merge(instance, records, duplicate, into, author)


def _merge(instance, records: Records[Proposal], duplicate: str, into: str, author: Author) -> Proposal:
    source = records.get(duplicate)
    target = final(records, records.get(into))
    if target.slug == source.slug:
        raise Invalid("a proposal cannot be merged into itself", [Problem.at(
            source.path, "choose another proposal to merge it into", field="merged_into")])
    if source.status != "new":
        raise Forbidden(f"'{duplicate}' is {source.status}; only a new proposal can be merged into another")
    if target.status == "declined":
        raise Forbidden(f"'{target.slug}' is declined; merge into a proposal that is new or planned")
    return save_record(instance, records, source.slug, proposal_data(source, status="merged",
                                                                      merged_into=target.slug),
                       author, f"Emneforslag {source.slug} slået sammen med {target.slug}", create=False)


def plan(instance, proposals: Records[Proposal], meetings: Records[Meeting], proposal: str, meeting: str,
         author: Author) -> tuple[Proposal, Meeting]:
    """Plan a proposal into a meeting that is still to come: the meeting lists it, the proposal says planned."""
    with instance.writing():
        proposals.invalidate()
        meetings.invalidate()
        return _plan(instance, proposals, meetings, proposal, meeting, author)


def _plan(instance, proposals: Records[Proposal], meetings: Records[Meeting], proposal: str, meeting: str,
          author: Author) -> tuple[Proposal, Meeting]:
    chosen = proposals.get(proposal)
    target = meetings.get(meeting)
    if chosen.status == "planned" and chosen.meeting == target.slug:
        return chosen, target
    if chosen.status == "planned":
        raise Forbidden(f"'{proposal}' is already planned into the meeting '{chosen.meeting}'")
    if chosen.status == "merged":
        raise Forbidden(f"'{proposal}' was merged into '{chosen.merged_into}'; plan that proposal instead")
    if not target.is_open:
        raise Forbidden(f"the meeting '{meeting}' is {target.status}; plan proposals into a planned or invited "
                        "meeting")
    if chosen.slug not in target.proposals:
        target = save_record(instance, meetings, target.slug,
                             meeting_data(target, proposals=[*target.proposals, chosen.slug]), author,
                             f"Møde {target.slug}: emneforslaget {chosen.slug} planlagt ind", create=False)
    planned = save_record(instance, proposals, chosen.slug, proposal_data(replace(chosen, note=""),
                                                                          status="planned", meeting=target.slug),
                          author, f"Emneforslag {chosen.slug} planlagt til mødet {target.slug}", create=False)
    return planned, target


def decline(instance, records: Records[Proposal], proposal: str, author: Author, note: str = "") -> Proposal:
    with instance.writing():
        records.invalidate()
        chosen = records.get(proposal)
        if chosen.status != "new":
            raise Forbidden(f"'{proposal}' is {chosen.status}; only a new proposal can be declined")
        return save_record(instance, records, chosen.slug, proposal_data(chosen, status="declined", note=note.strip()),
                           author, f"Emneforslag {chosen.slug} afvist", create=False)


def meeting_problems(library_dir: Path, library=None) -> list[Problem]:
    """Every problem of the meeting and proposal files (for `netkit check`), and the references between them:
    a proposal's meeting and merged_into, a meeting's proposals and its minutes material (given the library)."""
    from toolkit.network.meetings import meeting_records

    meetings, proposals = meeting_records(library_dir), proposal_records(library_dir)
    problems = meetings.problems() + proposals.problems()
    for proposal in proposals.all():
        if proposal.meeting and proposal.meeting not in meetings:
            problems.append(Problem.at(proposal.path, f"'{proposal.meeting}' is no meeting (library/meetings/)",
                                       field="meeting"))
        if proposal.merged_into and proposal.merged_into not in proposals:
            problems.append(Problem.at(proposal.path, f"'{proposal.merged_into}' is no topic proposal",
                                       field="merged_into"))
    for meeting in meetings.all():
        for slug in meeting.proposals:
            if slug not in proposals:
                problems.append(Problem.at(meeting.path, f"'{slug}' is no topic proposal (library/proposals/)",
                                           field="proposals"))
        if library is not None and meeting.minutes_material and meeting.minutes_material not in library:
            problems.append(Problem.at(meeting.path, f"'{meeting.minutes_material}' is no material",
                                       field="minutes_material"))
    return problems
