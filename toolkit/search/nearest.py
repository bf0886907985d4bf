"""The topics nearest to a query that found nothing: the taxonomy's topics whose labels (in any language) or
their synonyms are closest to the words typed, for the zero-result page to offer instead of a bare 0."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

from whoosh.lang import stopwords_for_language

from toolkit.search.analysis import Lexicon, fold

NEAR_ENOUGH = 0.75  # below this a topic only looks like the query by chance ("data" in every label)
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS = frozenset(fold(word) for lang in ("da", "en") for word in stopwords_for_language(lang))


def nearest_topics(words: str, topics: Mapping[str, Iterable[str]], lexicon: Lexicon, limit: int = 3) -> list[str]:
    """The ids of up to `limit` topics nearest to `words`, nearest first (taxonomy order on ties); `topics` maps
    each topic id to its labels. Empty when no topic is near enough."""
    typed = {word for word in map(fold, _WORD_RE.findall(words)) if word not in _STOPWORDS}
    if not typed:
        return []
    scored = []
    for order, (topic, labels) in enumerate(topics.items()):
        terms = {fold(label).strip() for label in labels}
        terms |= {synonym for term in list(terms) for synonym in lexicon.synonym_map.get(term, ())}
        names = {word for term in terms for word in _WORD_RE.findall(term) if word not in _STOPWORDS}
        score = max((similarity(a, b) for a in typed for b in names), default=0.0)
        if score >= NEAR_ENOUGH:
            scored.append((-score, order, topic))
    return [topic for _, _, topic in sorted(scored)[:limit]]


def similarity(typed: str, name: str) -> float:
    """How alike two folded words are, 0–1: the same word 1, one holding the other (a compound such as
    "dataadgangsansøgning" and "dataadgang") 0.9, else the share of letters in common."""
    if typed == name:
        return 1.0
    if min(len(typed), len(name)) >= 4 and (typed in name or name in typed):
        return 0.9
    return SequenceMatcher(None, typed, name).ratio()
