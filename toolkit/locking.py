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

from toolkit.errors import NetkitError


class LockTimeout(NetkitError):
    """Another writer held the lock for longer than we were willing to wait."""


_held = threading.local()


def held_fds() -> tuple[int, ...]:
    """File descriptors of the writer locks this thread holds (to pass on to child processes)."""
    return tuple(getattr(_held, "fds", ()))


@contextmanager
def writer_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
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
        _held.fds = (*held_fds(), fd)
        try:
            yield
        finally:
            _held.fds = tuple(f for f in held_fds() if f != fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
