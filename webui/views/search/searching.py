"""The search page: query box, facet filters with counts, snippets, "Mente du …?", pages. Works without JS."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from toolkit.people.permissions import can
from toolkit.search.index import SearchUnavailable
from toolkit.search.querying import SearchResults
from toolkit.search.schema import FACETS
from webui import pagecache
from webui.addresses import site_path
from webui.context import SEARCH_KEY, library, search_index
from webui.i18n import current_lang
from webui.identity import current_user
from webui.views.search.zero_results import ZeroResults, zero_results
from webui.visibility import reads_drafts

bp = Blueprint("searching", __name__)

PER_PAGE = 10
# The core's messages, shown through the catalogue (the search module does not know the reader's language).
CORE_MESSAGES = (_l("Skriv et eller flere ord for at søge."),)
FILTER_PARAMS = {"kind": "kind", "topic": "topics", "audience": "audience"}
VOCABULARY_OF = {"kind": "kinds", "topics": "topics", "audience": "audiences", "status": "statuses"}


@bp.get("/sog")
def search() -> str:
    """The page; for visitors who are not signed in kept whole while the index's content is the same (popular
    queries repeat), and for everyone the results are kept by what they depend on (webui/pagecache.py)."""
    anchors = _search_anchors()
    return pagecache.shared_page(lambda: _search_page(anchors), *anchors)


def _search_anchors() -> tuple:
    """What the results are made from: the library, and the other searchable sources (templates, projects,
    meetings, and on an instance the editions) by the same signatures the index is synced by. (The editions are
    one of them, so they are not read a second time: each read looks at the tags on disk.)"""
    sources = current_app.extensions[SEARCH_KEY].sources
    return library(), tuple(source.signature() for source in sources)


def _search_page(anchors: tuple) -> str:
    query, chosen = request.args.get("q", "")[:500], _chosen_filters()
    results, zero = None, None
    if query.strip() or any(chosen.values()):
        results, zero = _answer(query, chosen, anchors)

    def link(**changes: str | int | None) -> str:
        params = {"q": query, **{k: v for k, v in chosen.items() if v}, **changes}
        return url_for("searching.search", **{k: v for k, v in params.items() if v not in (None, "")})

    hits = [(hit, Markup(hit.snippet_html)) for hit in results.hits] if results else []
    return render_template("searching/search.html", query=query, results=results, hits=hits, zero=zero,
                           facets=_facets(results, chosen, link) if results is not None else [], chosen=chosen,
                           link=link)


def _answer(query: str, chosen: dict[str, str | None], anchors: tuple) -> tuple[SearchResults, ZeroResults | None]:
    """The results (and, for a real query that found nothing, what to offer instead of a bare 0), kept per query
    with surrounding spaces and runs of spaces folded, filters, page, visibility, language and what may be offered."""
    drafts, user, page = reads_drafts(), current_user(), _page_number()  # members search the current text
    key = (" ".join(query.split()), tuple(sorted(chosen.items())), page, PER_PAGE, drafts, current_lang(),
           user is not None, can(user, "propose_topic"), request.script_root)

    def build() -> tuple[SearchResults, ZeroResults | None]:
        found = search_index().search(query, kind=chosen["kind"], topic=chosen["topic"], audience=chosen["audience"],
                                      page=page, per_page=PER_PAGE, include_drafts=drafts)
        # nothing found for a real query: offer topics, browsing and a topic proposal instead of a bare 0
        return found, zero_results(query) if not found.total and not found.message else None

    return pagecache.results().get_or_build(key, anchors, build)


def _chosen_filters() -> dict[str, str | None]:
    """The filters of the query string; an unknown value is ignored, not an error."""
    taxonomy = library().taxonomy
    chosen = {param: request.args.get(param) or None for param in FILTER_PARAMS}
    return {param: value if value in taxonomy.ids(VOCABULARY_OF[FILTER_PARAMS[param]]) else None
            for param, value in chosen.items()}


def _page_number() -> int:
    page = request.args.get("side", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1


def _facets(results, chosen: dict, link) -> list:
    """(parameter, vocabulary, [(value, count, chosen, the link that toggles it)]) per facet shown."""
    facets = []
    for name in FACETS:
        if name == "status":
            continue
        param = next(p for p, f in FILTER_PARAMS.items() if f == name)
        facets.append((param, VOCABULARY_OF[name], [
            (value, count, value == chosen[param], link(**{param: None if value == chosen[param] else value,
                                                           "side": None}))
            for value, count in results.facets.get(name, [])]))
    return facets


@bp.get("/sog/forslag")
def suggestions():
    """Titles starting with what has been typed so far (as-you-type; the search works without it)."""
    typed = request.args.get("q", "")[:100]
    try:
        found = search_index().suggest_titles(typed, limit=8)
    except SearchUnavailable:  # as-you-type is optional: the page search says what is wrong
        found = []
    response = jsonify([{"title": title, "url": site_path(url)} for title, url in found])
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
