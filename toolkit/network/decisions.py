"""A meeting's minutes as data (`library/minutes/<meeting-slug>.yaml`, versioned like every record): the decisions
taken (text, topic from the taxonomy, optionally the agenda item they close) and the action items agreed (what,
the owner's name with an optional e-mail address and account, the due date, open or done), with the status of
the minutes: draft while the facilitator writes them, approved once "Godkend referat" froze them.

Every value is checked here, and every problem names its row and field (`actions[2].due`), so the web form can
show it at the field and the CLI can print it. The messages are English (the core's language) and built from
MESSAGES, whose shapes the web translates (webui/views/network/minutesform.py). Saving, approving and marking
an action done are in toolkit.network.minutesflow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.documents.answers import parse_date
from toolkit.errors import Problem
from toolkit.history.records import RecordKind, Records, line
from toolkit.library.folder import TAXONOMY_FILE
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.meetings import AGENDA_MAX, EMAIL_RE

FOLDER = "minutes"
STATUSES = ("draft", "approved")
ACTION_STATUSES = ("open", "done")
FIELDS = ("status", "approved_by", "approved_on", "decisions", "actions")
DECISION_FIELDS = ("text", "topic", "item")
ACTION_FIELDS = ("what", "owner", "email", "user", "due", "status")
DECISIONS_MAX, ACTIONS_MAX = 50, 50  # rows per meeting: a meeting's minutes, never a dump
DECISION_MAX, WHAT_MAX, NAME_MAX, EMAIL_MAX = 1000, 300, 150, 254  # the template's limits where it has them
EARLIEST, LATEST = dt.date(2020, 1, 1), dt.date(2100, 12, 31)
USER_RE = re.compile(r"[a-z][a-z0-9._-]{0,63}\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# The shapes of the problems (the web translates each one; keep them in step with minutesform.py).
MESSAGES = {
    "required": "is required",
    "too_long": "is {length} characters long; at most {high} are allowed",
    "one_line": "must be one line (no line breaks)",
    "control": "contains a control character (an invisible special character, often from pasting); remove it",
    "not_text": "must be text",
    "unknown_topic": "'{value}' is not a known topic",
    "bad_date": "'{value}' is not a date; write YYYY-MM-DD",
    "date_range": "{value} is out of range; write a date from 2020 to 2100",
    "bad_email": "'{value}' is not an e-mail address (name@example.dk)",
    "bad_user": "'{value}' is not an account id",
    "bad_status": "'{value}' is not a status; use one of {allowed}",
    "bad_item": "'{value}' is not an agenda item number (1–{high})",
    "too_many": "at most {high} rows",
    "unknown_field": "unknown field; allowed: {allowed}",
    "not_list": "must be a list of rows",
    "not_row": "must be a mapping of fields",
}


@dataclass(frozen=True)
class Decision:
    text: str
    topic: str = ""
    item: int | None = None  # the agenda item (1-based) the decision closes; None: outside the agenda


@dataclass(frozen=True)
class ActionItem:
    what: str
    owner: str
    due: dt.date
    email: str = ""
    user: str = ""  # the owner's account, when they have one
    status: str = "open"

    @property
    def done(self) -> bool:
        return self.status == "done"

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due < today


@dataclass(frozen=True)
class Minutes:
    slug: str  # the meeting's slug
    status: str = "draft"
    approved_by: str = ""
    approved_on: dt.date | None = None
    decisions: tuple[Decision, ...] = ()
    actions: tuple[ActionItem, ...] = ()

    @property
    def path(self) -> str:
        return f"library/{FOLDER}/{self.slug}.yaml"

    @property
    def approved(self) -> bool:
        return self.status == "approved"


def minutes_kind(taxonomy: Taxonomy | None) -> RecordKind[Minutes]:
    """The record kind of minutes, checking topics against this taxonomy (None: not checked)."""

    def parse(slug: str, data: Any, where: str, others: dict[str, Minutes]) -> tuple[Minutes | None, list[Problem]]:
        return parse_minutes(slug, data, where, taxonomy)

    return RecordKind(folder=FOLDER, noun="minutes", parse=parse)


def minutes_records(library_dir: Path) -> Records[Minutes]:
    taxonomy_path = Path(library_dir) / TAXONOMY_FILE
    return Records(library_dir, minutes_kind(Taxonomy.load(taxonomy_path) if taxonomy_path.is_file() else None))


class _Check:
    """Collects problems naming the row and field (`decisions[2].topic`) with the line where known."""

    def __init__(self, where: str, taxonomy: Taxonomy | None):
        self.where, self.taxonomy = where, taxonomy
        self.problems: list[Problem] = []

    def add(self, field: str, key: str, within: Any = None, at: str | None = None, **values: Any) -> None:
        self.problems.append(Problem.at(self.where, MESSAGES[key].format(**values), field=field,
                                        line=line(within, at) if within is not None else None))

    def text(self, row: dict, field: str, name: str, high: int, *, required: bool = False,
             multiline: bool = False) -> str:
        value = row.get(name)
        if value is None or value == "":
            if required:
                self.add(field, "required", row, name)
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(field, "not_text", row, name)
            return ""
        value = str(value).strip()
        if _CONTROL.search(value):
            self.add(field, "control", row, name)
        elif not multiline and ("\n" in value or "\r" in value):
            self.add(field, "one_line", row, name)
        if len(value) > high:
            self.add(field, "too_long", row, name, length=len(value), high=high)
        if required and not value:
            self.add(field, "required", row, name)
        return value

    def date(self, row: dict, field: str, name: str, *, required: bool = False) -> dt.date | None:
        raw = row.get(name)
        if raw in (None, ""):
            if required:
                self.add(field, "required", row, name)
            return None
        value = parse_date(raw)
        if value is None:
            self.add(field, "bad_date", row, name, value=_shown(raw))
        elif not EARLIEST <= value <= LATEST:
            self.add(field, "date_range", row, name, value=value.isoformat())
            return None
        return value

    def rows(self, data: dict, name: str, allowed: tuple[str, ...], high: int) -> list[tuple[str, dict]]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(name, "not_list", data, name)
            return []
        if len(value) > high:
            self.add(name, "too_many", data, name, high=high)
        found = []
        for index, row in enumerate(value[:high]):
            field = f"{name}[{index + 1}]"
            if not isinstance(row, dict):
                self.add(field, "not_row", data, name)
                continue
            for key in row:
                if key not in allowed:
                    self.add(f"{field}.{key}", "unknown_field", row, str(key), allowed=", ".join(allowed))
            found.append((field, row))
        return found


def parse_minutes(slug: str, data: Any, where: str, taxonomy: Taxonomy | None = None
                  ) -> tuple[Minutes | None, list[Problem]]:
    """The minutes of the meeting `slug` from their data, or every problem found (naming row and field)."""
    check = _Check(where, taxonomy)
    if not isinstance(data, dict):
        return None, [Problem.at(where, "minutes are a mapping of fields: status, decisions, actions")]
    for key in data:
        if key not in FIELDS:
            check.add(str(key), "unknown_field", data, str(key), allowed=", ".join(FIELDS))
    status = data.get("status") or "draft"
    if status not in STATUSES:
        check.add("status", "bad_status", data, "status", value=_shown(status), allowed=", ".join(STATUSES))
    approved_by = check.text(data, "approved_by", "approved_by", NAME_MAX)
    approved_on = check.date(data, "approved_on", "approved_on")
    known = set(taxonomy.ids("topics")) if taxonomy is not None else None
    decisions = []
    for field, row in check.rows(data, "decisions", DECISION_FIELDS, DECISIONS_MAX):
        text = check.text(row, f"{field}.text", "text", DECISION_MAX, required=True, multiline=True)
        topic = check.text(row, f"{field}.topic", "topic", 80, required=True)
        if topic and known is not None and topic not in known:
            check.add(f"{field}.topic", "unknown_topic", row, "topic", value=topic)
        item = row.get("item")
        if item in (None, ""):
            item = None
        elif isinstance(item, bool) or not str(item).isdecimal() or not 1 <= int(item) <= AGENDA_MAX:
            check.add(f"{field}.item", "bad_item", row, "item", value=_shown(item), high=AGENDA_MAX)
            item = None
        else:
            item = int(item)
        decisions.append(Decision(text, topic, item))
    actions = []
    for field, row in check.rows(data, "actions", ACTION_FIELDS, ACTIONS_MAX):
        what = check.text(row, f"{field}.what", "what", WHAT_MAX, required=True)
        owner = check.text(row, f"{field}.owner", "owner", NAME_MAX, required=True)
        email = check.text(row, f"{field}.email", "email", EMAIL_MAX)
        if email and not EMAIL_RE.match(email):
            check.add(f"{field}.email", "bad_email", row, "email", value=email)
        user = check.text(row, f"{field}.user", "user", 64)
        if user and not USER_RE.match(user):
            check.add(f"{field}.user", "bad_user", row, "user", value=user)
        due = check.date(row, f"{field}.due", "due", required=True)
        state = row.get("status") or "open"
        if state not in ACTION_STATUSES:
            check.add(f"{field}.status", "bad_status", row, "status", value=_shown(state),
                      allowed=", ".join(ACTION_STATUSES))
        if due is not None:
            actions.append(ActionItem(what, owner, due, email, user, str(state)))
    if check.problems:
        return None, check.problems
    return Minutes(slug, str(status), approved_by, approved_on, tuple(decisions), tuple(actions)), []


def minutes_data(minutes: Minutes, **changes: Any) -> dict[str, Any]:
    """The minutes as data to save (empty fields left out), with some fields changed."""
    data: dict[str, Any] = {"status": minutes.status, "approved_by": minutes.approved_by,
                            "approved_on": minutes.approved_on.isoformat() if minutes.approved_on else "",
                            "decisions": [decision_data(d) for d in minutes.decisions],
                            "actions": [action_data(a) for a in minutes.actions]}
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def decision_data(decision: Decision) -> dict[str, Any]:
    row: dict[str, Any] = {"text": decision.text, "topic": decision.topic}
    return row | ({"item": decision.item} if decision.item else {})


def action_data(action: ActionItem) -> dict[str, Any]:
    row = {"what": action.what, "owner": action.owner, "email": action.email, "user": action.user,
           "due": action.due.isoformat(), "status": action.status}
    return {key: value for key, value in row.items() if value}


def _shown(value: Any) -> str:
    """A wrong value as a message quotes it: one line, not too long."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"
