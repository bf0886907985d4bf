"""Template packages (`templates/<name>/`) and the catalogue of them.

A package is `template.docx` (docxtpl tags), `form.yaml` (the questionnaire and its metadata),
`example.yaml` (complete example answers) and optionally `rules.yaml` (derived facts and checklist items).
`TemplatePackage.context(answers)` is the single road from raw answers to what the Word template sees:
validate → computed values → rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.documents.expressions import ExpressionError, evaluate
from toolkit.documents.formfile import parse_form
from toolkit.documents.images import load_image_files
from toolkit.documents.questions import Form, Question
from toolkit.documents.rules import Rules, parse_rules
from toolkit.documents.sandboxfilters import danish_date
from toolkit.documents.undetermined import Undetermined, is_undetermined
from toolkit.errors import Invalid, InvalidSlug, NotFound, Problem
from toolkit.yamlfile import load_yaml

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DOCX, FORM, EXAMPLE, RULES = "template.docx", "form.yaml", "example.yaml", "rules.yaml"
# Names every template may use besides the questions, computed values and rules.
CONTEXT_NAMES = {"today", "template", "answers_summary", "labels", "assumed_answers"}
DECISION_TYPES = ("boolean", "choice")  # an unanswered one leaves what depends on it undetermined


def validate_name(name: str) -> str:
    """A template name is a folder name of a fixed shape: nothing path-like ever reaches the file system."""
    if not isinstance(name, str) or not NAME.match(name):
        raise InvalidSlug(f"'{name}' is not a template name; use lowercase letters, digits and single hyphens, "
                          "e.g. mit-skema")
    return name


@dataclass(frozen=True)
class TemplatePackage:
    name: str
    root: Path
    form: Form
    rules: Rules | None

    @property
    def docx_path(self) -> Path:
        return self.root / DOCX

    @property
    def example_path(self) -> Path:
        return self.root / EXAMPLE

    @property
    def title(self) -> str:
        return self.form.title.da

    @property
    def version(self) -> str:
        return self.form.version

    def docx_bytes(self) -> bytes:
        return _read_bytes(self.docx_path, self.docx_path.stat().st_mtime_ns)

    def example(self) -> dict[str, Any]:
        """The example answers; a picture is a file in the package folder (`logo: logo.png`)."""
        data = load_yaml(self.example_path, self.display(EXAMPLE))
        if not isinstance(data, Mapping):
            raise Invalid(f"{self.display(EXAMPLE)} must be a mapping",
                          [Problem.at(self.display(EXAMPLE), "write one 'question_id: answer' per line")])
        return load_image_files(self.form, data, self.root, self.display(EXAMPLE), inside=self.root)

    def display(self, file: str) -> str:
        return f"templates/{self.name}/{file}" if self.root.parent.name == "templates" else str(self.root / file)

    def names(self) -> set[str]:
        """Every name the Word template may use."""
        names = set(self.form.ids) | {c.id for c in self.form.computed} | CONTEXT_NAMES
        return names | (self.rules.names if self.rules else set())

    def context(self, answers: Mapping[str, Any] | None, *, today: dt.date | None = None,
                lang: str = "da") -> dict[str, Any]:
        """Validate the answers and derive everything the Word template sees; Invalid lists every problem."""
        today = today or dt.date.today()
        upgraded = self.form.upgrade(answers or {})
        clean = self.form.validate(upgraded.answers, today=today, upgraded=True)
        names: dict[str, Any] = {"today": today, **clean}
        for value in self.form.computed:
            try:
                names[value.id] = evaluate(value.value, names)
            except ExpressionError as exc:
                raise Invalid(f"{self.display(FORM)}: a computed value failed",
                              [Problem.at(self.display(FORM), str(exc), line=value.line,
                                          field=f"computed.{value.id}")]) from None
        if self.rules is not None:
            decided = {**names, **undetermined_answers(self.form, clean)}
            problems = self.rules.check(decided, lang)
            if problems:
                raise Invalid("the answers contradict each other", problems)
            labels = {q.id: q.label.get(lang) for q in self.form.questions()}
            names.update(self.rules.derive(decided, lang, labels=labels).context())
        names["template"] = {"name": self.name, "title": self.form.title.get(lang), "version": self.version}
        names["answers_summary"] = answers_summary(self.form, clean, lang, assumed=upgraded.assumed)
        names["assumed_answers"] = [row for row in names["answers_summary"] if row["assumed"]]
        names["labels"] = choice_labels(self.form, lang)
        return names

    def explain(self, answers: Mapping[str, Any] | None, *, today: dt.date | None = None) -> dict[str, Any]:
        """The computed values and facts (not the answers) as plain JSON-able data, with the reasons."""
        context = self.context(answers, today=today)
        result: dict[str, Any] = {c.id: context[c.id] for c in self.form.computed}
        if self.rules is not None:
            result.update({f.id: "undetermined" if is_undetermined(context[f.id]) else context[f.id]
                           for f in self.rules.facts if f.shown or is_undetermined(context[f.id])
                           or isinstance(context[f.id], str | bool | int | float | None)})
            result["reasons"] = context["reasons"]
            result["references"] = {row["id"]: row["reference"] for row in context["facts"] if row["reference"]}
            result["undetermined"] = {row["id"]: row["needs"] for row in context["facts"] if row["undetermined"]}
            result["items"] = [item["id"] for item in context["items"]]
            result["assumed"] = [row["id"] for row in context["assumed_answers"]]
        return result


def choice_labels(form: Form, lang: str = "da") -> dict[str, dict[str, str]]:
    """Labels of the options of every choice question, by id (`members.role` inside groups).

    In a template: `{{ labels.status[status] }}`, `{{ labels['members.role'][m.role] }}`.
    """
    labels: dict[str, dict[str, str]] = {}

    def collect(question: Question, prefix: str) -> None:
        if question.options:
            labels[prefix + question.id] = {o.value: o.label.get(lang) for o in question.options}
        for field in question.fields:
            collect(field, f"{prefix}{question.id}.")

    for question in form.questions():
        collect(question, "")
    return labels


def undetermined_answers(form: Form, clean: Mapping[str, Any]) -> dict[str, Undetermined]:
    """The yes/no and choice questions left unanswered, as the rules must see them: undetermined, not "no"."""
    return {q.id: Undetermined.question(q.id, (True, False) if q.type == "boolean" else (o.value for o in q.options))
            for q in form.questions() if q.type in DECISION_TYPES and clean.get(q.id) is None}


def answers_summary(form: Form, clean: Mapping[str, Any], lang: str = "da",
                    assumed: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The questions that were answered, as label/answer rows a document can show (groups summarised); an
    answer an earlier version of the form took for granted is marked `assumed`."""
    rows = []
    for question in form.questions():
        value = clean.get(question.id)
        if value in (None, [], "") or (question.is_group and not value) or (isinstance(value, str)
                                                                            and not value.strip()):
            continue
        answer = plain = display_answer(question, value, lang)
        if question.id in assumed:
            answer += " (antaget: svarfilen er fra en ældre udgave af spørgeskemaet)" if lang == "da" else \
                " (assumed: the answers file is from an earlier version of the questionnaire)"
        rows.append({"id": question.id, "label": question.label.get(lang), "answer": answer,
                     "plain_answer": plain, "assumed": question.id in assumed})
    return rows


