"""Questionnaires (form.yaml): question types, sections, repeatable groups, show_if, validation of answers.

`parse_form` turns form.yaml into a typed `Form` (or an `Invalid` listing every problem with its line);
`Form.validate(raw)` returns the clean answers or raises `Invalid` with every problem at once, named by
field (`members[2].name`). Conditions are evaluated in Jinja's sandbox (see toolkit.documents.sandbox).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.documents.sandbox import ExpressionError, compile_expression, evaluate, expression_names
from toolkit.errors import Invalid, Problem
from toolkit.yamlfile import LineDict, line_of

QUESTION_TYPES = ("text", "textarea", "number", "date", "boolean", "choice", "multichoice", "group")
QUESTION_KEYS = {"id", "type", "label", "help", "required", "default", "show_if", "min", "max", "pattern",
                 "pattern_message", "min_length", "max_length", "options", "fields", "repeat", "item_label",
                 "used_in_template", "placeholder", "allow_unknown"}
SECTION_KEYS = {"id", "title", "help", "questions", "show_if"}
FORM_KEYS = {"title", "description", "version", "related", "sections", "computed", "output_name", "document_title",
             "language", "legacy_answers"}
LEGACY_KEYS = {"when", "set", "assumed", "rename", "remove"}
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")
TRUE_WORDS = {"true", "yes", "ja", "on", "1", "y", "j"}
FALSE_WORDS = {"false", "no", "nej", "off", "0", "n"}
UNKNOWN_WORDS = {"ved ikke", "ved-ikke", "vedikke", "unknown", "don't know", "dont-know", "?"}
# Names every expression may use besides the answers.
BUILTIN_NAMES = {"today"}


@dataclass(frozen=True)
class Localized:
    """A text in Danish and (optionally) English; `get(lang)` falls back to Danish."""

    da: str
    en: str | None = None

    def get(self, lang: str = "da") -> str:
        return (self.en or self.da) if lang == "en" else self.da

    def __str__(self) -> str:
        return self.da


@dataclass(frozen=True)
class Option:
    value: str
    label: Localized


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Localized
    help: Localized | None = None
    required: bool = False
    default: Any = None
    show_if: str | None = None
    min: Any = None
    max: Any = None
    pattern: str | None = None
    pattern_message: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    options: tuple[Option, ...] = ()
    fields: tuple[Question, ...] = ()
    repeat: bool = True
    item_label: Localized | None = None
    used_in_template: bool = True
    placeholder: str | None = None
    allow_unknown: bool = False  # a yes/no question that may be answered "ved ikke" (kept as unanswered)
    line: int | None = None

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def option_label(self, value: Any, lang: str = "da") -> str:
        for option in self.options:
            if option.value == value:
                return option.label.get(lang)
        return "" if value is None else str(value)

    def empty_value(self) -> Any:
        """What a template sees for a question that was not answered or does not apply."""
        if self.type == "multichoice" or (self.is_group and self.repeat):
            return []
        if self.is_group:
            return {f.id: f.empty_value() for f in self.fields}
        return None  # a yes/no left unanswered is None, never "no"


@dataclass(frozen=True)
class Section:
    id: str
    title: Localized
    questions: tuple[Question, ...]
    help: Localized | None = None
    show_if: str | None = None


@dataclass(frozen=True)
class Computed:
    """A value derived from the answers by a sandboxed expression (form.yaml `computed`)."""

    id: str
    value: str
    line: int | None = None


@dataclass(frozen=True)
class LegacyAnswer:
    """How answers written for an earlier version of a form are read (form.yaml `legacy_answers`): when `when`
    holds for the answers as given, `rename` old keys, `set` answers that are not given (those an earlier
    version took for granted are marked `assumed`, and the document names them), and `remove` old keys."""

    when: str
    set: tuple[tuple[str, Any], ...] = ()
    assumed: bool = False
    rename: tuple[tuple[str, str], ...] = ()
    remove: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Upgraded:
    answers: dict[str, Any]
    assumed: tuple[str, ...]  # question ids answered by a legacy rule, not by the person


@dataclass(frozen=True)
class Form:
    path: str
    title: Localized
    description: Localized
    version: str
    sections: tuple[Section, ...]
    related: tuple[str, ...] = ()
    computed: tuple[Computed, ...] = ()
    output_name: str | None = None
    document_title: str | None = None
    legacy: tuple[LegacyAnswer, ...] = ()

    def questions(self) -> Iterator[Question]:
        """Top-level questions in order (group fields are inside their group)."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions() if q.id == question_id)

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions()]

    def validate(self, raw: Mapping[str, Any] | None, *, today: dt.date | None = None,
                 upgraded: bool = False) -> dict[str, Any]:
        """Clean answers for every question (empty values where not applicable) or Invalid with every problem.
        Answers of an earlier version of the form are read as this one reads them, unless already `upgraded`."""
        raw = raw or {}
        return _Validator(self, today or dt.date.today()).run(raw if upgraded else self.upgrade(raw).answers)

    def upgrade(self, raw: Mapping[str, Any]) -> Upgraded:
        """Answers written for an earlier version of the form, read as this version reads them (legacy_answers):
        every rule is decided on the answers as given, then applied in order; an answer given is never replaced."""
        if not self.legacy or not isinstance(raw, Mapping):
            return Upgraded(dict(raw) if isinstance(raw, Mapping) else raw, ())
        given = dict(raw)
        chosen = [rule for rule in self.legacy if _legacy_applies(rule.when, given)]
        answers, assumed = dict(given), []
        for rule in chosen:
            for old, new in rule.rename:
                if old in answers and new not in answers:
                    answers[new] = answers.pop(old)
            for key, value in rule.set:
                if key not in answers:
                    answers[key] = value
                    if rule.assumed:
                        assumed.append(key)
            for key in rule.remove:
                answers.pop(key, None)
        return Upgraded(answers, tuple(assumed))

    def applicable(self, answers: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, bool]:
        """Which top-level questions apply given (partial) answers — for interactive mode and the web form."""
        return applicability(self, answers, today=today)


