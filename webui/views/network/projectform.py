"""The project form (`/projekter/ny`, `/projekter/<slug>/rediger`): its fields from a record and back into the
record's data (contacts and links typed one per line, dates kept as typed when they are not dates, so the check
can say so; what the project seeks and offers as rows of a kind and a line), what the form offers, and the core's
problems by the field they belong to."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from toolkit.errors import Problem
from toolkit.network.calls import by_deadline
from toolkit.network.groups import working_groups
from toolkit.network.projects.editing import (
    contacts_from_lines,
    contacts_to_lines,
    lines_to_list,
    links_from_lines,
    links_to_lines,
    needs_from_rows,
    needs_to_rows,
)
from toolkit.network.projects.model import CE_CLASSES, PARTNER_KINDS, PHASES, REGULATORY, Need, Project
from webui.context import accounts, library, projects
from webui.i18n import current_lang
from webui.views.network.partnerdata import calls
from webui.visibility import hidden_from_reader

TEXT_FIELDS = ("title", "summary", "owner", "department", "clinical_area", "problem", "phase", "ai_method",
               "regulatory_status", "regulatory_class", "start", "end", "contacts", "data_sources", "links", "base")
LIST_FIELDS = ("related_materials", "working_groups", "seeks_funding_from")
NEED_FIELDS = ("seeks", "offers")  # rows posted as <name>_kind and <name>_text
# The form's fields by the field names of the core's problems (the first is where the summary links to).
FIELD_LABELS = {
    "title": _l("Titel"), "summary": _l("Kort beskrivelse"), "owner": _l("Organisation"),
    "department": _l("Afdeling"), "contacts": _l("Kontaktpersoner"), "clinical_area": _l("Klinisk område"),
    "problem": _l("Problemet, projektet løser"), "phase": _l("Fase"), "data_sources": _l("Datakilder"),
    "ai_method": _l("AI-metode"), "regulatory": _l("Regulatorisk status"), "start": _l("Startdato"),
    "end": _l("Slutdato"), "links": _l("Links"), "related_materials": _l("Relaterede materialer"),
    "working_groups": _l("Arbejdsgrupper"), "example": _l("Eksempelprojekt"), "created_by": _l("Oprettet af"),
    "seeks": _l("Projektet søger"), "offers": _l("Projektet tilbyder"), "seeks_funding_from": _l("Søger støtte fra"),
}
FIELD_IDS = {"regulatory": "regulatory_status", "related_materials": "related-materials",
             "working_groups": "working-groups", "seeks_funding_from": "seeks-funding-from"}

def posted(data: MultiDict | None = None) -> dict:
    """The form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "") for key in TEXT_FIELDS}
    form.update({key: data.getlist(key) for key in LIST_FIELDS})
    for name in NEED_FIELDS:  # as typed (empty rows dropped), with room to add more
        form[name] = needs_from_rows(data.getlist(f"{name}_kind"), data.getlist(f"{name}_text"))
    form["example"] = bool(data.get("example"))
    return form


def form_of(item: Project, base: str) -> dict:
    return {
        "title": item.title, "summary": item.summary, "owner": item.owner, "department": item.department,
        "clinical_area": item.clinical_area, "problem": item.problem, "phase": item.phase,
        "ai_method": item.ai_method, "regulatory_status": item.regulatory_status,
        "regulatory_class": item.regulatory_class or "", "start": item.start.isoformat() if item.start else "",
        "end": item.end.isoformat() if item.end else "", "contacts": contacts_to_lines(item.contacts),
        "data_sources": "\n".join(item.data_sources), "links": links_to_lines(item.links),
        "related_materials": list(item.related_materials), "working_groups": list(item.working_groups),
        "seeks": [n.to_dict() for n in item.seeks], "offers": [n.to_dict() for n in item.offers],
        "seeks_funding_from": list(item.seeks_funding_from), "example": item.example, "base": base,
    }


def record_data(form: dict, *, created_by: str, example: bool) -> dict:
    """The record's data from a posted form, in the order of the file; empty optional fields left out."""
    data: dict = {"title": form["title"].strip(), "summary": form["summary"].strip()}
    if example:
        data["example"] = True
    data["owner"] = form["owner"].strip()
    optional = {
        "department": form["department"].strip(),
        "contacts": contacts_from_lines(form["contacts"]),
        "clinical_area": form["clinical_area"].strip(),
        "problem": form["problem"].strip(),
        "phase": form["phase"].strip(),
        "data_sources": lines_to_list(form["data_sources"]),
        "ai_method": form["ai_method"].strip(),
    }
    data.update({key: value for key, value in optional.items() if value})
    regulatory = {"status": form["regulatory_status"].strip()}
    if form["regulatory_class"].strip():
        regulatory["class"] = form["regulatory_class"].strip()
    if regulatory["status"] or "class" in regulatory:
        data["regulatory"] = regulatory
    for name in ("start", "end"):
        if form[name].strip():
            data[name] = date_or_text(form[name].strip())
    rest = {"links": links_from_lines(form["links"]), "related_materials": form["related_materials"],
            "working_groups": form["working_groups"], "seeks": form["seeks"], "offers": form["offers"],
            "seeks_funding_from": form["seeks_funding_from"], "created_by": created_by}
    data.update({key: value for key, value in rest.items() if value})
    return data


def date_or_text(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value  # refused by the check, with a message, and kept in the form


def choices(form: dict) -> dict:
    registry = projects()
    organisations = registry.organisations
    groups = [g.name for g in working_groups(accounts(), library())]
    groups += [g for g in form["working_groups"] if g not in groups]
    hidden = hidden_from_reader()
    materials = [m for m in library().materials() if m.slug not in hidden]
    return {"organisations": [(o, organisations.label(o, current_lang())) for o in organisations.ids()],
            "phases": list(PHASES), "statuses": list(REGULATORY), "classes": CE_CLASSES,
            "areas": sorted({p.clinical_area for p in registry.all() if p.clinical_area}, key=str.casefold),
            "groups": groups, "materials": materials, "field_labels": FIELD_LABELS, "field_ids": FIELD_IDS,
            "partner_kinds": list(PARTNER_KINDS), "calls": by_deadline(calls().all()),
            "need_rows": {name: needs_to_rows(_needs(form[name])) for name in NEED_FIELDS}}


def _needs(rows: list[dict[str, str]]) -> list:
    """Rows of the form as Need-like objects for needs_to_rows (kind and text as typed)."""
    return [Need(row.get("kind", ""), row.get("text", "")) for row in rows]


def errors_by_field(problems: list[Problem]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field if problem.field in FIELD_LABELS else "", []).append(problem.message)
    return errors


def empty_form() -> dict:
    return {**dict.fromkeys(TEXT_FIELDS, ""), "related_materials": [], "working_groups": [], "seeks": [],
            "offers": [], "seeks_funding_from": [], "example": False}
