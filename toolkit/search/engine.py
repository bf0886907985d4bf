"""Full-text search over the library with Whoosh: Danish analysis, facets, snippets, suggestions, sync.

Everything Whoosh-specific stays in this module (and `analysis.py`), so another engine could replace it.
Adding a document type is a function that turns its objects into `SearchDoc`s (see `material_docs`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import nh3
import numpy as np
from whoosh import index, scoring, sorting
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
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
from whoosh.query import And, Every, NullQuery, Or, Phrase, Prefix, Query, Term

from toolkit.errors import NetkitError
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.library.render import plain_text
from toolkit.search.analysis import DanishTokenizer, Lexicon, danish_analyzer, english_analyzer, fold
from toolkit.search.querytext import clean_query, expand_synonyms, split_filters, tame_wildcards
from toolkit.search.ranking import LENGTH_FLOOR, Ranker, SegmentPostings, segment_ids
from toolkit.search.snippets import StemPattern, snippet, stem_pattern
from toolkit.search.spelling import Vocabulary, count_words

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7  # 7: the vocabulary holds only public documents' words (6 and older: drafts' words too)
STATE_FILE = "netkit-index.json"
DIGESTS_FILE = "netkit-digests.json"
JOURNAL_FILE = "netkit-digests.log"
VOCABULARY_FILE = "netkit-vocabulary.json"
FACETS = ("kind", "topics", "audience", "status")
PUBLIC_STATUSES = ("published", "retired")
# After a rebuild of a big library, the postings of the terms found in most documents are read at once.
WARM_FROM, WARM_TERMS = 2000, 500
# Small updates: segments of at most SMALL_SEGMENT documents are merged when there are SMALL_MERGE_AT of
# them; up to MEDIUM_SEGMENT documents when there are MEDIUM_MERGE_AT.
SMALL_SEGMENT, SMALL_MERGE_AT = 100, 8
MEDIUM_SEGMENT, MEDIUM_MERGE_AT = 2000, 10
MERGE_AFTER_IDLE = 2.0  # seconds without updates before small segments are merged in the background
MAX_SEGMENTS = 60       # beyond this, a small update merges on the spot
# One scored field per language: the title counted TITLE_WEIGHT times and the summary SUMMARY_WEIGHT times
# ahead of the body. One term matcher per query word instead of three makes queries at 10,000 documents
# about three times faster than separate title/summary/body fields with field boosts.
TEXT_FIELDS = {"da": ("content",), "en": ("content_en",)}
TITLE_WEIGHT, SUMMARY_WEIGHT = 4, 2
Sort = Literal["relevance", "date"]
T = TypeVar("T")
# After rebuilding a damaged index, a read that fails again within this many seconds is not rebuilt again.
REPAIR_PAUSE = 60.0


class SearchUnavailable(NetkitError):
    """The index cannot be read and cannot be rebuilt now; the message says why (the cause is logged)."""


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing (a material, later a template, project, meeting …)."""

    id: str
    doctype: str
    slug: str
    title: str
    summary: str
    text: str
    url: str
    language: str = "da"
    kind: str = ""
    topics: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    status: str = "published"
    working_group: str = ""
    updated: str = ""
    version: str = ""

    @functools.cached_property
    def fingerprint(self) -> int:
        """The id and the content digest as one number (summed into the marker of a set of documents)."""
        return int(hashlib.sha1(f"{self.id}\0{self.digest}".encode()).hexdigest()[:32], 16)

    @functools.cached_property
    def digest(self) -> str:
        payload = json.dumps([getattr(self, f.name) for f in fields(self)], ensure_ascii=False, default=list)
        return hashlib.sha1(payload.encode()).hexdigest()


