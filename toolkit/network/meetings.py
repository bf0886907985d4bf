"""The network's meetings as records of the library (`library/meetings/<slug>.yaml`, slugs like
`2027-02-04-adgang-til-data`): theme, problem statement, date and times (Europe/Copenhagen), place, topic
areas, facilitator, invited roles and invitees, speakers, agenda, status (planned, invited, held, cancelled),
the decision minutes (written as Markdown, or a material of kind "minutes"), the working groups the meeting
formed, the topic proposals planned into it and the seats (`capacity`, optional; sign-ups are
toolkit.network.signups).

Topic areas and invited roles are ids of the library's taxonomy (`topics`, `audiences`), checked with a hint.
A new meeting may not be planned in the past (`save_meeting(..., create=True, today=…)`); an existing one can
always be edited (a meeting that took place yesterday is set to "held").
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.documents.answers import parse_date
from toolkit.errors import Invalid, Problem
from toolkit.history.gitstore import Author
from toolkit.history.records import RecordKind, Records, line, record_text, save_record
from toolkit.library.folder import TAXONOMY_FILE
from toolkit.library.materials import SLUG_RE
from toolkit.library.starters import slug_from_title
from toolkit.library.taxonomy import Taxonomy
from toolkit.yamlfile import parse_yaml

TIMEZONE = "Europe/Copenhagen"
ZONE = ZoneInfo(TIMEZONE)


def today_here() -> dt.date:
    """Today in Copenhagen: what the network calls today (a UTC server is a day behind before 01:00/02:00)."""
    return dt.datetime.now(ZONE).date()
FOLDER = "meetings"
STATUSES = ("planned", "invited", "held", "cancelled")
# The statuses as Danish documents and the command line show them.
STATUS_DA = {"planned": "Planlagt", "invited": "Inviteret", "held": "Afholdt", "cancelled": "Aflyst"}
OPEN_STATUSES = ("planned", "invited")  # a meeting still to come: new proposals can be planned into it
# The six topic areas of the value chain the annual plan is built around (taxonomy topic ids).
TOPIC_AREAS = ("technology", "it-security", "research", "law", "operations", "financing")
FIELDS = ("theme", "date", "start", "end", "place", "status", "topics", "problem", "facilitator", "invited_roles",
          "invitees", "speakers", "agenda", "minutes", "minutes_material", "formed_groups", "proposals", "capacity")
THEME_MAX, PROBLEM_MAX, PLACE_MAX, TEXT_MAX, MINUTES_MAX = 150, 600, 200, 150, 20_000
AGENDA_MAX, PEOPLE_MAX = 15, 200  # the minutes template takes at most 15 agenda items
CAPACITY_MAX = 10_000  # seats at a meeting (optional; over it a "yes" goes on the waiting list)
EARLIEST, LATEST = dt.date(2020, 1, 1), dt.date(2100, 12, 31)
EMAIL_RE = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+\Z")
TIME_RE = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)\Z")


@dataclass(frozen=True)
class Person:
    """An invitee or a speaker."""

    name: str
    email: str = ""
    organisation: str = ""
    topic: str = ""  # a speaker's talk


@dataclass(frozen=True)
class AgendaItem:
    topic: str
    presenter: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Meeting:
    slug: str
    theme: str
    date: dt.date
    place: str
    facilitator: str
    status: str = "planned"
    start: dt.time | None = None
    end: dt.time | None = None
    topics: tuple[str, ...] = ()
    problem: str = ""
    invited_roles: tuple[str, ...] = ()
    invitees: tuple[Person, ...] = ()
    speakers: tuple[Person, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    minutes: str = ""
    minutes_material: str | None = None
    formed_groups: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    capacity: int | None = None  # seats; None: no limit

    @property
    def path(self) -> str:
        return f"library/{FOLDER}/{self.slug}.yaml"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def all_day(self) -> bool:
        return self.start is None

    @property
    def starts(self) -> dt.datetime | dt.date:
        """When it starts: an aware datetime in Copenhagen time, or the day for an all-day meeting."""
        return dt.datetime.combine(self.date, self.start, ZONE) if self.start else self.date

    @property
    def ends(self) -> dt.datetime | dt.date:
        return dt.datetime.combine(self.date, self.end, ZONE) if self.start and self.end else self.date

    @property
    def time_text(self) -> str:
        """"kl. 13.00–16.00", or "" for an all-day meeting."""
        if not self.start or not self.end:
            return ""
        return f"kl. {self.start:%H.%M}–{self.end:%H.%M}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def meeting_kind(taxonomy: Taxonomy | None) -> RecordKind[Meeting]:
    """The record kind of meetings, checking topic areas and roles against this taxonomy (None: not checked)."""

    def parse(slug: str, data: Any, where: str, others: dict[str, Meeting]) -> tuple[Meeting | None, list[Problem]]:
        return parse_meeting(slug, data, where, others, taxonomy)

    return RecordKind(folder=FOLDER, noun="meeting", parse=parse)


def meeting_records(library_dir: Path) -> Records[Meeting]:
    """The meetings of a library folder, checked against its taxonomy."""
    taxonomy_path = Path(library_dir) / TAXONOMY_FILE
    taxonomy = Taxonomy.load(taxonomy_path) if taxonomy_path.is_file() else None
    return Records(library_dir, meeting_kind(taxonomy))


class _Checker:
    """Collects problems naming the field (`invitees[2].email`) and its line."""

    def __init__(self, where: str, data: Any):
        self.where = where
        self.data = data
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, *, within: Any = None, key: str | None = None) -> None:
        at = line(within, key) if within is not None else None
        at = at or line(self.data, field.split("[", 1)[0].split(".", 1)[0])
        self.problems.append(Problem.at(self.where, message, line=at, field=field))

    def text(self, field: str, *, required: bool = False, low: int = 0, high: int = TEXT_MAX, what: str = "") -> str:
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self.problem(field, f"write {what or 'it'}; it is required")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(field, "must be text")
            return ""
        value = str(value).strip()
        if required and len(value) < max(low, 1):
            self.problem(field, f"write {what or 'it'} (at least {max(low, 1)} characters)")
        elif len(value) > high:
            self.problem(field, f"is {len(value)} characters long; at most {high} are allowed")
        return value

    def ids(self, field: str, vocabulary: str, taxonomy: Taxonomy | None, noun: str) -> tuple[str, ...]:
        value = self.data.get(field)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(field, f"must be a list of {noun} ids, e.g. [{field}-id]")
            return ()
        found: list[str] = []
        known = taxonomy.ids(vocabulary) if taxonomy is not None else None
        for term in value:
            if not isinstance(term, str) or not SLUG_RE.match(term):
                self.problem(field, f"'{term}' is not a {noun} id (lowercase letters, digits and hyphens)")
            elif known is not None and term not in known:
                hint = difflib.get_close_matches(term, known, n=1)
                self.problem(field, f"'{term}' is not a known {noun}"
                             + (f"; did you mean '{hint[0]}'?" if hint else f"; allowed: {', '.join(known)}"))
            elif term in found:
                self.problem(field, f"'{term}' is listed twice")
            else:
                found.append(term)
        return tuple(found)

    def slugs(self, field: str, noun: str) -> tuple[str, ...]:
        value = self.data.get(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(field, f"must be a list of {noun} ids")
            return ()
        found: list[str] = []
        for term in value:
            if not isinstance(term, str) or not SLUG_RE.match(term):
                self.problem(field, f"'{term}' is not a {noun} id (lowercase letters, digits and hyphens)")
            elif term not in found:
                found.append(term)
        return tuple(found)

    def texts(self, name: str, entry: dict, limits: dict[str, int]) -> dict[str, str]:
        """The text fields of one entry of a list (a person, an agenda item), each at most its limit; an unknown
        key or a value that is not text is a problem naming `name.key`."""
        for key in entry:
            if key not in limits:
                self.problem(f"{name}.{key}", f"unknown field; allowed: {', '.join(limits)}", within=entry,
                             key=str(key))
        fields = {}
        for key, high in limits.items():
            raw = entry.get(key)
            if raw is not None and not isinstance(raw, str):
                self.problem(f"{name}.{key}", "must be text", within=entry, key=key)
                raw = ""
            fields[key] = (raw or "").strip()
            if len(fields[key]) > high:
                self.problem(f"{name}.{key}", f"at most {high} characters", within=entry, key=key)
        return fields

    def people(self, field: str, *, speakers: bool = False) -> tuple[Person, ...]:
        value = self.data.get(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(field, "must be a list of people: {name: …, organisation: …"
                         + (", topic: …}" if speakers else ", email: …}"))
            return ()
        if len(value) > PEOPLE_MAX:
            self.problem(field, f"at most {PEOPLE_MAX} people")
        allowed = ("name", "organisation", "topic", "email") if speakers else ("name", "organisation", "email")
        people: list[Person] = []
        for index, entry in enumerate(value):
            name = f"{field}[{index + 1}]"
            if isinstance(entry, str):
                entry = {"name": entry}
            if not isinstance(entry, dict):
                self.problem(name, "write the person as {name: …, organisation: …}")
                continue
            fields = self.texts(name, entry, {key: TEXT_MAX for key in allowed})
            if not fields["name"]:
                self.problem(f"{name}.name", "give the person's name", within=entry, key="name")
                continue
            if fields.get("email") and not EMAIL_RE.match(fields["email"]):
                self.problem(f"{name}.email", f"'{fields['email']}' is not an e-mail address (name@example.dk)",
                             within=entry, key="email")
            people.append(Person(**fields))
        return tuple(people)

    def agenda(self) -> tuple[AgendaItem, ...]:
        value = self.data.get("agenda")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("agenda", "must be a list of items: {topic: …, presenter: …, decision: …}")
            return ()
        if len(value) > AGENDA_MAX:
            self.problem("agenda", f"at most {AGENDA_MAX} items (the minutes template takes no more)")
        items: list[AgendaItem] = []
        for index, entry in enumerate(value):
            name = f"agenda[{index + 1}]"
            if isinstance(entry, str):
                entry = {"topic": entry}
            if not isinstance(entry, dict):
                self.problem(name, "write the item as {topic: …}")
                continue
            fields = self.texts(name, entry, {"topic": THEME_MAX, "presenter": TEXT_MAX, "decision": 1000})
            if not fields["topic"]:
                self.problem(f"{name}.topic", "give the item's topic", within=entry, key="topic")
                continue
            items.append(AgendaItem(**fields))
        return tuple(items)


def parse_time(value: Any) -> dt.time | None:
    """"13:00", "13.00", a datetime.time — or YAML 1.1's reading of an unquoted 13:00 (780, minutes)."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        match = TIME_RE.match(value.strip())
        if match:
            return dt.time(int(match[1]), int(match[2]))
    return None


