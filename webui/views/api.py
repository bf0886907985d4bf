"""The JSON API under /api/: materials, search, templates and generation, for the region's intranet and tools.

Reading is open like the site. Generation is a POST with a JSON body: browsers cannot send that across
sites without a CORS preflight, which this API never grants, so it needs no CSRF token. Errors are JSON:
`{"error": message, "problems": [{"field": …, "message": …}]}`. /api/openapi.json describes it all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.exceptions import BadRequest

from toolkit.documents.generate import render_docx
from toolkit.documents.questions import Question
from toolkit.errors import Invalid, Problem
from toolkit.library.folder import Filters
from webui.addresses import page_html, site_path
from webui.context import library, search_index, templates
from webui.views.openapi import openapi_document
from webui.visibility import hidden_from_reader, readable

bp = Blueprint("api", __name__, url_prefix="/api")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VOCABULARIES = {"kind": "kinds", "topic": "topics", "audience": "audiences"}


@bp.get("/openapi.json")
def openapi() -> Response:
    # Where the paths start: under the prefix the site is served at behind a proxy (/netkit), else at the root.
    return jsonify({**openapi_document(), "servers": [{"url": request.script_root or "/"}]})


@bp.get("/materials")
def materials() -> Response:
    lib = library()
    chosen = {name: request.args.get(name) or None for name in VOCABULARIES}
    for name, value in chosen.items():
        if value is not None and value not in lib.taxonomy.ids(VOCABULARIES[name]):
            raise Invalid("unknown filter value", [Problem.at("query", f"'{value}' is not a known {name}; allowed: "
                                                              f"{', '.join(lib.taxonomy.ids(VOCABULARIES[name]))}",
                                                              field=name)])
    return jsonify([_material(m) for m in lib.materials(Filters(**chosen, hidden=hidden_from_reader()))])


@bp.get("/materials/<slug>")
def material(slug: str) -> Response:
    lib = library()
    item, _state = readable(slug)  # the last edition for the public while a new draft is in progress
    rendered = lib.render(item)
    html = page_html(rendered.html, url_for("reader.material", slug=item.slug) + "media/")
    return jsonify({**_material(item), "markdown": item.body, "html": html,
                    "toc": [{"level": e.level, "anchor": e.anchor, "text": e.text} for e in rendered.toc]})


@bp.get("/search")
def search() -> Response:
    page = request.args.get("page", "1")
    per_page = request.args.get("per_page", "10")
    if not page.isdigit() or not per_page.isdigit() or not 1 <= int(per_page) <= 100:
        raise Invalid("bad paging", [Problem.at("query", "page is a positive number, per_page 1 to 100",
                                                field="page" if not page.isdigit() else "per_page")])
    results = search_index().search(request.args.get("q", "")[:500], kind=request.args.get("kind"),
                                    topic=request.args.get("topic"), audience=request.args.get("audience"),
                                    page=max(1, int(page)), per_page=int(per_page))
    return jsonify({
        "query": results.query, "total": results.total, "page": results.page, "pages": results.pages,
        "suggestion": results.suggestion, "corrected": results.corrected, "also": results.also,
        "message": results.message,
        "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in results.facets.items()},
        "hits": [{"slug": h.slug, "doctype": h.doctype, "title": h.title, "summary": h.summary, "kind": h.kind,
                  "status": h.status, "updated": h.updated, "url": site_path(h.url), "snippet_html": h.snippet_html,
                  "score": round(h.score, 4)} for h in results.hits]})


@bp.get("/templates")
def template_list() -> Response:
    packages, _problems = templates().packages()
    return jsonify([_template(p) for p in packages])


@bp.get("/templates/<name>")
def template(name: str) -> Response:
    package = templates().get(name)
    return jsonify({**_template(package), "sections": [
        {"id": s.id, "title": {"da": s.title.da, "en": s.title.get("en")}, "show_if": s.show_if,
         "questions": [_question(q) for q in s.questions]} for s in package.form.sections]})


@bp.post("/templates/<name>/generate")
def generate(name: str) -> Response:
    """The tailored Word file for JSON answers; `?explain=1` returns the derived facts instead."""
    package = templates().get(name)
    body = _json_body()
    answers = body.get("answers", body)
    if not isinstance(answers, dict):
        raise Invalid("answers must be an object", [Problem.at("body", "send {\"answers\": {question_id: answer}}",
                                                               field="answers")])
    if request.args.get("explain") in ("1", "true"):
        return jsonify(_plain(package.explain(answers)))
    generated = render_docx(package, answers, lang=request.args.get("lang", "da"))
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{generated.filename}"', "Cache-Control": "no-store"})


def _json_body() -> dict[str, Any]:
    if not request.is_json:
        raise Invalid("send JSON", [Problem.at("body", "the body must be JSON (Content-Type: application/json)")])
    try:
        body = request.get_json()
    except BadRequest:
        raise Invalid("the body is not valid JSON", [Problem.at("body", "the body is not valid JSON")]) from None
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object", [Problem.at("body", "send a JSON object")])
    return body


def _material(item) -> dict[str, Any]:
    return {**item.to_dict(), "url": url_for("reader.material", slug=item.slug),
            "docx": url_for("reader.material_file", slug=item.slug, slug_again=item.slug, fmt="docx")}


def _template(package) -> dict[str, Any]:
    form = package.form
    return {"name": package.name, "version": package.version,
            "title": {"da": form.title.da, "en": form.title.get("en")},
            "description": {"da": form.description.da, "en": form.description.get("en")},
            "related": list(form.related), "rules": package.rules is not None,
            "asked": {"da": list(form.asked), "en": list(form.asked_en)},
            "url": url_for("templatepages.template", name=package.name),
            "generate": url_for("api.generate", name=package.name)}


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "type": question.type, "required": question.required,
                            "label": {"da": question.label.da, "en": question.label.get("en")}}
    for key in ("help", "item_label"):
        value = getattr(question, key)
        if value is not None:
            data[key] = {"da": value.da, "en": value.get("en")}
    for key in ("default", "show_if", "min", "max", "pattern", "min_length", "max_length"):
        value = getattr(question, key)
        if value is not None:
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    if question.type == "boolean":
        data["allow_unknown"] = question.allow_unknown  # "ved ikke": leave it open (null), never "no"
    if question.options:
        data["options"] = [{"value": o.value, "label": {"da": o.label.da, "en": o.label.get("en")}}
                           for o in question.options]
    if question.fields:
        data["repeat"] = question.repeat
        data["fields"] = [_question(f) for f in question.fields]
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
