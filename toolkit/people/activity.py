"""The activity log: events that are not in the library's history — sign-ins and failed sign-ins — as one
JSON line each in the instance (`activity.jsonl`, readable only by its owner). Saves and publications are
read from the history itself; `timeline` merges both for the facilitators' activity page.

Lines are appended with O_APPEND in one write each, so processes never interleave; the log is cut back to
its newest half when it passes MAX_BYTES.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

ACTIVITY_FILE = "activity.jsonl"
MAX_BYTES = 2 * 1024 * 1024
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
    def __init__(self, home: Path):
        self.path = Path(home) / ACTIVITY_FILE

    def record(self, kind: str, who: str, detail: str = "", *, now: dt.datetime | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown activity {kind!r}")
        line = json.dumps({"time": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"), "kind": kind,
                           "who": who[:80], "detail": detail[:200]}, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > MAX_BYTES:
            self._trim()

    def recent(self, limit: int = 50) -> list[Event]:
        """The newest events, newest first (a damaged line is skipped, not fatal)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 256 * (limit + 1)))
                lines = handle.read().decode("utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        events = []
        for line in reversed(lines):
            try:
                data = json.loads(line)
                events.append(Event(dt.datetime.fromisoformat(data["time"]), data["kind"], data["who"],
                                    data.get("detail", "")))
            except (ValueError, KeyError, TypeError):
                continue
            if len(events) == limit:
                break
        return events

    def _trim(self) -> None:
        """Keep the newest half (a new file renamed over the old one)."""
        data = self.path.read_bytes()
        keep = data[len(data) // 2:]
        keep = keep[keep.find(b"\n") + 1:]
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(keep)
        os.replace(temporary, self.path)


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