def parse_meeting(slug: str, data: Any, where: str, others: dict[str, Meeting],
                  taxonomy: Taxonomy | None = None) -> tuple[Meeting | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem.at(where, "a meeting is a mapping of fields: theme, date, place, facilitator, …")]
    check = _Checker(where, data)
    for key in data:
        if key not in FIELDS:
            hint = difflib.get_close_matches(str(key), FIELDS, n=1)
            check.problem(str(key), "unknown field" + (f"; did you mean '{hint[0]}'?" if hint else
                                                       f"; allowed: {', '.join(FIELDS)}"))
    theme = check.text("theme", required=True, low=3, high=THEME_MAX, what="the meeting's theme")
    raw_date = data.get("date")
    date = parse_date(raw_date)
    if raw_date in (None, ""):
        check.problem("date", "give the meeting's date as YYYY-MM-DD")
    elif date is None:
        check.problem("date", f"'{raw_date}' is not a date; write YYYY-MM-DD, e.g. 2027-02-04")
    elif not EARLIEST <= date <= LATEST:
        check.problem("date", f"{date.isoformat()} is out of range; a meeting is dated {EARLIEST.year}–{LATEST.year}")
        date = None
    times: dict[str, dt.time | None] = {}
    for key in ("start", "end"):
        raw = data.get(key)
        times[key] = parse_time(raw) if raw not in (None, "") else None
        if raw not in (None, "") and times[key] is None:
            check.problem(key, f"'{raw}' is not a time of day; write HH:MM, e.g. 13:00")
    start, end = times["start"], times["end"]
    if (data.get("start") in (None, "")) != (data.get("end") in (None, "")):
        missing = "end" if data.get("end") in (None, "") else "start"
        check.problem(missing, "give both the start and the end time, or neither (an all-day meeting)")
    elif start is not None and end is not None and end <= start:
        check.problem("end", f"the meeting ends ({end:%H:%M}) before it starts ({start:%H:%M})")
    place = check.text("place", required=True, low=2, high=PLACE_MAX, what="where the meeting is held")
    status = data.get("status", "planned")
    if status not in STATUSES:
        hint = difflib.get_close_matches(str(status), STATUSES, n=1)
        check.problem("status", f"'{status}' is not a status; use one of {', '.join(STATUSES)}"
                      + (f" (did you mean '{hint[0]}'?)" if hint else ""))
    facilitator = check.text("facilitator", required=True, low=2, high=TEXT_MAX, what="who facilitates")
    problem = check.text("problem", high=PROBLEM_MAX)
    minutes = check.text("minutes", high=MINUTES_MAX)
    minutes_material = data.get("minutes_material") or None
    if minutes_material is not None and (not isinstance(minutes_material, str) or not SLUG_RE.match(minutes_material)):
        check.problem("minutes_material", f"'{minutes_material}' is not a material's slug (its file name without .md)")
        minutes_material = None
    meeting_values = dict(
        topics=check.ids("topics", "topics", taxonomy, "topic"),
        invited_roles=check.ids("invited_roles", "audiences", taxonomy, "role"),
        invitees=check.people("invitees"),
        speakers=check.people("speakers", speakers=True),
        agenda=check.agenda(),
        formed_groups=check.slugs("formed_groups", "working group"),
        proposals=check.slugs("proposals", "topic proposal"),
    )
    if date is not None and theme:
        for other in others.values():
            if other.slug != slug and other.date == date and other.theme.casefold() == theme.casefold():
                check.problem("theme", f"another meeting has this theme on this day: {other.path}")
    capacity = data.get("capacity")
    seats = str(capacity).strip() if isinstance(capacity, int | str) and not isinstance(capacity, bool) else "?"
    if capacity in (None, ""):
        capacity = None
    elif not (len(seats) <= 6 and seats.isascii() and seats.isdecimal()) or not 1 <= int(seats) <= CAPACITY_MAX:
        check.problem("capacity", f"'{capacity}' is not a number of seats; write a whole number 1–{CAPACITY_MAX}, "
                                  "or leave it out for no limit")
    else:
        capacity = int(seats)
    if check.problems or date is None:
        return None, check.problems
    return Meeting(slug=slug, theme=theme, date=date, place=place, facilitator=facilitator, status=str(status),
                   start=start, end=end, problem=problem, minutes=minutes, minutes_material=minutes_material,
                   capacity=capacity, **meeting_values), []


