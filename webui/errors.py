"""Friendly error pages in the site's layout; core errors map to HTTP statuses here."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from toolkit.errors import InvalidSlug, NotFound
from webui.context import library

MESSAGES = {
    400: ("Ugyldig forespørgsel", "Adressen eller formularen indeholder noget, vi ikke kan bruge."),
    404: ("Siden findes ikke", "Vi kan ikke finde det, du leder efter. Måske er adressen stavet forkert, "
                               "eller materialet er flyttet."),
    413: ("For stor forespørgsel", "Det, du sendte, er større end vi tager imod."),
    500: ("Der skete en fejl", "Noget gik galt hos os. Prøv igen om lidt; fejlen er logget."),
}


def error_page(status: int, detail: str | None = None, suggestion: str | None = None) -> tuple[str, int]:
    title, text = MESSAGES.get(status, (f"Fejl {status}", "Forespørgslen kunne ikke gennemføres."))
    suggested = library().get(suggestion) if suggestion else None
    return render_template("error.html", status=status, title=title, text=text, detail=detail,
                           suggested=suggested), status


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[str, int]:
        return error_page(404, suggestion=exc.suggestion)

    @app.errorhandler(InvalidSlug)
    def invalid_slug(exc: InvalidSlug) -> tuple[str, int]:
        return error_page(400, "Adressen indeholder et ugyldigt materialenavn.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return error_page(exc.code or 500)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        return error_page(500)
