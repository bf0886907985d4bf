"""Rule files (rules.yaml): facts derived from answers, with the reasoning, and checklist items selected by them.

The logic lives in data a regulatory expert can read and change, not in Python branches:

    facts:                      # evaluated in order; each may use the answers and the facts before it
      - id: mdr_class
        label: {da: MDR-klasse, en: MDR class}
        value: "'III' if worst_impact == 'death_or_irreversible' else ..."
        reasons:                # the first reason whose `when` holds explains the value
          - when: "not is_mdsw"
            text: "Softwaren er ikke medicinsk udstyr, så den klassificeres ikke."
    sections:                   # the checklist's sections, in order
      - {id: qms, title: Kvalitetsstyring}
    items:                      # selected when `when` holds; texts may use {{ answers }} and facts
      - id: qms-system
        section: qms
        title: Etabler et kvalitetsstyringssystem …
        reference: MDR art. 10(9); EN ISO 13485:2016
        role: Kvalitetsansvarlig
        when: "is_mdsw and not in_house_exemption"

Expressions and texts are evaluated in Jinja's sandbox (toolkit.sandbox).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.errors import Invalid, Problem
from toolkit.forms import Localized
from toolkit.sandbox import ExpressionError, compile_expression, evaluate, expression_names, render_text, text_names
from toolkit.yamlfile import line_of

RULES_KEYS = {"facts", "sections", "items"}
FACT_KEYS = {"id", "label", "value", "reasons", "display"}
ITEM_KEYS = {"id", "section", "title", "detail", "reference", "role", "when"}


@dataclass(frozen=True)
class Reason:
    text: str
    when: str | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    label: Localized
    value: str
    reasons: tuple[Reason, ...] = ()
    display: str | None = None
    line: int | None = None
    shown: bool = True      # facts without a label are steps of the reasoning, not rows of the summary


@dataclass(frozen=True)
class ItemRule:
    id: str
    section: str
    title: str
    reference: str = ""
    role: str = ""
    detail: str = ""
    when: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Derived:
    """What the rules concluded: fact values, the summary rows with reasons, and the selected items."""

    values: dict[str, Any]
    facts: list[dict[str, Any]]
    items: list[dict[str, Any]]
    sections: list[dict[str, Any]]

    def context(self) -> dict[str, Any]:
        return {**self.values, "facts": self.facts, "reasons": {f["id"]: f["reason"] for f in self.facts},
                "items": self.items, "item_sections": self.sections, "item_count": len(self.items)}


@dataclass(frozen=True)
class Rules:
    path: str
    facts: tuple[Fact, ...] = ()
    sections: tuple[tuple[str, Localized], ...] = ()
    items: tuple[ItemRule, ...] = ()

    @property
    def names(self) -> set[str]:
        """The names rules add to a template's context."""
        return {f.id for f in self.facts} | {"facts", "reasons", "items", "item_sections", "item_count"}

    def derive(self, answers: Mapping[str, Any], lang: str = "da") -> Derived:
        names = dict(answers)
        rows = []
        for fact in self.facts:
            value = self._evaluate(fact.value, names, f"facts.{fact.id}", fact.line)
            names[fact.id] = value
            reason = next((r for r in fact.reasons
                           if r.when is None or self._evaluate(r.when, names, f"facts.{fact.id}.reasons", fact.line)),
                          None)
            if not fact.shown:
                continue
            rows.append({
                "id": fact.id, "label": fact.label.get(lang), "value": value,
                "display": self._text(fact.display, names, fact) if fact.display else _display(value),
                "reason": self._text(reason.text, names, fact) if reason else "",
            })
        selected = []
        for item in self.items:
            if item.when is None or self._evaluate(item.when, names, f"items.{item.id}", item.line):
                selected.append({"id": item.id, "section": item.section,
                                 "title": self._item_text(item.title, names, item),
                                 "detail": self._item_text(item.detail, names, item),
                                 "reference": item.reference, "role": item.role})
        sections = []
        for section_id, title in self.sections:
            members = [i for i in selected if i["section"] == section_id]
            if members:
                sections.append({"id": section_id, "title": title.get(lang), "entries": members})
        number = 0
        for section in sections:
            for item in section["entries"]:
                number += 1
                item["number"] = number
        return Derived({f.id: names[f.id] for f in self.facts}, rows,
                       [i for s in sections for i in s["entries"]], sections)

    def _evaluate(self, source: str, names: Mapping[str, Any], where: str, line: int | None) -> Any:
        try:
            return evaluate(source, names)
        except ExpressionError as exc:
            raise Invalid(f"{self.path}: a rule failed", [Problem.at(self.path, str(exc), line=line, field=where)]) \
                from None

    def _text(self, source: str, names: Mapping[str, Any], fact: Fact) -> str:
        try:
            return render_text(source, names).strip()
        except ExpressionError as exc:
            raise Invalid(f"{self.path}: a rule failed",
                          [Problem.at(self.path, str(exc), line=fact.line, field=f"facts.{fact.id}")]) from None

    def _item_text(self, source: str, names: Mapping[str, Any], item: ItemRule) -> str:
        if "{" not in source:
            return source
        try:
            return render_text(source, names).strip()
        except ExpressionError as exc:
            raise Invalid(f"{self.path}: a rule failed",
                          [Problem.at(self.path, str(exc), line=item.line, field=f"items.{item.id}")]) from None


