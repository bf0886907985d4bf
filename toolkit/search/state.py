"""The files Netkit keeps beside Whoosh's in an index folder: the state (schema version, lexicon, the marker of
the set of documents indexed), each document's content digest and the journal of small updates. They tell a
sync whether the index is current and which documents changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc

# 7: the vocabulary holds only public documents' words (6 and older: drafts' words too); 8: readers_only;
# 9: the adjacent-word pairs phrases are matched with (content_pairs, content_en_pairs)
SCHEMA_VERSION = 9
STATE_FILE = "netkit-index.json"
DIGESTS_FILE = "netkit-digests.json"
JOURNAL_FILE = "netkit-digests.log"


def docs_marker(docs: Iterable[SearchDoc]) -> str:
    """A fingerprint of the whole set of documents, independent of their order (no sort of 10,000 ids)."""
    total, count = 0, 0
    for doc in docs:
        total = (total + doc.fingerprint) % (1 << 128)
        count += 1
    return f"{count}-{total:032x}"


class IndexState:
    """The state, digests and journal files of one index folder, and the digests and marker last read from
    them or written."""

    def __init__(self, folder: Path, lexicon: Lexicon):
        self.folder = folder
        self.lexicon_key = hashlib.sha1(repr((lexicon.synonyms, sorted(lexicon.parts))).encode()).hexdigest()
        self.digests: dict[str, str] | None = None
        self.marker: str | None = None

    def read(self) -> dict | None:
        try:
            return json.loads((self.folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def is_current(self) -> bool:
        """Whether the folder holds an index of this schema version and lexicon."""
        state = self.read()
        return state is not None and state.get("schema") == SCHEMA_VERSION and state.get("lexicon") == self.lexicon_key

    def read_digests(self) -> dict[str, str] | None:
        """Each indexed document's content digest: the digests file, then the journal of small updates."""
        if self.digests is not None and self.marker == (self.read() or {}).get("marker"):
            return dict(self.digests)
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

    def journal(self, entries: list[tuple[str, str | None]]) -> None:
        with open(self.folder / JOURNAL_FILE, "a", encoding="utf-8") as journal:
            journal.write("".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries))

    def write(self, digests: dict[str, str], marker: str, *, journal_only: bool = False) -> None:
        if not journal_only:  # the full digests replace the file and the journal
            _atomic_json(self.folder / DIGESTS_FILE, digests)
            (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
        _atomic_json(self.folder / STATE_FILE, {"schema": SCHEMA_VERSION, "lexicon": self.lexicon_key,
                                                "marker": marker, "written": dt.datetime.now(dt.UTC).isoformat()})
        self.digests, self.marker = digests, marker

    def fold_journal(self) -> None:
        """Write the journal's entries into the digests file (after the small segments were merged)."""
        state, digests = self.read(), self.read_digests()
        if state and digests is not None and (self.folder / JOURNAL_FILE).exists():
            self.write(digests, state["marker"])


def _atomic_json(path: Path, data: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
