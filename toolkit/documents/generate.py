"""Generate a Word document from a template package and answers: docxtpl inside Jinja's sandbox.

    answers → TemplatePackage.context (validate, compute, rules) → render_docx → .docx bytes (→ PDF)

Answers are XML-escaped (autoescape), so text such as `<b>&` cannot break the document. A template that
tries to reach Python internals is refused by the sandbox, and every template error names the place in
the document ("table 2, row 3, cell 1: “{{ x.__class__ }}”"), not an XML offset.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from toolkit.documents.docxfile import Place, check_docx, jinja_source, open_docx, parts, text_view
from toolkit.documents.expressions import ExpressionError, render_text
from toolkit.documents.packages import TemplatePackage
from toolkit.documents.sandbox import document_environment
from toolkit.documents.sandboxlimits import LimitExceeded
from toolkit.errors import Invalid, Problem


class TemplateProblem(Invalid):
    """The Word template itself is broken (syntax, unknown names, refused by the sandbox)."""


@dataclass(frozen=True)
class GeneratedDocument:
    data: bytes
    filename: str
    context: dict[str, Any]


def render_docx(package: TemplatePackage, answers: Mapping[str, Any] | None, *, today: dt.date | None = None,
                lang: str = "da") -> GeneratedDocument:
    """The tailored .docx for these answers; Invalid (by field) for bad answers, TemplateProblem for a bad template."""
    context = package.context(answers, today=today, lang=lang)
    display = package.display("template.docx")
    data = render_template_bytes(package.docx_bytes(), context, display, properties={
        "title": _title(package, context),
        "subject": package.form.description.get(lang),
        "keywords": package.name,
        "version": package.version,
        "comments": f"Udfyldt med Netkit-skabelonen {package.name} {package.version}",
    })
    return GeneratedDocument(data, f"{_file_stem(package, context)}.docx", context)


def render_template_bytes(template: bytes, context: Mapping[str, Any], display: str, *,
                          properties: Mapping[str, str] | None = None) -> bytes:
    """Render docxtpl tags of `template` with `context` in the sandbox and return the .docx bytes."""
    check_docx(template, display)  # refuses non-Word files, encrypted files and zip bombs before docxtpl sees them
    document = DocxTemplate(io.BytesIO(template))
    try:
        document.init_docx()
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        raise Invalid(f"{display} cannot be opened", [Problem.at(display, f"Word file is damaged: {exc}")]) from None
    try:
        document.render(dict(context), jinja_env=document_environment(), autoescape=True)
    except (TemplateError, SecurityError, ExpressionError) as exc:
        raise _template_problem(exc, template, display) from None
    except (TypeError, ValueError, LookupError, AttributeError, ArithmeticError) as exc:
        # A tag that does something impossible with an answer, e.g. loops over a number.
        raise TemplateProblem(f"{display} cannot be rendered",
                              [Problem.at(display, f"a tag failed: {exc}; check the tags that use this value")]) \
            from None
    core = document.docx.core_properties
    core.author = "Netkit"
    core.last_modified_by = "Netkit"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.created = now
    core.modified = now
    core.revision = 1
    for key, value in (properties or {}).items():
        setattr(core, key, value[:255])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _title(package: TemplatePackage, context: Mapping[str, Any]) -> str:
    """The document's title property: form.yaml's `document_title` (a text with tags), else the form's title."""
    if package.form.document_title:
        try:
            return render_text(package.form.document_title, context).strip() or package.form.title.da
        except ExpressionError:
            return package.form.title.da
    return package.form.title.da


def _file_stem(package: TemplatePackage, context: Mapping[str, Any]) -> str:
    stem = package.name
    if package.form.output_name:
        try:
            stem = render_text(package.form.output_name, context) or stem
        except ExpressionError:
            stem = package.name
    return slug_for_file(stem) or package.name


def slug_for_file(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug if len(slug) <= 80 else slug[:80].rsplit("-", 1)[0]


# --- locating template errors in the document -----------------------------------------------------------------

def _template_problem(exc: Exception, template: bytes, display: str) -> TemplateProblem:
    places = text_view(open_docx(template, display))
    if isinstance(exc, TemplateSyntaxError):
        located = locate_syntax_errors(places, display)
        if located:
            return TemplateProblem(f"{display} has a template error", located)
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, LimitExceeded):
        message = (f"stopped by the sandbox's limits: {message}; make the loops or repeated texts in the template "
                   "smaller")
    elif isinstance(exc, SecurityError):
        message = f"refused by the sandbox: {message}; templates may only use the answers, not Python internals"
    elif isinstance(exc, UndefinedError):
        message = f"{message}; declare it in form.yaml or fix the tag"
    place = _find_place(places, _culprit(exc))
    field = place.describe() if place else None
    return TemplateProblem(f"{display} cannot be rendered", [Problem.at(display, message, field=field)])


def locate_syntax_errors(places: list[Place], display: str) -> list[Problem]:
    """Parse each part of the document the way docxtpl does and name the paragraph of each syntax error."""
    env = document_environment()
    problems = []
    for part_places in parts(places).values():
        try:
            env.parse(jinja_source(part_places))
        except TemplateSyntaxError as exc:
            index = min(max((exc.lineno or 1) - 1, 0), len(part_places) - 1)
            problems.append(Problem.at(display, f"template syntax: {exc.message}",
                                       field=part_places[index].describe()))
    return problems


def _culprit(exc: Exception) -> str | None:
    quoted = re.findall(r"'([^']+)'", str(getattr(exc, "message", None) or exc))
    return quoted[0] if quoted else None


def _find_place(places: list[Place], needle: str | None) -> Place | None:
    if not needle:
        return None
    pattern = re.compile(r"\b" + re.escape(needle) + r"\b") if needle[:1].isalnum() else re.compile(re.escape(needle))
    return next((p for p in places if "{" in p.text and pattern.search(p.text)), None)
