"""Checking one project file field by field, every problem with its field and line.

What a project seeks and offers (`seeks`, `offers`) is a kind from the fixed list of partner kinds and one short
line of text; the funding calls it seeks support from (`seeks_funding_from`) are the slugs of library/calls/
files, found against the calls by `toolkit.network.calls.unknown_calls`.

A project names its owner organisation by id from the controlled list, its contacts with valid e-mail
addresses, its phase and regulatory status from fixed lists, dates where the end is not before the start,
http(s) links only, and the materials and working groups it relates to. Two projects with the same title and
owner are one project twice: the second is refused with the name of the first. Related materials that do not
exist are found against the whole library (`related_problems`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from toolkit.documents.answers import parse_date
from toolkit.errors import Problem
from toolkit.history.records import line
from toolkit.library.folder import Library
from toolkit.library.materials import SLUG_RE
from toolkit.network.projects.model import (
    CE_CLASSES,
    CE_MARKED,
    PARTNER_KINDS,
    PHASES,
    REGULATORY,
    Contact,
    Link,
    Need,
    Project,
)
from toolkit.network.projects.organisations import Organisations
from toolkit.yamlfile import LineDict

REQUIRED = ("title", "summary", "owner", "contacts", "phase", "regulatory")
OPTIONAL = ("example", "department", "clinical_area", "problem", "data_sources", "ai_method", "start", "end",
            "links", "related_materials", "working_groups", "seeks", "offers", "seeks_funding_from", "created_by")
FIELDS = REQUIRED + OPTIONAL
TITLE_RANGE = (3, 150)
SUMMARY_RANGE = (10, 600)
TEXT_MAX = {"department": 150, "clinical_area": 100, "problem": 2000, "ai_method": 300}
NEED_TEXT_MAX = 200  # one line beside a partner kind: what exactly is sought or offered
NEEDS_MAX = 10  # entries in seeks and in offers
# A sensible check, not RFC 5322: something@domain.tld, no spaces or angle brackets.
EMAIL_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\Z")


def parse_project(slug: str, data: Any, where: str, others: dict[str, Project], *,
                  organisations: Organisations) -> tuple[Project | None, list[Problem]]:
    """Check one project file's data: the Project, or None and every problem (field and line)."""
    if not isinstance(data, dict):
        return None, [Problem.at(where, "a project is a mapping of fields: " + ", ".join(REQUIRED) + " …",
                                 line=line(data))]
    checker = _Checker(data, where, organisations)
    values = checker.check()
    problems = checker.problems
    title, owner = values["title"], values["owner"]
    for other in others.values():
        if other.slug != slug and title and other.title.casefold() == title.casefold() and other.owner == owner:
            checker.problem("title", f"a project with this title and owner already exists: {other.path}; "
                                     "edit that one, or give this project another title")
    if problems:
        return None, problems
    return Project(slug=slug, path=where, field_lines=dict(getattr(data, "key_lines", {})),
                   item_lines=checker.item_lines, **values), []


