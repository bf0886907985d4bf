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

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from toolkit.errors import Conflict, Invalid, NotFound, Problem, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.history.records import save_record
from toolkit.network.calls import unknown_calls
from toolkit.network.projects.editing import (
    unique_slug,
)
from toolkit.network.projects.export import to_csv, to_xlsx
from toolkit.network.projects.filters import FILTERS, ProjectFilters, check_filter, facet_counts, filter_projects
from toolkit.network.projects.model import PHASES, REGULATORY, Project, label
from toolkit.network.projects.validation import related_problems
from toolkit.people.accounts import User
from toolkit.people.permissions import can, can_edit_project
from webui import csrf
from webui.context import instance, library, projects
from webui.errors import not_saved
from webui.guards import needs, signed_in
from webui.i18n import current_lang
from webui.identity import current_user, resumed_form
from webui.refusals import refuse
from webui.views.network.partnerdata import calls, in_reader_language, rows_in_error
from webui.views.network.projectform import (
    choices,
    empty_form,
    errors_by_field,
    form_of,
    posted,
    record_data,
)
from webui.visibility import hidden_from_reader

bp = Blueprint("projects", __name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    funding = [calls().get(s) for s in item.seeks_funding_from if s in calls()]
    return render_template("projects/project.html", project=item, related=related,
                           groups=[(group, _group_url(group)) for group in item.working_groups],
                           may_edit=can_edit_project(current_user(), item), saved=request.args.get("gemt"),
                           funding=funding)


def _group_url(group: str) -> str:
    try:
        return url_for("groups.group", slug=group)
    except BuildError:  # no page per group: the list of groups, at the group
        return url_for("groups.groups") + f"#group-{group}"


@bp.get("/projekter/eksport.csv")
def export_csv() -> Response:
    everything, filters = _chosen()
    data = to_csv(filter_projects(everything, filters), projects().organisations)
    return _download(data, "text/csv", "projekter.csv")


@bp.get("/projekter/eksport.xlsx")
def export_xlsx() -> Response:
    everything, filters = _chosen()
    data = to_xlsx(filter_projects(everything, filters), projects().organisations)
    return _download(data, XLSX_MIMETYPE, "projekter.xlsx")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "private, max-age=60"})


# -- adding and editing ---------------------------------------------------------------------------------------------


def _author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


OLD_FORM = _l("Formularen var for gammel (eller din session udløb). Det, du har skrevet, er bevaret – gem igen.")
RESUMED = _l("Du er logget ind igen. Det, du har skrevet, er bevaret – gem det nu.")


@bp.route("/projekter/ny", methods=["GET", "POST"])
@needs("create_project")
def create(user: User):
    page = _form_page(user, None, url_for("projects.create"))
    if request.method == "GET":
        kept = resumed_form()  # typed before the session ended
        return page(posted(kept), message=str(RESUMED)) if kept is not None else page(empty_form())
    form = posted()
    return page(form, 400, message=str(OLD_FORM)) if not csrf.valid() else _save_new(form, user, page)


@bp.route("/projekter/<slug>/rediger", methods=["GET", "POST"])
@signed_in
def edit(slug: str, user: User):
    item = projects().get(slug)
    if not can_edit_project(user, item):
        refuse("edit_project")
    page = _form_page(user, item, url_for("projects.edit", slug=slug))
    if request.method == "GET":
        kept = resumed_form()
        return page(posted(kept), message=str(RESUMED)) if kept is not None else page(
            form_of(*projects().records.current(slug)))
    form = posted()
    return page(form, 400, message=str(OLD_FORM)) if not csrf.valid() else _save_edit(item, form, user, page)


def _form_page(user: User, item: Project | None, action: str):
    """The form page for a new project (item None) or an existing one, with a status and what to say."""
    may_mark_example = can(user, "edit_project")  # facilitators mark the bundled examples

    def page(form: dict, status: int = 200, problems: list[Problem] = (), message: str | None = None):
        bad_rows = rows_in_error(list(problems))
        problems = in_reader_language(list(problems))
        return render_template("projects/form.html", form=form, project=item, problems=problems, bad_rows=bad_rows,
                               errors=errors_by_field(problems), message=message, may_mark_example=may_mark_example,
                               action=action, **choices(form)), status

    return page


def _save_new(form: dict, user: User, page):
    registry = projects()
    slug = unique_slug(form["title"], (p.stem for p in (registry.library_dir / "projects").glob("*.yaml")))
    data = record_data(form, created_by=user.name, example=can(user, "edit_project") and form["example"])
    problems = related_problems(form["related_materials"], library(), f"library/projects/{slug}.yaml")
    problems += unknown_calls(form["seeks_funding_from"], calls(), f"library/projects/{slug}.yaml")
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


def _save_edit(item: Project, form: dict, user: User, page):
    registry = projects()
    data = record_data(form, created_by=item.created_by,
                       example=form["example"] if can(user, "edit_project") else item.example)
    problems = related_problems(form["related_materials"], library(), item.path)
    problems += unknown_calls(form["seeks_funding_from"], calls(), item.path)
    try:
        if problems:
            raise Invalid("unknown related materials", problems)
        result = save_record(instance(), registry.records, item.slug, data, _author(user),
                             _("Projekt redigeret: %(title)s", title=data["title"]), create=False,
                             base=form["base"])  # a form without its base is refused like a stale one
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    except Conflict:
        form["base"] = registry.records.digest(item.slug)  # saving again keeps this text, now knowingly
        return page(form, 409, message=_("En anden har gemt projektet, siden du åbnede det. Din udgave er bevaret "
                                         "nedenfor: se projektets side i en ny fane, og gem igen for at bruge din."))
    except NotFound:
        abort(404)
    return redirect(url_for("projects.project", slug=result.slug, gemt="gemt"))
