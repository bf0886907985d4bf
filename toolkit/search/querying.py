"""Answering a query from an open index: the reader's words and filters turned into a Whoosh query, the matches
ranked (toolkit/search/ranking.py) and paged, with facet counts, snippets and "Mente du …?"; and the titles
offered as the reader types. The index (toolkit/search/index.py) hands in its searcher and ranker."""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import nh3
import numpy as np
from whoosh import sorting
from whoosh.fields import Schema
from whoosh.lang import stopwords_for_language
from whoosh.qparser import (
    BoostPlugin,
    FieldsPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    RangePlugin,
    SingleQuotePlugin,
)
from whoosh.query import And, DisjunctionMax, Every, NullQuery, Or, Phrase, Prefix, Query, Term

from toolkit.search.analysis import Lexicon, fold
from toolkit.search.documents import DOCTYPE_WANTED, DOCTYPE_WEIGHTS, PUBLIC_STATUSES
from toolkit.search.querytext import clean_query, expand_synonyms, split_filters, synonym_groups, tame_wildcards
from toolkit.search.ranking import Ranker
from toolkit.search.schema import FACETS, TEXT_FIELDS
from toolkit.search.scoring import query_mask, query_scores, with_compound_parts
from toolkit.search.snippets import StemPattern, snippet, stem_pattern
from toolkit.search.spelling import Vocabulary, protected

log = logging.getLogger(__name__)

Sort = Literal["relevance", "date"]


@dataclass(frozen=True)
class SearchHit:
    id: str
    doctype: str
    slug: str
    title: str
    summary: str
    snippet_html: str
    url: str
    kind: str
    status: str
    updated: str
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    message: str | None = None
    corrected: bool = False  # nothing matched the query; these are the results for `suggestion`
    # The corrections of long typos searched beside what was typed (with_corrections): "Søgte også efter …". Then
    # no "Mente du": the results already hold what the corrected query would find.
    also: str | None = None


def read_query(text: str, given: dict[str, str | None]) -> tuple[str, str, dict[str, str]]:
    """The cleaned query text, its words, and its filters: those typed in it (kind:guide), then those given."""
    text = clean_query(text)
    words, filters = split_filters(text)
    return text, words, {**filters, **{name: value for name, value in given.items() if value}}


def answer(searcher, ranker: Ranker, schema: Schema, lexicon: Lexicon, vocabulary: Callable[[], Vocabulary],
           text: str, words: str, filters: dict[str, str], *, include_drafts: bool, sort: Sort, page: int,
           per_page: int) -> SearchResults:
    """One page of results for `words` and `filters` (from read_query), from `searcher` and the ranker of its
    generation; the caller holds the index's lock. Any text is accepted: bad syntax degrades to plain words."""
    page, per_page = max(1, page), max(1, min(per_page, 100))
    # The matching set, the total and every facet count come from boolean masks over all documents;
    # ranking then only orders the matches (see toolkit/search/ranking.py).
    allowed = ranker.allowed(filters, None if include_drafts else PUBLIC_STATUSES)
    if include_drafts:  # the current text stands for a material under revision, not its published edition too
        allowed &= ~ranker.mask(Term("readers_only", "yes"))
    matches = _matcher(ranker, schema, lexicon, allowed, include_drafts)
    suggestion = correction(words, lexicon, vocabulary(), matches) if words else None
    searched = with_corrections(words, suggestion, matches)
    also = searched[len(words):].strip() or None
    if also:
        words, suggestion = searched, None
    query = with_compound_parts(ranker, parse_query(
        words, schema, lexicon, english=bool(np.any(ranker.values.get("language", {}).get("en", False)))))
    if query is NullQuery:
        if not filters:
            return SearchResults(text, (), 0, 1, 0, message="Skriv et eller flere ord for at søge.")
        query = Every()
    hits: tuple[SearchHit, ...] = ()
    typed = _content_words(words)
    pattern = stem_pattern(_stems(query), enough=len(typed), words=typed)
    if sort == "relevance" and not isinstance(query, Every):
        scores = query_scores(ranker, query)  # phrases too, from the index's adjacent-word pairs
        if scores is None:  # a shape the arrays cannot combine: Whoosh matches and scores it once
            scores = ranker.whoosh_scores(query, ~allowed)
        matched = allowed & (scores > 0)
        total = int(np.count_nonzero(matched))
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        if total:
            scores = ranker.weighted(scores, doctype_weights(words))
            ranked = ranker.top(scores, matched, page * per_page)[(page - 1) * per_page:]
            hits = tuple(_hit(searcher.stored_fields(d), float(scores[d]), pattern) for d in ranked)
    else:
        matched = allowed & query_mask(ranker, query)
        total = int(np.count_nonzero(matched))
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        if total:
            order = sorting.FieldFacet("updated", reverse=True) if sort == "date" else None
            excluded = {int(d) for d in np.flatnonzero(~allowed)} or None
            results = searcher.search(query, limit=page * per_page, mask=excluded, sortedby=order)
            hits = tuple(_hit(hit.fields(), hit.score, pattern)
                         for hit in results[(page - 1) * per_page: page * per_page])
    facets = ranker.facets(matched, FACETS) if total else {}
    return SearchResults(text, hits, total, page, pages if total else 0, facets, suggestion, also=also)


