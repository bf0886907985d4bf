"""Writing a file of the content repository and committing it as one step, and recovering after a crash.

A write is atomic (a temporary file on the same file system, fsync, rename, fsync the folder) and is committed
at once; if either fails (a full disk, git refusing), the file is put back as it was and WriteFailed says so —
never a text on disk that the history lacks. Recovery removes half-written temporary files and stale git locks,
and commits edits made outside the app as external revisions. The caller holds the writer lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
from collections.abc import Callable, Mapping
from pathlib import Path

from toolkit.errors import WriteFailed
from toolkit.history.gitstore import Author, GitError, GitStore

EXTERNAL = Author("Ekstern ændring", "external@netkit.localhost")
COMMIT_GRAPH_EVERY = 100


class Committer:
    """Writes and commits the files of one content repository; `on_change` is called whenever the files may
    have changed (a commit, a file put back), so that views of the library are read again."""

    def __init__(self, store: GitStore, content: Path, tmp: Path, on_change: Callable[[], None]):
        self.store = store
        self.content = content
        self.tmp = tmp
        self.on_change = on_change
        self._commits_since_graph = 0

    def write_and_commit(self, path: Path, text: str, previous: str | None, message: str, author: Author, *,
                         new_files: Mapping[Path, bytes] | None = None) -> str:
        """Write a file and commit it as one step: if either fails (a full disk, git refusing), the file is put
        back as it was and WriteFailed says so — never a text on disk that the history lacks. `new_files` (a
        material's new images) are written first and committed with the text, or removed again."""
        relative = path.relative_to(self.content).as_posix()
        extra = dict(new_files or {})
        before = self.store.head()
        try:
            for extra_path, data in extra.items():
                self.write(extra_path, data)
            self.write(path, text)
            _crash_point("after-rename")
            return self.commit([relative, *(p.relative_to(self.content).as_posix() for p in extra)], message, author)
        except (OSError, GitError) as exc:
            after = self.store.head()
            if after != before and self.store.read(after or "HEAD", relative) == text:
                return after or ""  # committed after all (git failed after moving HEAD, e.g. writing its index)
            for extra_path in extra:
                self.put_back(extra_path, extra_path.relative_to(self.content).as_posix(), None)
            self.put_back(path, relative, previous)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)[:200]
            raise WriteFailed(f"{relative} could not be saved ({reason}); nothing was changed — try again in a "
                              "moment, and tell the administrator if it keeps happening") from exc

    def put_back(self, path: Path, relative: str, previous: str | None) -> None:
        """The file as it was before a write that failed, from memory (the index, too, as at HEAD)."""
        self.on_change()
        try:
            self.store.run("reset", "--quiet", "--", relative)
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                self.write(path, previous)
        except (OSError, GitError):  # the next sync commits what is on disk as an external change
            logging.getLogger(__name__).exception("could not put %s back after a failed write", relative)

    def undo_commit(self, before: str, commit: str, path: Path, previous: str) -> None:
        """Take back the commit this process just made under the lock (HEAD moves back only if it is still
        that commit), with the file as it was."""
        self.store.run("update-ref", "HEAD", before, commit)
        self.put_back(path, path.relative_to(self.content).as_posix(), previous)

    def write(self, path: Path, text: str | bytes) -> None:
        """Write atomically: a temporary file on the same file system, fsync, rename, fsync the folder."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        temporary = self.tmp / f"{path.name}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            _crash_point("after-write")
            os.fsync(handle.fileno())
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def commit(self, paths: list[str], message: str, author: Author) -> str:
        revision = self.store.commit(paths, message, author)
        self.on_change()
        self._commits_since_graph += 1
        if self._commits_since_graph >= COMMIT_GRAPH_EVERY:
            self.store.write_commit_graph()
            self._commits_since_graph = 0
        return revision

    def recover(self) -> list[str]:
        """After a crash, and before every write: remove half-written files and stale git locks, and commit
        edits made outside the app; returns the paths committed."""
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)  # half-written files of a killed save
        self.store.remove_stale_locks()
        dirty = self.store.dirty_paths()
        if dirty:
            names = ", ".join(sorted(dirty)[:5]) + (" …" if len(dirty) > 5 else "")
            self.commit(dirty, f"External change: {names}\n\nCommitted by Netkit: these files were changed "
                               "outside the app.", EXTERNAL)
        return dirty


def _crash_point(name: str) -> None:
    """Fault injection for the crash tests: NETKIT_CRASH_AT=<name> kills this process here with SIGKILL."""
    if os.environ.get("NETKIT_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
