"""The mail of approved minutes: one to each participant with an address (toolkit.network.attendees), Danish plain
text like every Netkit mail — the decisions, the action items with owner and due date, and the stable links to
the minutes on the meeting page and to the Word file. Queued in the outbox (toolkit.people.outbox) in one
transaction with the marker `minutes_announced` (meeting, when, how many: no personal data), so the sender delivers
all of them or none, and they are queued once. Approval is a git commit and cannot share that transaction: minutes
approved but not announced (no mail server then, SQLite busy, a crash between) are announced later by a
facilitator (`announce`, the button on the minutes page)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from toolkit.errors import Invalid, NetkitError, Problem
from toolkit.history.gitstore import Author
from toolkit.history.records import Records
from toolkit.network.attendees import Attendee, attendees
from toolkit.network.decisions import Minutes
from toolkit.network.invitemail import danish_day
from toolkit.network.meetings import Meeting
from toolkit.network.minutesflow import approve
from toolkit.people.mail import Site
from toolkit.people.notifystore import NotifyStore
from toolkit.people.outbox import Outbox

log = logging.getLogger(__name__)
SUBJECT = "Godkendt referat: {theme} {day}"
SUBJECT_MAX = 200
_MARKER = ("create table if not exists minutes_announced (meeting text primary key, at real not null, "
           "count integer not null)")


class Announced(NetkitError):
    """The approved minutes were mailed to the participants already: they go once."""


def announced(store: NotifyStore | None, slug: str) -> bool:
    """Whether the approved minutes of the meeting were queued to its participants."""
    if store is None or not store.exists():
        return False
    with store.db(writing=False) as db:
        if db.execute("select 1 from sqlite_master where type = 'table' and name = 'minutes_announced'").fetchone():
            return db.execute("select 1 from minutes_announced where meeting = ?", (slug,)).fetchone() is not None
    return False


def minutes_mail(site: Site, meeting: Meeting, minutes: Minutes, to: Attendee, *, page_url: str, docx_url: str,
                 now: dt.datetime | None = None) -> EmailMessage:
    lines = [f"Kære {to.name}" if to.name else "Hej", "",
             f"Referatet af netværksmødet »{meeting.theme}« ({danish_day(meeting)}) er godkendt"
             + (f" af {minutes.approved_by}." if minutes.approved_by else ".")]
    if minutes.decisions:
        lines += ["", "Beslutninger:"] + [f"{number}. {' '.join(decision.text.split())}"
                                          for number, decision in enumerate(minutes.decisions, 1)]
    if minutes.actions:
        lines += ["", "Handlingspunkter:"] + [f"- {a.what} (ansvarlig: {a.owner}, frist: {a.due:%d.%m.%Y})"
                                             for a in minutes.actions]
    lines += ["", f"Referatet på mødets side: {page_url}",
              f"Referatet som Word-fil (for netværkets medlemmer: log ind): {docx_url}", "", "-- ",
              "Du får denne e-mail, fordi du deltog i mødet."]
    message = EmailMessage()
    message["From"] = site.sender
    message["To"] = formataddr((" ".join(to.name.split()), to.email))
    message["Subject"] = " ".join(SUBJECT.format(theme=meeting.theme, day=meeting.date.isoformat()).split()
                                  )[:SUBJECT_MAX]
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid("netkit-minutes", domain=site.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message


def queue_minutes_mails(outbox: Outbox, site: Site, meeting: Meeting, minutes: Minutes, people: list[Attendee], *,
                        page_url: str, docx_url: str, users: dict[str, str] | None = None) -> int:
    """Queue one mail per participant with an address (each address once) and mark the minutes announced, in one
    transaction; 0 and nothing marked without a mail server, 0 when they were announced already.
    `users`: address (case-folded) → account name, so a person's mails are theirs in the privacy tools."""
    if outbox.server is None:
        return 0
    seen: set[str] = set()
    accounts = users or {}
    with outbox.store.db() as db:
        db.execute(_MARKER)
        if db.execute("select 1 from minutes_announced where meeting = ?", (meeting.slug,)).fetchone():
            return 0
        for person in people:
            address = person.email.strip().casefold()
            if not address or address in seen:
                continue
            seen.add(address)
            message = minutes_mail(site, meeting, minutes, person, page_url=page_url, docx_url=docx_url)
            outbox.enqueue(db, accounts.get(address, f"minutes:{address}"), person.email.strip(), message)
        db.execute("insert into minutes_announced (meeting, at, count) values (?, ?, ?)",
                   (meeting.slug, time.time(), len(seen)))
    return len(seen)


def approve_and_announce(instance, records: Records[Minutes], meeting: Meeting, author: Author, approver: str, *,
                         base: str, outbox: Outbox, site: Site, page_url: str, docx_url: str,
                         users: dict[str, str] | None = None) -> tuple[Minutes, int]:
    """Approve the minutes (toolkit.network.minutesflow.approve) and queue the mails to the participants, both under
    the writer lock: a second approval is refused (Frozen) before it could mail anyone again. (approved, mails).
    When the mails cannot be queued now the approval stands and 0 is returned: the minutes are not announced,
    and `announce` sends them later."""
    with instance.writing():
        approved = approve(instance, records, meeting.slug, author, approver, base=base)
        try:
            sent = queue_minutes_mails(outbox, site, meeting, approved, attendees(meeting, outbox.store),
                                       page_url=page_url, docx_url=docx_url, users=users)
        except sqlite3.Error as exc:  # the approval is committed: the minutes page offers to send them
            log.warning("the mails of the approved minutes of %s were not queued: %s", meeting.slug, exc)
            sent = 0
    return approved, sent


def announce(instance, records: Records[Minutes], meeting: Meeting, *, outbox: Outbox, site: Site, page_url: str,
             docx_url: str, users: dict[str, str] | None = None) -> int:
    """Mail the approved minutes that were not announced to the participants, once (under the writer lock, the
    marker written with the mails); the mails queued. Announced when they were sent already; Invalid when the
    minutes are not approved; 0 without a mail server (nothing marked: it can be done later)."""
    with instance.writing():
        minutes, _digest = records.current(meeting.slug)
        if not minutes.approved:
            raise Invalid("the minutes are not approved", [Problem.at(minutes.path, "approve the minutes first",
                                                                      field="status")])
        if announced(outbox.store, meeting.slug):
            raise Announced(f"the minutes of {meeting.slug} were mailed to the participants already")
        return queue_minutes_mails(outbox, site, meeting, minutes, attendees(meeting, outbox.store),
                                   page_url=page_url, docx_url=docx_url, users=users)
