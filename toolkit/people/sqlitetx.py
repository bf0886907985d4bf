"""One SQLite transaction, the way every worker process shares the instance's small databases (signins.sqlite,
notifications.sqlite): a writing transaction takes the write lock at once (BEGIN IMMEDIATE, so two processes never
deadlock upgrading a read lock), a reading one never blocks the others, and anything raised inside rolls back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


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
