"""An in-memory index of which commits changed which file, kept in step with HEAD incrementally.

`git log -- PATH` must look at every commit; with 5,000 commits over a flat folder of 500 files its Bloom
filters still let ~100 false positives through, each a pair of large tree reads (~80 ms). This index reads
the log once (`--name-only`), then only the commits added since, so a material's history is a dict lookup.
Reading the whole log costs ~0.8 s at 5,000 commits, so the index is saved to a cache file (after a full
read and every SAVE_EVERY new commits) and a new process starts from it, catching up on what is newer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from pathlib import Path

from toolkit.history.gitstore import FIELD_SEP, Commit, GitStore

START = "\x02"  # marks the start of each commit record in the log output
SAVE_EVERY = 200
CACHE_FORMAT = 1
COMMIT_ID_RE = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")  # SHA-1 or SHA-256 object names

log = logging.getLogger(__name__)


class CacheShapeError(ValueError):
    """The cache file holds JSON of an unexpected shape (what is wrong, in words)."""


class HistoryIndex:
    def __init__(self, store: GitStore, prefix: str = "library/", cache_file: Path | None = None):
        self.store = store
        self.prefix = prefix
        self.cache_file = cache_file
        self._head: str | None = None
        self._by_path: dict[str, list[Commit]] = {}
        self._unsaved = 0
        self._loaded = False
        self._lock = threading.Lock()

    def log(self, path: str) -> list[Commit]:
        """The commits that changed `path`, newest first."""
        self.refresh()
        return list(self._by_path.get(path, ()))

    def last_change(self, path: str) -> str | None:
        self.refresh()
        commits = self._by_path.get(path)
        return commits[0].id if commits else None

    def refresh(self) -> None:
        with self._lock:
            if not self._loaded:
                self._loaded = True
                self._load()
            head = self.store.head()
            if head == self._head:
                return
            if self._head is not None and self._is_ancestor(self._head, head):
                revisions = f"{self._head}..{head}"
            else:  # first use, or history was rewritten (reset, forced pull): read it all again
                self._by_path = {}
                self._unsaved = SAVE_EVERY
                revisions = head
            if head is not None:
                entries = self._read(revisions)
                self._add(entries)
                self._unsaved += len(entries)
            self._head = head
            if self._unsaved >= SAVE_EVERY:
                self._save()

    def _load(self) -> None:
        """Start from the cache file when there is a usable one. Anything unexpected in it (unreadable, not
        JSON, a wrong shape at any level) is logged and the cache discarded: refresh() then reads the whole
        log from git and writes the cache anew."""
        if self.cache_file is None or not self.cache_file.is_file():
            return
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
            self._head, self._by_path = decode_cache(data, self.prefix)
        except (OSError, ValueError) as exc:  # CacheShapeError and JSON errors are ValueErrors
            log.warning("history cache %s is unusable (%s); reading the history from git and rewriting it",
                        self.cache_file, exc)
            self._by_path, self._head = {}, None

    def _save(self) -> None:
        if self.cache_file is None:
            return
        commits = {c.id: [c.author, c.email, c.time.isoformat(), c.message]
                   for history in self._by_path.values() for c in history}
        data = {"format": CACHE_FORMAT, "prefix": self.prefix, "head": self._head, "commits": commits,
                "paths": {path: [c.id for c in history] for path, history in self._by_path.items()}}
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_file.with_name(f"{self.cache_file.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.cache_file)
        self._unsaved = 0

    def _is_ancestor(self, old: str, new: str | None) -> bool:
        if new is None:
            return False
        return self.store.run("merge-base", "--is-ancestor", old, new, check=False).returncode == 0

    def recent(self, limit: int) -> list[tuple[Commit, list[str]]]:
        """The newest commits of the whole library with the files each changed (for the activity page)."""
        if self.store.head() is None:
            return []
        return self._read("HEAD", limit=limit)

    def _read(self, revisions: str, limit: int | None = None) -> list[tuple[Commit, list[str]]]:
        fmt = START + FIELD_SEP.join(("%H", "%an", "%ae", "%aI", "%B")) + FIELD_SEP
        count = [f"--max-count={limit}"] if limit else []
        out = self.store.run("log", *count, f"--format={fmt}", "--name-only", "--no-renames", revisions, "--",
                             self.prefix).stdout
        entries = []
        for record in out.split(START)[1:]:
            sha, name, email, when, message, files = record.split(FIELD_SEP, 5)
            commit = Commit(sha, name, email, dt.datetime.fromisoformat(when), message.strip())
            entries.append((commit, [line for line in files.splitlines() if line]))
        return entries  # newest first

    def _add(self, entries: list[tuple[Commit, list[str]]]) -> None:
        newer: dict[str, list[Commit]] = {}
        for commit, files in entries:
            for path in files:
                newer.setdefault(path, []).append(commit)
        for path, commits in newer.items():
            self._by_path[path] = commits + self._by_path.get(path, [])


def merge_logs(logs: list[list[Commit]]) -> list[Commit]:
    """Several paths' commits (each newest first, each a part of one history) as one list, newest first, every
    commit once: a material's history across its renames. A commit goes next when every list that holds it has
    nothing newer left; of those that may, the newest by time (then the first list's) goes first."""
    positions = [{commit.id: index for index, commit in enumerate(log)} for log in logs]
    heads = [0] * len(logs)
    merged: list[Commit] = []
    done: set[str] = set()
    while True:
        for number, log in enumerate(logs):
            while heads[number] < len(log) and log[heads[number]].id in done:
                heads[number] += 1
        waiting = [number for number, log in enumerate(logs) if heads[number] < len(log)]
        if not waiting:
            return merged
        ready = [number for number in waiting
                 if all(logs[number][heads[number]].id not in positions[other]
                        or positions[other][logs[number][heads[number]].id] == heads[other] for other in waiting)]
        chosen = max(ready or waiting, key=lambda number: (logs[number][heads[number]].time, -number))
        commit = logs[chosen][heads[chosen]]
        merged.append(commit)
        done.add(commit.id)


def decode_cache(data: object, prefix: str) -> tuple[str | None, dict[str, list[Commit]]]:
    """(head, commits by path) from the cache file's JSON, checked at every level; CacheShapeError naming
    the first thing that is not what _save writes (an older format or another prefix included)."""
    if not isinstance(data, dict):
        raise CacheShapeError(f"expected an object at the top, found {_json_type(data)}")
    if data.get("format") != CACHE_FORMAT or data.get("prefix") != prefix:
        raise CacheShapeError(f"format {data.get('format')!r:.20} and prefix {data.get('prefix')!r:.60}, "
                              f"expected {CACHE_FORMAT} and {prefix!r}")
    head = data.get("head")
    if head is not None and not (isinstance(head, str) and COMMIT_ID_RE.match(head)):
        raise CacheShapeError(f"'head' must be a commit id or null, found {head!r:.60}")
    commits = {sha: _decode_commit(sha, entry) for sha, entry in _object(data, "commits").items()}
    by_path: dict[str, list[Commit]] = {}
    for path, shas in _object(data, "paths").items():
        if not isinstance(shas, list) or not all(isinstance(sha, str) and sha in commits for sha in shas):
            raise CacheShapeError(f"'paths' → {path!r:.100} must be a list of ids listed under 'commits'")
        by_path[path] = [commits[sha] for sha in shas]
    return head, by_path


def _object(data: dict, key: str) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CacheShapeError(f"'{key}' must be an object, found {_json_type(value)}")
    return value


def _decode_commit(sha: str, entry: object) -> Commit:
    if not COMMIT_ID_RE.match(sha):
        raise CacheShapeError(f"'commits' has a key that is no commit id: {sha!r:.60}")
    if not (isinstance(entry, list) and len(entry) == 4 and all(isinstance(part, str) for part in entry)):
        raise CacheShapeError(f"'commits' → {sha} must be [author, email, time, message] as texts")
    name, email, when, message = entry
    try:
        committed = dt.datetime.fromisoformat(when)
    except ValueError:
        raise CacheShapeError(f"'commits' → {sha} has a time that is no ISO date: {when!r:.60}") from None
    return Commit(sha, name, email, committed, message)


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
