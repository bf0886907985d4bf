"""Friendly error pages in the site's layout; core errors map to HTTP statuses here."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from toolkit.errors import Invalid, InvalidSlug, NetkitError, NotFound, Problem, WriteFailed
from toolkit.search.index import SearchUnavailable
from webui.context import library, projects, templates
from webui.coremessages import core_problems
from webui.refusals import Refused

MESSAGES = {
    400: (_l("Ugyldig forespørgsel"), _l("Adressen eller formularen indeholder noget, vi ikke kan bruge.")),
    403: (_l("Du har ikke adgang"), _l("Det, du prøvede, kræver en anden rolle eller arbejdsgruppe, end du har.")),
    404: (_l("Siden findes ikke"), _l("Vi kan ikke finde det, du leder efter. Måske er adressen stavet forkert, "
                                      "eller materialet er flyttet.")),
    413: (_l("For stor forespørgsel"), _l("Det, du sendte, er større end vi tager imod.")),
    500: (_l("Der skete en fejl"), _l("Noget gik galt hos os. Prøv igen om lidt; fejlen er logget.")),
    503: (_l("Ikke muligt lige nu"), _l("Det kan denne server ikke lave lige nu.")),
}


WRITE_FAILED = _l("Der blev ikke gemt, fordi serveren ikke kunne skrive lige nu (en anden gemmer, eller disken er "
                  "fuld). Din tekst er bevaret – prøv at gemme igen om lidt.")


def not_saved(exc: WriteFailed) -> str:
    """What a form says when its save could not be written (the core's reason is in the log)."""
    from flask import current_app

    current_app.logger.warning("save not written: %s", exc)
    return str(WRITE_FAILED)


def error_page(status: int, detail: str | None = None, suggestion: str | None = None) -> tuple[str, int]:
    title, text = MESSAGES.get(status, (_("Fejl %(status)s", status=status),
                                        _("Forespørgslen kunne ikke gennemføres.")))
    return render_template("error.html", status=status, title=title, text=text, detail=detail,
                           suggested=_suggested(suggestion)), status


def _suggested(suggestion: str | None) -> tuple[str, str] | None:
    """(title, url) of what the visitor probably meant: a template on template pages, a project on project
    pages, else a material."""
    if not suggestion:
        return None
    try:
        if request.blueprint == "templatepages":
            return templates().get(suggestion).title, url_for("templatepages.template", name=suggestion)
        if request.blueprint == "projects":
            return projects().get(suggestion).title, url_for("projects.project", slug=suggestion)
        return library().get(suggestion).title, url_for("reader.material", slug=suggestion)
    except NetkitError:
        return None


def _api() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str, problems: list[Problem] = ()) -> tuple[Response, int]:
    """An error of the JSON API: the message and, per problem, the field it concerns."""
    return jsonify({"error": message, "problems": [{"field": p.field, "message": p.message} for p in problems]}), \
        status


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        if _api():
            return api_error(404, str(exc))
        return error_page(404, suggestion=exc.suggestion)

    @app.errorhandler(InvalidSlug)
    def invalid_slug(exc: InvalidSlug):
        if _api():
            return api_error(400, str(exc), [Problem.at("path", str(exc), field="name")])
        return error_page(400, _("Adressen indeholder et ugyldigt navn: kun små bogstaver, tal og bindestreger."))

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid):
        if _api():
            return api_error(400, exc.args[0] if exc.args else str(exc), exc.problems)
        return error_page(400, core_problems(exc, 3))

    @app.errorhandler(SearchUnavailable)
    def search_unavailable(exc: SearchUnavailable):  # the index is damaged and cannot be rebuilt now (logged)
        if _api():
            return api_error(503, str(exc))
        return error_page(503, _("Søgningen er ikke tilgængelig lige nu. Prøv igen om et minut."))

    @app.errorhandler(WriteFailed)
    def write_failed(exc: WriteFailed):
        app.logger.warning("save not written: %s", exc)
        if _api():
            return api_error(503, str(exc))
        return error_page(503, str(WRITE_FAILED) if request.method == "POST" else _(
            "Serveren er optaget lige nu. Prøv igen om lidt."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _api():
            return api_error(exc.code or 500, exc.description or exc.name)
        return error_page(exc.code or 500, (exc.detail_html or exc.description) if isinstance(exc, Refused) else None)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("unhandled error")
        if _api():
            return api_error(500, "internal error; it has been logged")
        return error_page(500)
