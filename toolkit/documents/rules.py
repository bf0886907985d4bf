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
    checks:                     # answers that contradict each other: a problem naming every field
      - id: purpose-vs-decisions
        when: "medical_purpose == false and informs_decisions"
        fields: [medical_purpose, informs_decisions]
        message: {da: "…", en: "…"}

Unanswered is not "no": a yes/no or choice question left unanswered reaches the rules as undetermined
(toolkit.documents.undetermined), and a fact that depends on it is undetermined too — shown as "Kan ikke afgøres"
with the questions to answer — unless the answers given decide it anyway. An item whose `when` is undetermined is
kept (the stricter branch), marked with what would decide it, unless it says `if_undetermined: false`. Texts are
never chosen by an undetermined value: a reason's `when` must hold outright.

Expressions and texts are evaluated in Jinja's sandbox (toolkit.documents.expressions).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.documents.expressions import ExpressionError, compile_expression, expression_names, render_text, text_names
from toolkit.documents.questions import Localized
from toolkit.documents.undetermined import Undetermined, UndeterminedUse, evaluate3
from toolkit.errors import Invalid, Problem
from toolkit.yamlfile import line_of

RULES_KEYS = {"facts", "sections", "items", "checks", "conclusion"}
FACT_KEYS = {"id", "label", "value", "reasons", "display"}
REASON_KEYS = {"when", "text", "reference"}
ITEM_KEYS = {"id", "section", "title", "detail", "reference", "role", "when", "if_undetermined"}
CHECK_KEYS = {"id", "when", "fields", "message"}
UNDETERMINED = {"da": "Kan ikke afgøres", "en": "Cannot be determined"}
ANSWER_FIRST = {"da": "Besvar først: {}.", "en": "Answer first: {}."}
DEPENDS_ALSO = {"da": "Afhænger også af: {} (se ovenfor).", "en": "Also depends on: {} (see above)."}
DEPENDS = {"da": "Afhænger af: {} (se ovenfor).", "en": "Depends on: {} (see above)."}
MAYBE = {"da": "Medtaget, fordi det ikke kan afgøres endnu. {}", "en": "Included because it cannot be decided yet. {}"}


@dataclass(frozen=True)
class Reason:
    text: str
    when: str | None = None
    reference: str = ""


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
    if_undetermined: bool = True  # kept when `when` cannot be decided (the stricter branch)


@dataclass(frozen=True)
class Check:
    """Answers that contradict each other (`when` holds outright): a problem at every field named."""

    id: str
    when: str
    fields: tuple[str, ...]
    message: Localized
    line: int | None = None


@dataclass(frozen=True)
class Derived:
    """What the rules concluded: fact values, the summary rows with reasons, and the selected items."""

    values: dict[str, Any]
    facts: list[dict[str, Any]]
    items: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    conclusion: str = ""

    def context(self) -> dict[str, Any]:
        """What a Word template sees: the facts' values (an undetermined one prints "kan ikke afgøres" and
        refuses `{% if %}`: test `x is undetermined` first, or read `undetermined`), the summary rows, the items."""
        return {**self.values, "facts": self.facts, "reasons": {f["id"]: f["reason"] for f in self.facts},
                "items": self.items, "item_sections": self.sections, "item_count": len(self.items),
                "undetermined": {f["id"]: f["needs_text"] for f in self.facts if f["undetermined"]},
                "conclusion": self.conclusion}


