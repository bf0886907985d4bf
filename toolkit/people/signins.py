"""What every web worker must agree on about signing in, kept in one SQLite file in the instance
(`instance/signins.sqlite`, readable only by its owner) so that all worker processes and restarts see it:

- failed sign-ins, for the throttle: per account *and* address (so nobody can lock an account for everyone
  from elsewhere) with a wait that doubles with every further failure, and per address across accounts
  (password spraying);
- live sessions: a session cookie names a session here, which signing out, a new password or removing the
  account ends at once, and which ends by itself after `SESSION_SECONDS`;
- drafts carried through signing in again: what a form held when its session had ended, kept here (not in
  the cookie, not in the page) until the editor it came from opens again;
- the ID token of a session begun at the OpenID provider, for ending that session there too (kept here, not in the
  cookie: a provider's token with many groups would pass a browser's 4 KB cookie limit).

Each call is one short transaction on its own connection (safe across forks and threads).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.people.sqlitetx import create_private, transaction

DATABASE = "signins.sqlite"
SESSION_SECONDS = 8 * 3600
# Failed sign-ins: 5 free tries per account and address; then 1 minute, doubling to at most an hour.
FREE_TRIES, FIRST_WAIT, LONGEST_WAIT, FAILURE_MEMORY = 5, 60.0, 3600.0, 24 * 3600.0
# Password spraying: 30 failures from one address within 15 minutes blocks that address for the rest of them.
ADDRESS_TRIES, ADDRESS_WINDOW = 30, 15 * 60.0
DRAFT_SECONDS, DRAFTS_MAX, DRAFTS_PER_OWNER, DRAFT_BYTES = 24 * 3600, 500, 3, 2 * 1024 * 1024
ID_TOKEN_BYTES = 64 * 1024

_SCHEMA = """
create table if not exists failures (key text not null, at real not null);
create index if not exists failures_key on failures (key, at);
create table if not exists sessions (id text primary key, user text not null, created real not null);
create index if not exists sessions_user on sessions (user);
create table if not exists id_tokens (session text primary key, token text not null);
create table if not exists drafts (id text primary key, owner text not null, path text not null,
                                   fields text not null, created real not null);