def parse_query(words: str, schema: Schema, lexicon: Lexicon, english: bool = False) -> Query:
    fields = [*TEXT_FIELDS["da"], *(TEXT_FIELDS["en"] if english else ())]
    parser = MultifieldParser(fields, schema, group=OrGroup)
    for plugin in (FieldsPlugin, RangePlugin, BoostPlugin, SingleQuotePlugin, PlusMinusPlugin):
        parser.remove_plugin_class(plugin)
    tamed = tame_wildcards(words)
    try:
        query = _concepts(parser, tamed, lexicon) or parser.parse(expand_synonyms(tamed, lexicon))
    except Exception:  # Whoosh's parser is lenient, but a user can type anything
        log.info("query %r fell back to plain words", words)
        query = parser.parse(re.sub(r"[^\w\s]", " ", words))
    return query.normalize()


def _concepts(parser: MultifieldParser, text: str, lexicon: Lexicon) -> Query | None:
    """Plain words with each synonym group as a DisjunctionMax of its alternatives (scored as one concept,
    toolkit/search/scoring.py); None for a query with quotes, parentheses or operators, parsed as typed."""
    pieces = synonym_groups(text, lexicon)
    if pieces is None:
        return None
    parts: list[Query] = []
    for piece in pieces:
        if isinstance(piece, list):  # one parse for the group (a parse is the costly step), then its max
            group = parser.parse("(" + " OR ".join(piece) + ")")
            alternatives = group.subqueries if isinstance(group, Or) else [] if group is NullQuery else [group]
            parts += [DisjunctionMax(alternatives)] if alternatives else []
        elif piece.strip() and (plain := parser.parse(piece)) is not NullQuery:
            parts.append(plain)
    return Or(parts) if parts else NullQuery


def correction(words: str, lexicon: Lexicon, vocabulary: Vocabulary,
               matches: Callable[[str, bool], np.ndarray | None]) -> str | None:
    """'Mente du …?': the query with each unknown word replaced by a close, common public word, offered only
    when that lets documents match more of what was typed (see _coverage). `matches(word, filtered)` is the
    mask of the documents a word finds (None for a stop word): in the whole readable library, or inside the
    query's filters. One vocabulary for everyone, of public documents only, so a suggestion never reveals a
    word that only a draft holds (members searching with drafts get no suggestions from drafts either).

    A word is left alone when it is a known English/technical term, a word of the synonym table, or found by
    the search itself (a name like "Hansen" is not a typo of "hensyn")."""
    synonym_words = _synonym_words(lexicon)
    tokens = re.findall(r"[\w*]+|\S", words)
    corrected = list(tokens)
    for position, word in enumerate(tokens):
        folded = fold(word)
        if not (4 <= len(folded) <= 30 and folded.isalpha()) or word.isupper() or \
                protected(folded, synonym_words) or vocabulary.known(folded) or _found(matches(word, False)):
            continue
        for distance, candidate in vocabulary.candidates(folded):
            if _common(matches(candidate, False), distance, candidate):
                corrected[position] = _unfold_like(candidate, word)
                break
    if corrected == tokens or _coverage(corrected, matches) <= _coverage(tokens, matches):
        return None
    return " ".join(corrected)