def validate_one(question: Question, value: Any, names: Mapping[str, Any], *,
                 today: dt.date | None = None) -> tuple[Any, list[Problem]]:
    """Check one answer (interactive mode asks again until it is right); returns the clean value and problems."""
    validator = _Validator(Form("answers", Localized(""), Localized(""), "0", ()), today or dt.date.today())
    clean = validator.question(question, value, names, question.id, applies=True)
    return clean, validator.problems


def drop_inapplicable(form: Form, raw: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """The answers without those to questions whose condition is false (a web form without JavaScript
    shows every question, so answers to hidden ones are dropped rather than refused)."""
    return _walk(form, raw, today or dt.date.today())[0]


def applicability(form: Form, raw: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, bool]:
    """Which top-level questions apply to (partial, raw) answers: what a web form shows as you answer."""
    return _walk(form, raw, today or dt.date.today())[1]


def _walk(form: Form, raw: Mapping[str, Any], today: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    names: dict[str, Any] = {"today": today, **{q.id: q.empty_value() for q in form.questions()}}
    kept: dict[str, Any] = {}
    applies: dict[str, bool] = {}
    for section in form.sections:
        section_on = _quiet_condition(section.show_if, names)
        for question in section.questions:
            applies[question.id] = section_on and _quiet_condition(question.show_if, names)
            if not applies[question.id] or question.id not in raw:
                continue
            value = raw[question.id]
            if question.is_group and question.repeat and isinstance(value, list):
                value = [_drop_in_record(question, record, names, today) if isinstance(record, Mapping) else record
                         for record in value]
            elif question.is_group and isinstance(value, Mapping):
                value = _drop_in_record(question, value, names, today)
            kept[question.id] = value
            names[question.id], _ = validate_one(question, value, names, today=today)
    return kept, applies


def _drop_in_record(group: Question, record: Mapping[str, Any], names: Mapping[str, Any],
                    today: dt.date) -> dict[str, Any]:
    scope = {**names, **{f.id: f.empty_value() for f in group.fields}}
    kept = {}
    for field_ in group.fields:
        if field_.id in record and _quiet_condition(field_.show_if, scope):
            kept[field_.id] = record[field_.id]
            scope[field_.id], _ = validate_one(field_, record[field_.id], scope, today=today)
    return kept


def _quiet_condition(expression: str | None, names: Mapping[str, Any]) -> bool:
    try:
        return _condition(expression, names)
    except ExpressionError:
        return False


def describe_condition(form: Form, expression: str | None, lang: str = "da") -> str | None:
    """A condition in words for the simple shapes forms use (`x`, `not x`, `x == 'v'`), else a general note."""
    if not expression:
        return None
    questions = {q.id: q for q in form.questions()}
    yes, no = ("Ja", "Nej") if lang == "da" else ("Yes", "No")
    text = expression.strip()
    if match := re.fullmatch(r"(not\s+)?([a-z][a-z0-9_]*)", text):
        question = questions.get(match.group(2))
        if question is not None:
            answer = no if match.group(1) else yes
            return (f"Besvares, hvis »{question.label.get(lang)}« er {answer}" if lang == "da"
                    else f"Answer if “{question.label.get(lang)}” is {answer}")
    if match := re.fullmatch(r"([a-z][a-z0-9_]*)\s*==\s*'([^']*)'", text):
        question = questions.get(match.group(1))
        if question is not None:
            value = question.option_label(match.group(2), lang)
            return (f"Besvares, hvis »{question.label.get(lang)}« er »{value}«" if lang == "da"
                    else f"Answer if “{question.label.get(lang)}” is “{value}”")
    return "Besvares kun, når tidligere svar gør spørgsmålet relevant" if lang == "da" \
        else "Answer only when earlier answers make it relevant"


def _condition(expression: str | None, names: Mapping[str, Any]) -> bool:
    return True if expression is None else bool(evaluate(expression, names))


# --- validating answers ---------------------------------------------------------------------------------------

def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple | dict) and len(value) == 0)


