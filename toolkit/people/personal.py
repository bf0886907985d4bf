"""A person's data in the people room, found by their e-mail address: the accounts that carry it, and what the
notification store keeps for those accounts (watches, mail choices, the bell's notifications, mails waiting or
sent). Read for a person's right of access and removed for their right to erasure; the records of the library
(projects, meetings, comments) are the network room's part (toolkit.network.persondata), the activity log's lines
are ActivityLog.of/drop.

The account itself is not removed here: that is `netkit user remove`, a decision of its own (the last admin is
kept, sessions end)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from toolkit.people.accounts import Accounts, User
from toolkit.people.notifystore import NotifyStore


def same_address(one: str, other: str) -> bool:
    """E-mail addresses compared as people mean them: case and surrounding spaces do not matter."""
    return one.strip().casefold() == other.strip().casefold()


def accounts_with(home: Path, email: str) -> list[User]:
    """The accounts whose e-mail address is this one."""
    return [user for user in Accounts(home).users() if user.email and same_address(user.email, email)]


@dataclass(frozen=True)
class Notified:
    """What the notification store keeps for a person."""

    watches: tuple[tuple[str, str, str, str], ...] = ()  # (user, type, target, mode)
    prefs: tuple[tuple[str, str, bool], ...] = ()  # (user, personal mails, every mail turned off)
    inbox: int = 0  # notifications in the bell
    mails_waiting: int = 0
    mails_sent: int = 0  # kept a while after sending (NotifyStore.prune)

    def to_dict(self) -> dict:
        return {"watches": [{"user": u, "type": t, "target": g, "mode": m} for u, t, g, m in self.watches],
                "mail_choices": [{"user": u, "personal": p, "all_mail_off": muted} for u, p, muted in self.prefs],
                "notifications_in_the_bell": self.inbox, "mails_waiting": self.mails_waiting,
                "mails_sent": self.mails_sent}

    def __bool__(self) -> bool:
        return bool(self.watches or self.prefs or self.inbox or self.mails_waiting or self.mails_sent)


def notified(home: Path, users: Collection[str], email: str) -> Notified:
    store = NotifyStore(home)
    if not store.exists():
        return Notified()
    names = sorted(set(users))
    marks = ", ".join("?" * len(names))
    address = email.strip().casefold()
    with store.db(writing=False) as db:
        watches = db.execute(f"select user, type, target, mode from watches where user in ({marks}) "
                             "order by user, type, target", names).fetchall() if names else []
        prefs = db.execute(f"select user, personal, muted from prefs where user in ({marks}) order by user",
                           names).fetchall() if names else []
        inbox = db.execute(f"select count(*) from inbox where user in ({marks})", names).fetchone()[0] if names else 0
        mails = db.execute(f"select sent is null and failed is null, count(*) from outbox where lower(address) = ? "
                           f"or user in ({marks}) group by 1", [address, *names]).fetchall()
    counts = {bool(waiting): count for waiting, count in mails}
    return Notified(tuple(tuple(w) for w in watches), tuple((u, p, bool(m)) for u, p, m in prefs), inbox,
                    counts.get(True, 0), counts.get(False, 0))


def forget_notified(home: Path, users: Collection[str], email: str) -> Notified:
    """Remove what the notification store keeps for these accounts and this address (mails waiting to them are
    not sent); what was removed."""
    found = notified(home, users, email)
    if not found:
        return found
    names = sorted(set(users))
    marks = ", ".join("?" * len(names))
    with NotifyStore(home).db() as db:
        if names:
            for table in ("watches", "prefs", "digest", "inbox"):
                db.execute(f"delete from {table} where user in ({marks})", names)
        db.execute(f"delete from outbox where lower(address) = ? or user in ({marks})",
                   [email.strip().casefold(), *names])
    return found
