"""`netkit generate NAME --interactive`: ask a questionnaire in the terminal, honouring show_if.

Each answer is checked as it is given and asked again until it is valid; questions whose condition is
false are skipped, repeatable groups ask "another one?" until the user says no.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from toolkit.documents.answers import validate_one
from toolkit.documents.expressions import evaluate
from toolkit.documents.images import read_image_file
from toolkit.documents.questions import Form, Question


def ask_form(form: Form, lang: str = "da") -> dict[str, Any]:
    answers: dict[str, Any] = {}
    names: dict[str, Any] = {"today": dt.date.today(), **{q.id: q.empty_value() for q in form.questions()}}
    for section in form.sections:
        if section.show_if and not evaluate(section.show_if, names):
            continue
        click.echo(click.style(f"\n{section.title.get(lang)}", bold=True))
        for question in section.questions:
            if question.show_if and not evaluate(question.show_if, names):
                continue
            value = ask(question, names, lang)
            answers[question.id] = value
            names[question.id] = value
    return answers


def ask(question: Question, names: Mapping[str, Any], lang: str, indent: str = "") -> Any:
    optional = not question.required
    label = indent + question.label.get(lang) + (" (valgfri)" if optional else "")
    if question.help:
        click.echo(click.style(f"{indent}  {question.help.get(lang)}", dim=True))
    if question.is_group:
        return _ask_group(question, names, lang, indent)
    while True:
        raw = _ask_raw(question, label, lang)
        value, problems = validate_one(question, raw, names)
        if not problems:
            return value
        for problem in problems:
            click.echo(f"{indent}  ! {problem.message}", err=True)


def _ask_raw(question: Question, label: str, lang: str) -> Any:
    if question.type == "boolean":
        return _ask_yes_no(question, label)
    if question.type in ("choice", "multichoice"):
        for number, option in enumerate(question.options, start=1):
            click.echo(f"   {number}. {option.label.get(lang)} [{option.value}]")
        hint = " (numre adskilt af komma)" if question.type == "multichoice" else " (nummer)"
        raw = click.prompt(label + hint, default=_default_text(question), show_default=bool(question.default))
        chosen = [_option_value(question, part.strip()) for part in raw.split(",") if part.strip()]
        return chosen if question.type == "multichoice" else (chosen[0] if chosen else "")
    if question.type == "image":  # a path: the file is read here (size first), its type checked by validation
        while text := click.prompt(label + " (sti til en PNG- eller JPEG-fil)", default="", show_default=False):
            data, problem = read_image_file(Path(text).expanduser())
            if problem is None:
                return data
            click.echo(f"  ! {problem}", err=True)
        return ""
    if question.type in ("textarea", "list"):  # a list: one value per line
        click.echo(f"{label} ({'én værdi pr. linje; ' if question.type == 'list' else ''}afslut med en tom linje)")
        lines = []
        while (line := click.prompt("", default="", show_default=False, prompt_suffix="> ")) != "":
            lines.append(line)
        return "\n".join(lines)
    return click.prompt(label, default=_default_text(question), show_default=question.default is not None)


def _ask_yes_no(question: Question, label: str) -> Any:
    """ja / nej, and "ved ikke" where the form allows it; Enter on an optional question leaves it unanswered
    (never "nej")."""
    choices = "ja/nej/ved ikke" if question.allow_unknown else "ja/nej"
    default = {True: "ja", False: "nej"}.get(question.default) if question.default is not None else ""
    raw = click.prompt(f"{label} [{choices}]", default=default, show_default=bool(default), prompt_suffix=": ")
    return raw.strip() or None


def _default_text(question: Question) -> str:
    if question.default is None:
        return ""
    return ",".join(map(str, question.default)) if isinstance(question.default, list) else str(question.default)


def _option_value(question: Question, text: str) -> str:
    if text.isdigit() and 1 <= int(text) <= len(question.options):
        return question.options[int(text) - 1].value
    return text


def _ask_group(question: Question, names: Mapping[str, Any], lang: str, indent: str) -> Any:
    item = (question.item_label or question.label).get(lang)
    if not question.repeat:
        click.echo(f"{indent}{question.label.get(lang)}:")
        return _ask_record(question, names, lang, indent + "  ")
    records: list[dict[str, Any]] = []
    minimum = question.min or 0
    while True:
        if len(records) >= minimum:
            if question.max is not None and len(records) >= question.max:
                return records
            if not click.confirm(f"{indent}Tilføj {item.lower()} nr. {len(records) + 1}?", default=not records):
                return records
        click.echo(f"{indent}{item} nr. {len(records) + 1}:")
        records.append(_ask_record(question, names, lang, indent + "  "))


def _ask_record(question: Question, names: Mapping[str, Any], lang: str, indent: str) -> dict[str, Any]:
    scope = {**names, **{f.id: f.empty_value() for f in question.fields}}
    record: dict[str, Any] = {}
    for sub in question.fields:
        if sub.show_if and not evaluate(sub.show_if, scope):
            continue
        record[sub.id] = ask(sub, scope, lang, indent)
        scope[sub.id] = record[sub.id]
    return record
