"""The project registry on the web (`/projekter/`): browse and filter by phase, clinical area, organisation and
regulatory status (filters combine, each value shows how many projects it leaves), one page per project, the
(filtered) overview as CSV and .xlsx, and forms to add and edit projects.

Anyone reads the registry. Signed-in members add projects and edit their own; facilitators edit every project
(toolkit.people.permissions.can_edit_project). A save goes through toolkit.history.records.save_record: validated,
written atomically, committed with the user as author. A refused form comes back with every problem beside its
field and in a summary, with everything typed kept (status 400); a form posted after the session ended carries the
text through signing in again.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from toolkit.errors import Conflict, Invalid, NotFound, Problem, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.history.records import save_record
from toolkit.network.groups import working_groups
from toolkit.network.projects.editing import (
    contacts_from_lines,
    contacts_to_lines,
    lines_to_list,
    links_from_lines,
    links_to_lines,
    unique_slug,
)
from toolkit.network.projects.export import to_csv, to_xlsx
from toolkit.network.projects.filters import FILTERS, ProjectFilters, check_filter, facet_counts, filter_projects
from toolkit.network.projects.model import CE_CLASSES, PHASES, REGULATORY, Project, label
from toolkit.network.projects.validation import related_problems
from toolkit.people.permissions import can, can_edit_project
from webui import csrf
from webui.auth import ACCOUNTS_KEY, current_user, resumed_form, sign_in_again
from webui.context import hidden_from_reader, instance, library, projects
from webui.errors import not_saved
from webui.i18n import current_lang

bp = Blueprint("projects", __name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FIELDS = ("title", "summary", "owner", "department", "clinical_area", "problem", "phase", "ai_method",
               "regulatory_status", "regulatory_class", "start", "end", "contacts", "data_sources", "links", "base")
LIST_FIELDS = ("related_materials", "working_groups")
# The form's fields by the field names of the core's problems (the first is where the summary links to).
FIELD_LABELS = {
    "title": _l("Titel"), "summary": _l("Kort beskrivelse"), "owner": _l("Organisation"),
    "department": _l("Afdeling"), "contacts": _l("Kontaktpersoner"), "clinical_area": _l("Klinisk område"),
    "problem": _l("Problemet, projektet løser"), "phase": _l("Fase"), "data_sources": _l("Datakilder"),
    "ai_method": _l("AI-metode"), "regulatory": _l("Regulatorisk status"), "start": _l("Startdato"),
    "end": _l("Slutdato"), "links": _l("Links"), "related_materials": _l("Relaterede materialer"),
    "working_groups": _l("Arbejdsgrupper"), "example": _l("Eksempelprojekt"), "created_by": _l("Oprettet af"),
}
FIELD_IDS = {"regulatory": "regulatory_status", "related_materials": "related-materials",
             "working_groups": "working-groups"}
FACET_HEADINGS = {"phase": _l("Fase"), "area": _l("Klinisk område"), "owner": _l("Organisation"),
                  "regulatory": _l("Regulatorisk status")}


@bp.app_template_filter("phase_label")
def phase_label(value: str) -> str:
    return label(PHASES, value, current_lang())


@bp.app_template_filter("regulatory_label")
def regulatory_label(value: str) -> str:
    return label(REGULATORY, value, current_lang())


@bp.app_template_filter("organisation")
def organisation_label(value: str) -> str:
    return projects().organisations.label(value, current_lang())


# -- reading --------------------------------------------------------------------------------------------------------


def _chosen() -> tuple[list[Project], ProjectFilters]:
    """Every project and the filters of the query string (unknown values are ignored, not errors)."""
    registry = projects()
    everything = registry.all()
    values = {name: check_filter(name, request.args.get(name), everything, registry.organisations)
              for name in FILTERS}
    return everything, ProjectFilters(**values)


def _facet_label(name: str, value: str) -> str:
    if name == "phase":
        return phase_label(value)
    if name == "regulatory":
        return regulatory_label(value)
    if name == "owner":
        return organisation_label(value)
    return value


@bp.get("/projekter/")
def browse() -> str:
    everything, filters = _chosen()
    chosen = filters.chosen()
    shown = filter_projects(everything, filters)

    def link(**changes: str | None) -> str:
        params = {**chosen, **changes}
        return url_for("projects.browse", **{k: v for k, v in params.items() if v})

    facets = [(name, FACET_HEADINGS[name],
               [(_facet_label(name, value), count, value == chosen.get(name),
                 link(**{name: None if value == chosen.get(name) else value})) for value, count in values])
              for name, values in facet_counts(everything, filters, projects().organisations).items()]
    user = current_user()
    problems = projects().problems(library()) if can(user, "read_drafts") else []
    return render_template("projects/browse.html", projects=shown, total=len(everything), facets=facets,
                           chosen=chosen, clear=url_for("projects.browse"),
                           csv_url=url_for("projects.export_csv", **chosen),
                           xlsx_url=url_for("projects.export_xlsx", **chosen),
                           may_create=can(user, "create_project"), problems=problems)


@bp.get("/projekter/<slug>/")
def project(slug: str) -> str:
    item = projects().get(slug)
    lib = library()
    hidden = hidden_from_reader()
    related = [lib.get(s) for s in item.related_materials if s in lib and s not in hidden]
    return render_template("projects/project.html", project=item, related=related,
                           groups=[(group, _group_url(group)) for group in item.working_groups],
                           may_edit=can_edit_project(current_user(), item), saved=request.args.get("gemt"))


def _group_url(group: str) -> str:
    try:
        return url_for("groups.group", slug=group)
    except BuildError:  # no page per group: the list of groups, at the group
        return url_for("groups.groups") + f"#group-{group}"


@bp.get("/projekter/eksport.csv")
def export_csv() -> Response:
    everything, filters = _chosen()
    data = to_csv(filter_projects(everything, filters), projects().organisations)
    return _download(data, "text/csv; charset=utf-8", "projekter.csv")


@bp.get("/projekter/eksport.xlsx")
def export_xlsx() -> Response:
    everything, filters = _chosen()
    data = to_xlsx(filter_projects(everything, filters), projects().organisations)
    return _download(data, XLSX_MIMETYPE, "projekter.xlsx")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "private, max-age=60"})


# -- adding and editing ---------------------------------------------------------------------------------------------


def _posted(data: MultiDict | None = None) -> dict:
    """The form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "") for key in TEXT_FIELDS}
    form.update({key: data.getlist(key) for key in LIST_FIELDS})
    form["example"] = bool(data.get("example"))
    return form