def with_corrections(words: str, suggestion: str | None, matches: Callable[[str, bool], np.ndarray | None]) -> str:
    """`words` and, beside them, the correction of each long word nothing holds ("kallibrering af risikomodel"
    also searches "kalibrering"): the typo finds nothing, so the query's other words alone ranked the results
    and the one word that says what is asked for counted for nothing. Only long words (LONG_WORD letters: a
    near-identical long word is the word meant; a short one may be another word, "købe" is not "køre"), and only
    in plain words (no quotes, parentheses, operators or minus). The results are those of what was typed plus
    the correction, and say so ("Søgte også efter …") instead of offering it as "Mente du", which would find the
    same (on the judged set: recall@3 and MRR up on both halves, no query worse; README "Ranking"). A query
    nothing matches is left to the corrected search
    (index.search: "Ingen resultater for …")."""
    if not suggestion or re.search(r'["()]|(?<!\S)-', words):
        return words
    typed, corrected = re.findall(r"[\w*]+|\S", words), suggestion.split(" ")
    if len(typed) != len(corrected) or _OPERATORS.intersection(typed):
        return words
    replaced = [(was, now) for was, now in zip(typed, corrected, strict=True) if was != now]
    if not replaced or any(len(fold(was)) < LONG_WORD for was, _ in replaced) or not _coverage(typed, matches):
        return words
    return " ".join([words, *(now for _, now in replaced)])


MIN_DOCUMENTS = 2  # "common": a correction is a word at least this many readable documents hold ...
LONG_WORD = 8  # ... or, one edit away, a long word (a near-identical long word is the word meant)


def _common(found: np.ndarray | None, distance: int, candidate: str) -> bool:
    documents = 0 if found is None else int(np.count_nonzero(found))
    return documents >= MIN_DOCUMENTS or (documents >= 1 and distance == 1 and len(candidate) >= LONG_WORD)


def _found(mask: np.ndarray | None) -> bool:
    return mask is not None and bool(mask.any())


def _coverage(tokens: list[str], matches: Callable[[str, bool], np.ndarray | None]) -> int:
    """The most of the query's words that one document inside the query's filters matches. A correction must
    raise it: then it finds what nothing found before (a typo in one word of "klinsk evaluering"), not just
    more documents for the other words ("Mette Hansen" is not "Mette hensyn")."""
    masks = [found for word in dict.fromkeys(t for t in tokens if re.match(r"\w", t) and t not in _OPERATORS)
             if (found := matches(word, True)) is not None]
    return int(np.add.reduce([mask.astype(np.int16) for mask in masks]).max()) if masks else 0


_OPERATORS = frozenset({"AND", "OR", "NOT"})


@functools.lru_cache(maxsize=8)
def _synonym_words(lexicon: Lexicon) -> frozenset[str]:
    """Every word of every synonym (and taxonomy label) term, folded."""
    return frozenset(word for term in lexicon.synonym_map for word in re.findall(r"\w+", term))