def meeting_data(meeting: Meeting, **changes: Any) -> dict[str, Any]:
    """A meeting as data to save (empty fields left out), with some fields changed."""
    data: dict[str, Any] = {"theme": meeting.theme, "date": meeting.date.isoformat()}
    if meeting.start and meeting.end:
        data.update(start=f"{meeting.start:%H:%M}", end=f"{meeting.end:%H:%M}")
    data.update(place=meeting.place, status=meeting.status, facilitator=meeting.facilitator)
    optional: dict[str, Any] = {
        "topics": list(meeting.topics),
        "problem": meeting.problem,
        "invited_roles": list(meeting.invited_roles),
        "invitees": [_person_data(p, ("name", "organisation", "email")) for p in meeting.invitees],
        "speakers": [_person_data(p, ("name", "organisation", "topic")) for p in meeting.speakers],
        "agenda": [{k: v for k, v in (("topic", i.topic), ("presenter", i.presenter), ("decision", i.decision)) if v}
                   for i in meeting.agenda],
        "minutes": meeting.minutes,
        "minutes_material": meeting.minutes_material,
        "formed_groups": list(meeting.formed_groups),
        "proposals": list(meeting.proposals),
        "capacity": meeting.capacity,
    }
    data.update({key: value for key, value in optional.items() if value})
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _person_data(person: Person, keys: tuple[str, ...]) -> dict[str, str]:
    return {key: getattr(person, key) for key in keys if getattr(person, key)}


