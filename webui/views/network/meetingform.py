"""The meeting form (`/moeder/ny`, `/moeder/<slug>/rediger`): its fields from a meeting and back into the record's
data. Invitees, speakers and agenda items are typed one per line, their parts separated by semicolons."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from toolkit.network.meetings import STATUSES, Meeting
from webui.views.network.meetingdata import MEETING_FIELDS, MEETING_LISTS


def lines(text: str, width: int) -> list[list[str]]:
    """Lines typed as "a; b; c" → their parts (at most `width`; the last part keeps any further semicolons)."""
    rows = []
    for raw in text.splitlines():
        if raw.strip():
            parts = [part.strip() for part in raw.split(";", width - 1)]
            rows.append(parts + [""] * (width - len(parts)))
    return rows


def people(text: str, third: str) -> list[dict[str, str]]:
    people = []
    for name, second, last in lines(text, 3):
        if third == "email" and "@" in second and "@" not in last:  # "Navn; e-mail" also works
            second, last = last, second
        person = {"name": name, "organisation": second, third: last}
        people.append({key: value for key, value in person.items() if value})
    return people


def people_text(people, third: str) -> str:
    return "\n".join("; ".join([p.name, p.organisation, getattr(p, third)]).rstrip("; ") for p in people)


def record_data(form: dict) -> dict[str, Any]:
    """A posted meeting form as record data (validated by the core)."""
    data: dict[str, Any] = {
        "theme": form["theme"].strip(), "date": form["date"].strip(), "start": form["start"].strip(),
        "end": form["end"].strip(), "place": form["place"].strip(), "status": form["status"],
        "facilitator": form["facilitator"].strip(), "topics": form["topics"], "problem": form["problem"].strip(),
        "invited_roles": form["invited_roles"], "invitees": people(form["invitees"], "email"),
        "speakers": people(form["speakers"], "topic"),
        "agenda": [{k: v for k, v in zip(("topic", "presenter", "decision"), row, strict=True) if v}
                   for row in lines(form["agenda"], 3)],
        "minutes": form["minutes"].strip(), "minutes_material": form["minutes_material"].strip(),
        "formed_groups": [g.strip() for g in form["formed_groups"].replace(";", ",").split(",") if g.strip()],
        "capacity": form["capacity"].strip(),  # the core checks it is a number of seats
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def form_of(meeting: Meeting) -> dict:
    return {
        "theme": meeting.theme, "date": meeting.date.isoformat(),
        "start": f"{meeting.start:%H:%M}" if meeting.start else "",
        "end": f"{meeting.end:%H:%M}" if meeting.end else "",
        "place": meeting.place, "status": meeting.status, "facilitator": meeting.facilitator,
        "topics": list(meeting.topics), "invited_roles": list(meeting.invited_roles), "problem": meeting.problem,
        "invitees": people_text(meeting.invitees, "email"), "speakers": people_text(meeting.speakers, "topic"),
        "agenda": "\n".join("; ".join([i.topic, i.presenter, i.decision]).rstrip("; ") for i in meeting.agenda),
        "minutes": meeting.minutes, "minutes_material": meeting.minutes_material or "",
        "formed_groups": ", ".join(meeting.formed_groups), "message": "",
        "capacity": str(meeting.capacity or ""),
    }


def posted(data: MultiDict | None = None) -> dict:
    """The meeting form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "")[:25_000] for key in MEETING_FIELDS}
    form.update({key: data.getlist(key) for key in MEETING_LISTS})
    if form["status"] not in STATUSES:
        form["status"] = "planned"
    return form


def empty_form(facilitator: str) -> dict:
    return ({key: "" for key in MEETING_FIELDS} | {key: [] for key in MEETING_LISTS}
            | {"status": "planned", "facilitator": facilitator})