def _matcher(ranker: Ranker, schema: Schema, lexicon: Lexicon, allowed: np.ndarray,
             include_drafts: bool) -> Callable[[str, bool], np.ndarray | None]:
    """matches(word, filtered) for `correction`: the documents this reader may find with one word, in the
    whole library or inside the query's filters (None for a word the search drops, like a stop word)."""
    english = bool(np.any(ranker.values.get("language", {}).get("en", False)))
    found: dict[str, np.ndarray | None] = {}
    readable: list[np.ndarray] = []  # computed on first use: most queries have no unknown word

    def matches(word: str, filtered: bool) -> np.ndarray | None:
        if word not in found:
            query = with_compound_parts(ranker, parse_query(word, schema, lexicon, english=english))
            found[word] = None if query is NullQuery else query_mask(ranker, query)
        mask = found[word]
        if mask is None:
            return None
        if filtered:
            return mask & allowed
        if not readable:
            everything = ranker.allowed({}, None if include_drafts else PUBLIC_STATUSES)
            readable.append(everything & ~ranker.mask(Term("readers_only", "yes")) if include_drafts else everything)
        return mask & readable[0]

    return matches


def doctype_weights(words: str) -> dict[str, float]:
    """DOCTYPE_WEIGHTS, with a type the query asks for by name weighted up instead."""
    said = {fold(word) for word in re.findall(r"\w+", words.lower())}
    weights = dict(DOCTYPE_WEIGHTS)
    for doctype, (wanted_weight, names) in DOCTYPE_WANTED.items():
        if said & {fold(name) for name in names}:
            weights[doctype] = wanted_weight
    return weights


def title_query(prefix: str) -> Query | None:
    """The query for titles with a word starting with each word of `prefix`; None for under two letters."""
    prefix = fold(clean_query(prefix)).strip()
    if len(prefix) < 2:
        return None
    words = prefix.split()
    return And([Prefix("title", word) for word in words[:-1]] + [Prefix("title", words[-1])])


def matching_titles(searcher, query: Query, limit: int) -> list[tuple[str, str]]:
    """(title, url) of the public documents matching a title_query."""
    return [(hit["title"], hit["url"]) for hit in searcher.search(
        query, limit=limit, filter=_restriction({}, include_drafts=False))]


def _hit(stored: dict, score: float | None, pattern: StemPattern | None) -> SearchHit:
    marked = snippet(stored["text"], pattern) or html.escape(stored["summary"])
    marked = nh3.clean(marked, tags={"mark"}, attributes={})
    return SearchHit(stored["id"], stored["doctype"], stored["slug"], stored["title"], stored["summary"], marked,
                     stored["url"], stored.get("kind", ""), stored.get("status", ""), stored.get("updated", ""),
                     float(score or 0))


def _content_words(words: str) -> list[str]:
    """The words a reader typed that carry meaning (no stop words, no filters or operators)."""
    stop = _DANISH_STOPWORDS
    return [w for w in re.findall(r"\w+", words.lower()) if w not in stop and w not in ("and", "or", "not")]


_DANISH_STOPWORDS = frozenset(stopwords_for_language("da"))


def _stems(query: Query) -> list[str]:
    """The indexed forms the query looks for in text fields (terms, phrase words, prefixes)."""
    stems: list[str] = []
    for leaf in query.leaves():
        if leaf.field() not in TEXT_FIELDS["da"] + TEXT_FIELDS["en"]:
            continue
        if isinstance(leaf, Phrase):
            stems += [str(word) for word in leaf.words]
        elif isinstance(leaf, (Term, Prefix)):
            stems.append(str(leaf.text))
    return stems


def _restriction(filters: dict[str, str], include_drafts: bool) -> Query | None:
    parts: list[Query] = [Term(name, value) for name, value in filters.items()]
    if not include_drafts and "status" not in filters:
        parts.append(Or([Term("status", status) for status in PUBLIC_STATUSES]))
    elif not include_drafts and filters.get("status") not in PUBLIC_STATUSES:
        parts.append(NullQuery)
    return And(parts) if parts else None


def _unfold_like(suggestion: str, original: str) -> str:
    """Give a folded suggestion back its Danish letters where the original had them, and its capital (best
    effort)."""
    for ascii_form, letter in (("ae", "æ"), ("oe", "ø"), ("aa", "å")):
        if letter in original.lower():
            suggestion = suggestion.replace(ascii_form, letter)
    return suggestion[:1].upper() + suggestion[1:] if original[:1].isupper() else suggestion