@dataclass(frozen=True)
class Rules:
    path: str
    facts: tuple[Fact, ...] = ()
    sections: tuple[tuple[str, Localized], ...] = ()
    items: tuple[ItemRule, ...] = ()
    checks: tuple[Check, ...] = ()
    conclusion: tuple[Reason, ...] = ()  # the document's one-paragraph conclusion: the first whose `when` holds

    @property
    def names(self) -> set[str]:
        """The names rules add to a template's context."""
        return {f.id for f in self.facts} | {"facts", "reasons", "items", "item_sections", "item_count",
                                             "undetermined", "conclusion"}

    def check(self, answers: Mapping[str, Any], lang: str = "da") -> list[Problem]:
        """Contradictory answers: a problem at each field a check names (only when its `when` holds outright)."""
        problems = []
        for rule in self.checks:
            if _holds(self._evaluate(rule.when, answers, f"checks.{rule.id}", rule.line)):
                problems += [Problem.at("answers", rule.message.get(lang), field=field) for field in rule.fields]
        return problems

    def derive(self, answers: Mapping[str, Any], lang: str = "da", *,
               labels: Mapping[str, str] | None = None) -> Derived:
        """The facts, summary rows and items for these answers. Undetermined answers (toolkit.documents.undetermined)
        make the facts that depend on them undetermined; `labels` name the questions to answer."""
        labels = labels or {}
        names = dict(answers)
        rows = []
        for fact in self.facts:
            value = self._evaluate(fact.value, names, f"facts.{fact.id}", fact.line)
            names[fact.id] = value
            if not fact.shown:
                continue
            if isinstance(value, Undetermined):
                rows.append({"id": fact.id, "label": fact.label.get(lang), "value": value,
                             "display": UNDETERMINED[lang], "reason": self._what_decides(fact.value, names, labels,
                                                                                          lang),
                             "reference": "", "undetermined": True, "needs": sorted(value.needs),
                             "needs_text": self._what_decides(fact.value, names, labels, lang, questions_only=True)})
                continue
            reason = next((r for r in fact.reasons if r.when is None or _holds(self._evaluate(
                r.when, names, f"facts.{fact.id}.reasons", fact.line))), None)
            rows.append({
                "id": fact.id, "label": fact.label.get(lang), "value": value,
                "display": self._text(fact.display, names, fact) if fact.display else _display(value),
                "reason": self._text(reason.text, names, fact) if reason else "",
                "reference": reason.reference if reason else "", "undetermined": False, "needs": [],
                "needs_text": "",
            })
        selected = []
        for item in self.items:
            applies = True if item.when is None else self._evaluate(item.when, names, f"items.{item.id}", item.line)
            maybe = isinstance(applies, Undetermined)
            if (maybe and item.if_undetermined) or (not maybe and applies):
                detail = self._item_text(item.detail, names, item)
                if maybe:
                    detail = " ".join(filter(None, [detail, MAYBE[lang].format(
                        self._what_decides(item.when or "", names, labels, lang))]))
                selected.append({"id": item.id, "section": item.section,
                                 "title": self._item_text(item.title, names, item), "detail": detail,
                                 "reference": item.reference, "role": item.role, "undetermined": maybe})
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
                       [i for s in sections for i in s["entries"]], sections, self._conclusion(names, rows))

    def _conclusion(self, names: Mapping[str, Any], rows: list[dict[str, Any]]) -> str:
        names = {**names, "reasons": {row["id"]: row["reason"] for row in rows},
                 "undetermined": {row["id"]: row["needs_text"] for row in rows if row["undetermined"]}}
        chosen = next((c for c in self.conclusion if c.when is None or _holds(self._evaluate(
            c.when, names, "conclusion", None))), None)
        return self._render(chosen.text, names, None, "conclusion") if chosen else ""

    def _what_decides(self, source: str, names: Mapping[str, Any], labels: Mapping[str, str], lang: str, *,
                      questions_only: bool = False) -> str:
        """What an undetermined expression waits for: the unanswered questions it reads (through the unlabelled
        steps of the reasoning), and the labelled facts it rests on that are undetermined themselves."""
        facts = {fact.id: fact for fact in self.facts}
        questions: list[str] = []
        via: list[str] = []

        def walk(expression: str, seen: set[str]) -> None:
            for name in sorted(expression_names(expression)):
                if not isinstance(names.get(name), Undetermined) or name in seen:
                    continue
                seen.add(name)
                fact = facts.get(name)
                if fact is None:
                    questions.append(name)
                elif fact.shown and not questions_only:
                    via.append(fact.label.get(lang))
                else:
                    walk(fact.value, seen)

        walk(source, set())
        order = {question: number for number, question in enumerate(labels)}
        asked = "; ".join(f"»{labels.get(q, q)}«" for q in sorted(questions, key=lambda q: (order.get(q, 10**6), q)))
        if questions_only:
            return asked
        parts = [ANSWER_FIRST[lang].format(asked)] if asked else []
        if via:
            parts.append((DEPENDS_ALSO if asked else DEPENDS)[lang].format("; ".join(via)))
        return " ".join(parts)

    def _evaluate(self, source: str, names: Mapping[str, Any], where: str, line: int | None) -> Any:
        try:  # answers the checks call contradictory are no answers an open question could still get
            return evaluate3(source, names, impossible=[check.when for check in self.checks])
        except ExpressionError as exc:
            raise Invalid(f"{self.path}: a rule failed", [Problem.at(self.path, str(exc), line=line, field=where)]) \
                from None

    def _text(self, source: str, names: Mapping[str, Any], fact: Fact) -> str:
        return self._render(source, names, fact.line, f"facts.{fact.id}")

    def _item_text(self, source: str, names: Mapping[str, Any], item: ItemRule) -> str:
        return self._render(source, names, item.line, f"items.{item.id}") if "{" in source else source

    def _render(self, source: str, names: Mapping[str, Any], line: int | None, where: str) -> str:
        try:
            return render_text(source, names).strip()
        except ExpressionError as exc:
            raise Invalid(f"{self.path}: a rule failed", [Problem.at(self.path, str(exc), line=line, field=where)]) \
                from None
        except UndeterminedUse as exc:  # a text may print an undetermined value, never branch on it
            raise Invalid(f"{self.path}: a rule's text depends on an unanswered question", [Problem.at(
                self.path, f"{exc}; choose the text by a reason's or an item's `when` instead", line=line,
                field=where)]) from None


