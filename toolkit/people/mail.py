"""Composing the notification mails: Danish plain text with the material's title, what happened, by whom, the
note, a link, why the reader gets it, a one-click unsubscribe link and the way to the settings page; headers for
mail clients' own unsubscribe button (RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post`), written as they
are: MAIL_POLICY keeps an ASCII header on one line (up to SMTP's 998) and encodes only headers that need it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from urllib.parse import urlsplit

SUBJECTS = {
    "review": "Til review: {title}",
    "returned": "Sendt tilbage til kladde: {title}",
    "approved": "Godkendt: {title}",
    "published": "Udgivet: {title} ({version})",
    "comment": "Ny kommentar: {title}",
    "reply": "Nyt svar på en kommentar: {title}",
    "renamed": "Ny adresse: {title}",
    "due": "Til faglig gennemgang: {title}",
    "retired": "Udgået: {title}",
    "status": "Ny status: {title}",
}
SENTENCES = {
    "review": "{actor} har bedt om review af »{title}«.",
    "returned": "{actor} har sendt »{title}« tilbage til kladde.",
    "approved": "{actor} har godkendt »{title}«. Materialet kan nu udgives.",
    "published": "{actor} har udgivet »{title}« som udgave {version}.",
    "comment": "{actor} har skrevet en kommentar til »{title}«.",
    "reply": "{actor} har svaret i en kommentartråd til »{title}«.",
    "renamed": "{actor} har flyttet »{title}« til en ny adresse.",
    "due": "»{title}« skal have en faglig gennemgang: næste gennemgang er sat til {month}.",
    "retired": "{actor} har markeret »{title}« som udgået.",
    "status": "{actor} har ændret status for »{title}« fra {old} til {new}.",
}
# Where a notification leads: a comment to its thread, the status page where there is something to do, else the
# material.
STATUS_PAGE = frozenset({"review", "returned", "approved", "comment", "reply"})
COMMENTS = frozenset({"comment", "reply"})
THREAD_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
SUBJECT_MAX = 200
LINE_MAX = 998  # RFC 5322's limit of a line


class _MailPolicy(EmailPolicy):
    """SMTP's policy, except that a header of plain ASCII that fits on a line is written as it is: the default
    folds at 78 and, to fold a long word (the unsubscribe link), RFC 2047-encodes it, which mail clients do not
    read in `List-Unsubscribe`. Headers with other characters are encoded and folded as RFC 2047 requires."""

    def fold(self, name, value):
        plain = _plain(name, value)
        return plain + self.linesep if plain is not None else super().fold(name, value)

    def fold_binary(self, name, value):
        plain = _plain(name, value)
        return (plain + self.linesep).encode("ascii") if plain is not None else super().fold_binary(name, value)


def _plain(name: str, value) -> str | None:
    line = f"{name}: {value}"
    if line.isascii() and len(line) <= LINE_MAX and not any(c in line for c in "\r\n\0"):
        return line
    return None


MAIL_POLICY = _MailPolicy(linesep="\r\n")  # what the outbox stores and sends


@dataclass(frozen=True)
class Notice:
    """One thing that happened, as the mails and the web tell it (the web translates it; the mail is Danish)."""

    what: str  # a key of SUBJECTS
    slug: str
    title: str
    actor: str  # a display name ("" for the system: a review that has come due)
    note: str = ""
    values: dict[str, str] = field(default_factory=dict)  # version, month, old, new (status labels)

    def path(self) -> str:
        if self.what in COMMENTS:
            thread = self.values.get("thread", "")
            anchor = f"#traad-{thread}" if THREAD_ID.fullmatch(thread) else ""  # the thread's id on the page
            return f"m/{self.slug}/kommentarer{anchor}"
        return f"m/{self.slug}/status" if self.what in STATUS_PAGE else f"m/{self.slug}/"

    def link_label(self) -> str:
        return "Se kommentaren" if self.what in COMMENTS else "Se materialet"

    def subject(self) -> str:
        return _one_line(SUBJECTS.get(self.what, SUBJECTS["status"]).format_map(self._fields()))[:SUBJECT_MAX]

    def sentence(self) -> str:
        return SENTENCES.get(self.what, SENTENCES["status"]).format_map(self._fields())

    def _fields(self) -> dict[str, str]:
        values = {"version": "", "month": "", "old": "", "new": ""} | dict(self.values)
        return values | {"title": self.title, "actor": self.actor or "Netkit"}


@dataclass(frozen=True)
class Site:
    """What the mails link to and who sends them."""

    base_url: str  # ends with "/"
    sender: str  # "Netkit <netkit@rm.dk>"

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    @property
    def domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"


def default_sender(base_url: str) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    return formataddr(("Netkit", f"netkit@{host}"))


def notice_mail(site: Site, notice: Notice, *, to: tuple[str, str], reason: str, unsubscribe_token: str,
                now: dt.datetime | None = None) -> EmailMessage:
    """One notification for one person. `to` is (display name, address)."""
    lines = [notice.sentence()]
    if notice.note:
        lines += ["", "Besked:", *(f"  {line}" for line in notice.note.strip().splitlines())]
    lines += ["", f"{notice.link_label()}: {site.url(notice.path())}"]
    return _message(site, to, notice.subject(), lines, reason, unsubscribe_token, now)


def digest_mail(site: Site, notices: Sequence[Notice], *, to: tuple[str, str], unsubscribe_token: str,
                now: dt.datetime | None = None) -> EmailMessage:
    """The day's notifications of one person in one mail."""
    count = len(notices)
    subject = "Netkit: 1 ny notifikation" if count == 1 else f"Netkit: {count} nye notifikationer"
    lines = ["Det her er sket siden sidste oversigt:", ""]
    for notice in notices:
        lines += [f"- {notice.sentence()}"]
        if notice.note:
            lines += [f"  Besked: {_one_line(notice.note)[:300]}"]
        lines += [f"  {site.url(notice.path())}", ""]
    lines += [f"Alle notifikationer: {site.url('notifikationer')}"]
    return _message(site, to, subject, lines, "Du får denne daglige oversigt, fordi du har valgt oversigt én gang "
                    "om dagen.", unsubscribe_token, now)


def _message(site: Site, to: tuple[str, str], subject: str, lines: list[str], reason: str, token: str,
             now: dt.datetime | None) -> EmailMessage:
    unsubscribe = site.url(f"notifikationer/afmeld/{token}")
    footer = ["", "-- ", reason, f"Afmeld disse e-mails: {unsubscribe}",
              f"Indstillinger for notifikationer: {site.url('notifikationer/indstillinger')}"]
    message = EmailMessage()
    message["From"] = site.sender
    message["To"] = formataddr((_one_line(to[0]), to[1]))
    message["Subject"] = subject
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid("netkit", domain=site.domain)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines + footer) + "\n", charset="utf-8")
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())