def past_problems(data: dict[str, Any], today: dt.date) -> list[Problem]:
    """A new meeting dated before today cannot be planned or invited to (it would be planned as new in the past)."""
    date = parse_date(data.get("date"))
    status = data.get("status", "planned")
    if date is not None and date < today and status in OPEN_STATUSES:
        return [Problem.at("date", f"{date.isoformat()} is in the past (today is {today.isoformat()}); a new meeting "
                                   "must be planned from today on — or record a past meeting with status held",
                           field="date")]
    return []


def save_meeting(instance, records: Records[Meeting], slug: str, data: dict[str, Any], author: Author,
                 message: str, *, create: bool, today: dt.date | None = None, base: str | None = None) -> Meeting:
    """Validate and save a meeting as a revision. Invalid names every problem (nothing is written), also a new
    meeting planned in the past; Conflict when `create` and the slug is taken, or when the meeting's file
    changed since `base` (its digest when the form was opened). The proposals planned into the meeting are
    kept as they are when the change is written (they change only by planning)."""
    if create:
        today = today or dt.date.today()
        path = f"library/{FOLDER}/{slug}.yaml"
        others = {m.slug: m for m in records.all() if m.slug != slug}
        text = record_text(data)
        _record, problems = records.kind.parse(slug, parse_yaml(text, path), path, others)
        problems = problems + [Problem.at(path, p.message, field=p.field) for p in past_problems(data, today)]
        if problems:
            raise Invalid(f"{path} was not saved: fix these problems and save again", problems, text=text)
    if create:
        return save_record(instance, records, slug, data, author, message, create=True)

    def with_planned_proposals(now: Meeting | None) -> dict[str, Any]:
        kept = {key: value for key, value in data.items() if key != "proposals"}
        return kept | ({"proposals": list(now.proposals)} if now is not None and now.proposals else {})

    return save_record(instance, records, slug, with_planned_proposals, author, message, create=False, base=base)


