"""Reading pages: the home page and one page per material."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import replace
from itertools import groupby

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from toolkit.documents.packages import TemplatePackage
from toolkit.documents.pdf import PdfUnavailable, pdf_available
from toolkit.errors import NotFound
from toolkit.history.publication import PUBLIC_STATUSES, PublicationState
from toolkit.library.folder import Filters, Library
from toolkit.library.freshness import month_of, review_of
from toolkit.library.materials import Material
from toolkit.people.permissions import can
from toolkit.publishing.editions import changes_in
from webui.addresses import page_html
from webui.context import edition_files, editions, instance, last_published, library, templates
from webui.errors import error_page
from webui.i18n import current_lang
from webui.identity import current_user
from webui.pagecache import pages, shared_page
from webui.visibility import hidden_from_reader, publication_state, readable

bp = Blueprint("reader", __name__)


# Entry points by need on the home page: (label, the browse filter or material it opens, a short explanation).
ENTRY_POINTS = (
    (_l("Adgang til data"), {"topic": "data-access"},
     _l("Forskning, kvalitetsudvikling og drift: hvad kræver hvad?")),
    (_l("CE-mærkning"), {"topic": "ce-marking"},
     _l("Er det medicinsk udstyr, hvilken klasse, og hvad skal på plads?")),
    (_l("Samtykke"), {"topic": "consent"}, _l("Hvornår der skal samtykke til, og hvilken model der passer.")),
    (_l("Klinisk evaluering"), {"topic": "clinical-evaluation"},
     _l("At vise, at AI-værktøjet virker for patienterne.")),
    (_l("Fra forskning til drift"), {"topic": "operations"},
     _l("Fra model i forskningen til værktøj i klinikken.")),
)


@bp.get("/")
def home() -> str:
    """The home page; for visitors who are not signed in kept whole per library version (webui/pagecache.py)."""
    return shared_page(_home_page)


def _home_page() -> str:
    lib = library()
    shown = lib.materials(Filters(hidden=hidden_from_reader()))
    groups = [(kind, list(items)) for kind, items in groupby(shown, key=lambda m: m.kind)]
    entries = [(label, url_for("reader.browse", **params), text) for label, params, text in ENTRY_POINTS]
    recent = lib.recent(5, published_at=last_published())  # the latest edition first
    return render_template("reader/home.html", groups=groups, total=len(shown), recent=recent, entries=entries)


@bp.get("/gennemse")
def browse() -> tuple[str, int]:
    """Materials by kind, topic and audience (and, for members, workflow status); filters combine, and each value
    shows how many it leaves. Kept like the home page, per query string."""
    return shared_page(_browse_page)


def _browse_page() -> tuple[str, int]:
    lib = library()
    vocabularies = {"kind": "kinds", "topic": "topics", "audience": "audiences"}
    chosen = {name: request.args.get(name) or None for name in vocabularies}
    for name, value in chosen.items():  # an unknown value is ignored, not an error
        if value is not None and value not in lib.taxonomy.ids(vocabularies[name]):
            chosen[name] = None
    status, status_error = _chosen_status(lib)
    filters = Filters(**chosen, hidden=hidden_from_reader(), status=status)

    def link(**changes: str | None) -> str:
        params = {**{k: v for k, v in chosen.items() if v}, "status": status, **changes}
        return url_for("reader.browse", **{k: v for k, v in params.items() if v})

    facets = [(name, vocabularies[name], [(value, count, value == chosen[name],
                                           link(**{name: None if value == chosen[name] else value}))
                                          for value, count in values])
              for name, values in lib.facet_counts(filters).items()]
    shown = Counter(m.status for m in lib.materials(replace(filters, status=None)))
    statuses = [(value, shown[value]) for value in lib.taxonomy.ids("statuses")] if can(current_user(),
                                                                                          "read_drafts") else []
    page = render_template("reader/browse.html", materials=lib.materials(filters), facets=facets, chosen=chosen,
                           clear=url_for("reader.browse"), vocabularies=vocabularies, status=status,
                           statuses=statuses, status_error=status_error)
    return page, 400 if status_error else 200


def _chosen_status(lib: Library) -> tuple[str | None, str | None]:
    """(the workflow status asked for, or None; the message for one that does not exist)."""
    value = request.args.get("status") or None
    if value is None or value in lib.taxonomy.ids("statuses"):
        return value, None
    known = ", ".join(lib.taxonomy.label("statuses", s, current_lang()) for s in lib.taxonomy.ids("statuses"))
    return None, _("Der er ingen status, der hedder »%(value)s«. Vælg en af disse: %(known)s. Nu vises materialer "
                   "med alle statusser.", value=value[:40], known=known)


@bp.get("/m/<slug>/")
def material(slug: str) -> str:
    """A material's page, kept as finished HTML per library version, language and template listing for
    visitors who are not signed in (their page has no per-visitor parts), so a popular guide is rendered
    once, not on every request."""
    lib = library()
    catalogue = templates()
    packages, _problems = catalogue.packages()
    if session.get("user"):  # signed-in pages carry the user's name and form token: never shared
        return _material_page(slug, lib, packages)
    key = (slug, current_lang(), request.query_string, tuple(id(p) for p in packages), _this_month())
    return _cached(key, lib, lambda: _material_page(slug, lib, packages))


def _this_month() -> str:
    """Part of a kept page's key: whether a review is overdue changes with the month, not only with the text."""
    return month_of(dt.date.today())


def _cached(key: tuple, lib: Library, build) -> str:
    """A finished page kept while the library object (a version of the whole library) is the same."""
    return pages().get_or_build(("material", *key, request.script_root, request.host), (lib,), build)


