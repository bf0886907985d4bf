"""The questionnaire of a Word template (form.yaml) as typed values: a Form of Sections of Questions.

A Question has one of QUESTION_TYPES (a group holds fields, asked once or repeated; a list holds plain texts or
numbers), options for a choice, limits,
a default and a show_if condition. The form is read from form.yaml by toolkit.documents.formfile; answers are
checked by toolkit.documents.answers, read from an earlier version of the form by
toolkit.documents.legacyanswers, and shown or hidden as a person answers by toolkit.documents.applicability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.documents.answers import validate_answers
from toolkit.documents.applicability import applicability
from toolkit.documents.legacyanswers import LegacyAnswer, Upgraded, upgrade_answers

QUESTION_TYPES = ("text", "textarea", "number", "date", "boolean", "choice", "multichoice", "list", "image", "group")
# What a `list` question holds: plain values a template loops over (`{% for s in skills %}{{ s }}`).
LIST_ITEMS = ("text", "number")


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
    items: str = "text"  # a list question's values: text or number
    integer: bool = False  # a number (or list of numbers) that must be whole: stays an int in the document
    width_mm: float | None = None  # an image question's width in the document
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
        if self.type in ("multichoice", "list") or (self.is_group and self.repeat):
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
    # What readers ask or search for when this template is what they need (form.yaml `asked`: da, en): shown on the
    # template's page and searched with it, as a material's `questions` are.
    asked: tuple[str, ...] = ()
    asked_en: tuple[str, ...] = ()

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
        return validate_answers(self, raw if upgraded else self.upgrade(raw).answers, today or dt.date.today())

    def upgrade(self, raw: Mapping[str, Any]) -> Upgraded:
        """Answers written for an earlier version of the form, read as this version reads them (legacy_answers):
        every rule is decided on the answers as given, then applied in order; an answer given is never replaced."""
        return upgrade_answers(self.legacy, raw)

    def applicable(self, answers: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, bool]:
        """Which top-level questions apply given (partial) answers — for interactive mode and the web form."""
        return applicability(self, answers, today=today)
