"""The search page: query box, facet filters with counts, snippets, "Mente du …?", pages. Works without JS."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from toolkit.search.index import SearchUnavailable
from toolkit.search.schema import FACETS
from webui.addresses import site_path
from webui.context import library, search_index
from webui.views.search.zero_results import zero_results
from webui.visibility import reads_drafts

bp = Blueprint("searching", __name__)

PER_PAGE = 10
# The core's messages, shown through the catalogue (the search module does not know the reader's language).
CORE_MESSAGES = (_l("Skriv et eller flere ord for at søge."),)
FILTER_PARAMS = {"kind": "kind", "topic": "topics", "audience": "audience"}
VOCABULARY_OF = {"kind": "kinds", "topics": "topics", "audience": "audiences", "status": "statuses"}


@bp.get("/sog")
def search() -> str:
    query, chosen = request.args.get("q", "")[:500], _chosen_filters()
    results = None
    if query.strip() or any(chosen.values()):
        results = search_index().search(query, kind=chosen["kind"], topic=chosen["topic"],
                                        audience=chosen["audience"], page=_page_number(), per_page=PER_PAGE,
                                        include_drafts=reads_drafts())  # members: the current text

    def link(**changes: str | int | None) -> str:
        params = {"q": query, **{k: v for k, v in chosen.items() if v}, **changes}
        return url_for("searching.search", **{k: v for k, v in params.items() if v not in (None, "")})

    hits = [(hit, Markup(hit.snippet_html)) for hit in results.hits] if results else []
    # nothing found for a real query: offer topics, browsing and a topic proposal instead of a bare 0
    zero = zero_results(query) if results is not None and not results.total and not results.message else None
    return render_template("searching/search.html", query=query, results=results, hits=hits, zero=zero,
                           facets=_facets(results, chosen, link) if results is not None else [], chosen=chosen,
                           link=link)


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