class _MaterialDocs:
    """SearchDocs for materials, converted once per Material object (reloads reuse unchanged objects)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Material, SearchDoc]] = {}

    def __call__(self, library: Library, url_pattern: str = "/m/{slug}/") -> list[SearchDoc]:
        docs = []
        for material in library.materials():
            cached = self._cache.get(material.slug)
            if cached is None or cached[0] is not material:
                cached = (material, SearchDoc(
                    id=f"material:{material.slug}", doctype="material", slug=material.slug, title=material.title,
                    summary=material.summary, text=plain_text(material.body),
                    url=url_pattern.format(slug=material.slug), language=material.language, kind=material.kind,
                    topics=material.topics, audience=material.audience, status=material.status,
                    working_group=material.working_group or "", updated=material.updated.isoformat(),
                    version=material.version))
                self._cache[material.slug] = cached
            docs.append(cached[1])
        return docs


material_docs = _MaterialDocs()


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


@dataclass(frozen=True)
class SyncReport:
    rebuilt: bool
    added: int
    updated: int
    removed: int


def floored(lengths: list[int | None], average: float | None) -> list[float]:
    """Field lengths with the floor applied (a document without the field has no length: 0)."""
    floor = LENGTH_FLOOR * (average or 0.0)
    return [max(length or 0, floor) for length in lengths]


class FastCodec(W3Codec):
    """Whoosh's codec without per-term document-length statistics. Writing them reads the length of every
    posting's document back from disk (an eighth of indexing time); they only serve Whoosh's block skipping,
    and Netkit ranks from its own length arrays (toolkit/search/ranking.py). Lighter compression: faster writes."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=1)


class CachedLengthBM25F(scoring.BM25F):
    """BM25F reading document lengths from a list cached per segment instead of a column per document
    (the single largest cost of scoring a broad query at 10,000 documents)."""

    def __init__(self) -> None:
        super().__init__()
        self._lengths: dict[tuple[int, str], list[int]] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if hasattr(scorer, "dfl"):
            reader = searcher.reader()
            segment = reader.segment()
            key = (segment.segment_id() if segment is not None else str(id(reader)), fieldname)
            lengths = self._lengths.get(key)
            if lengths is None or len(lengths) != reader.doc_count_all():
                lengths = floored([reader.doc_field_length(n, fieldname, 1) for n in range(reader.doc_count_all())],
                                  scorer.avgfl)
                self._lengths[key] = lengths
            scorer.dfl = lengths.__getitem__
        return scorer