class _Validator:
    def __init__(self, form: Form, today: dt.date):
        self.form = form
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem.at("answers", message, field=name))

    def run(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise Invalid("the answers must be a mapping of question ids to answers",
                          [Problem.at("answers", "write one 'question_id: answer' per line")])
        known = set(self.form.ids)
        for key in raw:
            if str(key) not in known:
                hint = difflib.get_close_matches(str(key), sorted(known), n=1)
                self.problem(str(key), "no such question" + (f"; did you mean '{hint[0]}'?" if hint else
                                                              "; see `netkit templates show` for the questions"))
        names: dict[str, Any] = {"today": self.today, **{q.id: q.empty_value() for q in self.form.questions()}}
        clean: dict[str, Any] = {}
        for section in self.form.sections:
            section_on = self._applies(section.show_if, names, f"section {section.id}")
            for question in section.questions:
                value = self.question(question, raw.get(question.id), names, question.id,
                                      applies=section_on and self._applies(question.show_if, names, question.id))
                clean[question.id] = value
                names[question.id] = value
        if self.problems:
            raise Invalid(f"{len(self.problems)} problem(s) with the answers", self.problems)
        return clean

    def _applies(self, expression: str | None, names: Mapping[str, Any], where: str) -> bool:
        try:
            return _condition(expression, names)
        except ExpressionError as exc:
            self.problem(where, f"show_if cannot be evaluated: {exc}")
            return False

    def question(self, question: Question, value: Any, names: Mapping[str, Any], name: str, *,
                 applies: bool) -> Any:
        if not applies:
            if not is_empty(value) and value is not False:
                reason = f" (shown only if {question.show_if})" if question.show_if else ""
                self.problem(name, f"does not apply to these answers{reason}; remove it")
            return question.empty_value()
        if is_empty(value):
            if question.default is not None:
                value = question.default
            elif question.required:
                self.problem(name, "is required")
                return question.empty_value()
            else:
                return question.empty_value()
        checker = getattr(self, f"_{question.type}")
        return checker(question, value, names, name)

    # One method per question type; each returns the clean value (or the empty value after a problem).

    def _text(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        if isinstance(value, bool | list | dict):
            self.problem(name, "must be text")
            return None
        text = str(value).strip() if q.type == "text" else str(value).rstrip()
        if q.min_length is not None and len(text) < q.min_length:
            self.problem(name, f"must be at least {q.min_length} characters")
        if q.max_length is not None and len(text) > q.max_length:
            self.problem(name, f"must be at most {q.max_length} characters (it is {len(text)})")
        if q.pattern and not re.fullmatch(q.pattern, text):
            self.problem(name, q.pattern_message or f"must match the pattern {q.pattern}")
        return text

    _textarea = _text

    def _number(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        number = parse_number(value)
        if number is None:
            self.problem(name, f"must be a number, not '{value}'")
            return None
        if q.min is not None and number < q.min:
            self.problem(name, f"must be at least {q.min}")
        if q.max is not None and number > q.max:
            self.problem(name, f"must be at most {q.max}")
        return number

    def _date(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        day = parse_date(value)
        if day is None:
            self.problem(name, f"must be a date written YYYY-MM-DD, not '{value}'")
            return None
        if q.min is not None and day < parse_date(q.min):
            self.problem(name, f"must be on or after {q.min}")
        if q.max is not None and day > parse_date(q.max):
            self.problem(name, f"must be on or before {q.max}")
        return day

    def _boolean(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        flag = parse_boolean(value)
        if flag is None and is_unknown_answer(value):
            if q.allow_unknown:
                return None  # "ved ikke": unanswered, and so undecided — never "no"
            self.problem(name, "must be yes or no; 'ved ikke' is not an answer to this question")
            return None
        if flag is None:
            self.problem(name, f"must be yes or no (true/false), not '{value}'")
        return flag

    def _choice(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        allowed = [o.value for o in q.options]
        if isinstance(value, list | dict) or str(value) not in allowed:
            self.problem(name, f"'{value}' is not one of the choices: {', '.join(allowed)}")
            return None
        return str(value)

    def _multichoice(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        values = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
        if not isinstance(values, list):
            self.problem(name, "must be a list of choices")
            return []
        allowed = [o.value for o in q.options]
        wrong = [str(v) for v in values if str(v) not in allowed]
        if wrong:
            self.problem(name, f"{', '.join(wrong)}: not among the choices: {', '.join(allowed)}")
        chosen = [str(v) for v in values if str(v) in allowed]
        self._count(q, len(chosen), name, "choices")
        return [v for v in allowed if v in chosen]  # in the form's order, without duplicates

    def _group(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        if not q.repeat:
            if not isinstance(value, Mapping):
                self.problem(name, "must be a set of fields (a mapping)")
                return q.empty_value()
            return self._record(q, value, names, name)
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            self.problem(name, "must be a list of entries")
            return []
        self._count(q, len(value), name, "entries")
        records = []
        for index, record in enumerate(value, start=1):
            if not isinstance(record, Mapping):
                self.problem(f"{name}[{index}]", "must be a set of fields (a mapping)")
                continue
            records.append(self._record(q, record, names, f"{name}[{index}]"))
        return records

    def _record(self, q: Question, record: Mapping[str, Any], names: Mapping[str, Any], name: str) -> dict:
        known = {f.id for f in q.fields}
        for key in record:
            if str(key) not in known:
                hint = difflib.get_close_matches(str(key), sorted(known), n=1)
                self.problem(f"{name}.{key}", "no such field" + (f"; did you mean '{hint[0]}'?" if hint else ""))
        scope = {**names, **{f.id: f.empty_value() for f in q.fields}}
        clean: dict[str, Any] = {}
        for sub in q.fields:
            applies = self._applies(sub.show_if, scope, f"{name}.{sub.id}")
            clean[sub.id] = self.question(sub, record.get(sub.id), scope, f"{name}.{sub.id}", applies=applies)
            scope[sub.id] = clean[sub.id]
        return clean

    def _count(self, q: Question, count: int, name: str, what: str) -> None:
        if q.min is not None and count < q.min:
            self.problem(name, f"needs at least {q.min} {what}")
        if q.max is not None and count > q.max:
            self.problem(name, f"allows at most {q.max} {what}")


def parse_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # Danish: 28.000 and 1.234,5
            text = text.replace(".", "").replace(",", ".")
            return int(text) if "." not in text else float(text)
        text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        try:
            number = float(text)
        except ValueError:
            return None
        return number if number == number and abs(number) != float("inf") else None
    return None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_unknown_answer(value: Any) -> bool:
    """The answer "ved ikke" (don't know), in its spellings."""
    return isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS


def _legacy_applies(when: str, given: Mapping[str, Any]) -> bool:
    """Whether a legacy rule's condition holds for the answers as given (a name not given makes it false)."""
    try:
        return bool(evaluate(when, given))
    except ExpressionError:
        return False


def parse_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
        return False
    return None


# --- reading form.yaml ------------------------------------------------------------------------------------------

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
        for key in ("required", "repeat", "used_in_template", "allow_unknown"):
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
            line=line_of(data),
        )
        if question.allow_unknown and qtype != "boolean":
            self.problem(data, f"{where}.allow_unknown", "only a yes/no question (type boolean) offers 'ved ikke'",
                         "allow_unknown")
        self.check_default(question, data, where)
        return question

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
        probe = _Validator(Form(self.display, Localized(""), Localized(""), "0", ()), dt.date.today())
        checker = getattr(probe, f"_{question.type}")
        checker(question, question.default, {}, where)
        for problem in probe.problems:
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
                data.get("output_name"), data.get("document_title"), _legacy_answers(reader, data))
    reader.problems.extend(_check_references(form, display))
    if reader.problems:
        raise Invalid(f"{display} has {len(reader.problems)} problem(s)", reader.problems)
    return form


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
