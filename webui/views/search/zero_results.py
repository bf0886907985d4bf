"""What the search page offers when a query found nothing: the topics nearest to it, the kinds and topics to
browse (only those with materials this visitor can read), and the way to propose a topic for the network."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from toolkit.library.folder import Filters
from toolkit.people.permissions import can
from toolkit.search.nearest import nearest_topics
from toolkit.search.querytext import split_filters
from webui.context import library, search_index
from webui.i18n import current_lang
from webui.identity import current_user
from webui.visibility import hidden_from_reader

Link = tuple[str, str]  # (label, url)


@dataclass(frozen=True)
class ZeroResults:
    nearest: list[Link]
    kinds: list[Link]
    topics: list[Link]
    propose: tuple[str, str] | None  # (url, "propose" or "sign-in"); None for a signed-in person who may not


def zero_results(query: str) -> ZeroResults:
    lib = library()
    taxonomy, lang = lib.taxonomy, current_lang()
    counts = lib.facet_counts(Filters(hidden=hidden_from_reader()))
    present = {name: [value for value, _count in counts.get(name, [])] for name in ("kind", "topic")}

    def browse(name: str, vocabulary: str, values: list[str]) -> list[Link]:
        return [(taxonomy.label(vocabulary, value, lang), url_for("reader.browse", **{name: value}))
                for value in values]

    labels = {topic: [taxonomy.label("topics", topic, code) for code in ("da", "en")] for topic in present["topic"]}
    nearest = nearest_topics(split_filters(query)[0], labels, search_index().lexicon)
    return ZeroResults(browse("topic", "topics", nearest), browse("kind", "kinds", present["kind"]),
                       browse("topic", "topics", present["topic"]), _propose())


def _propose() -> tuple[str, str] | None:
    """The topic proposal page; for a visitor who is not signed in, the sign-in page that leads there."""
    user, page = current_user(), url_for("proposals.proposals_page")
    if user is None:
        return url_for("auth.login", next=page), "sign-in"
    return (page, "propose") if can(user, "propose_topic") else None
