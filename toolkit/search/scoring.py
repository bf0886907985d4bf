"""How a parsed query is scored for relevance, on top of the ranker's per-term BM25 arrays (ranking.py).

What BM25 over the one weighted text field (schema.TEXT_FIELDS) does not do, each measured on the judged set
(bench/relevance.py, README "Ranking"):

- **A word in the title counts on its own.** The title is repeated TITLE_WEIGHT times in the text field, but
  BM25 saturates: four title occurrences score hardly more than a dozen passing mentions in a long body, so a
  recommendation that mentions "adgang til data" in passing outranked the guide titled "Adgang til data". A
  query word found in a document's title adds TITLE_BONUS × the word's idf (a word common in the library adds
  little), whatever the body says.
- **A synonym group is one concept.** "AI" is searched as ai, "kunstig intelligens", maskinlæring …; summed,
  a document using two of the alternatives (and a two-word phrase counts both its words) outscored one that
  answers the rest of the question. A group (querytext.synonym_groups → DisjunctionMax) scores its best
  alternative, and a phrase the mean of its words, so a concept weighs one word whichever way it is written.
- **A compound the library writes as two words** ("journalopslag": "opslag i journalen") is searched as its
  parts when no document holds it whole (with_compound_parts), all parts required, weighing one word.

Which documents match is the ranker's masks (of the query with compounds rewritten); the scores are these.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh.query import And, AndNot, DisjunctionMax, Or, Phrase, Query, Term

from toolkit.search.ranking import Ranker

TITLE_BONUS = 1.0
TITLE_FIELD = "title"
TITLED = ("content",)  # the title field is analysed as Danish: its terms are the Danish text field's


def query_scores(ranker: Ranker, query: Query) -> np.ndarray | None:
    """Every document's score for `query` (0 where it does not match); None for a shape the arrays cannot
    combine (the caller lets Whoosh score it)."""
    if isinstance(query, Term):
        scores = term_scores(ranker, query.fieldname, query.text)
        return scores if query.boost == 1 else scores * np.float32(query.boost)
    if isinstance(query, Phrase):
        words = [w.decode() if isinstance(w, bytes) else w for w in query.words]
        if not words:
            return None
        mean = np.add.reduce([term_scores(ranker, query.fieldname, w) for w in words]) / np.float32(len(words))
        return mean * ranker.mask(query) * np.float32(query.boost)
    if isinstance(query, Or | And | DisjunctionMax):
        parts = [query_scores(ranker, q) for q in query.subqueries]
        if not parts or any(part is None for part in parts):
            return None
        if isinstance(query, DisjunctionMax):
            return np.maximum.reduce(parts) * np.float32(query.boost)
        total = np.add.reduce(parts)
        if isinstance(query, And):
            total = total * np.logical_and.reduce([part > 0 for part in parts])
        return total
    if isinstance(query, AndNot):
        scores = query_scores(ranker, query.a)
        return None if scores is None else scores * ~query_mask(ranker, query.b)
    return ranker.scores(query)  # prefixes and the rest: as the ranker scores them


def query_mask(ranker: Ranker, query: Query) -> np.ndarray:
    """The documents `query` matches: a synonym group is the OR of its alternatives (the ranker's masks)."""
    if isinstance(query, DisjunctionMax):
        return np.logical_or.reduce([query_mask(ranker, q) for q in query.subqueries])
    if isinstance(query, Or | And) and any(isinstance(q, DisjunctionMax) for q in query.subqueries):
        masks = [query_mask(ranker, q) for q in query.subqueries]
        return np.logical_or.reduce(masks) if isinstance(query, Or) else np.logical_and.reduce(masks)
    return ranker.mask(query)


def term_scores(ranker: Ranker, fieldname: str, text: str) -> np.ndarray:
    """The ranker's BM25 scores of one term plus the title bonus (see the module's text). Cached per ranker."""
    key = (fieldname, text)
    cache = ranker.derived
    cached = cache.get(key)
    if cached is not None:
        return cached
    scores = ranker.term_scores(fieldname, text)
    if TITLE_BONUS and fieldname in TITLED and TITLE_FIELD in ranker.searcher.schema:
        in_title = ranker.mask(Term(TITLE_FIELD, text))
        if in_title.any():
            found = int(np.count_nonzero(scores))
            idf = math.log(ranker.size / (found + 1)) + 1
            scores = scores + in_title * np.float32(TITLE_BONUS * idf)
            scores.flags.writeable = False
    if len(cache) > 4096:
        cache.clear()
    cache[key] = scores
    return scores


def with_compound_parts(ranker: Ranker, query: Query) -> Query:
    """`query` with each word no document holds whole replaced by the AND of its parts, each weighing a share
    (the compound is one concept: scored as the mean of its parts where all of them occur)."""
    if isinstance(query, Term):
        parts = compound_parts(ranker, query)
        return And([Term(query.fieldname, part, boost=query.boost / len(parts)) for part in parts]) if parts \
            else query
    if not any(isinstance(leaf, Term) and compound_parts(ranker, leaf) for leaf in query.leaves()):
        return query  # the common case: every word is in the index, nothing to copy
    return query.apply(lambda child: with_compound_parts(ranker, child))


def compound_parts(ranker: Ranker, query: Term) -> tuple[str, ...]:
    """The indexed parts of a query word no document holds whole ("journalopslag" → journal, opslag: the
    library writes "opslag i journalen"), split as the index splits compounds (library/compound-parts.yaml);
    () for a word the index knows, or one that does not split into known parts."""
    if (query.fieldname, query.text) in ranker.searcher.reader():
        return ()
    analyzer = ranker.searcher.schema[query.fieldname].analyzer
    compounds = getattr(analyzer, "compounds", None)  # the Danish tokenizer's; the English field has none
    pieces = compounds.split(query.text) if compounds is not None else []
    # The word is already a stem: its last piece must be one too. A piece that is an inflected part is a typo
    # more often than a compound ("patientjournalenn": stem "patientjournalen"), which "Mente du" corrects.
    last = pieces[-1] if pieces else ""
    if not last or (compounds.stem(last) != last and last not in compounds.parts
                    and last[:-1] not in compounds.parts):
        return ()
    parts = analyzer.parts_of(query.text)  # the stems the index holds for the parts
    # the split lists the parts and their joined neighbours: keep the single parts the index has
    single = [part for part in parts if not any(other != part and other in part for other in parts)]
    return tuple(single) if len(single) > 1 else ()
