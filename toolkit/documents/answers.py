"""Answers to a questionnaire, checked and cleaned: every problem at once, named by field (`members[2].name`).

`validate_answers` checks all the answers to a Form (or raises Invalid listing every problem), `validate_one` one
answer (interactive mode asks again until it is right), `default_problems` a default in form.yaml. Answers are read
the way people write them: Danish numbers (28.000 and 1.234,5), ISO dates, ja/nej, and "ved ikke" where a yes/no
question allows it (kept as unanswered, never "no"). Conditions are evaluated in the sandbox
(toolkit.documents.expressions).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolkit.documents.expressions import ExpressionError, evaluate
from toolkit.documents.images import read_image
from toolkit.errors import Invalid, Problem

if TYPE_CHECKING:
    from toolkit.documents.questions import Form, Question

TRUE_WORDS = {"true", "yes", "ja", "on", "1", "y", "j"}
FALSE_WORDS = {"false", "no", "nej", "off", "0", "n"}
UNKNOWN_WORDS = {"ved ikke", "ved-ikke", "vedikke", "unknown", "don't know", "dont-know", "?"}
# Characters a Word document (XML 1.0) cannot hold; docxtpl's recovering parser would drop text around them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def validate_answers(form: Form, raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Clean answers for every question of `form` (empty values where not applicable) or Invalid with every
    problem."""
    return _Validator(today).run(form, raw)


def validate_one(question: Question, value: Any, names: Mapping[str, Any], *,
                 today: dt.date | None = None) -> tuple[Any, list[Problem]]:
    """Check one answer (interactive mode asks again until it is right); returns the clean value and problems."""
    validator = _Validator(today or dt.date.today())
    clean = validator.question(question, value, names, question.id, applies=True)
    return clean, validator.problems


def default_problems(question: Question, value: Any, name: str) -> list[Problem]:
    """What is wrong with `value` as an answer of the question's type (form.yaml's `default`), named `name`."""
    probe = _Validator(dt.date.today())
    checker = getattr(probe, f"_{question.type}")
    checker(question, value, {}, name)
    return probe.problems


def condition_holds(expression: str | None, names: Mapping[str, Any]) -> bool:
    """Whether a show_if holds for `names` (no condition always holds); ExpressionError if it cannot be evaluated."""
    return True if expression is None else bool(evaluate(expression, names))


def _control_message(character: str) -> str:
    return f"contains a control character (U+{ord(character):04X}) that a Word document cannot hold; remove it"


def _deliberate_blank(question: Question, value: Any) -> bool:
    """An optional text answered with only spaces or newlines (e.g. room for a signature): kept as given."""
    return (question.type in ("text", "textarea") and isinstance(value, str) and value != "" and not value.strip()
            and not question.required and question.default is None)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple | dict) and len(value) == 0)


class _Validator:
    def __init__(self, today: dt.date):
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem.at("answers", message, field=name))

    def run(self, form: Form, raw: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise Invalid("the answers must be a mapping of question ids to answers",
                          [Problem.at("answers", "write one 'question_id: answer' per line")])
        known = set(form.ids)
        for key in raw:
            if str(key) not in known:
                hint = difflib.get_close_matches(str(key), sorted(known), n=1)
                self.problem(str(key), "no such question" + (f"; did you mean '{hint[0]}'?" if hint else
                                                              "; see `netkit templates show` for the questions"))
        names: dict[str, Any] = {"today": self.today, **{q.id: q.empty_value() for q in form.questions()}}
        clean: dict[str, Any] = {}
        for section in form.sections:
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
            return condition_holds(expression, names)
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
        bad = CONTROL.search(value) if isinstance(value, str) and question.type != "list" else None
        if bad:  # checked before any stripping: Python counts \x0b and \x1c–\x1f as whitespace
            self.problem(name, _control_message(bad.group()))
            return question.empty_value()
        if _deliberate_blank(question, value):
            return self._text(question, value, names, name)  # an optional answer of only spaces/newlines is kept
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
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")  # browsers post CRLF; Word would break twice
        if text.strip():
            # Trailing whitespace is invisible (editors and browsers add it); leading newlines and indentation are
            # layout. A one-line text loses the spaces a web input catches by accident, not deliberate newlines.
            text = text.rstrip().lstrip(" \t") if q.type == "text" else text.rstrip()
        return self._check_text(q, text, name)

    def _check_text(self, q: Question, text: str, name: str, entry: str = "") -> str:
        """Limits, pattern and characters of one text (`entry` names the line of a list)."""
        bad = CONTROL.search(text)
        if bad:
            self.problem(name, entry + _control_message(bad.group()))
            return text
        if q.min_length is not None and len(text) < q.min_length:
            self.problem(name, f"{entry}must be at least {q.min_length} characters")
        if q.max_length is not None and len(text) > q.max_length:
            self.problem(name, f"{entry}must be at most {q.max_length} characters (it is {len(text)})")
        if q.pattern and not re.fullmatch(q.pattern, text):
            self.problem(name, entry + (q.pattern_message or f"must match the pattern {q.pattern}"))
        return text

    _textarea = _text

    def _number(self, q: Question, value: Any, names: Mapping[str, Any], name: str, entry: str = "") -> Any:
        number = parse_number(value)
        if number is None:
            self.problem(name, f"{entry}must be a number, not '{value}'")
            return None
        if q.integer:
            if not float(number).is_integer():
                self.problem(name, f"{entry}must be a whole number, not '{value}'")
                return None
            number = int(number)  # 2,0 is the whole number 2: the template sees an int
        if q.type == "number" and q.min is not None and number < q.min:
            self.problem(name, f"{entry}must be at least {q.min}")
        if q.type == "number" and q.max is not None and number > q.max:
            self.problem(name, f"{entry}must be at most {q.max}")
        return number

    def _image(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        image, problem = read_image(value, q.width_mm)
        if problem:
            self.problem(name, problem)
        return image

    def _list(self, q: Question, value: Any, names: Mapping[str, Any], name: str) -> Any:
        """Plain values, one per line when written as text; empty lines are not entries. min/max count them."""
        values = value.replace("\r\n", "\n").split("\n") if isinstance(value, str) else value
        if not isinstance(values, list | tuple):
            self.problem(name, "must be a list of values (one per line)")
            return []
        clean = []
        for index, item in enumerate(values, start=1):
            entry = f"entry {index}: "
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            if isinstance(item, bool | list | dict):
                self.problem(name, entry + ("must be a number" if q.items == "number" else "must be text"))
            elif q.items == "number":
                number = self._number(q, item, names, name, entry)
                if number is not None:
                    clean.append(number)
            elif isinstance(item, str) and CONTROL.search(item):
                self.problem(name, entry + _control_message(CONTROL.search(item).group()))
            else:
                clean.append(self._check_text(q, str(item).strip(), name, entry))
        self._count(q, len(clean), name, "entries")
        return clean

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


# --- values as people write them --------------------------------------------------------------------------------

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


def parse_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
        return False
    return None

