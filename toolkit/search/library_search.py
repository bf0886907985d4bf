"""Which index serves a library, and keeping it in step: the folder of a library's index, and `LibrarySearch`,
which syncs the index with the materials and the documents of the other rooms' `DocSource`s."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path

from toolkit.library.folder import Library
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import DocSource, material_docs
from toolkit.search.index import SearchIndex


def index_folder(home: Path, library_root: Path, *, instance: bool) -> Path:
    """Where a library's index lives: instance/index, or one folder per plain library folder."""
    if instance:
        return home / "index"
    key = hashlib.sha1(str(library_root.resolve()).encode()).hexdigest()[:12]
    return home / "indexes" / key


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
