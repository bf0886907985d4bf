""""Vis interesse": a signed-in member tells a project's contact that they would like to work together.

One mail through the outbox (never straight to SMTP) to the project's first contact — the one a project lists
first is its contact for partners — with the member's name and message, Reply-To the member, so the answer goes
straight to them and neither address is shown on any page. A member may write to a project once a day: the
time of each mail is kept in the notification store (`partner_interest`: user, project, time; rows older than
the wait are dropped), written in the same transaction as the mail, so two quick posts never make two mails.

The member's message lives only in the queued mail (the outbox keeps sent mails 90 days); `interest_shown` and
`forget_interest` are the privacy tools' view of the rows (toolkit.network.persondata).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from toolkit.errors import Forbidden, Invalid, Problem
from toolkit.network.projects.model import PARTNER_KINDS, Project, label
from toolkit.people.accounts import User
from toolkit.people.mail import Site
from toolkit.people.notifystore import NotifyStore
from toolkit.people.outbox import Outbox

WAIT = 24 * 3600.0  # one mail per member and project in this many seconds
MESSAGE_RANGE = (10, 2000)
_TABLE = ("create table if not exists partner_interest (user text not null, project text not null, "
          "at real not null)", "create index if not exists partner_interest_key on partner_interest (user, project)")


class TooSoon(Forbidden):
    """The member wrote to this project less than WAIT ago; `until` is when they may write again (epoch)."""

    def __init__(self, message: str, until: float):
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class Shown:
    user: str
    project: str
    at: dt.datetime


def check_message(text: str) -> str:
    """The message as it is sent (line ends normalised, trimmed), or Invalid naming the field `message`."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    low, high = MESSAGE_RANGE
    problem = None
    if not low <= len(text) <= high:
        problem = f"the message is {len(text)} characters; write {low}–{high}"
    elif any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in text):
        problem = "the message holds a control character; remove it"
    if problem:
        raise Invalid("the interest was not sent", [Problem.at("message", problem, field="message")])
    return text


def interest_mail(site: Site, project: Project, member: User, message: str, *, kind: str = "",
                  now: dt.datetime | None = None) -> EmailMessage:
    """The mail to the project's first contact, Reply-To the member."""
    contact = project.contacts[0]
    name = member.display_name
    lines = [f"{name} har vist interesse for projektet »{project.title}« i netværkets partneroversigt."]
    if kind in PARTNER_KINDS:
        lines += ["", f"Det drejer sig om: {label(PARTNER_KINDS, kind)}"]
    lines += ["", "Besked:", *(f"  {line}" for line in message.splitlines()), "",
              f"Svar på denne e-mail for at skrive direkte til {name}.",
              f"Projektets side: {site.url(f'projekter/{project.slug}/')}",
              "", "-- ", f"Du får denne e-mail, fordi du er kontaktperson for projektet »{project.title}« i Netkit. "
              "Din e-mailadresse er ikke vist til medlemmet."]
    mail = EmailMessage()
    mail["From"] = site.sender
    mail["To"] = formataddr((_one_line(contact.name), contact.email))
    mail["Reply-To"] = formataddr((_one_line(name), member.email))
    mail["Subject"] = _one_line(f"Interesse for dit projekt: {project.title}")[:200]
    mail["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    mail["Message-ID"] = make_msgid("netkit", domain=site.domain)
    mail.set_content("\n".join(lines) + "\n", charset="utf-8")
    return mail


def show_interest(store: NotifyStore, outbox: Outbox, site: Site, project: Project, member: User, message: str,
                  *, kind: str = "") -> None:
    """Queue the one mail to the project's contact; TooSoon when the member wrote to it within WAIT, Invalid
    for a message out of bounds, Forbidden when no mail can be sent (no server, no address)."""
    text = check_message(message)
    if outbox.server is None:
        raise Forbidden("no mail server is set up (NETKIT_SMTP_HOST): no mail can be sent")
    if not member.email:
        raise Forbidden("your account has no e-mail address for the contact to answer")
    if not project.contacts:
        raise Forbidden(f"the project '{project.slug}' has no contact")
    mail = interest_mail(site, project, member, text, kind=kind)
    now = store.clock()
    with store.db() as db:
        for statement in _TABLE:
            db.execute(statement)
        db.execute("delete from partner_interest where at < ?", (now - WAIT,))
        last = db.execute("select max(at) from partner_interest where user = ? and project = ?",
                          (member.name, project.slug)).fetchone()[0]
        if last is not None:
            raise TooSoon(f"{member.name} already wrote to '{project.slug}' within a day", last + WAIT)
        db.execute("insert into partner_interest (user, project, at) values (?, ?, ?)",
                   (member.name, project.slug, now))
        outbox.enqueue(db, member.name, project.contacts[0].email, mail)


def interest_shown(home: Path, users: Collection[str]) -> list[Shown]:
    """The rows kept for these accounts (their interest of the last day), for a person's export."""
    store = NotifyStore(home)
    if not store.exists() or not users:
        return []
    names = sorted(set(users))
    with store.db(writing=False) as db:
        if not db.execute("select 1 from sqlite_master where name = 'partner_interest'").fetchone():
            return []
        marks = ", ".join("?" * len(names))
        rows = db.execute(f"select user, project, at from partner_interest where user in ({marks}) order by at",
                          names).fetchall()
    return [Shown(user, project, dt.datetime.fromtimestamp(at, dt.UTC)) for user, project, at in rows]


def forget_interest(home: Path, users: Collection[str]) -> int:
    """Remove the rows of these accounts; how many were removed."""
    found = interest_shown(home, users)
    if found:
        names = sorted(set(users))
        with NotifyStore(home).db() as db:
            db.execute(f"delete from partner_interest where user in ({', '.join('?' * len(names))})", names)
    return len(found)


def _one_line(text: str) -> str:
    return " ".join(text.split())