def _display(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return str(value)


def parse_rules(data: Any, display: str, known_names: set[str]) -> Rules:
    """Build Rules from rules.yaml's data, checking keys, expressions and the names they read."""
    problems: list[Problem] = []

    def problem(node: Any, where: str, message: str, key: str | None = None) -> None:
        problems.append(Problem.at(display, message, line=line_of(node, key), field=where))

    def unknown(node: Mapping, allowed: set[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                problem(node, f"{where}.{key}", "unknown key" + (f"; did you mean '{hint[0]}'?" if hint else ""),
                        str(key))

    defined = set(known_names)

    def check_expression(node: Any, source: Any, where: str, *, text: bool = False) -> str | None:
        if source is None:
            return None
        if isinstance(source, bool):
            source = str(source).lower()
        if not isinstance(source, str):
            problem(node, where, "must be an expression (text)")
            return None
        try:
            if not text:
                compile_expression(source)
            used = text_names(source) if text else expression_names(source)
        except ExpressionError as exc:
            problem(node, where, str(exc))
            return None
        for name in sorted(used - defined):
            hint = difflib.get_close_matches(name, sorted(defined), n=1)
            problem(node, where, f"reads '{name}', which is neither a question nor an earlier fact"
                    + (f"; did you mean '{hint[0]}'?" if hint else ""))
        return source

    if not isinstance(data, Mapping):
        raise Invalid(f"{display} must be a mapping", [Problem.at(display, "start with facts:, sections:, items:")])
    unknown(data, RULES_KEYS, "rules")
    facts = []
    for raw in data.get("facts") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            problem(raw, "facts", "each fact is a mapping with id, label, value and reasons")
            continue
        where = f"facts.{raw['id']}"
        unknown(raw, FACT_KEYS, where)
        value = check_expression(raw, raw.get("value"), f"{where}.value")
        if value is None:
            problem(raw, where, "needs a value (an expression)")
            continue
        defined.add(raw["id"])
        reasons = []
        for reason in raw.get("reasons") or []:
            if not isinstance(reason, Mapping) or not isinstance(reason.get("text"), str):
                problem(raw, f"{where}.reasons", "each reason is a mapping with text (and when)")
                continue
            when = check_expression(reason, reason.get("when"), f"{where}.reasons.when")
            check_expression(reason, reason["text"], f"{where}.reasons.text", text=True)
            reasons.append(Reason(reason["text"], when))
        label = raw.get("label", raw["id"])
        label = Localized(label["da"], label.get("en")) if isinstance(label, Mapping) else Localized(str(label))
        display_text = check_expression(raw, raw.get("display"), f"{where}.display", text=True)
        facts.append(Fact(raw["id"], label, value, tuple(reasons), display_text, line_of(raw), "label" in raw))
    sections = []
    for raw in data.get("sections") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            problem(raw, "sections", "each section is a mapping with id and title")
            continue
        title = raw.get("title", raw["id"])
        title = Localized(title["da"], title.get("en")) if isinstance(title, Mapping) else Localized(str(title))
        sections.append((raw["id"], title))
    section_ids = {s for s, _ in sections}
    items = []
    seen: set[str] = set()
    for raw in data.get("items") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("title"),
                                                                                                   str):
            problem(raw, "items", "each item is a mapping with id, section, title, reference, role and when")
            continue
        where = f"items.{raw['id']}"
        unknown(raw, ITEM_KEYS, where)
        if raw["id"] in seen:
            problem(raw, where, "is used by two items; ids must be unique")
        seen.add(raw["id"])
        if raw.get("section") not in section_ids:
            problem(raw, f"{where}.section", f"'{raw.get('section')}' is not one of the sections: "
                    f"{', '.join(sorted(section_ids))}", "section")
        when = check_expression(raw, raw.get("when"), f"{where}.when")
        for key in ("title", "detail"):
            if isinstance(raw.get(key), str) and "{" in raw[key]:
                check_expression(raw, raw[key], f"{where}.{key}", text=True)
        items.append(ItemRule(raw["id"], str(raw.get("section")), raw["title"], str(raw.get("reference", "")),
                              str(raw.get("role", "")), str(raw.get("detail", "")), when, line_of(raw)))
    if problems:
        raise Invalid(f"{display} has {len(problems)} problem(s)", problems)
    return Rules(display, tuple(facts), tuple(sections), tuple(items))
