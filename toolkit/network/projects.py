"""The project registry: the network's AI health-data projects as records of the library, one YAML file per
project in `library/projects/<slug>.yaml`, each checked field by field.

A project names its owner organisation by id from the controlled list in `library/organisations.yaml` (an
organisation that is missing is added there, never typed freely), its contacts with valid e-mail addresses,
its phase and regulatory status from fixed lists (with Danish and English labels), dates where the end is not
before the start, http(s) links only, and the materials and working groups it relates to. Two projects with
the same title and owner are one project twice: the second is refused with the name of the first.

`Registry` reads a library's projects (again only when a file changed) with their problems, including those
that need the whole library (related materials that do not exist); `ProjectFilters` and `facet_counts` serve
the browse page, the CLI and the exports alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolkit.documents.forms import parse_date
from toolkit.errors import Invalid, Problem
from toolkit.history.records import RecordKind, Records, line
from toolkit.library.folder import Library
from toolkit.library.materials import SLUG_RE, validate_slug
from toolkit.library.starters import slug_from_title
from toolkit.yamlfile import LineDict, load_yaml

FOLDER = "projects"
ORGANISATIONS_FILE = "organisations.yaml"

# Ids in English (in the files), labels in Danish and English (on the pages and in exports).
PHASES: dict[str, dict[str, str]] = {
    "idea": {"da": "Idé", "en": "Idea"},
    "research": {"da": "Forskning", "en": "Research"},
    "quality-development": {"da": "Kvalitetsudvikling", "en": "Quality development"},
    "operations-test": {"da": "Driftstest", "en": "Operations test"},
    "in-operation": {"da": "I drift", "en": "In operation"},
    "stopped": {"da": "Stoppet", "en": "Stopped"},
}
REGULATORY: dict[str, dict[str, str]] = {
    "not-medical-device": {"da": "Ikke medicinsk udstyr", "en": "Not a medical device"},
    "in-house-mdr-5-5": {"da": "Egenfremstillet efter MDR art. 5, stk. 5", "en": "In-house under MDR Art. 5(5)"},
    "ce-marked": {"da": "CE-mærket", "en": "CE-marked"},
    "under-assessment": {"da": "Under vurdering", "en": "Under assessment"},
}
CE_MARKED = "ce-marked"
CE_CLASSES = ("I", "IIa", "IIb", "III")

REQUIRED = ("title", "summary", "owner", "contacts", "phase", "regulatory")
OPTIONAL = ("example", "department", "clinical_area", "problem", "data_sources", "ai_method", "start", "end",
            "links", "related_materials", "working_groups", "created_by")
FIELDS = REQUIRED + OPTIONAL
TITLE_RANGE = (3, 150)
SUMMARY_RANGE = (10, 600)
TEXT_MAX = {"department": 150, "clinical_area": 100, "problem": 2000, "ai_method": 300}
# A sensible check, not RFC 5322: something@domain.tld, no spaces or angle brackets.
EMAIL_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\Z")


def label(labels: dict[str, dict[str, str]], value: str, lang: str = "da") -> str:
    """The Danish (or English) label of a phase or regulatory status; the id itself when it is unknown."""
    return labels.get(value, {}).get(lang) or value


# -- organisations --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    id: str
    da: str
    en: str

    def label(self, lang: str = "da") -> str:
        return self.en if lang == "en" else self.da


@dataclass(frozen=True)
class Organisations:
    """The controlled list of owner organisations (`library/organisations.yaml`), in file order."""

    entries: dict[str, Organisation]
    problems: tuple[Problem, ...] = ()
    where: str = f"library/{ORGANISATIONS_FILE}"

    @classmethod
    def load(cls, library_dir: Path | str) -> Organisations:
        path = Path(library_dir) / ORGANISATIONS_FILE
        where = f"library/{ORGANISATIONS_FILE}"
        if not path.is_file():
            return cls({}, (Problem.at(where, "the file is missing; list the organisations that may own a project "
                                              "(id: {da: …, en: …})"),), where)
        try:
            data = load_yaml(path, where)
        except Invalid as exc:
            return cls({}, tuple(exc.problems), where)
        problems: list[Problem] = []
        items = data.get("organisations") if isinstance(data, dict) else None
        if not isinstance(items, dict) or not items:
            return cls({}, (Problem.at(where, "write `organisations:` with one entry per organisation, "
                                              "e.g. region-midtjylland: {da: Region Midtjylland, en: Central "
                                              "Denmark Region}", line=line(data)),), where)
        entries: dict[str, Organisation] = {}
        for key, labels in items.items():
            at = line(items, str(key))
            if not isinstance(key, str) or not SLUG_RE.match(key):
                problems.append(Problem.at(where, f"'{key}' is not an id; use lowercase letters, digits and hyphens",
                                           line=at, field="organisations"))
            elif not isinstance(labels, dict) or not all(isinstance(labels.get(lang), str) and labels[lang].strip()
                                                         for lang in ("da", "en")):
                problems.append(Problem.at(where, f"{key}: give the name in Danish and English: {{da: …, en: …}}",
                                           line=at, field="organisations"))
            else:
                entries[key] = Organisation(key, labels["da"].strip(), labels["en"].strip())
        return cls(entries, tuple(problems), where)

    def ids(self) -> list[str]:
        return list(self.entries)

    def __contains__(self, value: object) -> bool:
        return value in self.entries

    def label(self, value: str, lang: str = "da") -> str:
        entry = self.entries.get(value)
        return entry.label(lang) if entry else value

    def hint(self, value: str) -> str | None:
        """The id closest to what was typed: by id, or by the organisation's name."""
        by_name = {name.casefold(): entry.id for entry in self.entries.values() for name in (entry.da, entry.en)}
        typed = str(value).strip().casefold()
        if typed in by_name:
            return by_name[typed]
        match = difflib.get_close_matches(typed, [*self.entries, *by_name], n=1, cutoff=0.6)
        return (by_name.get(match[0], match[0])) if match else None