class _Checker:
    """Checks a project's fields one by one, collecting every problem with its line."""

    def __init__(self, data: dict, where: str, organisations: Organisations):
        self.data = data
        self.where = where
        self.organisations = organisations
        self.problems: list[Problem] = []
        self.item_lines: dict[str, list[int | None]] = {}

    def problem(self, name: str, message: str, at: int | None = None) -> None:
        self.problems.append(Problem.at(self.where, message, line=at or line(self.data, name), field=name))

    def present(self, name: str) -> Any:
        value = self.data.get(name)
        return None if value in (None, "", [], {}) else value

    def check(self) -> dict[str, Any]:
        for name in self.data:
            if name not in FIELDS:
                hint = _closest(str(name), FIELDS)
                self.problem(str(name), "unknown field" + (f"; did you mean '{hint}'?" if hint else "")
                             + f" Allowed: {', '.join(FIELDS)}")
        for name in REQUIRED:
            if self.present(name) is None:
                self.problem(name, "is required and missing or empty")
        status, klass = self.regulatory()
        values: dict[str, Any] = {
            "title": self.text("title", *TITLE_RANGE),
            "summary": self.text("summary", *SUMMARY_RANGE),
            "owner": self.owner(),
            "contacts": self.contacts(),
            "phase": self.choice("phase", PHASES),
            "regulatory_status": status,
            "regulatory_class": klass,
            **{name: self.text(name, 0, high) for name, high in TEXT_MAX.items()},
            "data_sources": self.texts("data_sources"),
            "start": self.date("start"),
            "end": self.date("end"),
            "links": self.links(),
            "related_materials": self.slugs("related_materials", "material (the file name without .md)"),
            "working_groups": self.slugs("working_groups", "working-group id, e.g. dataadgang"),
            "seeks": self.needs("seeks"),
            "offers": self.needs("offers"),
            "seeks_funding_from": self.slugs("seeks_funding_from", "funding call (its file name in library/calls "
                                                                   "without .yaml)"),
            "example": self.flag("example"),
            "created_by": self.text("created_by", 0, 80),
        }
        if values["start"] and values["end"] and values["end"] < values["start"]:
            self.problem("end", f"the project ends ({values['end'].isoformat()}) before it starts "
                                f"({values['start'].isoformat()}); check both dates")
        return values

    def text(self, name: str, low: int, high: int) -> str:
        value = self.present(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(name, f"must be text, not {_type(value)}")
            return str(value)
        value = " ".join(value.split()) if name != "problem" else value.strip()
        if not low <= len(value) <= high:
            self.problem(name, f"is {len(value)} characters; write {low}–{high}" if low else
                         f"is {len(value)} characters; keep it to {high}")
        return value

    def choice(self, name: str, allowed: dict[str, dict[str, str]]) -> str:
        value = self.present(name)
        if value is None:
            return ""
        if value not in allowed:
            by_label = {labels[lang].casefold(): key for key, labels in allowed.items() for lang in ("da", "en")}
            hint = by_label.get(str(value).strip().casefold()) or _closest(str(value), list(allowed))
            self.problem(name, f"'{value}' is not a {name.replace('_', ' ')}"
                         + (f"; did you mean '{hint}'?" if hint else "") + f" Allowed: {', '.join(allowed)}")
        return str(value)

    def owner(self) -> str:
        value = self.present("owner")
        if value is None:
            return ""
        if not isinstance(value, str) or value not in self.organisations:
            hint = self.organisations.hint(str(value))
            known = ", ".join(self.organisations.ids()) or "none yet"
            self.problem("owner", f"'{value}' is not a known organisation"
                         + (f"; did you mean '{hint}'?" if hint else "")
                         + f" If it is missing, add it to {self.organisations.where} (known: {known})")
        return str(value)

    def items(self, name: str, example: str) -> list[Any]:
        value = self.present(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(name, f"must be a list, e.g. {example}")
            return []
        self.item_lines[name] = [getattr(item, "line", None) for item in value]
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        found = []
        for index, item in enumerate(self.items(name, "[Landspatientregisteret, EPJ (MidtEPJ)]")):
            if not isinstance(item, str) or not item.strip():
                self.problem(name, f"entry {index + 1} must be text", self._line(name, index))
            else:
                found.append(" ".join(item.split()))
        return tuple(found)

    def contacts(self) -> tuple[Contact, ...]:
        found = []
        for index, item in enumerate(self.items("contacts", "[{name: Anna Jensen, email: anna@example.org}]")):
            at = self._line("contacts", index)
            if not isinstance(item, dict):
                self.problem("contacts", f"contact {index + 1}: write it as {{name: …, email: …, role: …}}", at)
                continue
            for key in item:
                if key not in ("name", "email", "role"):
                    self.problem("contacts", f"contact {index + 1}: unknown field '{key}'; use name, email and role",
                                 line(item, str(key)) or at)
            name, email, role = item.get("name"), item.get("email"), item.get("role") or ""
            if not isinstance(name, str) or not name.strip():
                self.problem("contacts", f"contact {index + 1}: give the person's name", at)
                continue
            name = " ".join(name.split())
            if not isinstance(email, str) or not email.strip():
                self.problem("contacts", f"contact {index + 1} ({name}): give an e-mail address",
                             line(item, "name") or at)
                continue
            email = email.strip()
            if not EMAIL_RE.match(email):
                self.problem("contacts", f"contact {index + 1} ({name}): '{email}' is not a valid e-mail address; "
                                         "write it like anna.jensen@rm.dk", line(item, "email") or at)
                continue
            if not isinstance(role, str):
                self.problem("contacts", f"contact {index + 1} ({name}): the role is text", line(item, "role") or at)
                continue
            found.append(Contact(name, email, " ".join(role.split())))
        return tuple(found)

    def regulatory(self) -> tuple[str, str | None]:
        value = self.present("regulatory")
        if value is None:
            return "", None
        if isinstance(value, str):  # `regulatory: not-medical-device` is short for {status: …}
            value = {"status": value}
        if not isinstance(value, dict):
            self.problem("regulatory", "write it as {status: …} (and class: … when CE-marked)")
            return "", None
        at = line(value) or line(self.data, "regulatory")
        for key in value:
            if key not in ("status", "class"):
                self.problem("regulatory", f"unknown field '{key}'; use status and class", line(value, str(key)) or at)
        status = value.get("status")
        klass = value.get("class")
        klass = None if klass in (None, "") else str(klass)
        if status not in REGULATORY:
            by_label = {labels[lang].casefold(): key for key, labels in REGULATORY.items() for lang in ("da", "en")}
            hint = by_label.get(str(status).strip().casefold()) or _closest(str(status), list(REGULATORY))
            self.problem("regulatory", f"'{status}' is not a regulatory status"
                         + (f"; did you mean '{hint}'?" if hint else "") + f" Allowed: {', '.join(REGULATORY)}",
                         line(value, "status") or at)
            return str(status or ""), klass
        if status == CE_MARKED:
            if klass is None:
                self.problem("regulatory", "a CE-marked product has a class; add class: one of "
                             + ", ".join(CE_CLASSES), at)
            elif klass not in CE_CLASSES:
                hint = next((c for c in CE_CLASSES if c.casefold() == klass.casefold()), None)
                self.problem("regulatory", f"class '{klass}' is not an MDR class"
                             + (f"; did you mean '{hint}'?" if hint else "") + f" Allowed: {', '.join(CE_CLASSES)}",
                             line(value, "class") or at)
        elif klass is not None:
            self.problem("regulatory", f"a class is only given for status {CE_MARKED}; remove class: {klass}",
                         line(value, "class") or at)
            klass = None
        return str(status), klass

    def date(self, name: str) -> dt.date | None:
        value = self.present(name)
        if value is None:
            return None
        day = parse_date(value)
        if day is not None:
            return day
        self.problem(name, f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2026-03-01")
        return None

    def links(self) -> tuple[Link, ...]:
        found = []
        for index, item in enumerate(self.items("links", "[{title: Projektets side, url: https://…}]")):
            at = self._line("links", index)
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, dict):
                self.problem("links", f"link {index + 1}: write it as {{title: …, url: https://…}}", at)
                continue
            url, title = item.get("url"), item.get("title")
            url = url.strip() if isinstance(url, str) else ""
            parts = urlsplit(url)
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
                self.problem("links", f"link {index + 1}: '{url}' is not a web address; links start with "
                                      "https:// (or http://)", line(item, "url") or at)
                continue
            if title is not None and not isinstance(title, str):
                self.problem("links", f"link {index + 1}: the title is text", line(item, "title") or at)
                continue
            found.append(Link(" ".join((title or "").split()) or url, url))
        return tuple(found)

    def needs(self, name: str) -> tuple[Need, ...]:
        """`seeks`/`offers`: entries {kind, text}; the kind from PARTNER_KINDS, the text one short line."""
        found = []
        items = self.items(name, "[{kind: data-partner, text: Adgang til billeddata fra en anden region}]")
        if len(items) > NEEDS_MAX:
            self.problem(name, f"has {len(items)} entries; keep it to {NEEDS_MAX}")
        for index, item in enumerate(items[:NEEDS_MAX]):
            at = self._line(name, index)
            if isinstance(item, str):  # `- funding` is short for {kind: funding}
                item = {"kind": item}
            if not isinstance(item, dict):
                self.problem(name, f"entry {index + 1}: write it as {{kind: …, text: …}}", at)
                continue
            for key in item:
                if key not in ("kind", "text"):
                    self.problem(name, f"entry {index + 1}: unknown field '{key}'; use kind and text",
                                 line(item, str(key)) or at)
            kind, text = item.get("kind"), item.get("text")
            text = "" if text is None else text
            if kind in (None, ""):
                self.problem(name, f"entry {index + 1}: choose a kind; allowed: {', '.join(PARTNER_KINDS)}", at)
                continue
            if not isinstance(kind, str) or kind not in PARTNER_KINDS:
                by_label = {labels[lang].casefold(): key for key, labels in PARTNER_KINDS.items()
                            for lang in ("da", "en")}
                hint = by_label.get(str(kind).strip().casefold()) or _closest(str(kind), list(PARTNER_KINDS))
                self.problem(name, f"entry {index + 1}: '{kind}' is not a partner kind"
                             + (f"; did you mean '{hint}'?" if hint else "") + f" Allowed: {', '.join(PARTNER_KINDS)}",
                             line(item, "kind") or at)
                continue
            if not isinstance(text, str):
                self.problem(name, f"entry {index + 1}: the text is text, not {_type(text)}", line(item, "text") or at)
                continue
            text = text.strip()
            if "\n" in text or "\r" in text:
                self.problem(name, f"entry {index + 1}: the text is one line; remove the line break",
                             line(item, "text") or at)
                continue
            if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
                self.problem(name, f"entry {index + 1}: the text holds a control character; remove it",
                             line(item, "text") or at)
                continue
            if len(text) > NEED_TEXT_MAX:
                self.problem(name, f"entry {index + 1}: the text is {len(text)} characters; keep it to "
                                   f"{NEED_TEXT_MAX}", line(item, "text") or at)
                continue
            need = Need(str(kind), " ".join(text.split()))
            if need not in found:
                found.append(need)
        return tuple(found)

    def slugs(self, name: str, what: str) -> tuple[str, ...]:
        found = []
        for index, item in enumerate(self.items(name, "[adgang-til-data]")):
            if not isinstance(item, str) or not SLUG_RE.match(item):
                self.problem(name, f"'{item}' is not the id of a {what}", self._line(name, index))
            elif item not in found:
                found.append(item)
        return tuple(found)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(name, f"write true or false, not '{value}'")
            return False
        return value

    def _line(self, name: str, index: int) -> int | None:
        items = self.item_lines.get(name, [])
        return (items[index] if index < len(items) else None) or line(self.data, name)


def _type(value: Any) -> str:
    return {dict: "a mapping", LineDict: "a mapping", list: "a list"}.get(type(value), type(value).__name__)


def _closest(word: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def related_problems(slugs: Iterable[str], library: Library, where: str, line_of=lambda index: None
                     ) -> list[Problem]:
    """Related materials that are not in the library, each with a did-you-mean."""
    problems = []
    known = [m.slug for m in library.materials()]
    for index, slug in enumerate(slugs):
        if slug not in library:
            hint = _closest(slug, known)
            problems.append(Problem.at(where, f"'{slug}' is no material"
                                       + (f"; did you mean '{hint}'?" if hint else "; check the slug (the file "
                                          "name without .md)"), line=line_of(index), field="related_materials"))
    return problems
