"""Meetings as iCalendar (RFC 5545) files: one meeting, or a year's plan, for any calendar program.

Made with the maintained `icalendar` package, which escapes TEXT values (backslash, `;`, `,`, newlines), folds
lines at 75 octets without splitting a UTF-8 character, and ends every line in CRLF. It is imported only when a
file is made, so the commands and pages that never write one don't pay for it.

A VCALENDAR has VERSION:2.0, PRODID, CALSCALE, METHOD:PUBLISH and X-WR-CALNAME/X-WR-TIMEZONE; then, when a meeting
has times, the Europe/Copenhagen VTIMEZONE; then per meeting a VEVENT with a stable UID (`<slug>@netkit`, so a
calendar updates the event instead of adding a second), DTSTAMP in UTC, DTSTART/DTEND with TZID=Europe/Copenhagen
(or whole days, VALUE=DATE, for a meeting without times), SUMMARY, LOCATION, DESCRIPTION, CATEGORIES and STATUS
(planned → TENTATIVE, invited and held → CONFIRMED, cancelled → CANCELLED).

The VTIMEZONE is the EU summer-time rule (last Sunday of March to last Sunday of October) as two open-ended yearly
RRULEs, not the list of dated transitions that `icalendar.Timezone.from_tzinfo` writes: Outlook is known to
misread that form (Copenhagen times an hour off). tests/network/test_icalendar.py checks the rule against the tz
database.

Funding calls (toolkit.network.calls) go in as whole-day events on their deadline, UID `call-<slug>@netkit`:
in a year's plan beside the meetings (`calls=`), or on their own (`calls_ics`).

A cancelled meeting has no calendar file of its own (`meeting_ics` raises Invalid: "mødet er aflyst"); in a year's
plan it stays, with STATUS:CANCELLED, so calendars that imported it earlier mark it cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from toolkit.errors import Invalid, Problem
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.calls import Call, calls_of_year
from toolkit.network.meetings import TIMEZONE, ZONE, Meeting

if TYPE_CHECKING:
    from icalendar import Event, Timezone

PRODID = "-//Netkit//Netvaerksmoeder//DA"
STATUS = {"planned": "TENTATIVE", "invited": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}
# Europe/Copenhagen's observances: (kind, TZNAME, UTC offset before, after, first change, month of the change);
# each changes on the last Sunday of its month, at 02:00 into summer time and at 03:00 back.
OBSERVANCES = (("DAYLIGHT", "CEST", 1, 2, dt.datetime(1970, 3, 29, 2), 3),
               ("STANDARD", "CET", 2, 1, dt.datetime(1970, 10, 25, 3), 10))

UrlFor = Callable[[Meeting], str]


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
             url_for: UrlFor | None = None, taxonomy: Taxonomy | None = None, calls: Iterable[Call] = (),
             call_url: Callable[[Call], str] | None = None) -> str:
    """A year's meetings as one calendar file; cancelled meetings are included with STATUS:CANCELLED. The
    deadlines of `calls` in that year are whole-day events beside them."""
    chosen = [m for m in meetings if m.year == year]
    return _calendar(chosen, now=now, url_for=url_for, taxonomy=taxonomy, name=f"Netværksmøder {year}",
                     calls=calls_of_year(calls, year), call_url=call_url)


def calls_ics(calls: Iterable[Call], *, now: dt.datetime | None = None,
              call_url: Callable[[Call], str] | None = None) -> str:
    """The funding calls' deadlines as one calendar file."""
    return _calendar([], now=now, url_for=None, taxonomy=None, name="Ansøgningsfrister",
                     calls=sorted(calls, key=lambda c: (c.deadline, c.slug)), call_url=call_url)


def _calendar(meetings: list[Meeting], *, now: dt.datetime | None, url_for: UrlFor | None,
              taxonomy: Taxonomy | None, name: str, calls: Iterable[Call] = (),
              call_url: Callable[[Call], str] | None = None) -> str:
    from icalendar import Calendar, vText

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    for key, value in (("VERSION", "2.0"), ("PRODID", PRODID), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
                       ("X-WR-CALNAME", vText(_text(name))), ("X-WR-TIMEZONE", vText(TIMEZONE))):
        calendar.add(key, value)  # the X- names as TEXT (escaped), which icalendar can't know for an X- name
    if any(not m.all_day for m in meetings):
        calendar.add_component(_vtimezone())
    for meeting in meetings:
        calendar.add_component(_event(meeting, stamp, url_for(meeting) if url_for else None, taxonomy))
    for call in calls:
        calendar.add_component(_call_event(call, stamp, call_url(call) if call_url else call.link))
    return calendar.to_ical(sorted=False).decode("utf-8")  # unsorted: the properties in the order added here


def _vtimezone() -> Timezone:
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("TZID", TIMEZONE)
    for kind, name, before, after, first, month in OBSERVANCES:
        observance = TimezoneDaylight() if kind == "DAYLIGHT" else TimezoneStandard()
        observance.add("TZOFFSETFROM", dt.timedelta(hours=before))
        observance.add("TZOFFSETTO", dt.timedelta(hours=after))
        observance.add("TZNAME", name)
        observance.add("DTSTART", first)
        observance.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        zone.add_component(observance)
    return zone


def _event(meeting: Meeting, stamp: dt.datetime, url: str | None, taxonomy: Taxonomy | None) -> Event:
    from icalendar import Event

    event = Event()
    event.add("UID", f"{meeting.slug}@netkit")
    event.add("DTSTAMP", stamp)
    if meeting.start and meeting.end:
        event.add("DTSTART", dt.datetime.combine(meeting.date, meeting.start, ZONE))
        event.add("DTEND", dt.datetime.combine(meeting.date, meeting.end, ZONE))
    else:
        event.add("DTSTART", meeting.date)
        event.add("DTEND", meeting.date + dt.timedelta(days=1))
    event.add("SUMMARY", _text(meeting.theme))
    event.add("LOCATION", _text(meeting.place))
    description = _description(meeting, url)
    if description:
        event.add("DESCRIPTION", _text(description))
    if meeting.topics:
        event.add("CATEGORIES", [_text(taxonomy.label("topics", t) if taxonomy else t) for t in meeting.topics])
    event.add("STATUS", STATUS[meeting.status])
    if url:
        event.add("URL", url)
    return event


def _call_event(call: Call, stamp: dt.datetime, url: str) -> Event:
    from icalendar import Event

    event = Event()
    event.add("UID", f"call-{call.slug}@netkit")
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", call.deadline)
    event.add("DTEND", call.deadline + dt.timedelta(days=1))
    event.add("SUMMARY", _text(f"Ansøgningsfrist: {call.title} ({call.funder})"))
    parts = [p for p in (call.summary, f"Beløb: {call.amount}" if call.amount else "", call.link) if p]
    event.add("DESCRIPTION", _text("\n\n".join(parts)))
    event.add("CATEGORIES", ["Ansøgningsfrist"])
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("URL", url)
    return event


def _text(value: str) -> str:
    """Every line break as \\n: icalendar 6 and 7.0 write a lone CR unescaped, which breaks the line."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


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
