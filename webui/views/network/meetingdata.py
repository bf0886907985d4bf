"""What the meeting and proposal pages read: the meetings' and proposals' records of the current library (made
again when the folder or its taxonomy changes), the working groups' names, the status labels, and the
problems of a refused form with the labels of their fields."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.errors import Problem
from toolkit.history.gitstore import Author
from toolkit.library.folder import TAXONOMY_FILE
from toolkit.network.meetings import Meeting, meeting_records
from toolkit.network.proposals import proposal_records
from webui.context import group_records, library

RECORDS_KEY = "netkit.meeting-records"
MEETING_STATUS = {"planned": _l("Planlagt"), "invited": _l("Inviteret"), "held": _l("Afholdt"),
                  "cancelled": _l("Aflyst")}
PROPOSAL_STATUS = {"new": _l("Ny"), "merged": _l("Slået sammen"), "planned": _l("Planlagt"),
                   "declined": _l("Afvist")}
FIELD_LABELS = {"theme": _l("Tema"), "date": _l("Dato"), "start": _l("Starttid"), "end": _l("Sluttid"),
                "place": _l("Sted"), "status": _l("Status"), "facilitator": _l("Facilitator"),
                "topics": _l("Emneområder"), "invited_roles": _l("Inviterede roller"),
                "problem": _l("Problemformulering"), "invitees": _l("Inviterede"), "speakers": _l("Oplægsholdere"),
                "agenda": _l("Dagsorden"), "minutes": _l("Referat"), "minutes_material": _l("Referat som materiale"),
                "formed_groups": _l("Arbejdsgrupper dannet på mødet"), "title": _l("Titel"),
                "why": _l("Hvorfor det er vigtigt på tværs af værdikæden"), "proposer": _l("Forslagsstiller"),
                "merged_into": _l("Slå sammen med"), "meeting": _l("Møde"), "note": _l("Facilitatorens note:"),
                "capacity": _l("Antal pladser")}
EXPIRED = _l("Formularen var for gammel (eller din session udløb). Det, du skrev, er bevaret – send den igen.")
RESUMED = _l("Du er logget ind igen. Det, du skrev, er bevaret – gem det nu.")
MEETING_FIELDS = ("theme", "date", "start", "end", "place", "status", "facilitator", "problem", "invitees", "speakers",
               "agenda", "minutes", "minutes_material", "formed_groups", "message", "base", "capacity")
MEETING_LISTS = ("topics", "invited_roles")
PROPOSAL_FIELDS = ("title", "problem", "why")




def records():
    """(meetings, proposals) of the current library, made again when the folder or its taxonomy changes."""
    root = library().root
    taxonomy = root / TAXONOMY_FILE
    key = (str(root), taxonomy.stat().st_mtime_ns if taxonomy.exists() else 0)
    cached = current_app.extensions.get(RECORDS_KEY)
    if cached is None or cached[0] != key:
        cached = (key, meeting_records(root), proposal_records(root))
        current_app.extensions[RECORDS_KEY] = cached
    return cached[1], cached[2]


def author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


def group_names() -> dict[str, tuple[str, str]]:
    """Working-group id → (name, mandate) from the groups' records, when the app keeps them."""
    groups = group_records()
    try:
        return {g.slug: (g.name, getattr(g, "mandate", "")) for g in groups.all()} if groups is not None else {}
    except Exception:  # the groups' records are another module's; never let them break a meeting page
        return {}


def formed_groups(meeting: Meeting) -> list[str]:
    """The groups the meeting formed: its own list, and groups whose record names it (`formed_at`)."""
    groups = group_records()
    try:
        named = [g.slug for g in groups.all() if getattr(g, "formed_at", None) == meeting.slug] if groups else []
    except Exception:  # another module's records; never let them break a meeting page
        named = []
    return list(meeting.formed_groups) + [g for g in named if g not in meeting.formed_groups]


def problems_with_labels(problems: list[Problem]) -> list[tuple[str, str]]:
    """(the field's label, the message) for the problem summary of a form: `invitees[2].email` is shown as
    "Inviterede nr. 2 (email)"."""
    shown = []
    for problem in problems:
        field = problem.field or ""
        base = field.split("[", 1)[0].split(".", 1)[0]
        label = str(FIELD_LABELS.get(base, field))
        entry = re.match(r"\[(\d+)\](?:\.(\w+))?", field[len(base):])
        if entry:
            label += " " + _("nr. %(number)s", number=entry[1]) + (f" ({entry[2]})" if entry[2] else "")
        shown.append((label, problem.message))
    return shown