def _form_of(item: Project, base: str) -> dict:
    return {
        "title": item.title, "summary": item.summary, "owner": item.owner, "department": item.department,
        "clinical_area": item.clinical_area, "problem": item.problem, "phase": item.phase,
        "ai_method": item.ai_method, "regulatory_status": item.regulatory_status,
        "regulatory_class": item.regulatory_class or "", "start": item.start.isoformat() if item.start else "",
        "end": item.end.isoformat() if item.end else "", "contacts": contacts_to_lines(item.contacts),
        "data_sources": "\n".join(item.data_sources), "links": links_to_lines(item.links),
        "related_materials": list(item.related_materials), "working_groups": list(item.working_groups),
        "example": item.example, "base": base,
    }


def _data(form: dict, *, created_by: str, example: bool) -> dict:
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
            data[name] = _date_or_text(form[name].strip())
    rest = {"links": links_from_lines(form["links"]), "related_materials": form["related_materials"],
            "working_groups": form["working_groups"], "created_by": created_by}
    data.update({key: value for key, value in rest.items() if value})
    return data


def _date_or_text(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value  # refused by the check, with a message, and kept in the form


def _choices(form: dict) -> dict:
    registry = projects()
    organisations = registry.organisations
    groups = [g.name for g in working_groups(current_app.extensions[ACCOUNTS_KEY], library())]
    groups += [g for g in form["working_groups"] if g not in groups]
    hidden = hidden_from_reader()
    materials = [m for m in library().materials() if m.slug not in hidden]
    return {"organisations": [(o, organisations.label(o, current_lang())) for o in organisations.ids()],
            "phases": list(PHASES), "statuses": list(REGULATORY), "classes": CE_CLASSES,
            "areas": sorted({p.clinical_area for p in registry.all() if p.clinical_area}, key=str.casefold),
            "groups": groups, "materials": materials, "field_labels": FIELD_LABELS, "field_ids": FIELD_IDS}


def _errors(problems: list[Problem]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field if problem.field in FIELD_LABELS else "", []).append(problem.message)
    return errors


def _author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


def _signed_in_or_redirect():
    user = current_user()
    if user is None:
        return None, (sign_in_again(request.path) if request.method == "POST"
                      else redirect(url_for("auth.login", next=request.path)))
    return user, None


OLD_FORM = _l("Formularen var for gammel (eller din session udløb). Det, du har skrevet, er bevaret – gem igen.")
RESUMED = _l("Du er logget ind igen. Det, du har skrevet, er bevaret – gem det nu.")


@bp.route("/projekter/ny", methods=["GET", "POST"])
def create():
    user, response = _signed_in_or_redirect()
    if response is not None:
        return response
    if not can(user, "create_project"):
        abort(403)
    may_mark_example = can(user, "edit_project")  # facilitators mark the bundled examples

    def page(form: dict, status: int = 200, problems: list[Problem] = (), message: str | None = None):
        return render_template("projects/form.html", form=form, project=None, problems=problems,
                               errors=_errors(problems), message=message, may_mark_example=may_mark_example,
                               action=url_for("projects.create"), **_choices(form)), status

    if request.method == "GET" and (kept := resumed_form()) is not None:  # typed before the session ended
        return page(_posted(kept), message=str(RESUMED))
    if request.method == "GET":
        empty = dict.fromkeys(TEXT_FIELDS, "")
        return page({**empty, "related_materials": [], "working_groups": [], "example": False})
    form = _posted()
    if not csrf.valid():
        return page(form, 400, message=str(OLD_FORM))
    registry = projects()
    slug = unique_slug(form["title"], (p.stem for p in (registry.library_dir / "projects").glob("*.yaml")))
    data = _data(form, created_by=user.name, example=may_mark_example and form["example"])
    where = f"library/projects/{slug}.yaml"
    problems = related_problems(form["related_materials"], library(), where)
    try:
        if problems:
            raise Invalid("unknown related materials", problems)
        save_record(instance(), registry.records, slug, data, _author(user),
                    _("Nyt projekt: %(title)s", title=data["title"]), create=True)
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    except Conflict:  # another project got this file name a moment ago
        return page(form, 409, message=_("Et andet projekt blev gemt med samme filnavn i samme øjeblik. Gem igen."))
    return redirect(url_for("projects.project", slug=slug, gemt="ny"))


@bp.route("/projekter/<slug>/rediger", methods=["GET", "POST"])
def edit(slug: str):
    registry = projects()
    item = registry.get(slug)
    user, response = _signed_in_or_redirect()
    if response is not None:
        return response
    if not can_edit_project(user, item):
        abort(403)
    may_mark_example = can(user, "edit_project")

    def page(form: dict, status: int = 200, problems: list[Problem] = (), message: str | None = None):
        return render_template("projects/form.html", form=form, project=item, problems=problems,
                               errors=_errors(problems), message=message, may_mark_example=may_mark_example,
                               action=url_for("projects.edit", slug=slug), **_choices(form)), status

    if request.method == "GET" and (kept := resumed_form()) is not None:
        return page(_posted(kept), message=str(RESUMED))
    if request.method == "GET":
        return page(_form_of(*registry.records.current(slug)))
    form = _posted()
    if not csrf.valid():
        return page(form, 400, message=str(OLD_FORM))
    data = _data(form, created_by=item.created_by,
                 example=form["example"] if may_mark_example else item.example)
    problems = related_problems(form["related_materials"], library(), item.path)
    try:
        if problems:
            raise Invalid("unknown related materials", problems)
        result = save_record(instance(), registry.records, slug, data, _author(user),
                             _("Projekt redigeret: %(title)s", title=data["title"]), create=False,
                             base=form["base"])  # a form without its base is refused like a stale one
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    except Conflict:
        form["base"] = registry.records.digest(slug)  # saving again keeps this text, now knowingly
        return page(form, 409, message=_("En anden har gemt projektet, siden du åbnede det. Din udgave er bevaret "
                                         "nedenfor: se projektets side i en ny fane, og gem igen for at bruge din."))
    except NotFound:
        abort(404)
    return redirect(url_for("projects.project", slug=result.slug, gemt="gemt"))
