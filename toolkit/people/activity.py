"""The activity log: events that are not in the library's history — sign-ins and failed sign-ins — as one
JSON line each in the instance (`activity.jsonl`, readable only by its owner). Saves and publications are
read from the history itself; `timeline` merges both for the facilitators' activity page.

Sign-ins carry the client's address, which is personal data: a line older than `days` (NETKIT_ACTIVITY_DAYS) is
never shown, and it is dropped from the file when a new line is written and the file's first (oldest) line has
passed the limit by GRACE — one short read per sign-in, and a rewrite at most about once a day, not at every
sign-in once the oldest lines start to age out. The file is also cut back to its
newest half when it passes MAX_BYTES. `of` and `drop` serve a person's right of access and erasure (toolkit.
network.persondata).

Lines are appended with O_APPEND in one write each, so processes never interleave; a rewrite (age, size,
erasure) holds `activity.lock` exclusively while appenders hold it shared, so no line written meanwhile is lost.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ACTIVITY_FILE = "activity.jsonl"
LOCK_FILE = "activity.lock"
MAX_BYTES = 2 * 1024 * 1024
GRACE = dt.timedelta(days=1)  # an old line is never shown; it leaves the file within this time after its limit
KINDS = ("sign_in", "sign_in_failed", "save", "publish", "status")


@dataclass(frozen=True)
class Event:
    time: dt.datetime
    kind: str  # one of KINDS
    who: str
    detail: str = ""  # an address for sign-ins; a message for saves
    slugs: tuple[str, ...] = ()
    revision: str = ""


class ActivityLog:
    def __init__(self, home: Path, *, days: int | None = None):
        """`days`: how long a line is kept (None: no age limit, only the size cap; 0: nothing is recorded)."""
        self.path = Path(home) / ACTIVITY_FILE
        self.days = days

    def cutoff(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """The oldest time still kept, or None without an age limit."""
        if self.days is None:
            return None
        return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=self.days)

    def record(self, kind: str, who: str, detail: str = "", *, now: dt.datetime | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown activity {kind!r}")
        if self.days == 0:  # the log is off: nothing new, and nothing kept from before it was turned off
            self.expire(now)
            return
        now = now or dt.datetime.now(dt.UTC)
        line = json.dumps({"time": now.isoformat(timespec="seconds"), "kind": kind,
                           "who": who[:80], "detail": detail[:200]}, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(fcntl.LOCK_SH):
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
        cutoff = self.cutoff(now)
        if size > MAX_BYTES or (cutoff is not None and self._first_is_older(cutoff - GRACE)):
            self._rewrite(lambda event: event is not None and (cutoff is None or event.time >= cutoff))

    def expire(self, now: dt.datetime | None = None) -> int:
        """Drop the lines past the age limit now (every line with days=0), as at the start of the web server: a
        site without sign-ins for a while must not keep old addresses. How many lines went."""
        if self.days is None or not self.path.exists():
            return 0
        cutoff = self.cutoff(now)
        if self.days > 0 and not self._first_is_older(cutoff):
            return 0
        return self._rewrite(lambda event: event is not None and self.days > 0 and event.time >= cutoff)

    def recent(self, limit: int = 50, *, now: dt.datetime | None = None) -> list[Event]:
        """The newest events within the age limit, newest first (a damaged line is skipped, not fatal)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 256 * (limit + 1)))
                lines = handle.read().decode("utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        cutoff = self.cutoff(now)
        events = []
        for line in reversed(lines):
            event = _parse(line)
            if event is None or (cutoff is not None and event.time < cutoff):
                continue
            events.append(event)
            if len(events) == limit:
                break
        return events

    def of(self, names: Collection[str], *, now: dt.datetime | None = None) -> list[Event]:
        """Every kept event of these user names (case does not matter), oldest first."""
        wanted = {name.casefold() for name in names}
        cutoff = self.cutoff(now)
        return [event for event in self._events() if event.who.casefold() in wanted
                and (cutoff is None or event.time >= cutoff)]

    def drop(self, names: Collection[str]) -> int:
        """Remove every line of these user names; how many were removed."""
        wanted = {name.casefold() for name in names}
        if not wanted or not self.path.exists():
            return 0
        return self._rewrite(lambda event: event is not None and event.who.casefold() not in wanted)

    def _events(self) -> Iterator[Event]:
        try:
            with open(self.path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    event = _parse(line)
                    if event is not None:
                        yield event
        except FileNotFoundError:
            return

    def _first_is_older(self, cutoff: dt.datetime) -> bool:
        try:
            with open(self.path, "rb") as handle:
                first = handle.readline(4096)
        except FileNotFoundError:
            return False
        event = _parse(first.decode("utf-8", errors="replace"))
        return event is None or event.time < cutoff  # a damaged first line goes with the next rewrite

    def _rewrite(self, keep: Callable[[Event | None], bool]) -> int:
        """Write the file again with the lines `keep` accepts (given None for a damaged line), cut to its newest
        half if it is still over MAX_BYTES; a new file renamed over the old one. How many lines went."""
        with self._locked(fcntl.LOCK_EX):
            try:
                lines = self.path.read_bytes().splitlines(keepends=True)
            except FileNotFoundError:
                return 0
            kept = [line for line in lines if keep(_parse(line.decode("utf-8", errors="replace")))]
            data = b"".join(kept)
            if len(data) > MAX_BYTES:
                data = data[len(data) // 2:]
                data = data[data.find(b"\n") + 1:]
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, self.path)
            return len(lines) - data.count(b"\n")

    @contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        fd = os.open(self.path.with_name(LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, mode)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _parse(line: str) -> Event | None:
    try:
        data = json.loads(line)
        time = dt.datetime.fromisoformat(data["time"])
        if time.tzinfo is None:
            return None
        if not all(isinstance(data.get(key, ""), str) for key in ("kind", "who", "detail")):
            return None
        return Event(time, data["kind"], data["who"], data.get("detail", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def history_events(changes) -> list[Event]:
    """Events from the library's history (Instance.recent_changes): publications, status changes, saves."""
    events = []
    for revision, slugs in changes:
        first_line = revision.message.splitlines()[0] if revision.message else ""
        if first_line.startswith("Publish "):
            kind = "publish"
        elif "→" in first_line and slugs and first_line.startswith(f"{slugs[0]}:"):
            kind = "status"
        else:
            kind = "save"
        events.append(Event(revision.time, kind, revision.author, first_line, slugs, revision.id))
    return events


def timeline(log: ActivityLog, changes, limit: int = 50) -> list[Event]:
    """Sign-ins and history merged, newest first."""
    merged = log.recent(limit) + history_events(changes)
    return sorted(merged, key=lambda e: e.time.astimezone(dt.UTC), reverse=True)[:limit]
