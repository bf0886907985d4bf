"""What is done with a meeting's minutes (toolkit.network.decisions): saved from the facilitator's form against the
digest the form started from, approved (then frozen: the decisions and action items no longer change, only an
action item's open/done), an action item marked done or open again, and the lists across meetings — every
decision (the register `/beslutninger/`) and every action item (a person's "Mit arbejde", `netkit meetings
actions`).

Every write is read-modify-write under the instance's writer lock (`save_record` with a function of the record
as it is then), so an approval and an edit, or two people marking the same item, never lose each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import Invalid, NetkitError, Problem
from toolkit.history.gitstore import Author
from toolkit.history.records import Records, record_text, save_record
from toolkit.network.decisions import ACTION_STATUSES, ActionItem, Minutes, action_data, minutes_data, minutes_records
from toolkit.network.meetings import Meeting, meeting_records, today_here


class Frozen(NetkitError):
    """The minutes are approved: their decisions and action items are the record and no longer change."""


class Refused(NetkitError):
    """The person may not change this action item (only its owner or a facilitator may)."""


@dataclass(frozen=True)
class Entry:
    """An action item (or a decision) with the meeting it came from and its place in the minutes (1-based)."""

    meeting: Meeting
    number: int
    item: Any  # ActionItem or Decision
    approved: bool


def save_minutes(instance, records: Records[Minutes], slug: str, data: dict[str, Any], author: Author, message: str,
                 *, base: str) -> Minutes:
    """Save the facilitator's minutes of the meeting `slug` as a draft. `base` is the digest of the file the form
    started from ("" for minutes not written yet): Conflict when it changed since (the caller keeps the text);
    Frozen when they are approved; Invalid naming row and field when a value is wrong."""
    data = {key: value for key, value in data.items() if key in ("decisions", "actions")} | {"status": "draft"}
    path = f"library/{records.kind.folder}/{slug}.yaml"
    _record, problems = records.kind.parse(slug, data, path, {})
    if problems:  # every problem at once (the save's own check stops at the first control character)
        raise Invalid(f"{path} was not saved: fix these problems and save again", problems, text=record_text(data))
    with instance.writing():
        if records.digest(slug) == "":
            return save_record(instance, records, slug, data, author, message, create=True)

        def edited(current: Minutes | None) -> dict[str, Any]:
            if current is not None and current.approved:
                raise Frozen(f"the minutes of {slug} are approved and can no longer be edited")
            return data

        return save_record(instance, records, slug, edited, author, message, create=False, base=base)


def approve(instance, records: Records[Minutes], slug: str, author: Author, approver: str, *, base: str,
            today: dt.date | None = None) -> Minutes:
    """Approve the draft minutes as they were when the facilitator saw them (`base`): status approved, by whom
    and when. Frozen when they are approved already (so the mails go once); Invalid when there is nothing yet."""
    day = today or today_here()

    def approved(current: Minutes | None) -> dict[str, Any]:
        assert current is not None  # save_record(create=False) refuses a missing file first
        if current.approved:
            raise Frozen(f"the minutes of {slug} are approved already")
        if not current.decisions and not current.actions:
            raise Invalid("nothing to approve", [Problem.at(current.path, "the minutes have no decisions and no "
                                                            "action items yet", field="decisions")])
        return minutes_data(current, status="approved", approved_by=approver, approved_on=day.isoformat())

    if records.digest(slug) == "":
        raise Invalid("nothing to approve", [Problem.at(slug, "the minutes are not written yet", field="decisions")])
    return save_record(instance, records, slug, approved, author, f"Approve the minutes of {slug}", create=False,
                       base=base)


def set_action_status(instance, records: Records[Minutes], slug: str, number: int, what: str, status: str,
                      author: Author, may: Callable[[ActionItem], bool]) -> ActionItem:
    """Mark action item `number` (1-based) done or open again. `what` is its text as the person saw it: if the
    list changed so that another item is at that place, Invalid rather than changing the wrong item.
    `may(item)` decides on the item as it is now (its owner, or a facilitator); Refused when not."""
    if status not in ACTION_STATUSES:
        raise Invalid(f"'{status}' is not a status", [Problem.at(slug, f"use one of {', '.join(ACTION_STATUSES)}",
                                                                 field="status")])
    changed: list[ActionItem] = []

    def marked(current: Minutes | None) -> dict[str, Any]:
        assert current is not None
        if not 1 <= number <= len(current.actions) or current.actions[number - 1].what != what:
            raise Invalid("the action item moved", [Problem.at(current.path, "the action items changed since you "
                                                               "saw them; open the page again", field="actions")])
        item = current.actions[number - 1]
        if not may(item):
            raise Refused("only the owner of the action item or a facilitator may change it")
        new = ActionItem(item.what, item.owner, item.due, item.email, item.user, status)
        changed.append(new)
        actions = list(current.actions)
        actions[number - 1] = new
        return minutes_data(current, actions=[action_data(a) for a in actions])

    message = f"Action item {number} of {slug} {'done' if status == 'done' else 'open again'}"
    save_record(instance, records, slug, marked, author, message, create=False)
    return changed[0]


# -- across meetings -----------------------------------------------------------------------------------------------


def _pairs(records: Records[Minutes], meetings: Records[Meeting]) -> Iterable[tuple[Meeting, Minutes]]:
    for minutes in records.all():
        if minutes.slug in meetings:
            yield meetings.get(minutes.slug), minutes


def approved_minutes(records: Records[Minutes], meetings: Records[Meeting]) -> list[tuple[Meeting, Minutes]]:
    """The approved minutes with their meetings, the latest approved first (the register's feed)."""
    found = [(meeting, minutes) for meeting, minutes in _pairs(records, meetings) if minutes.approved]
    return sorted(found, key=lambda pair: (pair[1].approved_on or pair[0].date, pair[0].date, pair[0].slug),
                  reverse=True)


def all_decisions(records: Records[Minutes], meetings: Records[Meeting], *, topic: str = "",
                  year: int | None = None, approved_only: bool = False) -> list[Entry]:
    """Every decision across meetings, newest meeting first, filtered by topic and year."""
    found = [Entry(meeting, number, decision, minutes.approved)
             for meeting, minutes in _pairs(records, meetings) if not approved_only or minutes.approved
             for number, decision in enumerate(minutes.decisions, 1)
             if (not topic or decision.topic == topic) and (year is None or meeting.year == year)]
    return sorted(found, key=lambda e: (e.meeting.date, e.meeting.slug, -e.number), reverse=True)


def all_actions(records: Records[Minutes], meetings: Records[Meeting], *, open_only: bool = False,
                mine: Callable[[ActionItem], bool] | None = None) -> list[Entry]:
    """Every action item across meetings, earliest due first (open ones before done ones)."""
    found = [Entry(meeting, number, action, minutes.approved)
             for meeting, minutes in _pairs(records, meetings)
             for number, action in enumerate(minutes.actions, 1)
             if (not open_only or not action.done) and (mine is None or mine(action))]
    return sorted(found, key=lambda e: (e.item.done, e.item.due, e.meeting.slug, e.number))


def owned_by(name: str, email: str, user: str) -> Callable[[ActionItem], bool]:
    """Whether an action item is this person's: their account, their address, or their full name as owner."""
    folded = " ".join(name.split()).casefold()

    def mine(action: ActionItem) -> bool:
        if user and action.user == user:
            return True
        if email and action.email and action.email.strip().casefold() == email.strip().casefold():
            return True
        return bool(folded) and len(folded.split()) >= 2 and " ".join(action.owner.split()).casefold() == folded

    return mine


def previous_minutes(records: Records[Minutes], meetings: Records[Meeting], meeting: Meeting
                     ) -> tuple[Meeting, Minutes] | None:
    """The last meeting before this one whose minutes are approved, with them (its action items are followed
    up; a draft is not shown beyond the facilitators)."""
    earlier = [(m, n) for m, n in _pairs(records, meetings)
               if n.approved and (m.date, m.slug) < (meeting.date, meeting.slug)]
    return max(earlier, key=lambda pair: (pair[0].date, pair[0].slug)) if earlier else None


def minutes_problems(library_dir: Path) -> list[Problem]:
    """Every problem of the minutes files (for `netkit check`), and minutes of a meeting that does not exist."""
    records, meetings = minutes_records(library_dir), meeting_records(library_dir)
    return records.problems() + [Problem.at(m.path, f"'{m.slug}' is no meeting (library/meetings/)", field="meeting")
                                 for m in records.all() if m.slug not in meetings]
