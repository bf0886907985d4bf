"""Who reads the newsletter, and who has been sent which issue: two tables in the instance's notification store
(`instance/notifications.sqlite`, toolkit.people.notifystore), beside the outbox the mails go through.

- `newsletter_subscribers` (user, since): a signed-in member subscribes and unsubscribes; the address is the
  account's own at the time of sending, so a changed address needs no second place to change.
- `newsletter_sent` (month, user, at), unique per month and person: the row and the queued mail are written in one
  transaction, so an issue reaches a person at most once, however often or concurrently "send" is pressed.

The unsubscribe link of every mail carries a token signed with the store's key (HMAC-SHA256, its own purpose
prefix, so a notification's token is no newsletter token): it needs no sign-in and cannot be made for another.
Both tables are person data: `subscription_of` and `forget_subscriber` are the privacy tools' view
(toolkit.network.persondata).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from toolkit.people.notifystore import NotifyStore
from toolkit.people.outbox import Outbox

_TABLES = ("create table if not exists newsletter_subscribers (user text primary key, since real not null)",
           "create table if not exists newsletter_sent (month text not null, user text not null, address text not "
           "null, at real not null, primary key (month, user))")
PURPOSE = b"newsletter-unsubscribe\n"


@dataclass(frozen=True)
class Subscription:
    user: str
    since: dt.datetime | None  # None: no longer subscribed, but issues were sent
    issues: tuple[str, ...]  # the months sent to this person (YYYY-MM)


class NewsletterStore:
    def __init__(self, store: NotifyStore):
        self.store = store

    def _ready(self, db) -> None:
        for statement in _TABLES:
            db.execute(statement)

    def _has_tables(self, db) -> bool:
        return db.execute("select 1 from sqlite_master where name = 'newsletter_subscribers'").fetchone() is not None

    # -- subscribers ------------------------------------------------------------------------------------------------

    def subscribe(self, user: str) -> None:
        with self.store.db() as db:
            self._ready(db)
            db.execute("insert or ignore into newsletter_subscribers (user, since) values (?, ?)",
                       (user, self.store.clock()))

    def unsubscribe(self, user: str) -> bool:
        """Stop the newsletter for `user` (doing it twice changes nothing); whether they were subscribed."""
        if not self.store.exists():
            return False
        with self.store.db() as db:
            self._ready(db)
            return db.execute("delete from newsletter_subscribers where user = ?", (user,)).rowcount > 0

    def subscribed(self, user: str) -> bool:
        return user in self.subscribers()

    def subscribers(self) -> list[str]:
        if not self.store.exists():
            return []
        with self.store.db(writing=False) as db:
            if not self._has_tables(db):
                return []
            return [row[0] for row in db.execute("select user from newsletter_subscribers order by user")]

    # -- sending ----------------------------------------------------------------------------------------------------

    def sent_count(self, month: str) -> int:
        if not self.store.exists():
            return 0
        with self.store.db(writing=False) as db:
            if not self._has_tables(db):
                return 0
            return db.execute("select count(*) from newsletter_sent where month = ?", (month,)).fetchone()[0]

    def queue(self, outbox: Outbox, month: str, recipients: Iterable[tuple[str, str]],
              mail_for: Callable[[str, str], EmailMessage]) -> int:
        """Queue one mail per (user, address) not sent this month's issue before, in one transaction with the
        rows that say so; how many were queued. `mail_for(user, address)` makes the mail."""
        queued = 0
        now = self.store.clock()
        self.store.secret()  # read (or made) before the transaction: the links' key is kept from then on
        with self.store.db() as db:
            self._ready(db)
            for user, address in recipients:
                added = db.execute("insert or ignore into newsletter_sent (month, user, address, at) "
                                   "values (?, ?, ?, ?)", (month, user, address, now)).rowcount
                if added:
                    outbox.enqueue(db, user, address, mail_for(user, address))
                    queued += 1
        return queued

    # -- unsubscribe links ------------------------------------------------------------------------------------------

    def token(self, user: str) -> str:
        payload = user.encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def read_token(self, token: str) -> str | None:
        """The user a link was made for, or None when it is not one of ours (altered, truncated, another site's)."""
        try:
            data, signature = token.split(".")
            payload = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            sent = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            user = payload.decode()
        except (ValueError, UnicodeDecodeError):
            return None
        if not user or not hmac.compare_digest(sent, self._sign(payload)):
            return None
        return user

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self.store.secret(), PURPOSE + payload, hashlib.sha256).digest()


def subscription_of(home: Path, users: Collection[str]) -> list[Subscription]:
    """The subscriptions and sent issues of these accounts (for a person's export)."""
    store = NotifyStore(home)
    if not store.exists() or not users:
        return []
    names = sorted(set(users))
    marks = ", ".join("?" * len(names))
    with store.db(writing=False) as db:
        if db.execute("select 1 from sqlite_master where name = 'newsletter_subscribers'").fetchone() is None:
            return []
        since = dict(db.execute(f"select user, since from newsletter_subscribers where user in ({marks})", names))
        sent: dict[str, list[str]] = {}
        for user, month in db.execute(f"select user, month from newsletter_sent where user in ({marks}) "
                                      "order by month", names):
            sent.setdefault(user, []).append(month)
    return [Subscription(user, dt.datetime.fromtimestamp(since[user], dt.UTC) if user in since else None,
                         tuple(sent.get(user, ()))) for user in sorted(set(since) | set(sent))]


def forget_subscriber(home: Path, users: Collection[str]) -> int:
    """Remove the subscription and the sent-issue rows of these accounts; how many rows were removed."""
    if not subscription_of(home, users):
        return 0
    names = sorted(set(users))
    marks = ", ".join("?" * len(names))
    with NotifyStore(home).db() as db:
        removed = db.execute(f"delete from newsletter_subscribers where user in ({marks})", names).rowcount
        removed += db.execute(f"delete from newsletter_sent where user in ({marks})", names).rowcount
    return removed


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
