"""Which questions apply as a person answers: show_if evaluated over partial answers, quietly (a condition
that cannot be evaluated yet hides its question) — what interactive mode asks and a web form shows, and the
answers to hidden questions dropped (a web form without JavaScript shows every question). `describe_condition`
puts a show_if in words for the form's readers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolkit.documents.answers import condition_holds, validate_one
from toolkit.documents.expressions import ExpressionError

if TYPE_CHECKING:
    from toolkit.documents.questions import Form, Question


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
        return condition_holds(expression, names)
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