# -- the record -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"name": self.name, "email": self.email}
        if self.role:
            data["role"] = self.role
        return data


@dataclass(frozen=True)
class Link:
    title: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class Project:
    slug: str
    title: str
    summary: str
    owner: str
    contacts: tuple[Contact, ...]
    phase: str
    regulatory_status: str
    regulatory_class: str | None = None
    department: str = ""
    clinical_area: str = ""
    problem: str = ""
    data_sources: tuple[str, ...] = ()
    ai_method: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    links: tuple[Link, ...] = ()
    related_materials: tuple[str, ...] = ()
    working_groups: tuple[str, ...] = ()
    example: bool = False
    created_by: str = ""
    path: str = ""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    item_lines: dict[str, list[int | None]] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str, index: int | None = None) -> int | None:
        items = self.item_lines.get(name, [])
        if index is not None and index < len(items) and items[index] is not None:
            return items[index]
        return self.field_lines.get(name)

    def regulatory_label(self, lang: str = "da") -> str:
        text = label(REGULATORY, self.regulatory_status, lang)
        if self.regulatory_class:
            text += f", {'klasse' if lang == 'da' else 'class'} {self.regulatory_class}"
        return text

    def to_data(self) -> dict[str, Any]:
        """The record as the data of its YAML file (for save_record), optional fields only when set."""
        data: dict[str, Any] = {"title": self.title, "summary": self.summary}
        if self.example:
            data["example"] = True
        data["owner"] = self.owner
        if self.department:
            data["department"] = self.department
        data["contacts"] = [c.to_dict() for c in self.contacts]
        for name in ("clinical_area", "problem"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["phase"] = self.phase
        if self.data_sources:
            data["data_sources"] = list(self.data_sources)
        if self.ai_method:
            data["ai_method"] = self.ai_method
        regulatory: dict[str, Any] = {"status": self.regulatory_status}
        if self.regulatory_class:
            regulatory["class"] = self.regulatory_class
        data["regulatory"] = regulatory
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.links:
            data["links"] = [link.to_dict() for link in self.links]
        if self.related_materials:
            data["related_materials"] = list(self.related_materials)
        if self.working_groups:
            data["working_groups"] = list(self.working_groups)
        if self.created_by:
            data["created_by"] = self.created_by
        return data

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (`netkit projects list --json`)."""
        return {
            "slug": self.slug, "title": self.title, "summary": self.summary, "example": self.example,
            "owner": self.owner, "department": self.department, "contacts": [c.to_dict() for c in self.contacts],
            "clinical_area": self.clinical_area, "problem": self.problem, "phase": self.phase,
            "data_sources": list(self.data_sources), "ai_method": self.ai_method,
            "regulatory": {"status": self.regulatory_status, "class": self.regulatory_class},
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "links": [link.to_dict() for link in self.links], "related_materials": list(self.related_materials),
            "working_groups": list(self.working_groups), "created_by": self.created_by,
        }


# -- checking one record --------------------------------------------------------------------------------------------


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


def project_kind(organisations: Organisations) -> RecordKind[Project]:
    """The RecordKind of projects, checked against these organisations."""
    return RecordKind(folder=FOLDER, noun="project",
                      parse=functools.partial(parse_project, organisations=organisations))


# -- the registry of a library --------------------------------------------------------------------------------------


class Registry:
    """The projects of one library folder; re-read when a project file or organisations.yaml changes."""

    def __init__(self, library_dir: Path | str):
        self.library_dir = Path(library_dir)
        self._organisations_key: tuple | None = None
        self._organisations = Organisations({})
        self._records: Records[Project] | None = None

    @property
    def organisations(self) -> Organisations:
        self._refresh()
        return self._organisations

    @property
    def records(self) -> Records[Project]:
        self._refresh()
        assert self._records is not None
        return self._records

    def all(self) -> list[Project]:
        """Every valid project by title."""
        return sorted(self.records.all(), key=lambda p: (p.title.casefold(), p.slug))

    def get(self, slug: str) -> Project:
        return self.records.get(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self.records

    def signature(self) -> Hashable:
        """Changes when a project file or the organisations change (for the search index)."""
        return (_stat(self.library_dir / ORGANISATIONS_FILE), self.records.signature())

    def problems(self, library: Library | None = None) -> list[Problem]:
        """Every problem of the project files; with the library, also related materials that do not exist.
        The organisations file's own problems count only when there are projects."""
        records = self.records
        problems = records.problems()
        if not (self.library_dir / FOLDER).is_dir() or not any((self.library_dir / FOLDER).glob("*.yaml")):
            return problems
        problems = list(self._organisations.problems) + problems
        if library is not None:
            for project in records.all():
                problems.extend(related_problems(project.related_materials, library, project.path,
                                                 lambda index, p=project: p.line_of("related_materials", index)))
        return sorted(problems, key=lambda p: (p.path, p.line or 0))

    def _refresh(self) -> None:
        key = _stat(self.library_dir / ORGANISATIONS_FILE)
        if self._records is None or key != self._organisations_key:
            self._organisations = Organisations.load(self.library_dir)
            self._records = Records(self.library_dir, project_kind(self._organisations))
            self._organisations_key = key


def _stat(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


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


# -- filtering and counting -----------------------------------------------------------------------------------------

FILTERS = ("phase", "area", "owner", "regulatory")


@dataclass(frozen=True)
class ProjectFilters:
    phase: str | None = None
    area: str | None = None
    owner: str | None = None
    regulatory: str | None = None

    def match(self, project: Project) -> bool:
        return ((self.phase is None or project.phase == self.phase)
                and (self.area is None or project.clinical_area.casefold() == self.area.casefold())
                and (self.owner is None or project.owner == self.owner)
                and (self.regulatory is None or project.regulatory_status == self.regulatory))

    def chosen(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}


def filter_projects(projects: Iterable[Project], filters: ProjectFilters) -> list[Project]:
    return [p for p in projects if filters.match(p)]


def areas(projects: Iterable[Project]) -> list[str]:
    """The clinical areas in use, alphabetically (one spelling per area, ignoring case)."""
    seen: dict[str, str] = {}
    for project in projects:
        if project.clinical_area:
            seen.setdefault(project.clinical_area.casefold(), project.clinical_area)
    return sorted(seen.values(), key=str.casefold)


def facet_values(projects: list[Project], organisations: Organisations) -> dict[str, list[str]]:
    """Every value each filter can take, in the order the pages show them."""
    return {"phase": list(PHASES), "area": areas(projects),
            "owner": organisations.ids() + sorted({p.owner for p in projects} - set(organisations.ids())),
            "regulatory": list(REGULATORY)}


def facet_counts(projects: list[Project], filters: ProjectFilters, organisations: Organisations
                 ) -> dict[str, list[tuple[str, int]]]:
    """Per filter, how many projects each value would leave when added to the other filters (values with none
    left out), like the materials' browse page."""
    counts: dict[str, list[tuple[str, int]]] = {}
    for name, values in facet_values(projects, organisations).items():
        pool = filter_projects(projects, ProjectFilters(**{**filters.chosen(), name: None}))
        tally = Counter(_facet_key(name, _facet_value(p, name)) for p in pool)  # one pass, not one per value
        counts[name] = [(value, tally[_facet_key(name, value)]) for value in values
                        if tally[_facet_key(name, value)]]
    return counts


def _facet_value(project: Project, name: str) -> str:
    return {"phase": project.phase, "area": project.clinical_area, "owner": project.owner,
            "regulatory": project.regulatory_status}[name]


def _facet_key(name: str, value: str) -> str:
    return value.casefold() if name == "area" else value  # areas match ignoring case, as ProjectFilters does


def check_filter(name: str, value: str | None, projects: list[Project], organisations: Organisations) -> str | None:
    """A filter value as given when it is one of the known ones (an area matched ignoring case), else None."""
    if value is None or value == "":
        return None
    known = facet_values(projects, organisations)[name]
    if name == "area":
        return next((area for area in known if area.casefold() == value.casefold()), None)
    return value if value in known else None


# -- editing helpers ------------------------------------------------------------------------------------------------


def contacts_to_lines(contacts: Iterable[Contact]) -> str:
    """Contacts as the edit form shows them: one per line, `name; e-mail; role`."""
    return "\n".join("; ".join(part for part in (c.name, c.email, c.role) if part) for c in contacts)


_NAMED_ADDRESS = re.compile(r"\s*([^<>;]+?)\s*<([^<>;\s]+@[^<>;\s]+)>\s*(?:;\s*(.*))?")  # Anna Jensen <anna@rm.dk>


def contacts_from_lines(text: str) -> list[dict[str, str]]:
    """`name; e-mail; role` per line (role optional) → contact data; checked when the record is parsed."""
    contacts = []
    for row in text.splitlines():
        if not row.strip():
            continue
        named = _NAMED_ADDRESS.fullmatch(row)
        parts = [named[1], named[2], named[3] or ""] if named else [part.strip() for part in row.split(";")]
        contact = {"name": parts[0], "email": parts[1] if len(parts) > 1 else ""}
        if len(parts) > 2 and "; ".join(parts[2:]).strip():
            contact["role"] = "; ".join(parts[2:]).strip()
        contacts.append(contact)
    return contacts


def links_to_lines(links: Iterable[Link]) -> str:
    return "\n".join(f"{link.title}; {link.url}" if link.title != link.url else link.url for link in links)


def links_from_lines(text: str) -> list[dict[str, str]]:
    """`title; https://…` per line, or just the address."""
    links = []
    for row in text.splitlines():
        if not row.strip():
            continue
        title, separator, url = row.rpartition(";")
        links.append({"title": title.strip(), "url": url.strip()} if separator else {"url": row.strip()})
    return links


def lines_to_list(text: str) -> list[str]:
    return [" ".join(row.split()) for row in text.splitlines() if row.strip()]


def unique_slug(title: str, taken: Iterable[str]) -> str:
    """A file name for a new project from its title, with -2, -3 … when it is taken."""
    base = slug_from_title(title)[:70].rstrip("-") or "projekt"
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return validate_slug(slug)
