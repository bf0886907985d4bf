"""Ranking and counting behind search, on numpy arrays over one index generation.

Whoosh stays the index of record (analysis, postings, positions); what a query costs at 10,000 documents is
combining postings, so this module keeps, per generation of the index: a boolean mask per facet value
(kind, topic, audience, status, doctype, language), a mask and a dense BM25 score array per term (read once
from Whoosh's postings, then cached), and answers the common query shapes (words, OR/AND/NOT, prefixes) by
array arithmetic: scores, the matching set, facet counts and the top k without a Python loop per document.
Phrases too: the index keeps each two adjacent common words as one term (schema.AdjacentPairs), so a phrase of
two common words is one cached mask; a longer one, or one with a rarer word, gives a few candidates by the AND
of masks, whose positions are then checked (phrases.py). Whoosh's Phrase would read the positions of every
document holding all the words.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Iterable, Mapping

import numpy as np
from whoosh.query import And, AndMaybe, AndNot, Every, Or, Phrase, Prefix, Query, Term
from whoosh.reading import TermNotFound

from toolkit.search.phrases import in_sequence

# BM25 with Whoosh's b and a higher k1 (term frequency saturates later: on the judged set, bench/relevance.py,
# 1.6 against Whoosh's 1.2 raised recall@3 and MRR on the tuned and the held-out half; 1.4–2.0 about the same).
# Lengths below LENGTH_FLOOR × the average count as it: BM25 rewards short documents, and a template or record a
# tenth of a guide's length would outrank the guides.
B, K1 = 0.75, 1.6
LENGTH_FLOOR = 1.0
CACHE_BYTES = 64 * 1024 * 1024  # per kind of cache (masks, scores); entries are N bytes or 4N bytes
# Each text field's field of adjacent-word pairs (schema.AdjacentPairs), and how a pair is written as a term.
PAIR_FIELDS = {"content": "content_pairs", "content_en": "content_en_pairs"}


def pair_term(first: str, second: str) -> str:
    """The term of two words at adjacent positions (a space never occurs inside an indexed word)."""
    return f"{first} {second}"


class Ranker:
    """Masks, per-term scores and facet sets of one searcher generation (replace it when the index changes)."""

    def __init__(self, searcher, facet_fields: Iterable[str], postings: SegmentPostings | None = None):
        self.searcher = searcher
        self.postings = postings or SegmentPostings()
        reader = searcher.reader()
        self._leaves = list(reader.leaf_readers())
        self.size = reader.doc_count_all()
        self.live = _live_mask(self._leaves, self.size)
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        self._max_masks = max(64, CACHE_BYTES // max(1, self.size))
        self._max_scores = max(64, CACHE_BYTES // max(1, 4 * self.size))
        self._scores: dict[tuple[str, str], np.ndarray] = {}
        self.values: dict[str, dict[str, np.ndarray]] = {
            name: {(value.decode() if isinstance(value, bytes) else value): self.mask(Term(name, value))
                   for value in reader.lexicon(name)}
            for name in facet_fields}
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        # Per-term arrays that scoring layers derive from this generation's (toolkit/search/scoring.py: the title
        # bonus); they go with the ranker when the index changes.
        self.derived: dict[tuple[str, str], np.ndarray] = {}

    # -- sets ------------------------------------------------------------------------------------------------

    def mask_of(self, docnums: Iterable[int]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        ids = np.fromiter(docnums, dtype=np.int64)
        if ids.size:
            mask[ids] = True
        return mask

    def allowed(self, filters: Mapping[str, str], public: Iterable[str] | None) -> np.ndarray:
        """Live documents inside every filter; with `public`, only those statuses (readers never see drafts)."""
        allowed = self.live.copy()
        if public is not None:
            allowed &= np.logical_or.reduce([self.values["status"].get(s, self._none()) for s in public])
        for name, value in filters.items():
            allowed &= self.values.get(name, {}).get(value, self._none())
        return allowed

    def facets(self, matched: np.ndarray, names: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        counts = {}
        for name in names:
            pairs = [(value, int(np.count_nonzero(matched & mask))) for value, mask in self.values[name].items()]
            counts[name] = sorted(((v, c) for v, c in pairs if c), key=lambda vc: (-vc[1], vc[0]))
        return counts

    def mask(self, query: Query) -> np.ndarray:
        """The documents a query matches, by mask algebra on cached term postings where it can."""
        if isinstance(query, Term):
            key = (query.fieldname, query.text)
            cached = self._masks.get(key)
            if cached is None:
                cached = self._none()
                ids, _ = self._postings(*key)
                cached[ids] = True
                cached &= self.live  # the raw postings still hold deleted documents
                cached.flags.writeable = False
                _remember(self._masks, key, cached, self._max_masks)
            return cached
        if isinstance(query, Or):
            return np.logical_or.reduce([self.mask(q) for q in query.subqueries]) if query.subqueries \
                else self._none()
        if isinstance(query, And):
            return np.logical_and.reduce([self.mask(q) for q in query.subqueries]) if query.subqueries \
                else self._none()
        if isinstance(query, AndNot):
            return self.mask(query.a) & ~self.mask(query.b)
        if isinstance(query, AndMaybe):
            return self.mask(query.a)
        if isinstance(query, Every):
            return self.live
        if isinstance(query, Phrase):
            return self.phrase_mask(query)
        if isinstance(query, Prefix):
            terms = list(self.searcher.reader().expand_prefix(query.fieldname, query.text))
            return np.logical_or.reduce([self.mask(Term(query.fieldname, t)) for t in terms]) if terms \
                else self._none()
        return self.mask_of(self.searcher.docs_for_query(query))

    # -- scores ----------------------------------------------------------------------------------------------

    def scores(self, query: Query) -> np.ndarray | None:
        """BM25 scores of every document (0 where it does not match) for the shapes combinable from per-term
        scores; None for others, which Whoosh scores (see whoosh_scores)."""
        if isinstance(query, Term):
            scores = self.term_scores(query.fieldname, query.text)
            return scores if query.boost == 1 else scores * np.float32(query.boost)
        if isinstance(query, Or | And):
            parts = [self.scores(q) for q in query.subqueries]
            if not parts or any(part is None for part in parts):
                return None
            total = np.add.reduce(parts)
            if isinstance(query, And):
                total = total * np.logical_and.reduce([part > 0 for part in parts])
            return total
        if isinstance(query, AndNot):
            scores = self.scores(query.a)
            return None if scores is None else scores * ~self.mask(query.b)
        if isinstance(query, Prefix):
            return self.mask(query).astype(np.float32) * np.float32(query.boost)
        if isinstance(query, Phrase):
            # As Whoosh scores a phrase: the sum of its words' scores, where the phrase occurs.
            words = np.add.reduce([self.term_scores(query.fieldname, word) for word in query.words])
            scores = words * self.phrase_mask(query)
            return scores if query.boost == 1 else scores * np.float32(query.boost)
        return None

    def phrase_mask(self, query: Phrase) -> np.ndarray:
        """The documents holding the phrase. Two common words: their pair's mask, exact. Otherwise the AND of the
        masks of its pairs of common words and of its words gives the candidates, few because a word is rare or
        two pairs must occur together, and the candidates' positions are checked."""
        words = [word.decode() if isinstance(word, bytes) else word for word in query.words]
        if len(words) < 2:
            return self.mask(Term(query.fieldname, words[0])) if words else self._none()
        field = PAIR_FIELDS.get(query.fieldname)
        common = getattr(self.searcher.schema[field].format, "common", None) \
            if field is not None and field in self.searcher.schema else None
        if common is None or query.slop != 1:
            return self.mask_of(self.searcher.docs_for_query(query))  # not a phrase the pairs can answer
        pairs = [pair_term(a, b) for a, b in itertools.pairwise(words) if a in common and b in common]
        if len(words) == 2 and pairs:
            return self.mask(Term(field, pairs[0]))
        found = {word: self.mask(Term(query.fieldname, word)) for word in words}
        candidates = np.logical_and.reduce([self.mask(Term(field, pair)) for pair in pairs] + list(found.values()))
        if not candidates.any():
            return candidates
        rarest_first = sorted(enumerate(words), key=lambda place: np.count_nonzero(found[place[1]]))
        return self.mask_of(in_sequence(self._leaves, query.fieldname, rarest_first, np.flatnonzero(candidates)))

    def whoosh_scores(self, query: Query, excluded: np.ndarray) -> np.ndarray:
        """Scores of a query the arrays cannot combine, matched and scored by Whoosh once over every document."""
        mask = {int(d) for d in np.flatnonzero(excluded)} or None
        scores = np.zeros(self.size, dtype=np.float32)
        for score, docnum in self.searcher.search(query, limit=None, mask=mask).top_n:
            scores[docnum] = score
        return scores

    def term_scores(self, fieldname: str, text: str) -> np.ndarray:
        key = (fieldname, text)
        cached = self._scores.get(key)
        if cached is not None:
            return cached
        reader = self.searcher.reader()
        scores = np.zeros(self.size, dtype=np.float32)
        if key in reader:
            lengths, average = self.lengths(fieldname)
            ids, weights = self._postings(fieldname, text)
            idf = math.log(reader.doc_count_all() / (reader.doc_frequency(fieldname, text) + 1)) + 1
            norm = K1 * ((1 - B) + B * lengths[ids] / average)
            scores[ids] = idf * (weights * (K1 + 1)) / (weights + norm)
        scores.flags.writeable = False  # shared by every query that uses the term
        _remember(self._scores, key, scores, self._max_scores)
        return scores

    def lengths(self, fieldname: str) -> tuple[np.ndarray, float]:
        """Every document's length in a field, floored, and the field's average length."""
        cached = self._lengths.get(fieldname)
        if cached is None:
            reader = self.searcher.reader()
            average = reader.field_length(fieldname) / max(1, reader.doc_count()) or 1.0
            parts = [self.postings.lengths(leaf, fieldname) for leaf, _ in self._leaves]
            raw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
            cached = (np.maximum(raw, np.float32(LENGTH_FLOOR * average)), average)
            self._lengths[fieldname] = cached
        return cached

    def _postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term over the whole index, from the per-segment cache."""
        ids, weights = [], []
        for leaf, offset in self._leaves:
            local_ids, local_weights = self.postings.postings(leaf, fieldname, text)
            if local_ids.size:
                ids.append(local_ids.astype(np.int64) + offset)
                weights.append(local_weights)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return (ids[0], weights[0]) if len(ids) == 1 else (np.concatenate(ids), np.concatenate(weights))

    def warm(self, fieldname: str, count: int) -> None:
        """Read the postings and scores of the `count` terms found in most documents (after a rebuild)."""
        reader = self.searcher.reader()
        frequent = heapq.nlargest(count, ((info.doc_frequency(), text)
                                          for text, info in reader.iter_prefix(fieldname, "")))
        for _, text in frequent:
            self.term_scores(fieldname, text.decode("utf-8") if isinstance(text, bytes) else text)

    # -- ranking ---------------------------------------------------------------------------------------------

    def top(self, scores: np.ndarray, matched: np.ndarray, count: int) -> list[int]:
        """The best `count` matched documents, by score, then by document number (stable across runs)."""
        candidates = np.flatnonzero(matched)
        if candidates.size > count:
            values = scores[candidates]
            keep = np.argpartition(-values, count - 1)[:count]
            threshold = values[keep].min()
            candidates = candidates[values >= threshold]  # keep ties at the edge, sorted below
        order = np.lexsort((candidates, -scores[candidates]))
        return [int(d) for d in candidates[order][:count]]

    def weighted(self, scores: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
        """Scores multiplied by a weight per document type (a new array; term arrays are shared)."""
        factor = np.ones(self.size, dtype=np.float32)
        for doctype, weight in weights.items():
            mask = self.values.get("doctype", {}).get(doctype)
            if mask is not None and weight != 1:
                factor[mask] = weight
        return scores * factor

    def _none(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)


def _remember(cache: dict, key: tuple[str, str], value: np.ndarray, limit: int) -> None:
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value


class SegmentPostings:
    """Postings (local ids, weights) and field lengths per Whoosh segment, kept across index generations.

    Segments never change once written (deletions are kept apart), so what was read from one stays right
    until a merge replaces it. After a save only the new, small segment has to be read; the index's big
    segments stay cached. `retain` drops segments that merges have replaced.
    """

    def __init__(self, max_bytes: int = 256 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._postings: dict[tuple[str, str, object], tuple[np.ndarray, np.ndarray]] = {}
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def postings(self, segment_reader, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        key = (_segment_id(segment_reader), fieldname, text)
        cached = self._postings.get(key)
        if cached is None:
            cached = _read_postings(segment_reader, fieldname, text)
            with self._lock:
                if self._bytes > self.max_bytes:
                    self._postings.clear()
                    self._bytes = 0
                self._postings[key] = cached
                self._bytes += cached[0].nbytes + cached[1].nbytes
        return cached

    def lengths(self, segment_reader, fieldname: str) -> np.ndarray:
        key = (_segment_id(segment_reader), fieldname)
        cached = self._lengths.get(key)
        if cached is None:
            count = segment_reader.doc_count_all()
            cached = np.fromiter((segment_reader.doc_field_length(n, fieldname, 0) or 0 for n in range(count)),
                                 dtype=np.float32, count=count)
            self._lengths[key] = cached
        return cached

    def retain(self, segment_ids: set[str]) -> None:
        """Forget segments that are no longer part of the index."""
        with self._lock:
            for key in [k for k in self._postings if k[0] not in segment_ids]:
                ids, weights = self._postings.pop(key)
                self._bytes -= ids.nbytes + weights.nbytes
            for key in [k for k in self._lengths if k[0] not in segment_ids]:
                del self._lengths[key]


def _live_mask(leaves: list, size: int) -> np.ndarray:
    """Documents not deleted, from each segment's deleted-document set (not a Python test per document)."""
    live = np.zeros(size, dtype=bool)
    for leaf, offset in leaves:
        count = leaf.doc_count_all()
        live[offset:offset + count] = True
        if leaf.has_deletions():
            segment = leaf.segment()
            numbers = segment.deleted_docs() if segment is not None else (
                d for d in range(count) if leaf.is_deleted(d))
            live[np.fromiter((offset + d for d in numbers), dtype=np.int64)] = False
    return live


def segment_ids(reader) -> set[str]:
    return {_segment_id(segment_reader) for segment_reader, _ in reader.leaf_readers()}


def _segment_id(segment_reader) -> str:
    segment = segment_reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(segment_reader)}"


def _read_postings(segment_reader, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(local document numbers, term weights) of one segment's postings, read a whole block at a time from
    Whoosh 2.7's whoosh3 codec (deleted documents included: callers intersect with the live mask)."""
    try:
        matcher = segment_reader.postings(fieldname, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child  # unwrap the filter that hides deleted documents
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block")):
        pairs = list(segment_reader.postings(fieldname, text).items_as("weight"))
        return (np.array([d for d, _ in pairs], dtype=np.int32), np.array([w for _, w in pairs], dtype=np.float32))
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)