class DanishPositions(Positions):
    """Whoosh's Positions format, fed by DanishTokenizer.positions instead of a Token per word: the same
    postings (the tests compare them), a third less indexing time."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, DanishTokenizer) or kwargs.get("mode", "index") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for text, positions in analyzer.positions(value).items():
            yield text, len(positions), len(positions) * boost, self.encode(positions)


def _danish_text(analyzer: DanishTokenizer, *, stored: bool = False) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored)
    field.format = DanishPositions(field_boost=field.format.field_boost)
    return field


def build_schema(lexicon: Lexicon) -> Schema:
    da, en = danish_analyzer(lexicon), english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True), doctype=ID(stored=True), slug=STORED, url=STORED, text=STORED,
        summary=STORED, title=_danish_text(da, stored=True),  # title: for as-you-type suggestions
        content=_danish_text(da), content_en=TEXT(analyzer=en),
        kind=ID(stored=True, sortable=True), topics=KEYWORD(stored=True, commas=True, scorable=False),
        audience=KEYWORD(stored=True, commas=True, scorable=False), status=ID(stored=True, sortable=True),
        language=ID(stored=True), working_group=ID(stored=True), updated=ID(stored=True, sortable=True),
        version=STORED,
    )


class SearchIndex:
    """The Whoosh index of one library, in its own folder (under the instance, never in git)."""

    def __init__(self, folder: Path, lexicon: Lexicon):
        self.folder = folder
        self.lexicon = lexicon
        self.schema = build_schema(lexicon)
        self._index: index.Index | None = None
        self._searcher = None
        self._ranker: Ranker | None = None
        self._segment_postings = SegmentPostings()
        self._merge_timer: threading.Timer | None = None
        self._lock = threading.RLock()
        self._vocab: Vocabulary | None = None
        self._digests: dict[str, str] | None = None
        self._marker: str | None = None
        self._docs: list[SearchDoc] | None = None  # of the last sync or rebuild
        self._recovery = threading.Lock()  # one thread at a time repairs a damaged index
        self._repaired_at: float | None = None  # time.monotonic() of the last rebuild of a damaged index
        self._lexicon_key = hashlib.sha1(repr((lexicon.synonyms, sorted(lexicon.parts))).encode()).hexdigest()

    def __del__(self) -> None:
        """Close the long-lived searcher's files: they are read through open handles (see _storage)."""
        searcher = getattr(self, "_searcher", None)
        if searcher is not None:
            with suppress(Exception):  # nothing to do about a reader that cannot close while being collected
                searcher.close()

    # -- keeping in step -----------------------------------------------------------------------------------

    def sync(self, docs: list[SearchDoc], progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Bring the index in step with `docs`: rebuild when missing, outdated or unreadable, else update
        only the documents whose content changed."""
        self._docs = docs  # what a damaged index is rebuilt from (see _answer)
        marker = _marker(docs)
        if marker == self._marker:
            return SyncReport(False, 0, 0, 0)
        with self._write_lock():
            digests = self._read_digests() if self._usable() else None
            if digests is not None:
                try:
                    return self._update_locked(docs, marker, digests)
                except Exception:  # the folder damaged under the running process: start it over
                    log.warning("updating the search index at %s failed; rebuilding it", self.folder,
                                exc_info=True)
            return self._rebuild_locked(docs, marker, progress)

    def _update_locked(self, docs: list[SearchDoc], marker: str, digests: dict[str, str]) -> SyncReport:
        """Replace the documents whose digest changed, remove the ones gone (under the write lock)."""
        current = {doc.id: doc for doc in docs}
        changed = [doc for doc in docs if digests.get(doc.id) != doc.digest]
        removed = [doc_id for doc_id in digests if doc_id not in current]
        added = sum(1 for doc in changed if doc.id not in digests)
        if not (changed or removed):
            self._write_state(digests, marker)
            return SyncReport(False, 0, 0, 0)
        writer = self._open().writer(timeout=30, codec=FastCodec())
        try:
            # Changed documents not in the digests may still be in the index (a crash between commit and
            # state): deleting by id first keeps them single.
            self._delete(writer, [*removed, *(doc.id for doc in changed)])
            for doc in changed:
                writer.add_document(**_fields(doc))
        except Exception:
            writer.cancel()
            raise
        # A small update only adds a small segment: merging (hundreds of milliseconds in Whoosh) waits
        # until the index has been idle for a moment, off the request path (see _schedule_merge).
        # A big update, or far too many segments, merges now.
        if len(changed) + len(removed) > 20 or len(writer.segments) >= MAX_SEGMENTS:
            writer.commit(merge=True)
        else:
            writer.commit(merge=False)
            self._schedule_merge()
        vocabulary = self._vocabulary()
        # Words of removed documents stay: they were public (only public documents' words are added).
        vocabulary.add(*(_vocabulary_text(doc) for doc in changed if _is_public(doc)))
        if len(changed) > 20:  # small updates stay in memory; a rebuild or a big update saves them
            vocabulary.save(self.folder / VOCABULARY_FILE)
        for doc_id in removed:
            digests.pop(doc_id, None)
        digests.update({doc.id: doc.digest for doc in changed})
        if len(changed) + len(removed) > 20:
            self._write_state(digests, marker)
        else:  # a line per change in the journal instead of rewriting every digest
            self._journal([(doc_id, None) for doc_id in removed] + [(doc.id, doc.digest) for doc in changed])
            self._write_state(digests, marker, journal_only=True)
        return SyncReport(False, added, len(changed) - added, len(removed))

    def _schedule_merge(self) -> None:
        """Merge small segments once no update has come for MERGE_AFTER_IDLE seconds (in a background thread;
        a process that exits first leaves them for the next one, or for the next big update)."""
        with self._lock:
            if self._merge_timer is not None:
                self._merge_timer.cancel()
            self._merge_timer = threading.Timer(MERGE_AFTER_IDLE, self._merge_quietly)
            self._merge_timer.daemon = True
            self._merge_timer.start()

    def _merge_quietly(self) -> None:
        try:
            self.merge_segments()
        except Exception as exc:  # a background merge must never take anything down; the next one retries
            log.info("background merge of %s skipped: %s", self.folder, exc)

    def merge_segments(self) -> None:
        """Merge small segments now, by merge_small_segments' policy."""
        if not self.folder.is_dir():
            return
        with self._write_lock():
            if self._usable():
                self._open().writer(timeout=30, codec=FastCodec()).commit(mergetype=merge_small_segments)
                state, digests = self._read_state(), self._read_digests()
                if state and digests is not None and (self.folder / JOURNAL_FILE).exists():
                    self._write_state(digests, state["marker"])  # fold the journal into the digests file

    def segment_count(self) -> int:
        """How many segments the index has (small updates add one each until they are merged)."""
        with self._lock:
            return len(self._fresh_searcher().reader().leaf_readers()) if self._usable() else 0

    def _delete(self, writer, doc_ids: list[str]) -> None:
        """Delete documents by number, found in our own open searcher when it reads exactly the writer's
        segments (Whoosh's delete_by_term would open a new searcher over every segment, ~100 ms at 10,000)."""
        if not doc_ids:
            return
        with self._lock:
            searcher = self._fresh_searcher()
            same = [s.segment_id() for s in writer.segments] == [
                leaf.segment().segment_id() if leaf.segment() is not None else None
                for leaf, _ in searcher.reader().leaf_readers()]
            for doc_id in doc_ids:
                if not same:
                    writer.delete_by_term("id", doc_id)
                elif (number := searcher.document_number(id=doc_id)) is not None:
                    writer.delete_document(number)

    def rebuild(self, docs: list[SearchDoc], progress: Callable[[int, int], None] | None = None) -> SyncReport:
        self._docs = docs
        with self._write_lock():
            return self._rebuild_locked(docs, _marker(docs), progress)

    def _rebuild_locked(self, docs: list[SearchDoc], marker: str,
                        progress: Callable[[int, int], None] | None) -> SyncReport:
        try:
            return self._build_locked(docs, marker, progress)
        except OSError as exc:  # a full disk, a folder we may not write: say so, not a traceback per request
            raise SearchUnavailable(f"cannot build the search index at {self.folder}: {exc}") from exc

    def _build_locked(self, docs: list[SearchDoc], marker: str,
                      progress: Callable[[int, int], None] | None) -> SyncReport:
        self._forget_index()
        if self.folder.exists():
            for entry in self.folder.iterdir():
                if entry.name != ".lock":
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        ix = self._storage().create_index(self.schema)
        big = len(docs) > 2000
        writer = (ix.writer(procs=2, multisegment=True, limitmb=256, batchsize=400, codec=FastCodec()) if big
                  else ix.writer(limitmb=128, codec=FastCodec()))
        words: Counter[str] = Counter()
        for count, doc in enumerate(docs, 1):
            writer.add_document(**_fields(doc))
            # Counting words here overlaps with the indexing processes of a big build.
            if _is_public(doc):
                count_words(words, _vocabulary_text(doc))
            if progress and (count % 100 == 0 or count == len(docs)):
                progress(count, len(docs))
        writer.commit()
        self._index = ix
        vocabulary = Vocabulary()
        vocabulary.add_counts(words)
        vocabulary.save(self.folder / VOCABULARY_FILE)
        self._vocab = vocabulary
        self._write_state({doc.id: doc.digest for doc in docs}, marker)
        if len(docs) >= WARM_FROM:
            # Read the most common terms now, while building, instead of in the first searches.
            with self._lock:
                self._current_searcher()[1].warm("content", WARM_TERMS)
        return SyncReport(True, len(docs), 0, 0)

    # -- searching -----------------------------------------------------------------------------------------

    def search(self, text: str, *, kind: str | None = None, topic: str | None = None, audience: str | None = None,
               status: str | None = None, doctype: str | None = None, language: str | None = None,
               include_drafts: bool = False, sort: Sort = "relevance", page: int = 1, per_page: int = 10,
               _corrected: bool = False) -> SearchResults:
        """Search. Any text is accepted: bad syntax degrades to plain words, never to an error. A damaged index
        is rebuilt and the search answered (SearchUnavailable only when that is impossible)."""
        return self._answer(lambda: self._search(
            text, kind=kind, topic=topic, audience=audience, status=status, doctype=doctype, language=language,
            include_drafts=include_drafts, sort=sort, page=page, per_page=per_page, _corrected=_corrected))

    def _search(self, text: str, *, kind: str | None, topic: str | None, audience: str | None, status: str | None,
                doctype: str | None, language: str | None, include_drafts: bool, sort: Sort, page: int,
                per_page: int, _corrected: bool) -> SearchResults:
        text = clean_query(text)
        words, filters = split_filters(text)
        filters = {**filters, **{k: v for k, v in {"kind": kind, "topics": topic, "audience": audience,
                                                      "status": status, "doctype": doctype,
                                                      "language": language}.items() if v}}
        page, per_page = max(1, page), max(1, min(per_page, 100))
        with self._lock:
            searcher, ranker = self._current_searcher()
            query = self._parse(words, english=bool(np.any(ranker.values.get("language", {}).get("en", False))))
            if query is NullQuery:
                if not filters:
                    return SearchResults(text, (), 0, 1, 0, message="Skriv et eller flere ord for at søge.")
                query = Every()
            # The matching set, the total and every facet count come from boolean masks over all documents;
            # ranking then only orders the matches (see toolkit/search/ranking.py).
            allowed = ranker.allowed(filters, None if include_drafts else PUBLIC_STATUSES)
            hits: tuple[SearchHit, ...] = ()
            pattern = stem_pattern(_stems(query), enough=len(_content_words(words)))
            if sort == "relevance" and not isinstance(query, Every):
                scores = ranker.scores(query)
                if scores is None:  # phrases: Whoosh matches and scores them once
                    scores = ranker.phrase_scores(query, ~allowed)
                matched = allowed & (scores > 0)
                total = int(np.count_nonzero(matched))
                pages = max(1, -(-total // per_page))
                page = min(page, pages)
                if total:
                    scores = ranker.weighted(scores, _doctype_weights(words))
                    ranked = ranker.top(scores, matched, page * per_page)[(page - 1) * per_page:]
                    hits = tuple(self._hit(searcher.stored_fields(d), float(scores[d]), pattern) for d in ranked)
            else:
                matched = allowed & ranker.mask(query)
                total = int(np.count_nonzero(matched))
                pages = max(1, -(-total // per_page))
                page = min(page, pages)
                if total:
                    order = sorting.FieldFacet("updated", reverse=True) if sort == "date" else None
                    excluded = {int(d) for d in np.flatnonzero(~allowed)} or None
                    results = searcher.search(query, limit=page * per_page, mask=excluded, sortedby=order)
                    hits = tuple(self._hit(hit.fields(), hit.score, pattern)
                                 for hit in results[(page - 1) * per_page: page * per_page])
            facets = ranker.facets(matched, FACETS) if total else {}
            suggestion = self._suggest(words) if words else None
        if total == 0 and suggestion and not _corrected:
            # Nothing found and a likely typo: show the results for the correction, and say so.
            corrected = self.search(suggestion, kind=filters.get("kind"), topic=filters.get("topics"),
                                    audience=filters.get("audience"), status=filters.get("status"),
                                    doctype=filters.get("doctype"), language=filters.get("language"),
                                    include_drafts=include_drafts, sort=sort, page=page, per_page=per_page,
                                    _corrected=True)
            if corrected.total:
                return replace(corrected, query=text, suggestion=suggestion, corrected=True)
        return SearchResults(text, hits, total, page, pages if total else 0, facets, suggestion)

    def _current_searcher(self):
        """A long-lived searcher, refreshed when the index changed, with the ranker of that generation."""
        searcher = self._fresh_searcher()
        if self._ranker is None:
            self._segment_postings.retain(segment_ids(searcher.reader()))
            self._ranker = Ranker(searcher, (*FACETS, "doctype", "language"), self._segment_postings)
        return searcher, self._ranker

    def _fresh_searcher(self):
        """The long-lived searcher, refreshed to the index's latest generation (its ranker is then rebuilt)."""
        if self._searcher is None:
            self._searcher = self._open().searcher(weighting=CachedLengthBM25F())
            self._ranker = None
        else:
            refreshed = _refreshed(self._searcher, self._open())
            if refreshed is not self._searcher:
                self._searcher, self._ranker = refreshed, None
        return self._searcher

    def suggest_titles(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """(title, url) of documents whose title has a word starting with `prefix` (as-you-type)."""
        prefix = fold(clean_query(prefix)).strip()
        if len(prefix) < 2:
            return []
        words = prefix.split()
        query = And([Prefix("title", word) for word in words[:-1]] + [Prefix("title", words[-1])])

        def titles() -> list[tuple[str, str]]:
            with self._open().searcher() as searcher:
                return [(hit["title"], hit["url"]) for hit in searcher.search(
                    query, limit=limit, filter=_restriction({}, include_drafts=False))]

        return self._answer(titles)

    def _hit(self, stored: dict, score: float | None, pattern: StemPattern | None) -> SearchHit:
        marked = snippet(stored["text"], pattern) or html.escape(stored["summary"])
        marked = nh3.clean(marked, tags={"mark"}, attributes={})
        return SearchHit(stored["id"], stored["doctype"], stored["slug"], stored["title"], stored["summary"], marked,
                         stored["url"], stored.get("kind", ""), stored.get("status", ""), stored.get("updated", ""),
                         float(score or 0))

    def _parse(self, words: str, english: bool = False) -> Query:
        fields = [*TEXT_FIELDS["da"], *(TEXT_FIELDS["en"] if english else ())]
        parser = MultifieldParser(fields, self.schema, group=OrGroup)
        for plugin in (FieldsPlugin, RangePlugin, BoostPlugin, SingleQuotePlugin, PlusMinusPlugin):
            parser.remove_plugin_class(plugin)
        expanded = expand_synonyms(tame_wildcards(words), self.lexicon)
        try:
            query = parser.parse(expanded)
        except Exception:  # Whoosh's parser is lenient, but a user can type anything
            log.info("query %r fell back to plain words", words)
            query = parser.parse(re.sub(r"[^\w\s]", " ", words))
        return query.normalize()

    def _suggest(self, words: str) -> str | None:
        """'Mente du …?': the query with unknown words replaced by the nearest public word. One vocabulary for
        everyone, of public documents only, so a suggestion never reveals a word that only a draft holds
        (members searching with drafts get no suggestions from drafts either)."""
        vocabulary = self._vocabulary()
        changed = False
        corrected = []
        for word in re.findall(r"[\w*]+|\S", words):
            folded = fold(word)
            if 4 <= len(folded) <= 30 and folded.isalpha() and not word.isupper() and \
                    folded not in self.lexicon.synonym_map and not vocabulary.known(folded):
                option = vocabulary.suggest(folded)
                if option:
                    corrected.append(_unfold_like(option, word))
                    changed = True
                    continue
            corrected.append(word)
        return " ".join(corrected) if changed else None

    def _vocabulary(self) -> Vocabulary:
        if self._vocab is None:
            self._vocab = Vocabulary.load(self.folder / VOCABULARY_FILE)
        return self._vocab

    # -- a damaged index folder ----------------------------------------------------------------------------

    def _answer(self, read: Callable[[], T]) -> T:
        """`read()` from the index. When it fails, the folder may have been damaged under the running process
        (files deleted, cut short or overwritten: Whoosh then raises errors of every type, from EmptyIndexError
        to zlib, pickle and Unicode errors), so: read again from a freshly opened index; if that fails too,
        rebuild the index from the documents of the last sync and read once more."""
        try:
            return read()
        except SearchUnavailable:  # from a nested search (the corrected query) that already tried
            raise
        except Exception:
            log.warning("reading the search index at %s failed; opening it again", self.folder, exc_info=True)
        with self._recovery:
            self._forget_index(keep_postings=False)
            try:
                return read()
            except SearchUnavailable:
                raise
            except Exception as exc:
                self._rebuild_damaged(exc)
        return read()  # a failure on a brand-new index is a bug, not damage: it propagates

    def _rebuild_damaged(self, failure: Exception) -> None:
        """Rebuild after `failure`, or SearchUnavailable saying why that is impossible. At most one rebuild
        per REPAIR_PAUSE: a failure again so soon after one is no damage a rebuild mends (and a query that hits
        a bug must not cost a rebuild per request)."""
        where = f"the search index at {self.folder}"
        if self._docs is None:
            raise SearchUnavailable(f"{where} is unreadable ({failure!r}) and this process has no documents to "
                                    "rebuild it from; sync it first") from failure
        now = time.monotonic()
        if self._repaired_at is not None and now - self._repaired_at < REPAIR_PAUSE:
            raise SearchUnavailable(f"{where} failed again {now - self._repaired_at:.0f} s after the last rebuild "
                                    f"({failure!r}); the next rebuild is tried {REPAIR_PAUSE:.0f} s after it") \
                from failure
        log.warning("%s is unreadable (%r); rebuilding it from %d documents", where, failure, len(self._docs))
        self._repaired_at = now
        try:
            self.rebuild(self._docs)
        except Exception as exc:
            log.error("rebuilding %s failed", where, exc_info=True)
            raise SearchUnavailable(f"{where} is unreadable and rebuilding it failed: {exc}") from exc

    # -- the index folder ----------------------------------------------------------------------------------

    def _forget_index(self, *, keep_postings: bool = True) -> None:
        """Drop the open index, searcher and ranker (and the cached postings too, when they may have been read
        from a damaged file)."""
        with self._lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception as exc:  # closing readers of a damaged index can fail too: nothing to keep
                    log.info("closing the searcher of %s: %s", self.folder, exc)
            self._index, self._searcher, self._ranker = None, None, None
            if not keep_postings:
                self._segment_postings = SegmentPostings()

    def _open(self) -> index.Index:
        if self._index is None:
            self._index = self._storage().open_index()
        return self._index

    def _storage(self) -> FileStorage:
        """The index folder, its files read rather than memory-mapped: a mapped segment file cut short or
        overwritten under a running process kills it (SIGBUS); read, the damage is an exception that search
        recovers from by rebuilding (see _answer)."""
        return FileStorage(str(self.folder), supports_mmap=False)

    def _usable(self) -> bool:
        state = self._read_state()
        if state is None or state.get("schema") != SCHEMA_VERSION or state.get("lexicon") != self._lexicon_key:
            return False
        if self._index is not None:  # opened and read successfully before in this process
            return True
        try:
            self._index = self._storage().open_index()
            with self._index.searcher() as searcher:
                searcher.doc_count()
            return True
        except Exception as exc:  # an unreadable index is rebuilt, never a crash
            log.warning("search index at %s is unreadable (%s); rebuilding it", self.folder, exc)
            self._index = None
            return False

    def _read_state(self) -> dict | None:
        try:
            return json.loads((self.folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _read_digests(self) -> dict[str, str] | None:
        """Each indexed document's content digest: the digests file, then the journal of small updates."""
        if self._digests is not None and self._marker == (self._read_state() or {}).get("marker"):
            return dict(self._digests)
        try:
            digests = json.loads((self.folder / DIGESTS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            lines = (self.folder / JOURNAL_FILE).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                doc_id, digest = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash: that document is simply checked again
            if digest is None:
                digests.pop(doc_id, None)
            else:
                digests[doc_id] = digest
        return digests

    def _journal(self, entries: list[tuple[str, str | None]]) -> None:
        with open(self.folder / JOURNAL_FILE, "a", encoding="utf-8") as journal:
            journal.write("".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries))

    def _write_state(self, digests: dict[str, str], marker: str, *, journal_only: bool = False) -> None:
        if not journal_only:  # the full digests replace the file and the journal
            _atomic_json(self.folder / DIGESTS_FILE, digests)
            (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
        _atomic_json(self.folder / STATE_FILE, {"schema": SCHEMA_VERSION, "lexicon": self._lexicon_key,
                                                "marker": marker, "written": dt.datetime.now(dt.UTC).isoformat()})
        self._digests, self._marker = digests, marker

    @contextmanager
    def _write_lock(self):
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SearchUnavailable(f"cannot write the search index at {self.folder}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _refreshed(searcher, ix):
    """The searcher for the index's latest generation, keeping the open readers of unchanged segments.

    Whoosh 2.7's own refresh reopens every segment (it looks reusable readers up by generation instead of
    segment id): ~1 ms a segment, paid on every save and first search after it. A segment whose deletions
    did not change is the same segment; only changed and new ones are opened.
    """
    from whoosh.reading import EmptyReader, MultiReader, SegmentReader
    from whoosh.searching import Searcher

    if ix.latest_generation() == searcher.reader().generation():
        return searcher
    toc = ix._read_toc()
    previous = {}
    for leaf, _ in searcher.reader().leaf_readers():
        segment = leaf.segment()
        if segment is not None:
            previous[segment.segment_id()] = (leaf, segment.deleted_count())
    readers = []
    for segment in toc.segments:
        kept = previous.get(segment.segment_id())
        if kept is not None and kept[1] == segment.deleted_count():
            readers.append(kept[0])
            del previous[segment.segment_id()]
        else:
            readers.append(SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation))
    for leaf, _ in previous.values():  # segments that changed or were merged away
        leaf.close()
    reader = MultiReader(readers, generation=toc.generation) if readers else EmptyReader(toc.schema)
    return Searcher(reader, weighting=searcher.weighting, fromindex=ix)


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy for small updates: merge the small segments once there are several of them, and
    the medium ones once there are many; the big segments of a build are left alone (a rebuild compacts)."""
    from whoosh.reading import SegmentReader

    for limit, at in ((SMALL_SEGMENT, SMALL_MERGE_AT), (MEDIUM_SEGMENT, MEDIUM_MERGE_AT)):
        group = [segment for segment in segments if segment.doc_count_all() <= limit]
        if len(group) >= at:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if segment not in group]
    return segments


def _fields(doc: SearchDoc) -> dict:
    content = "\n".join([doc.title] * TITLE_WEIGHT + [doc.summary] * SUMMARY_WEIGHT + [doc.text])
    return {"id": doc.id, "doctype": doc.doctype, "slug": doc.slug, "url": doc.url, "text": doc.text,
            "title": doc.title, "summary": doc.summary,
            ("content_en" if doc.language == "en" else "content"): content,
            "kind": doc.kind, "topics": ",".join(doc.topics), "audience": ",".join(doc.audience),
            "status": doc.status, "language": doc.language, "working_group": doc.working_group,
            "updated": doc.updated, "version": doc.version}


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


def _marker(docs: Iterable[SearchDoc]) -> str:
    """A fingerprint of the whole set of documents, independent of their order (no sort of 10,000 ids)."""
    total, count = 0, 0
    for doc in docs:
        total = (total + doc.fingerprint) % (1 << 128)
        count += 1
    return f"{count}-{total:032x}"


def _atomic_json(path: Path, data: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _is_public(doc: SearchDoc) -> bool:
    """Whether readers who are not signed in can find `doc` (the rule of _restriction and Ranker.allowed)."""
    return doc.status in PUBLIC_STATUSES


def _vocabulary_text(doc: SearchDoc) -> str:
    """The text whose words a document adds to the 'Mente du …?' vocabulary (only for public documents)."""
    return f"{doc.title} {doc.summary} {doc.text}"


def _restriction(filters: dict[str, str], include_drafts: bool) -> Query | None:
    parts: list[Query] = [Term(name, value) for name, value in filters.items()]
    if not include_drafts and "status" not in filters:
        parts.append(Or([Term("status", status) for status in PUBLIC_STATUSES]))
    elif not include_drafts and filters.get("status") not in PUBLIC_STATUSES:
        parts.append(NullQuery)
    return And(parts) if parts else None


def _unfold_like(suggestion: str, original: str) -> str:
    """Give a folded suggestion back its Danish letters where the original had them (best effort)."""
    for ascii_form, letter in (("ae", "æ"), ("oe", "ø"), ("aa", "å")):
        if letter in original.lower():
            suggestion = suggestion.replace(ascii_form, letter)
    return suggestion


def index_folder(home: Path, library_root: Path, *, instance: bool) -> Path:
    """Where a library's index lives: instance/index, or one folder per plain library folder."""
    if instance:
        return home / "index"
    key = hashlib.sha1(str(library_root.resolve()).encode()).hexdigest()[:12]
    return home / "indexes" / key


# A template is mostly question labels full of domain words; on a general question a guide is the better
# first answer, so templates rank a little lower — unless the query asks for a template by name, then higher.
DOCTYPE_WEIGHTS = {"template": 0.8, "meeting": 0.8, "project": 0.8}
DOCTYPE_WANTED = {"template": (1.5, frozenset({"skabelon", "skabeloner", "skabelonen", "template", "templates",
                                               "blanket", "formular"})),
                  "meeting": (1.5, frozenset({"møde", "møder", "mødet", "moede", "temamøde", "netværksmøde",
                                              "årsplan", "aarsplan", "meeting", "meetings"})),
                  # "AI-projekter" is in many guides' titles: a project asked for is weighted up only a little
                  "project": (1.2, frozenset({"projekt", "projekter", "projektet", "projektregister",
                                              "projektregistret", "project", "projects"}))}


def _doctype_weights(words: str) -> dict[str, float]:
    """DOCTYPE_WEIGHTS, with a type the query asks for by name weighted up instead."""
    said = {fold(word) for word in re.findall(r"\w+", words.lower())}
    weights = dict(DOCTYPE_WEIGHTS)
    for doctype, (wanted_weight, names) in DOCTYPE_WANTED.items():
        if said & {fold(name) for name in names}:
            weights[doctype] = wanted_weight
    return weights


class DocSource(Protocol):
    """Another kind of searchable thing beside the materials (templates; later projects, meetings …)."""

    def signature(self) -> Hashable: ...

    def docs(self, library: Library) -> list[SearchDoc]: ...


class LibrarySearch:
    """A library's search index, kept in step with it: synced whenever a new Library object is handed in
    (the instance and the watcher hand out a new one only after files changed) or a source's signature
    changes. Adding a document type is passing one more DocSource."""

    def __init__(self, folder: Path, sources: Sequence[DocSource] = ()):
        self.folder = folder
        self.sources = tuple(sources)
        self._index: SearchIndex | None = None
        self._synced: tuple[Library, tuple] | None = None
        self._lock = threading.Lock()

    def index_for(self, library: Library) -> SearchIndex:
        with self._lock:
            signatures = tuple(source.signature() for source in self.sources)
            if self._index is None or self._synced is None or library is not self._synced[0] \
                    or signatures != self._synced[1]:
                lexicon = Lexicon.load(library.root)
                if self._index is None or self._index.lexicon != lexicon:
                    self._index = SearchIndex(self.folder, lexicon)
                docs = material_docs(library)
                for source in self.sources:
                    docs = docs + source.docs(library)
                self._index.sync(docs)
                self._synced = (library, signatures)
            return self._index
