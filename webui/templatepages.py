"""Template pages: the catalogue, one page per template (its questions and related materials), the example.

The web form that fills a template in comes with the readers' web UI; these pages already let a reader find
a template (also through search), see what it asks and download a filled-in example.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from toolkit.generate import render_docx
from webui.context import library, templates

bp = Blueprint("templatepages", __name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPE_LABELS = {"text": "Tekst", "textarea": "Længere tekst", "number": "Tal", "date": "Dato", "boolean": "Ja/nej",
               "choice": "Ét valg", "multichoice": "Flere valg", "group": "Liste"}


@bp.get("/skabeloner/")
def catalogue() -> str:
    packages, _problems = templates().packages()
    return render_template("templatepages/catalogue.html", packages=packages)


@bp.get("/skabeloner/<name>/")
def template(name: str) -> str:
    package = templates().get(name)
    lib = library()
    related = [lib.get(slug) for slug in package.form.related if slug in lib]
    return render_template("templatepages/template.html", package=package, related=related, type_labels=TYPE_LABELS)


@bp.get("/skabeloner/<name>/eksempel.docx")
def example(name: str) -> Response:
    package = templates().get(name)
    generated = render_docx(package, package.example())
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="eksempel-{generated.filename}"',
        "Cache-Control": "no-store"})
