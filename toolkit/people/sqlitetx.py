"""The instance's small SQLite databases (signins.sqlite, notifications.sqlite), shared by every worker process:
each file made readable only by its owner, in WAL mode; each transaction a writing one that takes the write lock at
once (BEGIN IMMEDIATE, so two processes never deadlock upgrading a read lock) or a reading one that never blocks the
others, and anything raised inside rolls back."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def transaction(connection: sqlite3.Connection, *, writing: bool = True) -> Iterator[sqlite3.Connection]:
    """`connection` (opened with isolation_level=None) inside one transaction, committed when the block ends."""
    try:
        connection.execute("begin immediate" if writing else "begin")
        yield connection
        connection.execute("commit")
    except BaseException:
        if connection.in_transaction:
            connection.execute("rollback")
        raise


def create_private(path: Path, schema: str) -> None:
    """Make the database at `path` (readable only by the owner: these files name sessions, addresses and a signing
    key) in WAL mode, with `schema` (CREATE … IF NOT EXISTS, so an existing file is kept as it is)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    connection = sqlite3.connect(path, timeout=15)
    try:
        _use_wal(connection)
        connection.executescript(schema)
    finally:
        connection.close()


def _use_wal(connection: sqlite3.Connection, *, seconds: float = 15.0) -> None:
    """WAL mode (kept in the file: once set, later opens only read it). Switching needs the file to itself, and
    SQLite answers "database is locked" at once rather than waiting, so a switch is retried while other threads or
    workers open the same new file at the same moment."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if connection.execute("pragma journal_mode").fetchone()[0] != "wal":
                connection.execute("pragma journal_mode=wal")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