def display_answer(question: Question, value: Any, lang: str = "da") -> str:
    if question.type == "boolean" and value is None:
        return "Not answered" if lang == "en" else "Ikke besvaret"
    if question.type == "boolean":
        return ("Yes" if value else "No") if lang == "en" else ("Ja" if value else "Nej")
    if question.type == "choice":
        return question.option_label(value, lang)
    if question.type == "multichoice":
        return ", ".join(question.option_label(v, lang) for v in value)
    if question.type == "list":
        return ", ".join(str(v) for v in value)
    if question.type == "image":
        return value.describe(lang)
    if question.type == "date":
        return danish_date(value) if lang == "da" else value.isoformat()
    if question.is_group:
        records = value if isinstance(value, list) else [value]
        return "; ".join(", ".join(display_answer(f, r.get(f.id), lang) for f in question.fields
                                   if r.get(f.id) not in (None, "", [])) for r in records)
    return str(value)


@functools.lru_cache(maxsize=64)
def _read_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def load_package(root: Path, name: str | None = None) -> TemplatePackage:
    """Read one package folder; Invalid lists every problem in form.yaml and rules.yaml."""
    name = name or root.name
    display = f"templates/{name}" if root.parent.name == "templates" else str(root)
    missing = [f for f in (DOCX, FORM, EXAMPLE) if not (root / f).is_file()]
    if missing:
        raise Invalid(f"{display} is not a complete template package",
                      [Problem.at(f"{display}/{f}", "is missing") for f in missing])
    form = parse_form(load_yaml(root / FORM, f"{display}/{FORM}"), f"{display}/{FORM}")
    rules = None
    if (root / RULES).is_file():
        known = set(form.ids) | {c.id for c in form.computed} | CONTEXT_NAMES
        rules = parse_rules(load_yaml(root / RULES, f"{display}/{RULES}"), f"{display}/{RULES}", known)
    return TemplatePackage(name, root, form, rules)


class TemplateCatalogue:
    """The template packages in a folder (the instance's, or the bundled ones).

    The listing is looked at again at most once a second (pages list related templates on every request)."""

    RECHECK_SECONDS = 1.0

    def __init__(self, root: Path):
        self.root = root
        self._listed: tuple[float, tuple, list[TemplatePackage], list[Problem]] | None = None

    def signature(self) -> tuple:
        """Changes when a package is added, removed or changed (names and file times)."""
        return tuple((name, _signature(self.root / name)) for name in self.names())

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and NAME.match(p.name) and (p / FORM).is_file())

    def get(self, name: str) -> TemplatePackage:
        validate_name(name)
        if name not in self.names():
            hint = difflib.get_close_matches(name, self.names(), n=1)
            raise NotFound(f"no template '{name}'" + (f"; did you mean '{hint[0]}'?" if hint else
                                                      "; see `netkit templates list`"),
                           suggestion=hint[0] if hint else None)
        folder = self.root / name
        return _cached_package(folder, _signature(folder))

    def packages(self) -> tuple[list[TemplatePackage], list[Problem]]:
        """Every readable package, and the problems of those that are not."""
        now = time.monotonic()
        if self._listed is not None and now - self._listed[0] < self.RECHECK_SECONDS:
            return list(self._listed[2]), list(self._listed[3])
        signature = self.signature()
        if self._listed is not None and self._listed[1] == signature:
            self._listed = (now, *self._listed[1:])
            return list(self._listed[2]), list(self._listed[3])
        packages, problems = [], []
        for name in self.names():
            try:
                packages.append(self.get(name))
            except Invalid as exc:
                problems.extend(exc.problems)
        self._listed = (now, signature, packages, problems)
        return list(packages), list(problems)


def _signature(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())


@functools.lru_cache(maxsize=64)
def _cached_package(folder: Path, signature: tuple) -> TemplatePackage:
    return load_package(folder)