def _material_page(slug: str, lib: Library, packages: list[TemplatePackage]) -> str:
    item, state = readable(slug)
    return _render_material(item, state, lib, packages, edition=None if item is lib.get(slug) else item.version)


@bp.get("/m/<slug>/v/<version>/")
def edition(slug: str, version: str) -> str:
    """A published edition at its stable address: exactly the text that was published, for as long as the
    history lasts (an edition is immutable, so its page is kept once rendered)."""
    lib = library()
    current, _state = readable(slug)  # the same visibility as the material itself
    known = editions().get(slug, [])
    if version not in known:  # the cached list may predate a tag made a moment ago by another process
        known = [e.version for e in instance().versions(slug)]
    if version not in known:
        return error_page(404, _("%(title)s har ingen udgave %(version)s. Udgivne udgaver: %(known)s.",
                                 title=current.title, version=version[:20], known=", ".join(known) or _("ingen")))
    packages, _problems = templates().packages()

    def build() -> str:
        item = instance().read_version(slug, version)
        return _render_material(item, publication_state(current), lib, packages, edition=version)

    if session.get("user"):
        return build()
    return _cached(("edition", slug, version, current_lang(), tuple(id(p) for p in packages), _this_month()), lib,
                   build)


@bp.get("/m/<slug>/v/<version>/aendringer")
def edition_changes(slug: str, version: str) -> str:
    """What changed in an edition since the one before: the publish message and the side-by-side diff."""
    current, _state = readable(slug)
    changes = changes_in(instance(), slug, version)
    return render_template("reader/changes.html", material=current, changes=changes)


def _render_material(item: Material, state: PublicationState, lib: Library, packages: list[TemplatePackage], *,
                     edition: str | None) -> str:
    """The material page; `edition` when showing a frozen edition rather than the current text."""
    rendered = lib.render(item)
    # media:name → this page's own file address (webui.views.library.media serves it with the page's visibility)
    page = url_for("reader.edition", slug=item.slug, version=edition) if edition else \
        url_for("reader.material", slug=item.slug)
    body = page_html(rendered.html, f"{page}media/")
    related_templates = [p for p in packages if item.slug in p.form.related]
    replacement = lib.get(item.replaced_by) if item.replaced_by and item.replaced_by in lib else None
    versions = instance().versions(item.slug) if item.slug in editions() else []
    hidden = hidden_from_reader()
    return render_template("reader/material.html", material=item, body=Markup(body), toc=rendered.toc,
                           versions=list(reversed(versions)),
                           related=[m for m in lib.related(item) if m.slug not in hidden],
                           related_templates=related_templates, state=state, edition=edition,
                           replacement=replacement, review=review_of(item, dt.date.today()))



@bp.get("/m/<slug>/<slug_again>.<any(docx, pdf):fmt>")
def material_file(slug: str, slug_again: str, fmt: str) -> Response:
    """The material as a Word or PDF file: for readers the published edition (built once, kept on disk), for
    signed-in members the current text (kept in memory by its content)."""
    if slug_again != slug:
        raise NotFound(f"no file {slug_again}.{fmt}")
    item, _state = readable(slug)
    if item.version in editions().get(slug, []) and (item is not library().get(slug)
                                                     or item.status in PUBLIC_STATUSES):
        return _edition_file(slug, item.version, fmt)
    return _file_response(slug, fmt, lambda: _current_file(item, fmt))


@bp.get("/m/<slug>/v/<version>/<slug_again>.<any(docx, pdf):fmt>")
def edition_file(slug: str, version: str, slug_again: str, fmt: str) -> Response:
    if slug_again != slug:
        raise NotFound(f"no file {slug_again}.{fmt}")
    readable(slug)  # the same visibility as the material itself
    return _edition_file(slug, version, fmt)


def _edition_file(slug: str, version: str, fmt: str) -> Response:
    return _file_response(slug, fmt, lambda: edition_files().edition(instance(), slug, version, fmt))


def _file_response(slug: str, fmt: str, build) -> Response:
    if fmt == "pdf" and not pdf_available():
        return error_page(503, _("PDF kan ikke laves på denne server (LibreOffice mangler). Hent Word-filen i stedet."))
    try:
        data = build()
    except PdfUnavailable:
        return error_page(503, _("PDF-konverteringen mislykkedes. Hent Word-filen i stedet."))
    mimetype = DOCX_MIMETYPE if fmt == "docx" else "application/pdf"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{slug}.{fmt}"', "Cache-Control": "private, max-age=300"})


def _current_file(item: Material, fmt: str) -> bytes:
    """A file of the current text (a draft), cached in memory by what it contains."""
    content = repr((item.title, item.summary, item.kind, item.status, item.version, item.updated, item.authors,
                    item.topics, item.body, item.recipients, item.signatories, item.decision_requested,
                    item.key_points, _media_signature(item.slug)))
    key = (item.slug, fmt, hashlib.sha1(content.encode()).hexdigest())
    cached = _EXPORTS.get(key)
    if cached is None:
        cached = edition_files().build(item, library(), fmt)
        if len(_EXPORTS) > 64:
            _EXPORTS.clear()
        _EXPORTS[key] = cached
    return cached


def _media_signature(slug: str) -> list[tuple[str, int, int]]:
    """The material's files as they are now: a picture replaced under the same name makes a new export."""
    found = []
    for name in sorted(library().media_names(slug)):
        path = library().media_file(slug, name)
        try:
            stat = path.stat() if path is not None else None
        except OSError:  # deleted a moment ago
            stat = None
        if stat is not None:
            found.append((name, stat.st_size, stat.st_mtime_ns))
    return found


_EXPORTS: dict[tuple[str, str, str], bytes] = {}
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Clients that ask for /favicon.ico without reading the page's <link rel="icon"> get the icon too, not a 404."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
