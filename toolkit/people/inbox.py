"""The notifications each person sees in the web (the bell's count and `/notifikationer`), whatever they chose
for mail: written by toolkit.people.notifications, read and marked read here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.people.mail import Notice
from toolkit.people.notifystore import NotifyStore

KEEP_DAYS = 180  # read notifications older than this are removed
PAGE = 50


@dataclass(frozen=True)
class InboxItem:
    id: int
    what: str
    slug: str
    title: str
    actor: str
    note: str
    reason: str  # "facilitator", "author", "group:<id>", "watch:<type>:<target>"
    at: dt.datetime
    read: bool
    values: dict[str, str] = field(default_factory=dict)

    @property
    def notice(self) -> Notice:
        return Notice(self.what, self.slug, self.title, self.actor, self.note, self.values)


class Inbox:
    def __init__(self, store: NotifyStore):
        self.store = store

    @staticmethod
    def add(db, user: str, notice: Notice, reason: str, at: float) -> int:
        """Inside the transaction that makes the notification; returns its id."""
        return db.execute("insert into inbox (user, what, slug, title, actor, note, detail, reason, at) "
                          "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (user, notice.what, notice.slug, notice.title, notice.actor, notice.note,
                           json.dumps(notice.values, ensure_ascii=False), reason, at)).lastrowid

    def unread(self, user: str) -> int:
        if not self.store.exists():
            return 0
        with self.store.db(writing=False) as db:
            return db.execute("select count(*) from inbox where user = ? and read is null", (user,)).fetchone()[0]

    def items(self, user: str, *, limit: int = PAGE, before: int | None = None) -> list[InboxItem]:
        """The newest notifications of `user` (older than the id `before`, for the next page)."""
        if not self.store.exists():
            return []
        with self.store.db(writing=False) as db:
            rows = db.execute("select id, what, slug, title, actor, note, reason, at, read, detail from inbox "
                              "where user = ? and id < ? order by id desc limit ?",
                              (user, before if before is not None else 2 ** 62, limit)).fetchall()
        return [_item(row) for row in rows]

    def get_many(self, db, user: str, ids: Iterable[int]) -> list[InboxItem]:
        wanted = list(ids)
        rows = db.execute(f"select id, what, slug, title, actor, note, reason, at, read, detail from inbox where "
                          f"user = ? and id in ({','.join('?' * len(wanted))}) order by id",
                          (user, *wanted)).fetchall() if wanted else []
        return [_item(row) for row in rows]

    def mark_read(self, user: str, ids: Iterable[int] | None = None) -> int:
        """Mark these notifications of `user` read (all of them when `ids` is None); returns how many changed.
        Someone else's ids change nothing."""
        if not self.store.exists():
            return 0
        now = self.store.clock()
        with self.store.db() as db:
            db.execute("delete from inbox where read is not null and read < ?", (now - KEEP_DAYS * 86400,))
            if ids is None:
                return db.execute("update inbox set read = ? where user = ? and read is null", (now, user)).rowcount
            chosen = [int(i) for i in ids][:PAGE * 4]
            if not chosen:
                return 0
            return db.execute(f"update inbox set read = ? where user = ? and read is null and id in "
                              f"({','.join('?' * len(chosen))})", (now, user, *chosen)).rowcount


def _item(row) -> InboxItem:
    return InboxItem(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                     dt.datetime.fromtimestamp(row[7], dt.UTC), row[8] is not None, json.loads(row[9]))
