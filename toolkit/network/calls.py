"""Funding calls as records of the library (`library/calls/<slug>.yaml`): a call's title, funder, deadline,
amount, link and topics, checked field by field like projects and meetings. Projects name the calls they seek
support from (`seeks_funding_from`); the deadlines go into the annual plan and its calendar file.

A call's file:

    title: Grand Solutions – sundhed og life science
    funder: Innovationsfonden
    deadline: 2027-03-10
    amount: Op til 30 mio. kr. pr. projekt
    link: https://innovationsfonden.dk/…
    topics: [AI, kliniske forsøg]
    summary: Store partnerskaber mellem forskning, hospitaler og virksomheder.   (optional)
    example: true                                                              (optional)
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolkit.documents.answers import parse_date
from toolkit.errors import Problem
from toolkit.history.records import RecordKind, Records, line

EARLIEST, LATEST = dt.date(2020, 1, 1), dt.date(2100, 12, 31)  # a deadline outside is a typo
FOLDER = "calls"
REQUIRED = ("title", "funder", "deadline", "link")
OPTIONAL = ("amount", "topics", "summary", "example")
FIELDS = REQUIRED + OPTIONAL
TEXT_MAX = {"title": 150, "funder": 100, "amount": 120, "summary": 600}
TOPIC_MAX, TOPICS_MAX = 40, 10


@dataclass(frozen=True)
class Call:
    slug: str
    title: str
    funder: str
    deadline: dt.date
    link: str
    amount: str = ""
    topics: tuple[str, ...] = ()
    summary: str = ""
    example: bool = False

    @property
    def path(self) -> str:
        return f"library/{FOLDER}/{self.slug}.yaml"

    def is_open(self, today: dt.date) -> bool:
        return self.deadline >= today


def parse_call(slug: str, data: Any, where: str, others: dict[str, Call]) -> tuple[Call | None, list[Problem]]:
    """Check one call file's data: the Call, or None and every problem (field and line)."""
    if not isinstance(data, dict):
        return None, [Problem.at(where, "a funding call is a mapping of fields: " + ", ".join(REQUIRED) + " …",
                                 line=line(data))]
    problems: list[Problem] = []

    def problem(name: str, message: str, at: int | None = None) -> None:
        problems.append(Problem.at(where, message, line=at or line(data, name), field=name))

    for name in data:
        if name not in FIELDS:
            hint = difflib.get_close_matches(str(name), FIELDS, n=1)
            problem(str(name), "unknown field" + (f"; did you mean '{hint[0]}'?" if hint else "")
                    + f" Allowed: {', '.join(FIELDS)}")
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            problem(name, "is required and missing or empty")

    def text(name: str) -> str:
        value = data.get(name)
        if value in (None, ""):
            return ""
        if not isinstance(value, str):
            problem(name, "must be text")
            return ""
        value = " ".join(value.split())
        if len(value) > TEXT_MAX[name]:
            problem(name, f"is {len(value)} characters; keep it to {TEXT_MAX[name]}")
        return value

    values = {name: text(name) for name in TEXT_MAX}
    deadline = None
    if data.get("deadline") not in (None, ""):
        deadline = parse_date(data["deadline"])
        if deadline is None:
            problem("deadline", f"'{data['deadline']}' is not a date; write YYYY-MM-DD, e.g. 2027-03-10")
        elif not EARLIEST <= deadline <= LATEST:  # calendars and the annual plan compute with the date
            problem("deadline", f"{deadline.isoformat()} is outside {EARLIEST.year}–{LATEST.year}; check the year")
            deadline = None
    link = data.get("link")
    link = link.strip() if isinstance(link, str) else ""
    parts = urlsplit(link)
    if data.get("link") not in (None, "") and (parts.scheme.lower() not in ("http", "https") or not parts.netloc
                                               or any(c.isspace() for c in link)):
        problem("link", f"'{link}' is not a web address; it starts with https:// (or http://)")
    topics: list[str] = []
    raw = data.get("topics") or []
    if not isinstance(raw, list):
        problem("topics", "must be a list, e.g. [AI, sundhedsdata]")
        raw = []
    if len(raw) > TOPICS_MAX:
        problem("topics", f"has {len(raw)} entries; keep it to {TOPICS_MAX}")
    for index, topic in enumerate(raw):
        if not isinstance(topic, str) or not topic.strip() or len(topic.strip()) > TOPIC_MAX:
            problem("topics", f"entry {index + 1} must be a word or two (at most {TOPIC_MAX} characters)")
        elif " ".join(topic.split()) not in topics:
            topics.append(" ".join(topic.split()))
    example = data.get("example", False)
    if example is not None and not isinstance(example, bool):
        problem("example", f"write true or false, not '{example}'")
    if problems or deadline is None:
        return None, problems
    return Call(slug, values["title"], values["funder"], deadline, link, values["amount"], tuple(topics),
                values["summary"], bool(example)), []


CALL = RecordKind(folder=FOLDER, noun="funding call", parse=parse_call)


def call_records(library_dir: Path | str) -> Records[Call]:
    """The funding calls of a library folder (re-read when a file changes)."""
    return Records(Path(library_dir), CALL)


def by_deadline(calls: Iterable[Call]) -> list[Call]:
    return sorted(calls, key=lambda c: (c.deadline, c.title.casefold()))


def calls_of_year(calls: Iterable[Call], year: int) -> list[Call]:
    """The calls whose deadline falls in this year (for the annual plan), by deadline."""
    return by_deadline(c for c in calls if c.deadline.year == year)


def unknown_calls(slugs: Iterable[str], records: Records[Call], where: str) -> list[Problem]:
    """A project's `seeks_funding_from` entries that are no call, each with a did-you-mean."""
    known = [c.slug for c in records.all()]
    problems = []
    for slug in slugs:
        if slug not in known:
            hint = difflib.get_close_matches(slug, known, n=1)
            problems.append(Problem.at(where, f"'{slug}' is no funding call"
                                       + (f"; did you mean '{hint[0]}'?" if hint else
                                          "; check the file name in library/calls (without .yaml)"),
                                       field="seeks_funding_from"))
    return problems
