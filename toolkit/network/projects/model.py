"""A project of the registry as data: the record (`Project`, its `Contact`s, `Link`s and the `Need`s it seeks and
offers), the fixed lists of phases, regulatory statuses and partner kinds with their Danish and English labels,
and the record as YAML data or JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Ids in English (in the files), labels in Danish and English (on the pages and in exports).
PHASES: dict[str, dict[str, str]] = {
    "idea": {"da": "Idé", "en": "Idea"},
    "research": {"da": "Forskning", "en": "Research"},
    "quality-development": {"da": "Kvalitetsudvikling", "en": "Quality development"},
    "operations-test": {"da": "Driftstest", "en": "Operations test"},
    "in-operation": {"da": "I drift", "en": "In operation"},
    "stopped": {"da": "Stoppet", "en": "Stopped"},
}
REGULATORY: dict[str, dict[str, str]] = {
    "not-medical-device": {"da": "Ikke medicinsk udstyr", "en": "Not a medical device"},
    "in-house-mdr-5-5": {"da": "Egenfremstillet efter MDR art. 5, stk. 5", "en": "In-house under MDR Art. 5(5)"},
    "ce-marked": {"da": "CE-mærket", "en": "CE-marked"},
    "under-assessment": {"da": "Under vurdering", "en": "Under assessment"},
}
# What a project seeks or offers for a consortium (`seeks`/`offers`: a kind and a free line each).
PARTNER_KINDS: dict[str, dict[str, str]] = {
    "data-partner": {"da": "Datapartner", "en": "Data partner"},
    "clinical-partner": {"da": "Klinisk partner", "en": "Clinical partner"},
    "company-partner": {"da": "Virksomhed/teknologi", "en": "Company/technology partner"},
    "funding": {"da": "Finansiering", "en": "Funding"},
    "competence-mdr": {"da": "Kompetence: MDR og regulering", "en": "Competence: MDR and regulation"},
    "competence-data-science": {"da": "Kompetence: data science", "en": "Competence: data science"},
    "competence-implementation": {"da": "Kompetence: implementering", "en": "Competence: implementation"},
    "patient-partner": {"da": "Patient- og borgerinddragelse", "en": "Patient and public involvement"},
}
CE_MARKED = "ce-marked"
CE_CLASSES = ("I", "IIa", "IIb", "III")


def label(labels: dict[str, dict[str, str]], value: str, lang: str = "da") -> str:
    """The Danish (or English) label of a phase or regulatory status; the id itself when it is unknown."""
    return labels.get(value, {}).get(lang) or value


# -- the record -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"name": self.name, "email": self.email}
        if self.role:
            data["role"] = self.role
        return data


@dataclass(frozen=True)
class Link:
    title: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class Need:
    """One thing a project seeks or offers: a kind of PARTNER_KINDS and a line saying what exactly."""

    kind: str
    text: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text} if self.text else {"kind": self.kind}

    def label(self, lang: str = "da") -> str:
        return label(PARTNER_KINDS, self.kind, lang)


@dataclass(frozen=True)
class Project:
    slug: str
    title: str
    summary: str
    owner: str
    contacts: tuple[Contact, ...]
    phase: str
    regulatory_status: str
    regulatory_class: str | None = None
    department: str = ""
    clinical_area: str = ""
    problem: str = ""
    data_sources: tuple[str, ...] = ()
    ai_method: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    links: tuple[Link, ...] = ()
    related_materials: tuple[str, ...] = ()
    working_groups: tuple[str, ...] = ()
    seeks: tuple[Need, ...] = ()
    offers: tuple[Need, ...] = ()
    seeks_funding_from: tuple[str, ...] = ()  # slugs of funding calls (library/calls/)
    example: bool = False
    created_by: str = ""
    path: str = ""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    item_lines: dict[str, list[int | None]] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str, index: int | None = None) -> int | None:
        items = self.item_lines.get(name, [])
        if index is not None and index < len(items) and items[index] is not None:
            return items[index]
        return self.field_lines.get(name)

    def regulatory_label(self, lang: str = "da") -> str:
        text = label(REGULATORY, self.regulatory_status, lang)
        if self.regulatory_class:
            text += f", {'klasse' if lang == 'da' else 'class'} {self.regulatory_class}"
        return text

    def to_data(self) -> dict[str, Any]:
        """The record as the data of its YAML file (for save_record), optional fields only when set."""
        data: dict[str, Any] = {"title": self.title, "summary": self.summary}
        if self.example:
            data["example"] = True
        data["owner"] = self.owner
        if self.department:
            data["department"] = self.department
        data["contacts"] = [c.to_dict() for c in self.contacts]
        for name in ("clinical_area", "problem"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["phase"] = self.phase
        if self.data_sources:
            data["data_sources"] = list(self.data_sources)
        if self.ai_method:
            data["ai_method"] = self.ai_method
        regulatory: dict[str, Any] = {"status": self.regulatory_status}
        if self.regulatory_class:
            regulatory["class"] = self.regulatory_class
        data["regulatory"] = regulatory
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.links:
            data["links"] = [link.to_dict() for link in self.links]
        if self.related_materials:
            data["related_materials"] = list(self.related_materials)
        if self.working_groups:
            data["working_groups"] = list(self.working_groups)
        for name in ("seeks", "offers"):
            if getattr(self, name):
                data[name] = [need.to_dict() for need in getattr(self, name)]
        if self.seeks_funding_from:
            data["seeks_funding_from"] = list(self.seeks_funding_from)
        if self.created_by:
            data["created_by"] = self.created_by
        return data

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (`netkit projects list --json`)."""
        return {
            "slug": self.slug, "title": self.title, "summary": self.summary, "example": self.example,
            "owner": self.owner, "department": self.department, "contacts": [c.to_dict() for c in self.contacts],
            "clinical_area": self.clinical_area, "problem": self.problem, "phase": self.phase,
            "data_sources": list(self.data_sources), "ai_method": self.ai_method,
            "regulatory": {"status": self.regulatory_status, "class": self.regulatory_class},
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "links": [link.to_dict() for link in self.links], "related_materials": list(self.related_materials),
            "working_groups": list(self.working_groups), "seeks": [n.to_dict() for n in self.seeks],
            "offers": [n.to_dict() for n in self.offers], "seeks_funding_from": list(self.seeks_funding_from),
            "created_by": self.created_by,
        }
