"""One issue of the newsletter as a record of the library (`library/newsletters/<YYYY-MM>.yaml`), and sending it.

Before sending, the record is the facilitator's draft: the intro and the keys of the items they dropped (the
items themselves are assembled afresh from the instance: toolkit.network.newsletter). Sending keeps the items
as they were sent, when, by whom and to how many, so the issue's page and feed entry never change afterwards:

    intro: |
      Godt nytår! Her er, hvad der skete i netværket i december.
    dropped: [project:gammelt-projekt]
    sent: '2027-01-04T09:12:00+00:00'      (once sent)
    sent_by: frida
    recipients: 42
    items: [{section: editions, key: …, title: …, text: …, path: m/…/, day: '2026-12-03'}, …]

`send_issue` is one read-decide-write under the instance's writer lock: the record is read as it is then (sent
already → AlreadySent, nothing mailed), the mails are queued with their "sent" rows in one transaction of the
notification store (toolkit.network.newsletterstore: unique per month and person), and the record is saved as
sent. A crash between the two leaves an unsent record; sending again queues only the mails not queued yet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import Forbidden, Invalid, NetkitError, Problem
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import RecordKind, Records, line, save_record
from toolkit.network.newsletter import MONTH_RE, SECTIONS, Digest, Item, assemble
from toolkit.network.newslettermail import newsletter_mail
from toolkit.network.newsletterstore import NewsletterStore
from toolkit.people.accounts import Accounts
from toolkit.people.mail import Site
from toolkit.people.outbox import Outbox
from toolkit.people.watches import Watches

FOLDER = "newsletters"
FIELDS = ("intro", "dropped", "sent", "sent_by", "recipients", "items")
INTRO_MAX = 3000
# A path inside the site, as the digest writes them (moeder/<slug>/, opslag/#opslag-x): never //host or /\\host.
SITE_PATH = re.compile(r"[a-z0-9][a-z0-9/_.#=?&-]*")
ITEMS_MAX = 500
ITEM_TEXT_MAX = 400


class AlreadySent(NetkitError):
    """The month's issue went out before: nothing is sent twice."""


class NothingToSend(NetkitError):
    """The issue has no items (nothing happened, or every item was dropped)."""


@dataclass(frozen=True)
class Issue:
    month: str
    intro: str = ""
    dropped: tuple[str, ...] = ()
    sent: dt.datetime | None = None
    sent_by: str = ""
    recipients: int = 0
    items: tuple[Item, ...] = ()

    @property
    def path(self) -> str:
        return f"library/{FOLDER}/{self.month}.yaml"

    def digest(self) -> Digest:
        """The issue as sent (its kept items); only meaningful once sent."""
        return Digest(self.month, self.items, self.intro)


@dataclass(frozen=True)
class Sent:
    issue: Issue
    queued: int  # mails queued now
    subscribers: int  # subscribers with an address who get it


