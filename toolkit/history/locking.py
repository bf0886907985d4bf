"""The single writer lock of an instance, shared by every process (web workers, CLI, scripts).

An advisory `flock` on a lock file: the kernel releases it when the holder dies, so a killed process never
leaves a stale lock behind. Readers take no lock; they read committed files and git objects.

Processes started while the lock is held (git) inherit its file descriptor (`held_fds`): if the writer is
killed, a git command it started still holds the lock until it finishes, so recovery never races it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import WriteFailed


class LockTimeout(WriteFailed):
    """Another writer held the lock for longer than we were willing to wait."""


_held = threading.local()


def held_fds() -> tuple[int, ...]:
    """File descriptors of the writer locks this thread holds (to pass on to child processes)."""
    return tuple(getattr(_held, "fds", {}).values())


@contextmanager
def writer_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the writer lock at `path`. Re-entrant within a thread: an operation that reads, decides and then
    calls another write (publish → save → tag) holds the lock once for the whole of it."""
    key = os.path.abspath(path)
    held: dict[str, int] = getattr(_held, "fds", {})
    if key in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"another save is still running (waited {timeout:.0f} s for {path}); "
                                      "try again in a moment") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        _held.fds = {**held, key: fd}
        try:
            yield
        finally:
            _held.fds = {k: v for k, v in getattr(_held, "fds", {}).items() if k != key}
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def holds(path: Path) -> bool:
    """Whether this thread holds the writer lock at `path`."""
    return os.path.abspath(path) in getattr(_held, "fds", {})
