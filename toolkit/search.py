"""Full-text search over the library with Whoosh: Danish analysis, facets, snippets, suggestions, sync.

Everything Whoosh-specific stays in this module (and `analysis.py`), so another engine could replace it.
Adding a document type is a function that turns its objects into `SearchDoc`s (see `material_docs`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import heapq
import html
import json
import logging
import math
import os
import re
import shutil
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal, Protocol

import nh3
from whoosh import index, scoring, sorting
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser import (
    BoostPlugin,
    FieldsPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    RangePlugin,
    SingleQuotePlugin,
)
from whoosh.query import And, AndMaybe, AndNot, Every, NullQuery, Or, Phrase, Prefix, Query, Term
from whoosh.reading import TermNotFound

from toolkit.analysis import Lexicon, danish_analyzer, english_analyzer, fold
from toolkit.library import Library
from toolkit.materials import Material
from toolkit.querytext import clean_query, expand_synonyms, split_filters, tame_wildcards
from toolkit.render import plain_text
from toolkit.snippets import StemPattern, snippet, stem_pattern
from toolkit.spelling import Vocabulary

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
STATE_FILE = "netkit-index.json"
DIGESTS_FILE = "netkit-digests.json"
VOCABULARY_FILE = "netkit-vocabulary.json"
FACETS = ("kind", "topics", "audience", "status")
PUBLIC_STATUSES = ("published", "retired")
# One scored field per language: the title counted TITLE_WEIGHT times and the summary SUMMARY_WEIGHT times
# ahead of the body. One term matcher per query word instead of three makes queries at 10,000 documents
# about three times faster than separate title/summary/body fields with field boosts.
TEXT_FIELDS = {"da": ("content",), "en": ("content_en",)}
TITLE_WEIGHT, SUMMARY_WEIGHT = 4, 2
Sort = Literal["relevance", "date"]


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


# BM25 rewards short documents; a template or (later) a project record is a tenth of a guide's length and
# would outrank the guides on general questions. Lengths below this share of the average count as it.
LENGTH_FLOOR = 1.0


def floored(lengths: list[int | None], average: float | None) -> list[float]:
    """Field lengths with the floor applied (a document without the field has no length: 0)."""
    floor = LENGTH_FLOOR * (average or 0.0)
    return [max(length or 0, floor) for length in lengths]


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


def build_schema(lexicon: Lexicon) -> Schema:
    da, en = danish_analyzer(lexicon), english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True), doctype=ID(stored=True), slug=STORED, url=STORED, text=STORED,
        summary=STORED, title=TEXT(analyzer=da, stored=True),  # title: for as-you-type suggestions
        content=TEXT(analyzer=da), content_en=TEXT(analyzer=en),
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
        self._values: dict[str, dict[str, frozenset[int]]] | None = None
        self._postings: dict[tuple[str, str], frozenset[int]] = {}
        self._term_cache: dict[tuple[str, str], dict[int, float]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._lock = threading.RLock()
        self._vocab: Vocabulary | None = None
        self._digests: dict[str, str] | None = None
        self._marker: str | None = None
        self._lexicon_key = hashlib.sha1(repr((lexicon.synonyms, sorted(lexicon.parts))).encode()).hexdigest()

    # -- keeping in step -----------------------------------------------------------------------------------

    def sync(self, docs: list[SearchDoc], progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Bring the index in step with `docs`: rebuild when missing, outdated or unreadable, else update
        only the documents whose content changed."""
        marker = _marker(docs)
        if marker == self._marker:
            return SyncReport(False, 0, 0, 0)
        with self._write_lock():
            if not self._usable():
                return self._rebuild_locked(docs, marker, progress)
            digests = self._read_digests()
            if digests is None:
                return self._rebuild_locked(docs, marker, progress)
            current = {doc.id: doc for doc in docs}
            changed = [doc for doc in docs if digests.get(doc.id) != doc.digest]
            removed = [doc_id for doc_id in digests if doc_id not in current]
            added = sum(1 for doc in changed if doc.id not in digests)
            if changed or removed:
                writer = self._open().writer(timeout=30)
                for doc_id in removed:
                    writer.delete_by_term("id", doc_id)
                for doc in changed:
                    writer.update_document(**_fields(doc))
                # Small updates add a segment (fast); many changes, or many small segments, merge them.
                many_segments = sum(1 for _ in self.folder.glob("*.seg")) > 12
                writer.commit(merge=len(changed) + len(removed) > 20 or many_segments)
                vocabulary = self._vocabulary()
                # Words of removed documents stay: harmless for suggestions.
                vocabulary.add(*(f"{doc.title} {doc.summary} {doc.text}" for doc in changed))
                if len(changed) > 20:  # small updates stay in memory; a rebuild or a big update saves them
                    vocabulary.save(self.folder / VOCABULARY_FILE)
                for doc_id in removed:
                    digests.pop(doc_id, None)
                digests.update({doc.id: doc.digest for doc in changed})
                self._write_state(digests, marker)
            else:
                self._write_state(digests, marker)
            return SyncReport(False, added, len(changed) - added, len(removed))

    def rebuild(self, docs: list[SearchDoc], progress: Callable[[int, int], None] | None = None) -> SyncReport:
        with self._write_lock():
            return self._rebuild_locked(docs, _marker(docs), progress)

    def _rebuild_locked(self, docs: list[SearchDoc], marker: str,
                        progress: Callable[[int, int], None] | None) -> SyncReport:
        self._forget_index()
        if self.folder.exists():
            for entry in self.folder.iterdir():
                if entry.name != ".lock":
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(self.folder), self.schema)
        big = len(docs) > 2000
        writer = (ix.writer(procs=2, multisegment=True, limitmb=256, batchsize=400) if big
                  else ix.writer(limitmb=128))
        for count, doc in enumerate(docs, 1):
            writer.add_document(**_fields(doc))
            if progress and (count % 100 == 0 or count == len(docs)):
                progress(count, len(docs))
        writer.commit()
        self._index = ix
        vocabulary = Vocabulary()
        vocabulary.add(*(f"{doc.title} {doc.summary} {doc.text}" for doc in docs))
        vocabulary.save(self.folder / VOCABULARY_FILE)
        self._vocab = vocabulary
        self._write_state({doc.id: doc.digest for doc in docs}, marker)
        return SyncReport(True, len(docs), 0, 0)

    # -- searching -----------------------------------------------------------------------------------------

    def search(self, text: str, *, kind: str | None = None, topic: str | None = None, audience: str | None = None,
               status: str | None = None, doctype: str | None = None, language: str | None = None,
               include_drafts: bool = False, sort: Sort = "relevance", page: int = 1, per_page: int = 10,
               _corrected: bool = False) -> SearchResults:
        """Search. Any text is accepted: bad syntax degrades to plain words, never to an error."""
        text = clean_query(text)
        words, filters = split_filters(text)
        filters = {**filters, **{k: v for k, v in {"kind": kind, "topics": topic, "audience": audience,
                                                      "status": status, "doctype": doctype,
                                                      "language": language}.items() if v}}
        page, per_page = max(1, page), max(1, min(per_page, 100))
        with self._lock:
            searcher, values = self._current_searcher()
            query = self._parse(words, english=bool(values.get("language", {}).get("en")))
            if query is NullQuery:
                if not filters:
                    return SearchResults(text, (), 0, 1, 0, message="Skriv et eller flere ord for at søge.")
                query = Every()
            # One unscored pass gives the matching set: the total and every facet count come from it by set
            # operations on cached per-value sets; the scored pass then only ranks within it.
            allowed = _allowed(values, filters, include_drafts)
            everything = values["_all"][""]
            excluded = None if len(allowed) == len(everything) else set(everything - allowed)
            sortedby = sorting.FieldFacet("updated", reverse=True) if sort == "date" else None
            results = None
            scores = self._scores(query, searcher) if sort == "relevance" else None
            phrase = scores is None and any(isinstance(leaf, Phrase) for leaf in query.leaves())
            if phrase and sort == "relevance":
                # Phrase matching is the costly part: Whoosh does it once, scoring every match; ranking (with
                # the document-type weights) then goes the same way as for the other shapes.
                scores = {docnum: score for score, docnum in
                          searcher.search(query, limit=None, mask=excluded).top_n}
            if scores is not None:
                # Common shapes (words, OR/AND/NOT, prefixes) are ranked from cached per-term BM25 scores.
                matched = allowed.intersection(scores)
                scores = _weighted(scores, matched, values["doctype"], words)
                total = len(matched)
                pages = max(1, -(-total // per_page))
                page = min(page, pages)
                ranked = heapq.nlargest(page * per_page, matched, key=lambda d: (scores[d], -d))
                pattern = stem_pattern(_stems(query))
                hits = tuple(self._hit(searcher.stored_fields(d), scores[d], pattern)
                             for d in ranked[(page - 1) * per_page:])
            elif phrase:
                # Sorted by date: match every phrase once and take the set from it.
                results = searcher.search(query, limit=None, mask=excluded, sortedby=sortedby)
                matched = set(results.docs())
            elif isinstance(query, Every):
                matched = allowed
            else:
                matched = allowed.intersection(self._docset(query, searcher))
            if scores is None:
                total = len(matched)
                pages = max(1, -(-total // per_page))
                page = min(page, pages)
                hits = ()
                if total:
                    if results is None:
                        results = searcher.search(query, limit=page * per_page, mask=excluded, sortedby=sortedby)
                    pattern = stem_pattern(_stems(query))
                    hits = tuple(self._hit(hit.fields(), hit.score, pattern)
                                 for hit in results[(page - 1) * per_page: page * per_page])
            facets = {name: sorted(((value, len(matched & docs)) for value, docs in values[name].items()
                                    if not matched.isdisjoint(docs)), key=lambda kv: (-kv[1], kv[0]))
                      for name in FACETS} if total else {}
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

    def _scores(self, query: Query, searcher) -> dict[int, float] | None:
        """BM25 scores of every matching document for the query shapes we can combine from per-term scores
        (cached per index generation); None for others (phrases), which Whoosh scores itself."""
        if isinstance(query, Term):
            scores = self._term_scores(query.fieldname, query.text, searcher)
            return scores if query.boost == 1 else {d: s * query.boost for d, s in scores.items()}
        if isinstance(query, (Or, And)):
            parts = [self._scores(q, searcher) for q in query.subqueries]
            if any(part is None for part in parts) or not parts:
                return None
            keys = set(parts[0]).union(*parts[1:]) if isinstance(query, Or) else set(parts[0]).intersection(*parts[1:])
            return {d: sum(part.get(d, 0.0) for part in parts) for d in keys}
        if isinstance(query, AndNot):
            scores = self._scores(query.a, searcher)
            return None if scores is None else {d: s for d, s in scores.items()
                                                if d not in self._docset(query.b, searcher)}
        if isinstance(query, Prefix):
            return dict.fromkeys(self._docset(query, searcher), float(query.boost))
        return None

    def _term_scores(self, fieldname: str, text: str, searcher) -> dict[int, float]:
        key = (fieldname, text)
        cached = self._term_cache.get(key)
        if cached is not None:
            return cached
        reader = searcher.reader()
        scores: dict[int, float] = {}
        if (fieldname, text) in reader:
            lengths = self._field_lengths(fieldname, reader)
            average = reader.field_length(fieldname) / max(1, reader.doc_count()) or 1.0
            idf = math.log(reader.doc_count_all() / (reader.doc_frequency(fieldname, text) + 1)) + 1
            b, k1 = 0.75, 1.2
            for docnum, weight in _postings_with_weights(reader, fieldname, text):
                norm = k1 * ((1 - b) + b * lengths[docnum] / average)
                scores[docnum] = idf * (weight * (k1 + 1)) / (weight + norm)
        if len(self._term_cache) > 2048:
            self._term_cache.clear()
        self._term_cache[key] = scores
        return scores

    def _field_lengths(self, fieldname: str, reader) -> list[int]:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            average = reader.field_length(fieldname) / max(1, reader.doc_count()) or 1.0
            lengths = floored([reader.doc_field_length(n, fieldname, 0) for n in range(reader.doc_count_all())],
                              average)
            self._lengths[fieldname] = lengths
        return lengths

    def _docset(self, query: Query, searcher) -> frozenset[int]:
        """The documents a query matches, by set algebra on cached term postings where it can."""
        if isinstance(query, Term):
            key = (query.fieldname, query.text)
            cached = self._postings.get(key)
            if cached is None:
                try:
                    cached = frozenset(searcher.reader().postings(*key).all_ids())
                except TermNotFound:
                    cached = frozenset()
                if len(self._postings) > 4096:
                    self._postings.clear()
                self._postings[key] = cached
            return cached
        if isinstance(query, Or):
            return frozenset().union(*(self._docset(q, searcher) for q in query.subqueries))
        if isinstance(query, And):
            sets = [self._docset(q, searcher) for q in query.subqueries]
            return frozenset.intersection(*sets) if sets else frozenset()
        if isinstance(query, AndNot):
            return self._docset(query.a, searcher) - self._docset(query.b, searcher)
        if isinstance(query, AndMaybe):
            return self._docset(query.a, searcher)
        if isinstance(query, Prefix):
            terms = searcher.reader().expand_prefix(query.fieldname, query.text)
            return frozenset().union(*(self._docset(Term(query.fieldname, term), searcher) for term in terms))
        return frozenset(searcher.docs_for_query(query))

    def _current_searcher(self):
        """A long-lived searcher, refreshed when the index changed, with its per-value document sets."""
        if self._searcher is None:
            self._searcher = self._open().searcher(weighting=CachedLengthBM25F())
        else:
            refreshed = self._searcher.refresh()
            if refreshed is not self._searcher:
                self._searcher = refreshed
                self._values = None
                self._postings, self._term_cache, self._lengths = {}, {}, {}
        if self._values is None:
            reader = self._searcher.reader()
            self._values = {name: {value.decode() if isinstance(value, bytes) else value:
                                   frozenset(reader.postings(name, value).all_ids())
                                   for value in reader.lexicon(name)}
                            for name in (*FACETS, "doctype", "language")}
            self._values["_all"] = {"": frozenset(reader.all_doc_ids())}
        return self._searcher, self._values

    def suggest_titles(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """(title, url) of documents whose title has a word starting with `prefix` (as-you-type)."""
        prefix = fold(clean_query(prefix)).strip()
        if len(prefix) < 2:
            return []
        from whoosh.query import Prefix

        with self._open().searcher() as searcher:
            words = prefix.split()
            query = And([Prefix("title", word) for word in words[:-1]] + [Prefix("title", words[-1])])
            return [(hit["title"], hit["url"]) for hit in searcher.search(
                query, limit=limit, filter=_restriction({}, include_drafts=False))]

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

    # -- the index folder ----------------------------------------------------------------------------------

    def _forget_index(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._index, self._searcher, self._values = None, None, None
            self._postings, self._term_cache, self._lengths = {}, {}, {}

    def _open(self) -> index.Index:
        if self._index is None:
            self._index = index.open_dir(str(self.folder))
        return self._index

    def _usable(self) -> bool:
        state = self._read_state()
        if state is None or state.get("schema") != SCHEMA_VERSION or state.get("lexicon") != self._lexicon_key:
            return False
        if self._index is not None:  # opened and read successfully before in this process
            return True
        try:
            self._index = index.open_dir(str(self.folder))
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
        if self._digests is not None and self._marker == (self._read_state() or {}).get("marker"):
            return dict(self._digests)
        try:
            return json.loads((self.folder / DIGESTS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_state(self, digests: dict[str, str], marker: str) -> None:
        _atomic_json(self.folder / DIGESTS_FILE, digests)
        _atomic_json(self.folder / STATE_FILE, {"schema": SCHEMA_VERSION, "lexicon": self._lexicon_key,
                                                "marker": marker, "written": dt.datetime.now(dt.UTC).isoformat()})
        self._digests, self._marker = digests, marker

    @contextmanager
    def _write_lock(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _postings_with_weights(reader, fieldname: str, text: str) -> Iterator[tuple[int, float]]:
    """(document number, term weight) for every posting, read a whole block at a time where the codec
    allows (2–3× faster than Whoosh's per-posting iteration); deleted documents may be included, so
    callers intersect with the live documents."""
    for segment_reader, offset in reader.leaf_readers():
        try:
            matcher = segment_reader.postings(fieldname, text)
        except TermNotFound:
            continue
        while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
            matcher = matcher.child  # unwrap the filter that hides deleted documents
        if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block")):
            yield from ((offset + d, w) for d, w in segment_reader.postings(fieldname, text).items_as("weight"))
            continue
        while matcher.is_active():  # Whoosh 2.7's whoosh3 codec: block arrays of ids and weights
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            yield from zip((offset + d for d in matcher._ids), matcher._weights, strict=True)
            matcher._next_block()


def _fields(doc: SearchDoc) -> dict:
    content = "\n".join([doc.title] * TITLE_WEIGHT + [doc.summary] * SUMMARY_WEIGHT + [doc.text])
    return {"id": doc.id, "doctype": doc.doctype, "slug": doc.slug, "url": doc.url, "text": doc.text,
            "title": doc.title, "summary": doc.summary,
            ("content_en" if doc.language == "en" else "content"): content,
            "kind": doc.kind, "topics": ",".join(doc.topics), "audience": ",".join(doc.audience),
            "status": doc.status, "language": doc.language, "working_group": doc.working_group,
            "updated": doc.updated, "version": doc.version}


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
    digest = hashlib.sha1()
    for doc in sorted(docs, key=lambda d: d.id):
        digest.update(f"{doc.id}\0{doc.digest}\n".encode())
    return digest.hexdigest()


def _atomic_json(path: Path, data: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _allowed(values: dict[str, dict[str, frozenset[int]]], filters: dict[str, str],
             include_drafts: bool) -> set[int]:
    """The documents a search may return: visible to the caller and inside every filter."""
    allowed = set(values["_all"][""])
    if not include_drafts:
        allowed &= frozenset().union(*(values["status"].get(status, frozenset()) for status in PUBLIC_STATUSES))
    for name, value in filters.items():
        allowed &= values.get(name, {}).get(value, frozenset())
    return allowed


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
DOCTYPE_WEIGHTS = {"template": 0.8}
DOCTYPE_WANTED = {"template": (1.5, frozenset({"skabelon", "skabeloner", "skabelonen", "template", "templates",
                                               "blanket", "formular"}))}


def _weighted(scores: dict[int, float], matched: set[int], doctypes: dict[str, set[int]],
              words: str = "") -> dict[int, float]:
    """Scores with DOCTYPE_WEIGHTS applied (a copy: `scores` may be a cached per-term dict)."""
    said = {fold(word) for word in re.findall(r"\w+", words.lower())}
    weighted = None
    for doctype, weight in DOCTYPE_WEIGHTS.items():
        wanted_weight, names = DOCTYPE_WANTED.get(doctype, (weight, frozenset()))
        weight = wanted_weight if said & {fold(n) for n in names} else weight
        hit = matched & doctypes.get(doctype, set())
        if hit:
            weighted = weighted if weighted is not None else dict(scores)
            for docnum in hit:
                weighted[docnum] *= weight
    return scores if weighted is None else weighted


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