def check_intro(text: str) -> str:
    """The intro as kept (line ends normalised, trimmed), or Invalid naming the field `intro`."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    if len(text) > INTRO_MAX:
        raise Invalid("the intro is too long", [Problem.at("intro", f"the intro is {len(text)} characters; keep it "
                                                          f"to {INTRO_MAX}", field="intro")])
    if any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 or c in "\u2028\u2029\ufeff" for c in text):
        raise Invalid("the intro holds a control character",
                      [Problem.at("intro", "the intro holds a control character; remove it", field="intro")])
    return text


def parse_issue(slug: str, data: Any, where: str, others: dict[str, Issue]) -> tuple[Issue | None, list[Problem]]:
    if not MONTH_RE.match(slug):
        return None, [Problem.at(where, "a newsletter's file is named by its month: YYYY-MM.yaml")]
    if not isinstance(data, dict):
        return None, [Problem.at(where, "a newsletter issue is a mapping of fields: " + ", ".join(FIELDS))]
    problems: list[Problem] = []

    def problem(name: str, message: str) -> None:
        problems.append(Problem.at(where, message, line=line(data, name), field=name))

    for name in data:
        if name not in FIELDS:
            problem(str(name), f"unknown field; allowed: {', '.join(FIELDS)}")
    intro = data.get("intro") or ""
    if not isinstance(intro, str) or len(intro) > INTRO_MAX:
        problem("intro", f"must be text of at most {INTRO_MAX} characters")
        intro = ""
    dropped = data.get("dropped") or []
    if not isinstance(dropped, list) or len(dropped) > ITEMS_MAX or not all(isinstance(k, str) for k in dropped):
        problem("dropped", "must be a list of item keys")
        dropped = []
    sent = data.get("sent")
    if sent not in (None, ""):
        try:
            sent = sent if isinstance(sent, dt.datetime) else dt.datetime.fromisoformat(str(sent))
        except ValueError:
            problem("sent", f"'{sent}' is not a moment; write e.g. 2027-01-04T09:12:00+00:00")
            sent = None
    else:
        sent = None
    recipients = data.get("recipients") or 0
    if not isinstance(recipients, int) or recipients < 0:
        problem("recipients", "must be a whole number")
        recipients = 0
    items = _items(data.get("items") or [], problem)
    if problems:
        return None, problems
    return Issue(slug, intro, tuple(dropped), sent, str(data.get("sent_by") or ""), recipients, items), []


def _items(raw: Any, problem) -> tuple[Item, ...]:
    if not isinstance(raw, list) or len(raw) > ITEMS_MAX:
        problem("items", f"must be a list of at most {ITEMS_MAX} items")
        return ()
    items = []
    for number, entry in enumerate(raw, 1):
        try:
            values = {key: str(entry[key]) for key in ("section", "key", "title", "text", "path", "day")}
            day = dt.date.fromisoformat(values["day"])
        except (KeyError, TypeError, ValueError):
            problem("items", f"item {number} needs section, key, title, text, path and day (YYYY-MM-DD)")
            continue
        if values["section"] not in SECTIONS or any(len(v) > ITEM_TEXT_MAX for v in values.values()) \
                or not SITE_PATH.fullmatch(values["path"]) or ".." in values["path"]:
            problem("items", f"item {number}: unknown section, a text over {ITEM_TEXT_MAX} characters or a path "
                             "outside the site")
            continue
        items.append(Item(values["section"], values["key"], values["title"], values["text"], values["path"], day))
    return tuple(items)


ISSUE = RecordKind(folder=FOLDER, noun="newsletter issue", parse=parse_issue)


def issue_records(library_dir: Path | str) -> Records[Issue]:
    return Records(Path(library_dir), ISSUE)


def sent_issues(records: Records[Issue]) -> list[Issue]:
    """The issues that went out, newest month first."""
    return sorted((i for i in records.all() if i.sent is not None), key=lambda i: i.month, reverse=True)


def current_issue(instance: Instance, records: Records[Issue], month: str, *,
                  today: dt.date | None = None) -> tuple[Issue | None, Digest, str]:
    """The month's record (None before a draft is saved), the digest to show — as sent, or assembled now with the
    draft's intro and dropped items — and the record file's digest (the edit form's base)."""
    issue, base = records.current(month) if records.digest(month) else (None, "")
    if issue is not None and issue.sent is not None:
        return issue, issue.digest(), base
    digest = assemble(instance, month, today=today, intro=issue.intro if issue else "",
                      dropped=issue.dropped if issue else ())
    return issue, digest, base


def save_draft(instance: Instance, records: Records[Issue], month: str, intro: str, dropped: Iterable[str],
               author: Author, *, base: str | None = None) -> Issue:
    """Keep the facilitator's intro and dropped items; Invalid (field `intro`) for a bad intro, Conflict when the
    draft changed since `base`, AlreadySent once the issue went out."""
    text = check_intro(intro)
    chosen = sorted(set(dropped))

    def draft(current: Issue | None) -> dict[str, Any]:
        if current is not None and current.sent is not None:
            raise AlreadySent(f"the newsletter of {month} was sent already; it is not changed")
        return {"intro": text, "dropped": chosen}

    # A form's base is the file's digest when it was shown, "" when there was no draft yet (then another's new
    # draft is a conflict too); None (the CLI) saves over whatever is there.
    create = base == "" if base is not None else month not in records
    return save_record(instance, records, month, draft, author, f"Newsletter {month}: draft", create=create,
                       base=base or None)


def send_issue(instance: Instance, records: Records[Issue], accounts: Accounts, outbox: Outbox, site: Site,
               month: str, author: Author, *, sent_by: str, today: dt.date | None = None,
               now: dt.datetime | None = None) -> Sent:
    """Send the month's issue as its draft is now: one mail per subscriber through the outbox, once."""
    if outbox.server is None:
        raise Forbidden("no mail server is set up (NETKIT_SMTP_HOST): the newsletter cannot be sent")
    store = NewsletterStore(outbox.store)
    with instance.writing():
        records.invalidate()
        issue, digest, _base = current_issue(instance, records, month, today=today)
        if issue is not None and issue.sent is not None:
            raise AlreadySent(f"the newsletter of {month} was sent on {issue.sent:%Y-%m-%d}; it is not sent again")
        if not digest.has_news:
            raise NothingToSend(f"the newsletter of {month} has nothing to tell: nothing new happened in the month "
                                "(or every new item was dropped)")
        prefs = Watches(outbox.store)
        recipients = []
        for name in store.subscribers():
            user = next((u for u in accounts.users() if u.name == name), None)
            if user is not None and user.email and not prefs.prefs(name).muted:
                recipients.append((user, user.email))
        names = {user.name: user for user, _address in recipients}
        kept = Digest(month, digest.kept, digest.intro)

        def mail_for(name: str, address: str):
            url = site.url(f"nyhedsbrev/afmeld/{store.token(name)}")
            return newsletter_mail(site, kept, to=(names[name].display_name, address), unsubscribe_url=url, now=now)

        queued = store.queue(outbox, month, [(user.name, address) for user, address in recipients], mail_for)
        moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        data = {"intro": digest.intro, "dropped": list(digest.dropped), "sent": moment.isoformat(),
                "sent_by": sent_by, "recipients": store.sent_count(month),
                "items": [item.to_data() for item in kept.items]}
        saved = save_record(instance, records, month, data, author, f"Newsletter {month}: sent to "
                            f"{data['recipients']} subscriber(s)", create=issue is None)
    return Sent(saved, queued, len(recipients))
