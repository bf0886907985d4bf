"""A meeting as a personal calendar invitation (iTIP, RFC 5546, carried by mail as iMIP, RFC 6047).

The same event as the meeting's own calendar file (toolkit.network.icsfile: UID `<slug>@netkit`, times in
Europe/Copenhagen with its VTIMEZONE), with METHOD:REQUEST — or METHOD:CANCEL when the meeting is cancelled —, the
ORGANIZER (the facilitator's name at the site's sender address: the only address Netkit sends from), the one
ATTENDEE the mail goes to with RSVP=TRUE, and SEQUENCE: a calendar replaces an event it holds only by a higher
SEQUENCE, so every change of date, time or place (and the cancellation) counts it up.
"""

from __future__ import annotations

import datetime as dt

from toolkit.network.icsfile import PRODID, _event, _vtimezone
from toolkit.network.meetings import Meeting

METHODS = ("REQUEST", "CANCEL")


def invitation_ics(meeting: Meeting, *, method: str, sequence: int, organizer: tuple[str, str],
                   attendee: tuple[str, str], url: str | None = None, now: dt.datetime | None = None) -> str:
    """The calendar part of one invitation: `organizer` and `attendee` are (name, address)."""
    from icalendar import Calendar, vCalAddress, vText

    if method not in METHODS:
        raise ValueError(f"method is one of {', '.join(METHODS)}")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    for key, value in (("VERSION", "2.0"), ("PRODID", PRODID), ("CALSCALE", "GREGORIAN"), ("METHOD", method)):
        calendar.add(key, value)
    if not meeting.all_day:
        calendar.add_component(_vtimezone())
    event = _event(meeting, stamp, url, None)
    event.add("SEQUENCE", sequence)
    if method == "CANCEL":
        event["STATUS"] = vText("CANCELLED")
    organizer_address = vCalAddress(f"mailto:{organizer[1]}")
    organizer_address.params["CN"] = vText(_one_line(organizer[0]))
    event.add("ORGANIZER", organizer_address)
    person = vCalAddress(f"mailto:{attendee[1]}")
    person.params.update({"CN": vText(_one_line(attendee[0] or attendee[1])), "ROLE": "REQ-PARTICIPANT",
                          "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE", "CUTYPE": "INDIVIDUAL"})
    event.add("ATTENDEE", person)
    calendar.add_component(event)
    return calendar.to_ical(sorted=False).decode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