def _holds(value: Any) -> bool:
    """True outright: an undetermined value never holds."""
    return not isinstance(value, Undetermined) and bool(value)


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
            unknown(reason, REASON_KEYS, f"{where}.reasons")
            when = check_expression(reason, reason.get("when"), f"{where}.reasons.when")
            check_expression(reason, reason["text"], f"{where}.reasons.text", text=True)
            reasons.append(Reason(reason["text"], when, str(reason.get("reference", ""))))
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
        if "if_undetermined" in raw and not isinstance(raw["if_undetermined"], bool):
            problem(raw, f"{where}.if_undetermined", "must be true or false", "if_undetermined")
        items.append(ItemRule(raw["id"], str(raw.get("section")), raw["title"], str(raw.get("reference", "")),
                              str(raw.get("role", "")), str(raw.get("detail", "")), when, line_of(raw),
                              raw.get("if_undetermined", True) is not False))
    conclusion = []
    defined |= {"reasons", "undetermined"}  # the conclusion reads the facts' reasons and what is undetermined
    for raw in data.get("conclusion") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("text"), str):
            problem(raw, "conclusion", "each entry is a mapping with text (and when)")
            continue
        unknown(raw, REASON_KEYS, "conclusion")
        when = check_expression(raw, raw.get("when"), "conclusion.when")
        check_expression(raw, raw["text"], "conclusion.text", text=True)
        conclusion.append(Reason(raw["text"], when, str(raw.get("reference", ""))))
    checks = []
    for raw in data.get("checks") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            problem(raw, "checks", "each check is a mapping with id, when, fields and message")
            continue
        where = f"checks.{raw['id']}"
        unknown(raw, CHECK_KEYS, where)
        when = check_expression(raw, raw.get("when"), f"{where}.when")
        fields = raw.get("fields")
        if not isinstance(fields, list) or not fields or not all(f in known_names for f in fields):
            problem(raw, f"{where}.fields", "must list the questions the contradiction involves", "fields")
            continue
        message = raw.get("message")
        if isinstance(message, Mapping) and isinstance(message.get("da"), str):
            text = Localized(message["da"], message.get("en"))
        elif isinstance(message, str):
            text = Localized(message)
        else:
            problem(raw, f"{where}.message", "must be a text, or a mapping with da and en", "message")
            continue
        if when is not None:
            checks.append(Check(raw["id"], when, tuple(fields), text, line_of(raw)))
    if problems:
        raise Invalid(f"{display} has {len(problems)} problem(s)", problems)
    return Rules(display, tuple(facts), tuple(sections), tuple(items), tuple(checks), tuple(conclusion))
