"""A template's rules as a regulatory expert reads them: every derived fact with its expression and its reasons
(condition → text, reference), the contradictions refused, the checklist items by section with the condition
that selects them, the conclusion, how answers of an earlier form version are read, and a legend of every name
(the question or fact behind it). `netkit templates show NAME --rules` and the page /skabeloner/NAME/regler
present this; nothing here evaluates anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.documents.expressions import expression_names, text_names
from toolkit.documents.legacyanswers import LegacyAnswer
from toolkit.documents.packages import TemplatePackage


@dataclass(frozen=True)
class Term:
    name: str
    kind: str  # question, fact, step (a fact without a label: a step of the reasoning)
    label: str


@dataclass(frozen=True)
class Line:
    when: str | None  # None: otherwise / always
    text: str
    reference: str = ""


@dataclass(frozen=True)
class FactView:
    id: str
    label: str | None  # None for a step of the reasoning (not shown in documents)
    value: str
    reasons: tuple[Line, ...] = ()


@dataclass(frozen=True)
class ItemView:
    id: str
    title: str
    reference: str
    role: str
    when: str | None
    kept_if_undetermined: bool


@dataclass(frozen=True)
class CheckView:
    id: str
    when: str
    fields: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class LegacyView:
    when: str
    changes: str
    assumed: bool


@dataclass
class RulesView:
    name: str
    title: str
    version: str
    facts: list[FactView] = field(default_factory=list)
    checks: list[CheckView] = field(default_factory=list)
    sections: list[tuple[str, list[ItemView]]] = field(default_factory=list)
    conclusion: list[Line] = field(default_factory=list)
    legacy: list[LegacyView] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


def rules_view(package: TemplatePackage, lang: str = "da") -> RulesView | None:
    """The package's rules laid out for reading (None when it has no rules.yaml)."""
    rules = package.rules
    if rules is None:
        return None
    view = RulesView(package.name, package.form.title.get(lang), package.version)
    used: set[str] = set()

    def reads(source: str | None, *, text: bool = False) -> str | None:
        if source:
            used.update(text_names(source) if text else expression_names(source))
        return source

    for fact in rules.facts:
        reads(fact.value)
        reasons = tuple(Line(reads(r.when), r.text, r.reference) for r in fact.reasons)
        view.facts.append(FactView(fact.id, fact.label.get(lang) if fact.shown else None, fact.value, reasons))
    view.checks = [CheckView(c.id, reads(c.when) or "", c.fields, c.message.get(lang)) for c in rules.checks]
    items = {section_id: [] for section_id, _title in rules.sections}
    for item in rules.items:
        items.setdefault(item.section, []).append(ItemView(item.id, item.title, item.reference, item.role,
                                                           reads(item.when), item.if_undetermined))
    view.sections = [(title.get(lang), items[section_id]) for section_id, title in rules.sections if items[section_id]]
    view.conclusion = [Line(reads(line.when), line.text) for line in rules.conclusion]
    view.legacy = [LegacyView(rule.when, _changes(rule), rule.assumed) for rule in package.form.legacy]
    questions = {q.id: q.label.get(lang) for q in package.form.questions()}
    facts = {f.id: f for f in rules.facts}
    for name in sorted(used):
        if name in questions:
            view.terms.append(Term(name, "question", questions[name]))
        elif name in facts:
            fact = facts[name]
            view.terms.append(Term(name, "fact" if fact.shown else "step", fact.label.get(lang) if fact.shown else ""))
    return view


def _changes(rule: LegacyAnswer) -> str:
    parts = [f"{old} → {new}" for old, new in rule.rename]
    parts += [f"{key} = {str(value).lower() if isinstance(value, bool) else value}" for key, value in rule.set]
    parts += [f"fjern {key}" for key in rule.remove]
    return "; ".join(parts)
