"""The notifications' own SQLite file in the instance (`instance/notifications.sqlite`, readable only by its owner),
shared by every web worker, the CLI and the background sender, and kept across restarts:

- events: what the instance told its listeners (a status change, a publication, a comment, a rename), written by
  `EventRecorder` — one short insert, so a save never waits for anything else — and turned into notifications
  later by the sender (toolkit.people.notifications);
- watches and mail preferences (toolkit.people.watches), the inbox each person sees in the web, the digest items,
  the reminders already given, the outbox of mails (toolkit.people.outbox);
- the sender's lease: the one process that sends mail (renewed while it lives, taken over when it lapses);
- a random key that signs the unsubscribe links.

Each call is one short transaction on the calling thread's own connection (a forked child opens its own).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.history.events import Event
from toolkit.people.sqlitetx import create_private, transaction

log = logging.getLogger(__name__)

DATABASE = "notifications.sqlite"
# The events that may concern somebody else; saves and restores are in the history and notify nobody.
NOTIFYING = frozenset({"status", "published", "comment", "renamed"})
MAX_EVENT_TRIES = 5  # an event that cannot be turned into notifications this often is set aside (and logged)

_SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
create table if not exists events (id integer primary key, kind text not null, slug text not null,
    actor text not null, detail text not null, revision text not null, at real not null,
    done integer not null default 0, tries integer not null default 0);
create index if not exists events_pending on events (done, id);
create table if not exists watches (user text not null, type text not null, target text not null,
    mode text not null, created real not null, primary key (user, type, target));
create index if not exists watches_target on watches (type, target);
create table if not exists prefs (user text primary key, personal text not null default 'immediate',
    muted integer not null default 0);
create table if not exists inbox (id integer primary key, user text not null, what text not null,
    slug text not null, title text not null, actor text not null, note text not null, detail text not null,
    reason text not null, at real not null, read real);
create index if not exists inbox_user on inbox (user, read, id);
create table if not exists digest (user text not null, inbox integer not null, primary key (user, inbox));
create table if not exists reminders (slug text not null, period text not null, at real not null,
    primary key (slug, period));
create table if not exists outbox (id integer primary key, user text not null, address text not null,
    message blob not null, message_id text not null, created real not null, attempts integer not null default 0,
    next_try real not null, sent real, failed real, error text not null default '');
create index if not exists outbox_due on outbox (sent, failed, next_try);
create table if not exists lease (name text primary key, holder text not null, until real not null);
"""


_INHERITED: list[sqlite3.Connection] = []  # connections a forked child inherited (closing them is the parent's job)


@dataclass(frozen=True)
class StoredEvent:
    id: int
    event: Event


class NotifyStore:
    def __init__(self, home: Path, *, clock: Callable[[], float] = time.time):
        self.home = Path(home)
        self.path = self.home / DATABASE
        self.clock = clock
        self._ready = False
        self._secret: bytes | None = None
        self._local = threading.local()

    def exists(self) -> bool:
        return self.path.exists()

    # -- events ---------------------------------------------------------------------------------------------------

    def record(self, event: Event) -> bool:
        """Keep an event for the sender; False for the kinds that notify nobody (nothing is written)."""
        if event.kind not in NOTIFYING:
            return False
        with self.db() as db:
            db.execute("insert into events (kind, slug, actor, detail, revision, at) values (?, ?, ?, ?, ?, ?)",
                       (event.kind, event.slug, event.actor, json.dumps(dict(event.detail), ensure_ascii=False),
                        event.revision, event.time.timestamp()))
        return True

    def pending_events(self, limit: int = 50) -> list[StoredEvent]:
        import datetime as dt

        if not self.exists():
            return []
        with self.db(writing=False) as db:
            rows = db.execute("select id, kind, slug, actor, detail, revision, at from events where done = 0 "
                              "order by id limit ?", (limit,)).fetchall()
        return [StoredEvent(row[0], Event(row[1], row[2], row[3], json.loads(row[4]), row[5],
                                          dt.datetime.fromtimestamp(row[6], dt.UTC))) for row in rows]

    @staticmethod
    def claim_event(db: sqlite3.Connection, event_id: int) -> bool:
        """Inside a transaction: mark the event handled; False when another process handled it first."""
        return db.execute("update events set done = 1 where id = ? and done = 0", (event_id,)).rowcount == 1

    def event_failed(self, event_id: int) -> None:
        with self.db() as db:
            db.execute("update events set tries = tries + 1, done = case when tries + 1 >= ? then 2 else 0 end "
                       "where id = ?", (MAX_EVENT_TRIES, event_id))

    def prune(self, days: float = 90) -> None:
        """Forget handled events and sent mails older than `days` (the file would only grow)."""
        if not self.exists():
            return
        before = self.clock() - days * 86400
        with self.db() as db:
            db.execute("delete from events where done != 0 and at < ?", (before,))
            db.execute("delete from outbox where sent is not null and sent < ?", (before,))

    # -- the sender's lease ---------------------------------------------------------------------------------------

    def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Hold (or renew) the lease `name` for `seconds`; False while another holder's lease runs."""
        now = self.clock()
        with self.db() as db:
            row = db.execute("select holder, until from lease where name = ?", (name,)).fetchone()
            if row and row[0] != holder and row[1] > now:
                return False
            db.execute("insert or replace into lease (name, holder, until) values (?, ?, ?)",
                       (name, holder, now + seconds))
        return True

    def drop_lease(self, name: str, holder: str) -> None:
        if self.exists():
            with self.db() as db:
                db.execute("delete from lease where name = ? and holder = ?", (name, holder))

    # -- small values ---------------------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        if not self.exists():
            return None
        with self.db(writing=False) as db:
            row = db.execute("select value from meta where key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        with self.db() as db:
            db.execute("insert or replace into meta (key, value) values (?, ?)", (key, value))

    def secret(self) -> bytes:
        """The key that signs unsubscribe links, made once (the first process to write it wins)."""
        if self._secret is None:  # never inside another transaction of this store: it may have to write
            with self.db() as db:
                db.execute("insert or ignore into meta (key, value) values ('secret', ?)", (secrets.token_hex(32),))
                self._secret = bytes.fromhex(db.execute("select value from meta where key = 'secret'").fetchone()[0])
        return self._secret

    # -- the file -------------------------------------------------------------------------------------------------

    @contextmanager
    def db(self, *, writing: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction; a writing one takes SQLite's write lock at once (no upgrade deadlocks)."""
        with transaction(self._connection(), writing=writing) as connection:
            yield connection

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened once: opening one costs milliseconds, a transaction on an open one a
        fraction of one (a save waits for the recorder's insert). A forked child opens its own."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid() and self._ready and self.path.exists():
            return held[1]
        if held is not None and held[0] != os.getpid():
            _INHERITED.append(held[1])  # the parent's: never used, never closed here
        if not self._ready or not self.path.exists():
            self._create()
        connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        connection.execute("pragma synchronous=normal")  # WAL: durable at checkpoints, never corrupt
        self._local.held = (os.getpid(), connection)
        return connection

    def _create(self) -> None:
        create_private(self.path, _SCHEMA)  # it holds addresses and the signing key
        self._ready = True


class EventRecorder:
    """The instance's listener: writes the event and wakes the sender of this process (if one runs)."""

    def __init__(self, store: NotifyStore, wake: Callable[[], None] | None = None):
        self.store = store
        self.wake = wake

    def __call__(self, event: Event) -> None:
        if self.store.record(event) and self.wake is not None:
            self.wake()
