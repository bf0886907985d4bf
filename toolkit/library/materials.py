"""A material: one Markdown file with YAML front matter. Parse it and check every field."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidSlug, Problem
from toolkit.library.frontmatter import FrontMatter, FrontMatterError, parse
from toolkit.library.recommendation import DECISION_RANGE, KEY_POINTS_MAX, POINT_MAX, Signatory, parse_signatory
from toolkit.library.recommendation import FIELDS as RECOMMENDATION_FIELDS
from toolkit.library.recommendation import KIND as RECOMMENDATION
from toolkit.library.render import HEADINGS_MAX, count_headings
from toolkit.library.taxonomy import Taxonomy

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
# Characters XML (and so a Word file) cannot hold; tab and line breaks are fine.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# … and in a one-line value (a question) no C0/C1 control character at all, however the YAML spelled it.
EDIT_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
SUMMARY_MAX = 600
BODY_MAX_BYTES = 1024 * 1024  # as much as a web request may carry
TITLE_RANGE = (3, 150)
# `questions`: what the material answers, in its readers' words (shown on its page, searched beside its text);
# `questions_en` the same as English-speaking readers search (shown when the page is read in English).
QUESTIONS_MAX, QUESTION_RANGE = 40, (3, 160)

REQUIRED = ("title", "kind", "summary", "topics", "audience", "language", "authors", "status", "version", "updated")
OPTIONAL = ("working_group", "related", "replaced_by", "reviewed", "review_by", "questions", "questions_en",
            *RECOMMENDATION_FIELDS)
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")  # reviewed / review_by: a month, YYYY-MM
FIELDS = REQUIRED + OPTIONAL


def validate_slug(slug: str) -> str:
    """Return `slug` if it has the allowed shape, else raise InvalidSlug (guards against path traversal)."""
    if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
        raise InvalidSlug(f"'{slug}' is not a valid slug: use lowercase a–z, digits and single hyphens, "
                          f"at most {SLUG_MAX} characters (write æ as ae, ø as oe, å as aa)")
    return slug


@dataclass(frozen=True)
class Material:
    slug: str
    title: str
    kind: str
    summary: str
    topics: tuple[str, ...]
    audience: tuple[str, ...]
    language: str
    authors: tuple[str, ...]
    status: str
    version: str
    updated: dt.date
    body: str
    path: str
    body_line: int = 1
    working_group: str | None = None
    reviewed: str | None = None  # YYYY-MM: the month of the last expert review of the content
    review_by: str | None = None  # YYYY-MM: when the content is due for its next review
    related: tuple[str, ...] = ()
    replaced_by: str | None = None
    questions: tuple[str, ...] = ()  # the questions it answers, as its readers ask them
    questions_en: tuple[str, ...] = ()  # … and as readers searching in English ask them
    recipients: tuple[str, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    decision_requested: str | None = None
    key_points: tuple[str, ...] = ()
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    item_lines: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str, index: int | None = None) -> int | None:
        """The file line of a front-matter field, or of one item of a list field."""
        items = self.item_lines.get(name, [])
        if index is not None and index < len(items):
            return items[index]
        return self.field_lines.get(name)

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", self.body))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (CLI `--json`, later the API)."""
        return {
            "slug": self.slug, "title": self.title, "kind": self.kind, "summary": self.summary,
            "topics": list(self.topics), "audience": list(self.audience), "language": self.language,
            "authors": list(self.authors), "working_group": self.working_group, "status": self.status,
            "version": self.version, "updated": self.updated.isoformat(), "related": list(self.related),
            "replaced_by": self.replaced_by, "reviewed": self.reviewed, "review_by": self.review_by,
            "questions": list(self.questions), "questions_en": list(self.questions_en),
            "recipients": list(self.recipients), "signatories": [s.to_dict() for s in self.signatories],
            "decision_requested": self.decision_requested, "key_points": list(self.key_points),
        }


def parse_material(path: Path, text: str, taxonomy: Taxonomy, *, display_path: str | None = None,
                   today: dt.date | None = None) -> tuple[Material | None, list[Problem]]:
    """Parse one material. Return it (or None when it cannot be used) and every problem found."""
    where = display_path or str(path)
    name_problems: list[Problem] = []
    slug = path.stem
    try:
        validate_slug(slug)
    except InvalidSlug as exc:
        name_problems.append(Problem.at(where, f"file name: {exc}"))
    if found := CONTROL_RE.search(text):  # reported, and read without them: Word files cannot hold them
        line = text.count("\n", 0, found.start()) + 1
        control_problems = [Problem.at(where, f"contains a control character (U+{ord(found[0]):04X}, often from "
                                              "pasting); remove it", line=line)]
        text = CONTROL_RE.sub("", text)
    else:
        control_problems = []
    try:
        matter = parse(text)
    except FrontMatterError as exc:
        return None, [*name_problems, *control_problems, Problem.at(where, exc.message, line=exc.line)]
    checker = _FieldChecker(matter, taxonomy, where, today or dt.date.today())
    values = checker.check()
    problems = name_problems + control_problems + checker.problems + _body_problems(matter, where)
    if name_problems or any(p.field in REQUIRED for p in checker.problems if p not in checker.served_anyway):
        # Not served: a bad file name or a broken required field could only be shown wrongly.
        return None, problems
    material = Material(slug=slug, path=where, body=matter.body, body_line=matter.body_line,
                        field_lines=dict(matter.key_lines), item_lines=dict(matter.item_lines), **values)
    return material, problems


