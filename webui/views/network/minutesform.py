"""The minutes form (`/moeder/<slug>/referat/rediger`): rows of decisions and action items as posted (`d-0-text`,
`a-2-due` …) ↔ the record's data (toolkit.network.decisions), and the core's problems as Danish messages at their
field. It works without JavaScript: "Flere rækker" posts the form back with more empty rows, keeping every row."""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from toolkit.errors import Problem
from toolkit.network.decisions import ACTIONS_MAX, DECISIONS_MAX, MESSAGES, Minutes

DECISION_KEYS = ("text", "topic", "item")
ACTION_KEYS = ("what", "owner", "email", "due", "status")
EMPTY_ROWS, MORE_ROWS = 2, 3
FIELD_MAX = 5000  # a posted field is cut here (the core names anything over the real limit)
SECTION = {"decisions": "d", "actions": "a"}
FIELD_NAMES = {"text": _l("Beslutning"), "topic": _l("Emne"), "item": _l("Dagsordenspunkt"), "what": _l("Handling"),
               "owner": _l("Ansvarlig"), "email": _l("E-mail"), "due": _l("Frist"), "status": _l("Status")}


def form_of(minutes: Minutes | None, *, extra: int = EMPTY_ROWS) -> dict[str, Any]:
    """The form's rows from the record (and some empty rows to add to)."""
    decisions = [{"text": d.text, "topic": d.topic, "item": str(d.item or "")} for d in minutes.decisions] \
        if minutes else []
    actions = [{"what": a.what, "owner": a.owner, "email": a.email, "due": a.due.isoformat(), "status": a.status}
               for a in minutes.actions] if minutes else []
    return {"decisions": _padded(decisions, DECISION_KEYS, extra, DECISIONS_MAX),
            "actions": _padded(actions, ACTION_KEYS, extra, ACTIONS_MAX), "base": "", "message": ""}


def posted(data: MultiDict | None = None, *, more: bool = False) -> dict[str, Any]:
    """The rows as posted, the empty ones left out (so the numbers in the problems are the rows shown), then empty
    rows to add to — more of them when the person asked for more."""
    data = request.form if data is None else data
    form: dict[str, Any] = {"base": data.get("base", "")[:100], "message": data.get("message", "")[:200]}
    for section, keys, high in (("decisions", DECISION_KEYS, DECISIONS_MAX), ("actions", ACTION_KEYS, ACTIONS_MAX)):
        prefix = SECTION[section]
        count = min(_int(data.get(f"{prefix}-count")), high + MORE_ROWS + EMPTY_ROWS)
        rows = [{key: data.get(f"{prefix}-{index}-{key}", "")[:FIELD_MAX] for key in keys} for index in range(count)]
        filled = [row for row in rows if any(row[key].strip() for key in keys if key != "status")]
        form[section] = _padded(filled, keys, MORE_ROWS if more else EMPTY_ROWS, high)
    return form


def record_data(form: dict[str, Any], owners: dict[str, str]) -> dict[str, Any]:
    """The filled rows as the record's data (validated by the core). `owners`: an address or full name (case-folded)
    → account name, so an action item is linked to its owner's account when there is one."""
    decisions = [{"text": row["text"].replace("\r\n", "\n").strip(), "topic": row["topic"].strip(),
                  "item": row["item"].strip()} for row in form["decisions"] if row.get("filled")]
    actions = []
    for row in form["actions"]:
        if not row.get("filled"):
            continue
        action = {"what": row["what"].strip(), "owner": row["owner"].strip(), "email": row["email"].strip(),
                  "due": row["due"].strip(), "status": row["status"] or "open"}
        user = owners.get(action["email"].casefold()) or owners.get(" ".join(action["owner"].split()).casefold())
        actions.append({key: value for key, value in (action | {"user": user or ""}).items() if value})
    return {"decisions": [{k: v for k, v in row.items() if v} for row in decisions], "actions": actions}


def field_problems(problems: list[Problem]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The problems in Danish: field id (`a-0-due`) → message, and the summary as (field id, label, message)."""
    at: dict[str, str] = {}
    summary = []
    for problem in problems:
        found = re.match(r"(decisions|actions)\[(\d+)\](?:\.(\w+))?", problem.field or "")
        message = danish(problem.message)
        if found and found[3] in FIELD_NAMES:
            anchor = f"{SECTION[found[1]]}-{int(found[2]) - 1}-{found[3]}"
            noun = _("Beslutning") if found[1] == "decisions" else _("Handlingspunkt")
            label = f"{noun} {found[2]}: {FIELD_NAMES[found[3]]}"
            at.setdefault(anchor, message)
        else:
            anchor, label = "", _("Referatet")
        summary.append((anchor, label, message))
    return at, summary


def danish(message: str) -> str:
    """The core's message (a shape of toolkit.network.decisions.MESSAGES) in the reader's language."""
    texts = {
        "required": _("Skal udfyldes."),
        "too_long": _("Er %(length)s tegn lang; højst %(high)s er tilladt."),
        "one_line": _("Skal stå på én linje (uden linjeskift)."),
        "control": _("Indeholder et usynligt kontroltegn (ofte fra kopiering); fjern det."),
        "not_text": _("Skal være tekst."),
        "unknown_topic": _("»%(value)s« er ikke et kendt emne; vælg et fra listen."),
        "bad_date": _("»%(value)s« er ikke en dato; skriv ÅÅÅÅ-MM-DD, fx 2027-03-01."),
        "date_range": _("%(value)s er uden for det tilladte; skriv en dato fra 2020 til 2100."),
        "bad_email": _("»%(value)s« er ikke en e-mailadresse (navn@eksempel.dk)."),
        "bad_status": _("»%(value)s« er ikke en gyldig status."),
        "bad_item": _("»%(value)s« er ikke et af mødets dagsordenspunkter."),
        "too_many": _("Højst %(high)s rækker."),
    }
    for key, text in texts.items():
        found = _SHAPES[key].match(message)
        if found:
            return text % found.groupdict() if "%(" in text else text
    return message


def _shape(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts)) + r"\Z")


_SHAPES = {key: _shape(template) for key, template in MESSAGES.items()}


def _padded(rows: list[dict[str, str]], keys: tuple[str, ...], extra: int, high: int) -> list[dict[str, Any]]:
    filled = [row | {"filled": True} for row in rows]
    empty = [{key: "" for key in keys} | {"filled": False} for _ in range(max(0, min(extra, high - len(filled))))]
    return filled + empty


def _int(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdecimal() and len(raw) < 4 else 0
