"""Reading form.yaml: `parse_form` turns its data into a typed Form (toolkit.documents.questions), or raises an
Invalid listing every problem with its line and field — unknown keys (with the likely one meant), ids, types,
options, defaults, expressions that do not parse, legacy_answers, and conditions that read a question asked later.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.documents.answers import default_problems
from toolkit.documents.expressions import ExpressionError, compile_expression, expression_names
from toolkit.documents.legacyanswers import LegacyAnswer
from toolkit.documents.questions import (
    LIST_ITEMS,
    QUESTION_TYPES,
    Computed,
    Form,
    Localized,
    Option,
    Question,
    Section,
)
from toolkit.errors import Invalid, Problem
from toolkit.library.materials import EDIT_CONTROL_RE, QUESTION_RANGE, QUESTIONS_MAX
from toolkit.yamlfile import LineDict, line_of

QUESTION_KEYS = {"id", "type", "label", "help", "required", "default", "show_if", "min", "max", "pattern",
                 "pattern_message", "min_length", "max_length", "options", "fields", "repeat", "item_label",
                 "used_in_template", "placeholder", "allow_unknown", "items", "integer", "width_mm"}
SECTION_KEYS = {"id", "title", "help", "questions", "show_if"}
FORM_KEYS = {"title", "description", "version", "related", "sections", "computed", "output_name", "document_title",
             "language", "legacy_answers", "asked"}
LEGACY_KEYS = {"when", "set", "assumed", "rename", "remove"}
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")
# Names every expression may use besides the answers.
BUILTIN_NAMES = {"today"}


@dataclass
class _FormReader:
    display: str
    problems: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def problem(self, data: Any, name: str, message: str, key: str | None = None) -> None:
        self.problems.append(Problem.at(self.display, message, line=line_of(data, key), field=name))

    def text(self, data: Any, key: str, where: str, *, required: bool = True) -> Localized | None:
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            if required:
                self.problem(data, where, f"'{key}' is missing")
            return None
        if isinstance(value, str) and value.strip():
            return Localized(value.strip())
        if isinstance(value, Mapping) and isinstance(value.get("da"), str):
            english = value.get("en")
            unknown = set(value) - {"da", "en"}
            if unknown:
                self.problem(value, f"{where}.{key}", f"languages are da and en, not {', '.join(map(str, unknown))}; "
                             "if the text contains a comma, put it in quotes")
            return Localized(value["da"].strip(), english.strip() if isinstance(english, str) else None)
        self.problem(data, f"{where}.{key}", "must be a text, or a mapping with da (and en)", key)
        return None

    def unknown_keys(self, data: Mapping, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                self.problem(data, f"{where}.{key}", "unknown key" + (f"; did you mean '{hint[0]}'?" if hint else
                                                                      f"; allowed: {', '.join(sorted(allowed))}"),
                             str(key))

    def expression(self, data: Mapping, key: str, where: str) -> str | None:
        source = data.get(key)
        if source is None:
            return None
        if not isinstance(source, str | bool):
            self.problem(data, f"{where}.{key}", "must be an expression such as `uses_ai and personal_data`", key)
            return None
        source = str(source).lower() if isinstance(source, bool) else source
        try:
            compile_expression(source)
        except ExpressionError as exc:
            self.problem(data, f"{where}.{key}", str(exc), key)
            return None
        return source

    def question(self, data: Any, where: str, *, in_group: bool = False) -> Question | None:
        if not isinstance(data, Mapping):
            self.problem(data, where, "a question must be a mapping with at least id, type and label")
            return None
        qid = data.get("id")
        if not isinstance(qid, str) or not IDENTIFIER.match(qid):
            self.problem(data, where, f"id '{qid}' must be lowercase letters, digits and _ (starting with a letter)")
            return None
        where = f"{where.rsplit('.', 1)[0]}.{qid}" if in_group else qid
        if not in_group:
            if qid in self.seen:
                self.problem(data, where, "is used by two questions; ids must be unique")
            self.seen.add(qid)
        self.unknown_keys(data, QUESTION_KEYS, where)
        qtype = data.get("type", "text")
        if qtype not in QUESTION_TYPES:
            hint = difflib.get_close_matches(str(qtype), QUESTION_TYPES, n=1)
            self.problem(data, where, f"unknown type '{qtype}'" + (f"; did you mean '{hint[0]}'?" if hint else
                                                                   f"; types: {', '.join(QUESTION_TYPES)}"), "type")
            return None
        label = self.text(data, "label", where) or Localized(qid)
        options = self.options(data, where) if qtype in ("choice", "multichoice") else ()
        fields: tuple[Question, ...] = ()
        if qtype == "group":
            raw_fields = data.get("fields")
            if not isinstance(raw_fields, list) or not raw_fields:
                self.problem(data, where, "a group needs a list of fields")
            else:
                parsed = [self.question(f, f"{where}.field", in_group=True) for f in raw_fields]
                fields = tuple(f for f in parsed if f is not None)
                ids = [f.id for f in fields]
                for dup in {i for i in ids if ids.count(i) > 1}:
                    self.problem(data, f"{where}.{dup}", "is used by two fields of the group")
        items = self.list_items(data, qtype, where)
        for key in ("required", "repeat", "used_in_template", "allow_unknown", "integer"):
            if key in data and not isinstance(data[key], bool):
                self.problem(data, f"{where}.{key}", "must be true or false", key)
        pattern = data.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except re.error as exc:
                self.problem(data, f"{where}.pattern", f"is not a valid regular expression: {exc}", "pattern")
                pattern = None
        question = Question(
            id=qid, type=qtype, label=label, help=self.text(data, "help", where, required=False),
            required=data.get("required") is True, default=data.get("default"),
            show_if=self.expression(data, "show_if", where), min=data.get("min"), max=data.get("max"),
            pattern=str(pattern) if pattern is not None else None,
            pattern_message=str(message) if (message := self.text(data, "pattern_message", where,
                                                                  required=False)) else None,
            min_length=data.get("min_length"), max_length=data.get("max_length"), options=options, fields=fields,
            repeat=data.get("repeat", True) is not False, item_label=self.text(data, "item_label", where,
                                                                                required=False),
            used_in_template=data.get("used_in_template", True) is not False,
            placeholder=data.get("placeholder"), allow_unknown=data.get("allow_unknown") is True,
            items=items, integer=data.get("integer") is True, width_mm=self.width(data, qtype, where),
            line=line_of(data),
        )
        if question.integer and not (qtype == "number" or (qtype == "list" and items == "number")):
            self.problem(data, f"{where}.integer", "only a number (or a list of numbers) can be integer", "integer")
        self.check_limits(question, data, where)
        if question.allow_unknown and qtype != "boolean":
            self.problem(data, f"{where}.allow_unknown", "only a yes/no question (type boolean) offers 'ved ikke'",
                         "allow_unknown")
        self.check_default(question, data, where)
        return question

    def list_items(self, data: Mapping, qtype: str, where: str) -> str:
        """What a list question holds (text unless `items: number`); `items` belongs to lists only."""
        items = data.get("items")
        if items is None:
            return "text"
        if qtype != "list":
            self.problem(data, f"{where}.items", "only a list question has items; use type: list", "items")
        elif items not in LIST_ITEMS:
            self.problem(data, f"{where}.items", f"items must be one of {', '.join(LIST_ITEMS)}, not '{items}'",
                         "items")
        return items if items in LIST_ITEMS else "text"

    def width(self, data: Mapping, qtype: str, where: str) -> float | None:
        """An image's width in millimetres (5 to 170: an A4 page's text width)."""
        width = data.get("width_mm")
        if width is None:
            return None
        if qtype != "image":
            self.problem(data, f"{where}.width_mm", "only an image question has a width", "width_mm")
        elif not isinstance(width, int | float) or isinstance(width, bool) or not 5 <= width <= 170:
            self.problem(data, f"{where}.width_mm", f"width_mm must be a number of millimetres from 5 to 170, not "
                                                    f"'{width}'", "width_mm")
        else:
            return float(width)
        return None

    def check_limits(self, question: Question, data: Mapping, where: str) -> None:
        """min/max are numbers for a number, counts for lists, choices and groups (dates are checked as defaults)."""
        counted = question.type in ("list", "multichoice", "group")
        if question.type != "number" and not counted:
            return
        limits = {}
        for key in ("min", "max"):
            value = data.get(key)
            if value is None:
                continue
            if counted and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                self.problem(data, f"{where}.{key}", f"{key} counts the entries: a whole number 0 or more", key)
            elif not counted and (not isinstance(value, int | float) or isinstance(value, bool)):
                self.problem(data, f"{where}.{key}", f"{key} must be a number, not '{value}'", key)
            elif not counted and question.integer and not float(value).is_integer():
                self.problem(data, f"{where}.{key}", f"{key} must be a whole number (the question is integer)", key)
            else:
                limits[key] = value
        if len(limits) == 2 and limits["min"] > limits["max"]:
            self.problem(data, f"{where}.min", f"min ({limits['min']}) is larger than max ({limits['max']})", "min")

    def options(self, data: Mapping, where: str) -> tuple[Option, ...]:
        raw = data.get("options")
        if not isinstance(raw, list) or not raw:
            self.problem(data, where, "a choice question needs a list of options")
            return ()
        options = []
        for item in raw:
            if isinstance(item, Mapping) and "value" in item:
                label = self.text(item, "label", f"{where}.options", required=False)
                options.append(Option(str(item["value"]), label or Localized(str(item["value"]))))
            elif isinstance(item, str | int | float) and not isinstance(item, bool):
                options.append(Option(str(item), Localized(str(item))))
            else:
                self.problem(data, f"{where}.options", "each option is a value or a mapping with value and label")
        values = [o.value for o in options]
        for dup in {v for v in values if values.count(v) > 1}:
            self.problem(data, f"{where}.options", f"'{dup}' is listed twice")
        return tuple(options)

    def check_default(self, question: Question, data: Mapping, where: str) -> None:
        if question.default is None:
            return
        for problem in default_problems(question, question.default, where):
            self.problem(data, where, f"default {problem.message}", "default")


def parse_form(data: Any, display: str) -> Form:
    """Build a Form from form.yaml's data; Invalid lists every problem with its line."""
    reader = _FormReader(display)
    if not isinstance(data, LineDict | Mapping):
        raise Invalid(f"{display} must be a mapping", [Problem.at(display, "start with title:, description: "
                                                                            "and sections:")])
    reader.unknown_keys(data, FORM_KEYS, "form")
    title = reader.text(data, "title", "form") or Localized(display)
    description = reader.text(data, "description", "form") or Localized("")
    version = str(data.get("version", ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        reader.problem(data, "version", f"'{version}' must be a version like 1.0.0", "version")
    related = data.get("related") or []
    if not isinstance(related, list) or not all(isinstance(s, str) for s in related):
        reader.problem(data, "related", "must be a list of material slugs", "related")
        related = []
    sections = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        reader.problem(data, "sections", "needs a list of sections, each with id, title and questions")
        raw_sections = []
    for raw in raw_sections:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            reader.problem(raw, "sections", "each section is a mapping with id, title and questions")
            continue
        where = f"sections.{raw['id']}"
        reader.unknown_keys(raw, SECTION_KEYS, where)
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            reader.problem(raw, where, "needs a list of questions")
            raw_questions = []
        questions = tuple(q for q in (reader.question(item, where) for item in raw_questions) if q is not None)
        sections.append(Section(raw["id"], reader.text(raw, "title", where) or Localized(raw["id"]), questions,
                                reader.text(raw, "help", where, required=False),
                                reader.expression(raw, "show_if", where)))
    computed = []
    for raw in data.get("computed") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("value"),
                                                                                                str):
            reader.problem(raw, "computed", "each computed value is a mapping with id and value (an expression)")
            continue
        source = reader.expression(raw, "value", f"computed.{raw['id']}")
        if source is not None:
            computed.append(Computed(raw["id"], source, line_of(raw)))
    for key in ("output_name", "document_title"):
        if key in data and not isinstance(data[key], str):
            reader.problem(data, key, "must be a text, e.g. \"Referat {{ meeting_title }}\"", key)
    form = Form(display, title, description, version, tuple(sections), tuple(related), tuple(computed),
                data.get("output_name"), data.get("document_title"), _legacy_answers(reader, data),
                *_asked(reader, data))
    reader.problems.extend(_check_references(form, display))
    if reader.problems:
        raise Invalid(f"{display} has {len(reader.problems)} problem(s)", reader.problems)
    return form


def _asked(reader: _FormReader, data: Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`asked: {da: [...], en: [...]}`: one line each, the caps of a material's questions, no repeats."""
    raw = data.get("asked")
    if raw is None:
        return (), ()
    if not isinstance(raw, Mapping) or set(raw) - {"da", "en"}:
        reader.problem(data, "asked", "must be a mapping with da: and en: lists of what readers ask", "asked")
        return (), ()
    found = []
    for language in ("da", "en"):
        items = raw.get(language) or []
        if not isinstance(items, list) or len(items) > QUESTIONS_MAX:
            reader.problem(raw, f"asked.{language}", f"must be a list of at most {QUESTIONS_MAX} texts", language)
            items = []
        kept: dict[str, None] = {}
        low, high = QUESTION_RANGE
        for number, item in enumerate(items, 1):
            text = " ".join(item.split()) if isinstance(item, str) else ""
            if not isinstance(item, str) or EDIT_CONTROL_RE.search(text):
                wrong = "must be one line of plain text"
            elif not low <= len(text) <= high:
                wrong = f"is {len(text)} characters; write {low}–{high}"
            elif text.casefold() in map(str.casefold, kept):
                wrong = "repeats an earlier one; remove it"
            else:
                kept[text] = None
                continue
            reader.problem(raw, f"asked.{language}", f"entry {number} {wrong}", language)
        found.append(tuple(kept))
    return found[0], found[1]


def _legacy_answers(reader: _FormReader, data: Mapping) -> tuple[LegacyAnswer, ...]:
    rules = []
    for raw in data.get("legacy_answers") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("when"), str):
            reader.problem(raw, "legacy_answers", "each entry is a mapping with when (an expression over the answers "
                                                  "as given) and set, rename or remove")
            continue
        reader.unknown_keys(raw, LEGACY_KEYS, "legacy_answers")
        when = reader.expression(raw, "when", "legacy_answers")
        set_ = raw.get("set") or {}
        rename = raw.get("rename") or {}
        remove = raw.get("remove") or []
        if not isinstance(set_, Mapping) or not isinstance(rename, Mapping) or not isinstance(remove, list):
            reader.problem(raw, "legacy_answers", "set and rename are mappings, remove is a list")
            continue
        if when is not None:
            rules.append(LegacyAnswer(when, tuple(set_.items()), raw.get("assumed") is True,
                                      tuple((str(k), str(v)) for k, v in rename.items()),
                                      tuple(str(key) for key in remove), line_of(raw)))
    return tuple(rules)


def _check_references(form: Form, display: str) -> list[Problem]:
    """show_if may only read questions asked before it (or fields before it in the same group)."""
    problems = []
    asked: set[str] = set(BUILTIN_NAMES)
    every = set(form.ids)
    for section in form.sections:
        for source, where, line in [(section.show_if, f"sections.{section.id}.show_if", None)]:
            problems.extend(_reference_problems(source, asked, every, where, line, display))
        for question in section.questions:
            problems.extend(_reference_problems(question.show_if, asked, every, f"{question.id}.show_if",
                                                question.line, display))
            if question.is_group:
                inner = set(asked)
                for sub in question.fields:
                    problems.extend(_reference_problems(sub.show_if, inner, every | {f.id for f in question.fields},
                                                        f"{question.id}.{sub.id}.show_if", sub.line, display))
                    inner.add(sub.id)
            asked.add(question.id)
    defined = set(asked)
    for value in form.computed:
        problems.extend(_reference_problems(value.value, defined, defined, f"computed.{value.id}", value.line,
                                            display))
        defined.add(value.id)
    return problems


def _reference_problems(source: str | None, asked: set[str], every: set[str], where: str, line: int | None,
                        display: str) -> list[Problem]:
    if source is None:
        return []
    problems = []
    for name in sorted(expression_names(source) - asked):
        if name in every:
            message = f"reads '{name}', which is asked later; conditions may only use earlier answers"
        else:
            hint = difflib.get_close_matches(name, sorted(every), n=1)
            message = f"reads '{name}', which is not a question" + (f"; did you mean '{hint[0]}'?" if hint else "")
        problems.append(Problem.at(display, message, line=line, field=where))
    return problems