def _body_problems(matter: FrontMatter, where: str) -> list[Problem]:
    """Caps on the text itself: reported (a save is refused), while a file already on disk is still served —
    the renderer gives headings past the cap no anchor."""
    problems = []
    size = len(matter.body.encode("utf-8"))
    if size > BODY_MAX_BYTES:
        problems.append(Problem.at(where, f"the text is {size // 1024} KB; at most {BODY_MAX_BYTES // 1024} KB are "
                                          "allowed: split it into several materials", line=matter.body_line,
                                   field="body"))
    if (headings := count_headings(matter.body)) > HEADINGS_MAX:
        problems.append(Problem.at(where, f"the text has {headings} headings; at most {HEADINGS_MAX} are allowed: "
                                          "merge or remove some", line=matter.body_line, field="body"))
    return problems


class _FieldChecker:
    """Checks the front matter field by field, collecting every problem with its line."""

    def __init__(self, matter: FrontMatter, taxonomy: Taxonomy, where: str, today: dt.date):
        self.matter = matter
        self.taxonomy = taxonomy
        self.where = where
        self.today = today
        self.problems: list[Problem] = []
        self.served_anyway: list[Problem] = []  # reported, but the material can still be shown rightly

    def problem(self, name: str, message: str, index: int | None = None) -> None:
        line = self.matter.line_of(name, index) or (self.matter.body_line - 1 if name not in self.matter.data else None)
        self.problems.append(Problem.at(self.where, message, line=line, field=name))

    def check(self) -> dict[str, Any]:
        data = self.matter.data
        for name, line in self.matter.duplicate_keys:
            self.problems.append(Problem.at(self.where, "appears twice; keep one", line=line, field=name))
        for name in data:
            if name not in FIELDS:
                hint = _closest(str(name), FIELDS)
                self.problem(str(name), "unknown field" + (f"; did you mean '{hint}'?" if hint else "")
                             + f" Allowed: {', '.join(FIELDS)}")
        for name in REQUIRED:
            if data.get(name) in (None, "", []):
                self.problem(name, "is required and missing or empty")
        values: dict[str, Any] = {
            "title": self._text("title", *TITLE_RANGE),
            "summary": self._text("summary", 10, SUMMARY_MAX),
            "kind": self._term("kind", "kinds"),
            "status": self._term("status", "statuses"),
            "language": self._term("language", "languages"),
            "topics": self._terms("topics", "topics"),
            "audience": self._terms("audience", "audiences"),
            "authors": self._names("authors"),
            "version": self._version(),
            "updated": self._date("updated"),
            "working_group": self._working_group(),
            **self._review_months(),
            "related": self._related(),
            "replaced_by": self._replaced_by(),
            "questions": self._questions("questions"), "questions_en": self._questions("questions_en"),
            **self._recommendation(),
        }
        if values["kind"] == RECOMMENDATION and values["status"] == "published":
            for name in ("recipients", "signatories"):
                if not values[name] and name not in {p.field for p in self.problems}:
                    self.problem(name, f"a published recommendation needs its {name}; add them")
        return values

    def _recommendation(self) -> dict[str, Any]:
        """recipients, signatories, decision_requested and key_points: only for recommendations."""
        present = [name for name in RECOMMENDATION_FIELDS if self._present(name) is not None]
        if present and self.matter.data.get("kind") != RECOMMENDATION:
            for name in present:
                self.problem(name, "is only for recommendations (kind: recommendation); remove it")
            return {}
        points = self._names("key_points")
        if len(points) > KEY_POINTS_MAX:
            self.problem("key_points", f"has {len(points)} points; keep it to {KEY_POINTS_MAX} at most")
        for index, point in enumerate(points):
            if len(point) > POINT_MAX:
                self.problem("key_points", f"point {index + 1} is {len(point)} characters; keep each under "
                                           f"{POINT_MAX}", index)
        signatories = []
        for index, item in enumerate(self._list("signatories")):
            signatory, wrong = parse_signatory(item, self.today)
            if wrong:
                self.problem("signatories", f"entry {index + 1}: {wrong}", index)
            else:
                signatories.append(signatory)
        decision = self._text("decision_requested", *DECISION_RANGE) if self._present("decision_requested") else None
        return {"recipients": self._names("recipients"), "signatories": tuple(signatories),
                "decision_requested": decision, "key_points": points}

    def _questions(self, name: str) -> tuple[str, ...]:
        """One line of text each, capped in number and length, no repeats (they are shown and searched)."""
        items = self._list(name)
        if len(items) > QUESTIONS_MAX:
            self.problem(name, f"has {len(items)} questions; keep the {QUESTIONS_MAX} readers ask most")
        kept: dict[str, None] = {}
        low, high = QUESTION_RANGE
        for index, item in enumerate(items[:QUESTIONS_MAX]):
            if not isinstance(item, str):
                self.problem(name, f"question {index + 1} must be text, not {type(item).__name__}", index)
                continue
            question = " ".join(item.split())
            if CONTROL_RE.search(question) or EDIT_CONTROL_RE.search(question):  # a YAML escape such as "\a"
                self.problem(name, f"question {index + 1} contains a control character; retype it", index)
            elif not low <= len(question) <= high:
                self.problem(name, f"question {index + 1} is {len(question)} characters; write {low}–{high}", index)
            elif question.casefold() in (k.casefold() for k in kept):
                self.problem(name, f"question {index + 1} repeats an earlier one; remove it", index)
            else:
                kept[question] = None
        return tuple(kept)

    def _present(self, name: str) -> Any:
        value = self.matter.data.get(name)
        return None if value in (None, "", []) else value

    def _text(self, name: str, low: int, high: int) -> str:
        value = self._present(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(name, f"must be text, not {type(value).__name__}")
            return str(value)
        value = " ".join(value.split())
        if not low <= len(value) <= high:
            self.problem(name, f"is {len(value)} characters; write {low}–{high}")
        return value

    def _term(self, name: str, vocabulary: str) -> str:
        value = self._present(name)
        if value is None:
            return ""
        allowed = self.taxonomy.ids(vocabulary)
        if value not in allowed:
            self.problem(name, f"'{value}' is not in the vocabulary; allowed: {', '.join(allowed)}")
        return str(value)

    def _list(self, name: str) -> list[Any]:
        value = self._present(name)
        if value is None:
            return []
        if isinstance(value, str):
            self.problem(name, f"must be a list, e.g. [{value}]")
            return [value]
        if not isinstance(value, list):
            self.problem(name, f"must be a list, not {type(value).__name__}")
            return []
        return value

    def _terms(self, name: str, vocabulary: str) -> tuple[str, ...]:
        allowed = self.taxonomy.ids(vocabulary)
        items = self._list(name)
        for index, item in enumerate(items):
            if item not in allowed:
                hint = _closest(str(item), allowed)
                self.problem(name, f"'{item}' is not in the vocabulary"
                             + (f"; did you mean '{hint}'?" if hint else "")
                             + f" Allowed: {', '.join(allowed)}", index)
        return tuple(str(item) for item in items)

    def _names(self, name: str) -> tuple[str, ...]:
        items = self._list(name)
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.problem(name, "each entry must be a name (text)", index)
        return tuple(str(item).strip() for item in items)

    def _version(self) -> str:
        value = self._present("version")
        if value is None:
            return ""
        if not isinstance(value, str) or not VERSION_RE.match(value):
            self.problem("version", f"'{value}' is not a version; write MAJOR.MINOR.PATCH, e.g. 1.0.0")
        return str(value)

    def _date(self, name: str) -> dt.date:
        value = self._present(name)
        if value is None:
            return dt.date.min
        if isinstance(value, dt.datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.problem(name, f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2026-11-26")
                return dt.date.min
        elif not isinstance(value, dt.date):
            self.problem(name, f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2026-11-26")
            return dt.date.min
        if value > self.today:  # a clock ahead somewhere: reported, and the material stays readable
            self.problem(name, f"{value.isoformat()} is in the future; use the date of the last change")
            self.served_anyway.append(self.problems[-1])
        return value

    def _working_group(self) -> str | None:
        value = self._present("working_group")
        if value is None:
            return None
        if not isinstance(value, str) or not SLUG_RE.match(value):
            self.problem("working_group", f"'{value}' is not a working-group id; use lowercase letters, "
                                          "digits and hyphens, e.g. dataadgang")
        return str(value)

    def _review_months(self) -> dict[str, str | None]:
        """reviewed and review_by: months (YYYY-MM); the next review comes after the last one."""
        months: dict[str, str | None] = {}
        for name in ("reviewed", "review_by"):
            value = self._present(name)
            if value is not None and (not isinstance(value, str) or not MONTH_RE.match(value)):
                self.problem(name, f"'{value}' is not a month; write YYYY-MM, e.g. 2026-12")
                value = None
            months[name] = value
        if months["reviewed"] and months["review_by"] and months["review_by"] <= months["reviewed"]:
            self.problem("review_by", f"{months['review_by']} is not after the review in {months['reviewed']}; "
                                      "give the month of the next review")
        return months

    def _replaced_by(self) -> str | None:
        value = self._present("replaced_by")
        if value is None:
            return None
        if not isinstance(value, str) or not SLUG_RE.match(value):
            self.problem("replaced_by", f"'{value}' is not a slug (the file name of the material that replaces "
                                        "this one, without .md)")
        return str(value)

    def _related(self) -> tuple[str, ...]:
        items = self._list("related")
        for index, item in enumerate(items):
            if not isinstance(item, str) or not SLUG_RE.match(item):
                self.problem("related", f"'{item}' is not a slug (the file name of a material without .md)", index)
        return tuple(str(item) for item in items)


def _closest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return match[0] if match else None
