"""The Whoosh index of one library: kept in step with its documents (a rebuild, or an update of only the
documents that changed, small segments merged when idle), searched through a long-lived searcher, and rebuilt
when its folder was damaged under the running process.

Everything Whoosh-specific stays in the search package (this module, schema, segments, querying, ranking and
analysis), so another engine could replace it. Adding a document type is a function that turns its objects
into `SearchDoc`s (see documents.py).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from toolkit.errors import NetkitError
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc, is_public
from toolkit.search.querying import SearchResults, Sort, answer, matching_titles, read_query, title_query
from toolkit.search.ranking import Ranker, SegmentPostings, segment_ids
from toolkit.search.schema import (
    FACETS,
    CachedLengthBM25F,
    FastCodec,
    build_schema,
    common_words,
    document_fields,
)
from toolkit.search.segments import delete_documents, merge_small_segments, refreshed
from toolkit.search.spelling import Vocabulary, count_words
from toolkit.search.state import IndexState, docs_marker

log = logging.getLogger(__name__)

VOCABULARY_FILE = "netkit-vocabulary.json"
# After a rebuild of a big library, the postings of the terms found in most documents are read at once.
WARM_FROM, WARM_TERMS = 2000, 500
MERGE_AFTER_IDLE = 2.0  # seconds without updates before small segments are merged in the background
MAX_SEGMENTS = 60       # beyond this, a small update merges on the spot
T = TypeVar("T")
# After rebuilding a damaged index, a read that fails again within this many seconds is not rebuilt again.
REPAIR_PAUSE = 60.0


class SearchUnavailable(NetkitError):
    """The index cannot be read and cannot be rebuilt now; the message says why (the cause is logged)."""


@dataclass(frozen=True)
class SyncReport:
    rebuilt: bool
    added: int
    updated: int
    removed: int


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
        self._state = IndexState(folder, lexicon)
        self._docs: list[SearchDoc] | None = None  # of the last sync or rebuild
        self._recovery = threading.Lock()  # one thread at a time repairs a damaged index
        self._repaired_at: float | None = None  # time.monotonic() of the last rebuild of a damaged index

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
        marker = docs_marker(docs)
        if marker == self._state.marker:
            return SyncReport(False, 0, 0, 0)
        with self._write_lock():
            digests = self._state.read_digests() if self._usable() else None
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
            self._state.write(digests, marker)
            return SyncReport(False, 0, 0, 0)
        writer = self._open().writer(timeout=30, codec=FastCodec())
        try:
            # Changed documents not in the digests may still be in the index (a crash between commit and
            # state): deleting by id first keeps them single.
            self._delete(writer, [*removed, *(doc.id for doc in changed)])
            for doc in changed:
                writer.add_document(**document_fields(doc))
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
        vocabulary.add(*(_vocabulary_text(doc) for doc in changed if is_public(doc)))
        if len(changed) > 20:  # small updates stay in memory; a rebuild or a big update saves them
            vocabulary.save(self.folder / VOCABULARY_FILE)
        for doc_id in removed:
            digests.pop(doc_id, None)
        digests.update({doc.id: doc.digest for doc in changed})
        if len(changed) + len(removed) > 20:
            self._state.write(digests, marker)
        else:  # a line per change in the journal instead of rewriting every digest
            self._state.journal([(doc_id, None) for doc_id in removed] + [(doc.id, doc.digest) for doc in changed])
            self._state.write(digests, marker, journal_only=True)
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
                self._state.fold_journal()

    def segment_count(self) -> int:
        """How many segments the index has (small updates add one each until they are merged)."""
        with self._lock:
            return len(self._fresh_searcher().reader().leaf_readers()) if self._usable() else 0

    def _delete(self, writer, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        with self._lock:
            delete_documents(writer, self._fresh_searcher(), doc_ids)

    def rebuild(self, docs: list[SearchDoc], progress: Callable[[int, int], None] | None = None) -> SyncReport:
        self._docs = docs
        with self._write_lock():
            return self._rebuild_locked(docs, docs_marker(docs), progress)

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
        # The words whose adjacent pairs are indexed for phrases: chosen now, kept in the index's schema for
        # every later update (see schema.AdjacentPairs).
        ix = self._storage().create_index(build_schema(self.lexicon, common_words(docs, self.lexicon)))
        big = len(docs) > 2000
        writer = (ix.writer(procs=2, multisegment=True, limitmb=256, batchsize=400, codec=FastCodec()) if big
                  else ix.writer(limitmb=128, codec=FastCodec()))
        words: Counter[str] = Counter()
        for count, doc in enumerate(docs, 1):
            writer.add_document(**document_fields(doc))
            # Counting words here overlaps with the indexing processes of a big build.
            if is_public(doc):
                count_words(words, _vocabulary_text(doc))
            if progress and (count % 100 == 0 or count == len(docs)):
                progress(count, len(docs))
        writer.commit()
        self._index = ix
        vocabulary = Vocabulary()
        vocabulary.add_counts(words)
        vocabulary.save(self.folder / VOCABULARY_FILE)
        self._vocab = vocabulary
        self._state.write({doc.id: doc.digest for doc in docs}, marker)
        if len(docs) >= WARM_FROM:
            # Read the most common terms now, while building, instead of in the first searches.
            with self._lock:
                self._current_searcher()[1].warm("content", WARM_TERMS)
        return SyncReport(True, len(docs), 0, 0)

    # -- searching (the query itself: toolkit/search/querying.py) ------------------------------------------

    def search(self, text: str, *, kind: str | None = None, topic: str | None = None, audience: str | None = None,
               status: str | None = None, doctype: str | None = None, language: str | None = None,
               include_drafts: bool = False, sort: Sort = "relevance", page: int = 1, per_page: int = 10,
               _corrected: bool = False) -> SearchResults:
        """Search. Any text is accepted: bad syntax degrades to plain words, never to an error. A damaged index
        is rebuilt and the search answered (SearchUnavailable only when that is impossible)."""
        given = {"kind": kind, "topics": topic, "audience": audience, "status": status, "doctype": doctype,
                 "language": language}
        return self._answer(lambda: self._search(text, given, include_drafts=include_drafts, sort=sort, page=page,
                                                 per_page=per_page, corrected=_corrected))

    def _search(self, text: str, given: dict[str, str | None], *, include_drafts: bool, sort: Sort, page: int,
                per_page: int, corrected: bool) -> SearchResults:
        text, words, filters = read_query(text, given)
        with self._lock:
            searcher, ranker = self._current_searcher()
            results = answer(searcher, ranker, self.schema, self.lexicon, self._vocabulary, text, words, filters,
                             include_drafts=include_drafts, sort=sort, page=page, per_page=per_page)
        if results.total == 0 and results.suggestion and not corrected:
            # Nothing found and a likely typo: show the results for the correction, and say so.
            again = self.search(results.suggestion, kind=filters.get("kind"), topic=filters.get("topics"),
                                audience=filters.get("audience"), status=filters.get("status"),
                                doctype=filters.get("doctype"), language=filters.get("language"),
                                include_drafts=include_drafts, sort=sort, page=results.page, per_page=per_page,
                                _corrected=True)
            if again.total:
                return replace(again, query=text, suggestion=results.suggestion, corrected=True)
        return results

    @contextmanager
    def reading(self) -> Iterator[tuple[Any, Ranker]]:
        """The current searcher and its ranker, held under the index's lock: the numbers its queries use (the
        static site's export reads its per-term scores through this, toolkit/search/sitedata.py)."""
        with self._lock:
            yield self._current_searcher()

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
            latest = refreshed(self._searcher, self._open())
            if latest is not self._searcher:
                self._searcher, self._ranker = latest, None
        return self._searcher

    def suggest_titles(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """(title, url) of documents whose title has a word starting with `prefix` (as-you-type)."""
        query = title_query(prefix)
        if query is None:
            return []

        def titles() -> list[tuple[str, str]]:
            with self._open().searcher() as searcher:
                return matching_titles(searcher, query, limit)

        return self._answer(titles)

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
        if not self._state.is_current():
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


def _vocabulary_text(doc: SearchDoc) -> str:
    """The text whose words a document adds to the 'Mente du …?' vocabulary (only for public documents)."""
    return f"{doc.title} {doc.summary} {doc.text}"
