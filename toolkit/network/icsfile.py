"""Meetings as iCalendar (RFC 5545) text: one meeting, or a year's plan, for any calendar program.

Written by hand (no dependency): a VCALENDAR with PRODID, VERSION:2.0 and CALSCALE, the Europe/Copenhagen
VTIMEZONE (the EU summer-time rule: last Sunday of March to last Sunday of October), and per meeting a VEVENT
with a stable UID (`<slug>@netkit`, so a calendar updates the event instead of adding a second), DTSTAMP in
UTC, DTSTART/DTEND with TZID=Europe/Copenhagen (or whole days, VALUE=DATE, for a meeting without times),
SUMMARY, LOCATION, DESCRIPTION, CATEGORIES and STATUS (planned → TENTATIVE, invited and held → CONFIRMED,
cancelled → CANCELLED). Text values are escaped (backslash, `;`, `,`, newlines), every line ends in CRLF and
is folded at 75 octets without splitting a UTF-8 character.

A cancelled meeting has no calendar file of its own (`meeting_ics` raises Invalid: "mødet er aflyst"); in a
year's plan it stays, with STATUS:CANCELLED, so calendars that imported it earlier mark it cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from toolkit.errors import Invalid, Problem
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.meetings import TIMEZONE, Meeting

PRODID = "-//Netkit//Netvaerksmoeder//DA"
STATUS = {"planned": "TENTATIVE", "invited": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}
MAX_OCTETS = 75
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TIMEZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

UrlFor = Callable[[Meeting], str]


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, newlines as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1): CRLF and one space, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def meeting_ics(meeting: Meeting, *, now: dt.datetime | None = None, url: str | None = None,
                taxonomy: Taxonomy | None = None) -> str:
    """One meeting as a calendar file. A cancelled meeting is refused (Invalid): there is nothing to add."""
    if meeting.status == "cancelled":
        raise Invalid(f"mødet er aflyst: '{meeting.slug}' has no calendar file (the meeting is cancelled)",
                      [Problem.at(meeting.path, "mødet er aflyst (the meeting is cancelled); the year's plan lists "
                                                "it as cancelled", field="status")])
    return _calendar([meeting], now=now, url_for=(lambda _m: url) if url else None, taxonomy=taxonomy,
                     name=meeting.theme)


def plan_ics(meetings: Iterable[Meeting], *, year: int, now: dt.datetime | None = None,
             url_for: UrlFor | None = None, taxonomy: Taxonomy | None = None) -> str:
    """A year's meetings as one calendar file; cancelled meetings are included with STATUS:CANCELLED."""
    chosen = [m for m in meetings if m.year == year]
    return _calendar(chosen, now=now, url_for=url_for, taxonomy=taxonomy, name=f"Netværksmøder {year}")


def _calendar(meetings: list[Meeting], *, now: dt.datetime | None, url_for: UrlFor | None,
              taxonomy: Taxonomy | None, name: str) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}", f"X-WR-TIMEZONE:{TIMEZONE}"]
    if any(not m.all_day for m in meetings):
        lines += VTIMEZONE
    for meeting in meetings:
        lines += _event(meeting, stamp, url_for(meeting) if url_for else None, taxonomy)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(meeting: Meeting, stamp: str, url: str | None, taxonomy: Taxonomy | None) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{meeting.slug}@netkit", f"DTSTAMP:{stamp}"]
    if meeting.start and meeting.end:
        lines += [f"DTSTART;TZID={TIMEZONE}:{meeting.date:%Y%m%d}T{meeting.start:%H%M}00",
                  f"DTEND;TZID={TIMEZONE}:{meeting.date:%Y%m%d}T{meeting.end:%H%M}00"]
    else:
        lines += [f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{meeting.date + dt.timedelta(days=1):%Y%m%d}"]
    lines += [f"SUMMARY:{escape_text(meeting.theme)}", f"LOCATION:{escape_text(meeting.place)}"]
    description = _description(meeting, url)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if meeting.topics:
        labels = [taxonomy.label("topics", t) if taxonomy else t for t in meeting.topics]
        lines.append("CATEGORIES:" + ",".join(escape_text(label) for label in labels))
    lines.append(f"STATUS:{STATUS[meeting.status]}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def _description(meeting: Meeting, url: str | None) -> str:
    parts = []
    if meeting.problem:
        parts.append(meeting.problem)
    parts.append(f"Facilitator: {meeting.facilitator}")
    if meeting.agenda:
        parts.append("Dagsorden:\n" + "\n".join(f"{i}. {item.topic}" + (f" ({item.presenter})" if item.presenter
                                                                         else "")
                                                for i, item in enumerate(meeting.agenda, 1)))
    if meeting.status == "cancelled":
        parts.insert(0, "Mødet er aflyst.")
    if url:
        parts.append(url)
    return "\n\n".join(parts)