def meetings_of_year(records: Records[Meeting], year: int) -> list[Meeting]:
    """The year's meetings in date order (cancelled ones included)."""
    return sorted((m for m in records.all() if m.year == year), key=_order)


def all_meetings(records: Records[Meeting]) -> list[Meeting]:
    return sorted(records.all(), key=_order)


def years(records: Records[Meeting]) -> list[int]:
    return sorted({m.year for m in records.all()})


def next_meeting(records: Records[Meeting], after: Meeting) -> Meeting | None:
    """The first meeting after this one that is not cancelled."""
    later = [m for m in all_meetings(records) if _order(m) > _order(after) and m.status != "cancelled"]
    return later[0] if later else None


def default_year(records: Records[Meeting], today: dt.date) -> int:
    """The plan to show first: this year while it has meetings to come, else the next year that has meetings."""
    coming = [m for m in records.all() if m.date >= today]
    if any(m.year == today.year for m in coming) or not coming:
        return today.year
    return min(m.year for m in coming)


def new_slug(date: dt.date, theme: str) -> str:
    """`2027-02-04-adgang-til-data` from the date and the theme."""
    words = slug_from_title(theme)[:60].rstrip("-")
    return f"{date.isoformat()}-{words}" if words else date.isoformat()


def _order(meeting: Meeting) -> tuple:
    return meeting.date, meeting.start or dt.time(0), meeting.slug
