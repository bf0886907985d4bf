"""Template pages: the catalogue, one page per template, the questionnaire as a web form, the download.

Filling in works without JavaScript: every question is shown (conditional ones say when they apply and
are ignored when they do not), rows are added with a button that posts the form back with everything
typed, and mistakes come back beside their fields. With JavaScript (static/forms.js) questions that do
not apply are hidden as you answer, from the server's own evaluation of the conditions.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.documents.applicability import applicability, describe_condition, drop_inapplicable
from toolkit.documents.generate import render_docx
from toolkit.documents.images import IMAGE_MAX
from toolkit.documents.packages import TemplatePackage
from toolkit.documents.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from toolkit.errors import Invalid, NotFound
from webui import csrf
from webui.context import library, templates
from webui.i18n import current_lang
from webui.views.documents import formdata

bp = Blueprint("templatepages", __name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPE_LABELS = {"text": _l("Tekst"), "textarea": _l("Længere tekst"), "number": _l("Tal"), "date": _l("Dato"),
               "boolean": _l("Ja/nej"), "choice": _l("Ét valg"), "multichoice": _l("Flere valg"), "group": _l("Liste"),
               "list": _l("Liste af værdier"), "image": _l("Billede")}
EXPIRED = _l("Formularen var for gammel (eller din session udløb). Dine svar er bevaret – send den igen.")


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


@bp.get("/skabeloner/<name>/regler")
def rules(name: str) -> str:
    """The template's rules laid out for review by a regulatory expert (toolkit.documents.rulesview)."""
    from toolkit.documents.rulesview import rules_view

    package = templates().get(name)
    view = rules_view(package, current_lang())
    if view is None:
        raise NotFound(f"'{name}' has no rules")
    return render_template("templatepages/rules.html", package=package, view=view)


@bp.get("/skabeloner/<name>/eksempel.docx")
def example(name: str) -> Response:
    package = templates().get(name)
    generated = render_docx(package, package.example())
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="eksempel-{generated.filename}"',
        "Cache-Control": "no-store"})


@bp.route("/skabeloner/<name>/udfyld", methods=["GET", "POST"])
def fill(name: str):
    package = templates().get(name)
    if request.method == "GET":  # simple answers may be given in the address (a link from a group's page)
        given = {q.id: request.args[q.id][:200] for q in package.form.questions()
                 if q.type in ("text", "date", "choice") and request.args.get(q.id)}
        return _form_page(package, given)
    chosen = formdata.uploads(request.files)
    if not csrf.valid():  # checked before any work on the answers; what was typed still comes back
        return _form_page(package, formdata.answers_from(package.form, request.form, chosen), message=EXPIRED,
                          status=400)
    answers = formdata.answers_from(package.form, request.form, chosen)
    action = request.form.get("action", "")
    if action == "edit" or action.startswith("add:"):
        return _form_page(package, answers, add=action[4:] or None)
    relevant = drop_inapplicable(package.form, answers)
    try:
        context = package.context(relevant, lang=current_lang())
    except Invalid as exc:
        return _form_page(package, answers, errors=formdata.error_fields(exc.problems, current_lang()), status=400)
    return render_template("templatepages/summary.html", package=package, context=context,
                           hidden=formdata.hidden_fields(request.form, chosen), pdf=pdf_available())


@bp.post("/skabeloner/<name>/hent")
def download(name: str):
    package = templates().get(name)
    if not csrf.valid():
        return _form_page(package, formdata.answers_from(package.form, request.form), message=EXPIRED, status=400)
    answers = formdata.answers_from(package.form, request.form)
    try:
        generated = render_docx(package, drop_inapplicable(package.form, answers), lang=current_lang())
    except Invalid as exc:
        return _form_page(package, answers, errors=formdata.error_fields(exc.problems, current_lang()), status=400)
    if request.form.get("format") == "pdf":
        try:
            data = docx_to_pdf(generated.data, "dokument")
        except PdfUnavailable:
            return _form_page(package, answers, message=_("PDF kan ikke laves på denne server (LibreOffice "
                                                          "mangler). Hent Word-filen i stedet."), status=503)
        stem = generated.filename.rsplit(".", 1)[0]
        return Response(data, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{stem}.pdf"', "Cache-Control": "no-store"})
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{generated.filename}"', "Cache-Control": "no-store"})


@bp.post("/skabeloner/<name>/synlige")
def applicable(name: str):
    """Which questions apply to the answers so far (for static/forms.js)."""
    package = templates().get(name)
    if not csrf.valid():
        return jsonify({"error": "csrf"}), 400
    return jsonify(applicability(package.form, formdata.answers_from(package.form, request.form)))


def _form_page(package: TemplatePackage, answers: dict, *, errors: dict | None = None, message: str | None = None,
               add: str | None = None, status: int = 200):
    rows = {q.id: formdata.row_count(q, answers, extra=1 if q.id == add else 0) for q in package.form.questions()
            if q.is_group and q.repeat}
    if add and add not in rows:
        add = None
    lang = current_lang()
    conditions = {q.id: describe_condition(package.form, q.show_if, lang) for q in package.form.questions()}
    sections = {s.id: describe_condition(package.form, s.show_if, lang) for s in package.form.sections}
    values = formdata.field_values(package.form, answers)
    images = formdata.carried_images(values, lang)
    has_images = any(q.type == "image" or any(f.type == "image" for f in q.fields) for q in package.form.questions())
    return render_template("templatepages/fill.html", package=package, values=values, errors=errors or {},
                           message=message, rows=rows, conditions=conditions, section_conditions=sections,
                           type_labels=TYPE_LABELS, carried_images=images, has_images=has_images,
                           image_max_kb=IMAGE_MAX // 1024), status