"""


@dataclass(frozen=True)
class Wait:
    """Why a sign-in is refused before the password is looked at, and for how long (seconds)."""

    seconds: float
    address_wide: bool = False


class SignIns:
    def __init__(self, home: Path, *, clock=time.time):
        self.path = Path(home) / DATABASE
        self.clock = clock
        self._ready = False

    # -- the throttle ---------------------------------------------------------------------------------------------

    def wait(self, account: str, address: str) -> Wait | None:
        """How long this account may not be tried from this address (None: go ahead)."""
        now = self.clock()
        with self._db(writing=False) as db:
            times = [at for (at,) in db.execute("select at from failures where key = ? and at > ? order by at",
                                                (_pair(account, address), now - FAILURE_MEMORY))]
            sprayed = db.execute("select count(*) from failures where key = ? and at > ?",
                                 (_address(address), now - ADDRESS_WINDOW)).fetchone()[0]
        if sprayed >= ADDRESS_TRIES:
            return Wait(ADDRESS_WINDOW, address_wide=True)
        if len(times) < FREE_TRIES:
            return None
        wait = min(FIRST_WAIT * 2 ** (len(times) - FREE_TRIES), LONGEST_WAIT)
        remaining = times[-1] + wait - now
        return Wait(remaining) if remaining > 0 else None

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self._db() as db:
            db.executemany("insert into failures (key, at) values (?, ?)",
                           [(_pair(account, address), now), (_address(address), now)])
            db.execute("delete from failures where at < ?", (now - FAILURE_MEMORY,))

    def clear_failures(self) -> None:
        """Forget every failed sign-in (an administrator lifting the throttle)."""
        with self._db() as db:
            db.execute("delete from failures")

    def succeeded(self, account: str, address: str) -> None:
        with self._db() as db:
            db.execute("delete from failures where key = ?", (_pair(account, address),))

    # -- sessions -------------------------------------------------------------------------------------------------

    def start_session(self, user: str) -> str:
        """A new session for `user`; its id goes into the signed cookie."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        with self._db() as db:
            db.execute("delete from sessions where created < ?", (now - SESSION_SECONDS,))
            db.execute("insert into sessions (id, user, created) values (?, ?, ?)", (_hashed(session_id), user, now))
        return session_id

    def session_user(self, session_id: str) -> str | None:
        """The user of a live session, or None (ended, expired, or never started)."""
        if not session_id:
            return None
        with self._db(writing=False) as db:
            row = db.execute("select user from sessions where id = ? and created > ?",
                             (_hashed(session_id), self.clock() - SESSION_SECONDS)).fetchone()
        return row[0] if row else None

    def end_session(self, session_id: str) -> str | None:
        """End a session; returns the ID token it was begun with at the OpenID provider (None: a local sign-in)."""
        with self._db() as db:
            db.execute("delete from sessions where id = ?", (_hashed(session_id),))
            row = db.execute("select token from id_tokens where session = ?", (_hashed(session_id),)).fetchone()
            db.execute("delete from id_tokens where session = ?", (_hashed(session_id),))
        return row[0] if row else None

    def end_sessions_of(self, user: str) -> int:
        """End every session of `user` (a new password, a removed account); returns how many ended."""
        with self._db() as db:
            db.execute("delete from id_tokens where session in (select id from sessions where user = ?)", (user,))
            return db.execute("delete from sessions where user = ?", (user,)).rowcount

    def keep_id_token(self, session_id: str, token: str) -> None:
        """Remember the provider's ID token of a live session (for its sign-out there); a huge one is not kept."""
        if len(token) > ID_TOKEN_BYTES:
            return
        with self._db() as db:
            db.execute("delete from id_tokens where session not in (select id from sessions)")
            db.execute("insert or replace into id_tokens (session, token) values (?, ?)", (_hashed(session_id), token))

    # -- drafts carried through signing in again -------------------------------------------------------------------

    def keep_draft(self, owner: str, path: str, fields: list[tuple[str, str]]) -> str | None:
        """Keep what `owner`'s form held for the page at `path`; returns the draft's id (None when it is too large).
        An owner has at most DRAFTS_PER_OWNER drafts (the newest), so nobody can push out another's."""
        payload = json.dumps(fields, ensure_ascii=False)
        if len(payload.encode("utf-8")) > DRAFT_BYTES:
            return None
        draft_id = secrets.token_urlsafe(24)
        now = self.clock()
        with self._db() as db:
            db.execute("delete from drafts where created < ?", (now - DRAFT_SECONDS,))
            db.execute("delete from drafts where owner = ? and id not in (select id from drafts where owner = ? "
                       "order by created desc limit ?)", (owner, owner, DRAFTS_PER_OWNER - 1))
            db.execute("delete from drafts where id not in (select id from drafts order by created desc limit ?)",
                       (DRAFTS_MAX - 1,))
            db.execute("insert into drafts (id, owner, path, fields, created) values (?, ?, ?, ?, ?)",
                       (draft_id, owner, path, payload, now))
        return draft_id

    def take_draft(self, path: str, owner: str) -> list[tuple[str, str]] | None:
        """The newest draft `owner` kept for `path`, removed as it is taken (None when there is none)."""
        with self._db() as db:
            row = db.execute("select id, fields from drafts where path = ? and owner = ? and created > ? "
                             "order by created desc limit 1", (path, owner, self.clock() - DRAFT_SECONDS)).fetchone()
            if row:
                db.execute("delete from drafts where id = ?", (row[0],))
        return [(str(key), str(value)) for key, value in json.loads(row[1])] if row else None

    # -- the file -------------------------------------------------------------------------------------------------

    @contextmanager
    def _db(self, *, writing: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction; a writing one takes SQLite's write lock at once (no upgrade deadlocks), a reading one
        never blocks the other workers."""
        if not self._ready or not self.path.exists():  # (re)made if someone deleted it while we run
            self._create()
        connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            with transaction(connection, writing=writing):
                yield connection
        finally:
            connection.close()

    def _create(self) -> None:
        create_private(self.path, _SCHEMA)  # it names sessions
        self._ready = True


def _hashed(session_id: str) -> str:
    """Sessions are stored by a hash of their id: a copy of this file does not sign anybody in."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _pair(account: str, address: str) -> str:
    return f"account:{account}\0{client_network(address)}"


def _address(address: str) -> str:
    return f"address:{client_network(address)}"


def client_network(address: str) -> str:
    """The address the throttle counts: an IPv6 client usually holds a whole /64, so that is one address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(getattr(ip, "ipv4_mapped", None) or ip)
