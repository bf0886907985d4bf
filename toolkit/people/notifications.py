"""Who gets what. The sender (toolkit.people.outbox) hands each recorded event here; the notification goes to the
web inbox of every recipient and, as they chose, into the outbox now or into their daily digest:

- review requested (status → review): the facilitators (role facilitator or admin) who are members of the
  material's working group; when the group has none (or the material no group), every facilitator;
- returned (review/approved → draft) and approved (→ approved): the material's authors — the accounts named in
  its front matter `authors` (by user name, full name or e-mail) and the accounts that saved revisions of it
  since its last edition (the history's authors; status changes do not count);
- those who follow the material itself also hear of each of these steps (review requested, returned, approved);
  those who follow its topic, kind or working group hear only when a material is published or retired;
- published: its watchers and its authors; retired: the same; renamed: its watchers (the watches move along);
- a comment: its authors; an answer: its authors and whoever wrote in the thread; any other event: its watchers;
- a review that has come due (toolkit.library.freshness `due`, checked once a day): the members of its working
  group (every facilitator when it has none), once per material and review month.

Nobody is told of their own action. Each notification is written in one transaction with the mark that its event
(or reminder) was handled, so a crash neither loses nor repeats it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from toolkit.config import Settings
from toolkit.errors import NetkitError
from toolkit.history.comments import Comments
from toolkit.history.events import Event
from toolkit.library.freshness import DANISH_MONTHS, due
from toolkit.library.materials import Material
from toolkit.people.accounts import Accounts, User
from toolkit.people.inbox import Inbox
from toolkit.people.mail import Notice, Site, default_sender, digest_mail, notice_mail
from toolkit.people.notifystore import EventRecorder, NotifyStore
from toolkit.people.outbox import Outbox, Sender, SmtpServer
from toolkit.people.watches import Unsubscribe, Watch, Watches

log = logging.getLogger(__name__)

FACILITATORS = ("facilitator", "admin")
DIGEST_HOUR = 7  # the daily digest goes out from this hour (Danish time)
TYPE_WORDS = {"material": "materialet", "topic": "emnet", "kind": "typen", "group": "arbejdsgruppen"}
WATCH_ORDER = {"material": 0, "group": 1, "topic": 2, "kind": 3}


def danish_time() -> dt.tzinfo:
    try:
        return ZoneInfo("Europe/Copenhagen")
    except ZoneInfoNotFoundError:  # no time zone data on this machine
        return dt.UTC


@dataclass(frozen=True)
class Reason:
    """Why someone gets a notification: their role for it, and the watches that also match."""

    kind: str  # "facilitator", "author", "thread" (wrote in a comment thread), "group" (a due review), "watch"
    group: str = ""
    watches: tuple[Watch, ...] = ()

    @property
    def key(self) -> str:
        if self.kind == "watch":
            first = self.first_watch
            return f"watch:{first.type}:{first.target}"
        return f"group:{self.group}" if self.kind == "group" else self.kind

    @property
    def first_watch(self) -> Watch:
        """The watch a mail names (and its link stops): the first that still sends mail."""
        return min(self.watches, key=lambda w: (w.mode == "none", WATCH_ORDER.get(w.type, 9), w.target))


class Notifier:
    def __init__(self, store: NotifyStore, instance, accounts: Accounts, site: Site, outbox: Outbox, *,
                 members_of: Callable[[str], set[str]] | None = None, zone: dt.tzinfo | None = None):
        self.store, self.instance, self.accounts, self.site, self.outbox = store, instance, accounts, site, outbox
        self.watches = Watches(store)
        self.members_of = members_of or self._account_members
        self.zone = zone or danish_time()

    # -- events -----------------------------------------------------------------------------------------------

    def expand_pending(self) -> int:
        """Turn the recorded events into notifications; returns how many events were handled."""
        handled = 0
        for stored in self.store.pending_events():
            try:
                planned = self.plan(stored.event)
            except Exception:
                log.exception("event %s of %s could not be turned into notifications", stored.event.kind,
                              stored.event.slug)
                self.store.event_failed(stored.id)
                continue
            notice, recipients = planned if planned else (None, {})
            handled += self.deliver(notice, recipients, lambda db, i=stored.id: self.store.claim_event(db, i))
        return handled

    def plan(self, event: Event) -> tuple[Notice, dict[str, Reason]] | None:
        """The notice of an event and who gets it (None: nobody needs to know)."""
        users = {u.name: u for u in self.accounts.users()}
        detail = {k: str(v) for k, v in event.detail.items()}
        if event.kind == "renamed":
            old = detail.get("from") or detail.get("old") or ""
            new = event.slug if event.slug != old else detail.get("to") or detail.get("new") or event.slug
            if old and new != old:
                self.watches.move("material", old, new)
            event = replace(event, slug=new)
        material = self._material(event.slug)
        values: dict[str, str] = {}
        watchers = self._watchers(material)
        # The material's own watchers follow each step of its review; a topic's, kind's or group's only its
        # publication (a reason of theirs names only these watches, so their mode decides the mail).
        followers = {name: replace(reason, watches=mine) for name, reason in watchers.items()
                     if (mine := tuple(w for w in reason.watches if w.type == "material"))}
        if event.kind == "status":
            old, new = detail.get("from", ""), detail.get("to", "")
            values = {"old": self._label("statuses", old), "new": self._label("statuses", new)}
            if new == "review":
                what, people = "review", followers | self._facilitators(users, material)
            elif new == "draft" and old in ("review", "approved"):
                what, people = "returned", followers | self._authors(users, material, event.slug, event.revision)
            elif new == "approved":
                what, people = "approved", followers | self._authors(users, material, event.slug, event.revision)
            elif new == "retired":
                what, people = "retired", watchers | self._authors(users, material, event.slug, event.revision)
            else:
                return None
        elif event.kind == "published":
            what, people = "published", watchers | self._authors(users, material, event.slug, event.revision)
            values = {"version": detail.get("version", "")}
        elif event.kind == "comment":
            what = "reply" if detail.get("action") == "reply" else "comment"
            values = {"thread": detail.get("thread", "")}  # the link leads to the thread
            people = self._in_thread(event.slug, detail.get("thread", "")) | self._authors(
                users, material, event.slug, event.revision)
        elif event.kind == "renamed":
            what, people = "renamed", watchers
        else:
            what, people = "status", watchers
        recipients = {name: reason if reason.kind == "watch" else replace(
                          reason, watches=watchers[name].watches if name in watchers else ())
                      for name, reason in people.items() if name in users}
        for name in {u.name for u in users.values() if self._is_actor(u, event.actor)}:
            recipients.pop(name, None)
        note = detail.get("message") or detail.get("text") or detail.get("note") or ""
        title = material.title if material else event.slug
        return Notice(what, event.slug, title, self._display(users, event.actor), note.strip()[:2000],
                      values), recipients

    # -- writing a notification -------------------------------------------------------------------------------

    def deliver(self, notice: Notice | None, recipients: dict[str, Reason], claim: Callable[..., bool]) -> int:
        """In one transaction: `claim` (False: someone else handled it), then an inbox row per recipient and a mail
        now or a digest item, as each chose. Returns 1 when this call handled it."""
        users = {u.name: u for u in self.accounts.users()}
        prefs = {name: self.watches.prefs(name) for name in recipients}
        planned = []  # (user, reason key, mode, mail): composed before the transaction, which stays short
        if notice is not None:
            for name, reason in recipients.items():
                user = users[name]
                mode = self._mode(user, reason, prefs[name])
                mail = notice_mail(self.site, notice, to=(_display_of(user), user.email),
                                   reason=self._reason_text(reason, notice, user),
                                   unsubscribe_token=self.watches.token(self._unsubscribe(name, reason))) \
                    if mode == "immediate" else None
                planned.append((user, reason.key, mode, mail))
        now = self.store.clock()
        with self.store.db() as db:
            if not claim(db):
                return 0
            for user, key, mode, mail in planned:
                item = Inbox.add(db, user.name, notice, key, now)
                if mode == "digest":
                    db.execute("insert or ignore into digest (user, inbox) values (?, ?)", (user.name, item))
                elif mail is not None:
                    self.outbox.enqueue(db, user.name, user.email, mail)
        return 1

    def _mode(self, user: User, reason: Reason, prefs) -> str:
        if not user.email or prefs.muted or self.outbox.server is None:  # no mail server: the web only
            return "none"
        modes = {w.mode for w in reason.watches}  # "none": followed in the web only (an unsubscribed watch)
        watch_mode = next((mode for mode in ("immediate", "digest") if mode in modes), "none")
        if reason.kind == "watch":
            return watch_mode
        return prefs.personal if prefs.personal != "none" or not reason.watches else watch_mode

    def _unsubscribe(self, name: str, reason: Reason) -> Unsubscribe:
        if reason.kind == "watch":
            first = reason.first_watch
            return Unsubscribe(name, "watch", first.type, first.target)
        return Unsubscribe(name, "personal")

    def _reason_text(self, reason: Reason, notice: Notice, user: User) -> str:
        if reason.kind == "facilitator":
            if user.role == "admin":  # an administrator is one for the whole network, a member of the group
                where = f" og medlem af arbejdsgruppen {reason.group}" if reason.group else ""
                return f"Du får denne e-mail, fordi du er administrator{where}."
            where = f" i arbejdsgruppen {reason.group}" if reason.group else ""
            return f"Du får denne e-mail, fordi du er facilitator{where}."
        if reason.kind == "author":
            return "Du får denne e-mail, fordi du er forfatter til materialet eller har redigeret det."
        if reason.kind == "group":
            return f"Du får denne e-mail, fordi du er medlem af arbejdsgruppen {reason.group}."
        if reason.kind == "thread":
            return "Du får denne e-mail, fordi du har skrevet i kommentartråden."
        first = reason.first_watch
        label = notice.title if first.type == "material" else self._label(
            {"topic": "topics", "kind": "kinds"}.get(first.type, ""), first.target)
        return f"Du får denne e-mail, fordi du følger {TYPE_WORDS[first.type]} »{label}«."

    # -- the daily tasks --------------------------------------------------------------------------------------

    def daily(self, now: dt.datetime | None = None) -> None:
        """Once a day: the reviews that have come due; from DIGEST_HOUR, the digests."""
        local = (now or dt.datetime.now(dt.UTC)).astimezone(self.zone)
        today = local.date().isoformat()
        if self.store.get("due-day") != today:
            self.remind_due(local.date())
            self.store.prune()
            self.store.put("due-day", today)
        if local.hour >= DIGEST_HOUR and self.store.get("digest-day") != today:
            self.send_digests()
            self.store.put("digest-day", today)

    def remind_due(self, today: dt.date) -> int:
        """Tell each material's working group that its review is due: once per material and review month."""
        users = {u.name: u for u in self.accounts.users()}
        count = 0
        for item in due(self.instance.library(), today):
            material = item.material
            if item.state == "unscheduled" or not material.review_by:
                continue
            group = material.working_group or ""
            members = {name: Reason("group", group) for name in self.members_of(group) if name in users} \
                if group else {}
            people = members or self._facilitators(users, None)
            notice = Notice("due", material.slug, material.title, "", "", {"month": _month(material.review_by)})

            def claim(db, slug=material.slug, period=material.review_by) -> bool:
                return db.execute("insert or ignore into reminders (slug, period, at) values (?, ?, ?)",
                                  (slug, period, self.store.clock())).rowcount == 1

            count += self.deliver(notice, people, claim)
        return count

    def send_digests(self) -> int:
        """One mail per person with digest items waiting; returns how many were queued."""
        if not self.store.exists():
            return 0
        users = {u.name: u for u in self.accounts.users()}
        with self.store.db(writing=False) as db:
            names = [row[0] for row in db.execute("select distinct user from digest")]
        sent = 0
        for name in names:
            user, prefs = users.get(name), self.watches.prefs(name)
            token = self.watches.token(Unsubscribe(name, "all"))
            with self.store.db() as db:
                ids = [row[0] for row in db.execute("select inbox from digest where user = ?", (name,))]
                db.execute("delete from digest where user = ?", (name,))
                items = Inbox(self.store).get_many(db, name, ids)
                if user is None or not user.email or prefs.muted or not items:
                    continue
                message = digest_mail(self.site, [item.notice for item in items], to=(_display_of(user), user.email),
                                      unsubscribe_token=token)
                self.outbox.enqueue(db, name, user.email, message)
                sent += 1
        return sent

    # -- who ----------------------------------------------------------------------------------------------------

    def _facilitators(self, users: dict[str, User], material: Material | None) -> dict[str, Reason]:
        facilitators = [u for u in users.values() if u.role in FACILITATORS]
        group = material.working_group if material else None
        if group:
            members = self.members_of(group)
            in_group = {u.name: Reason("facilitator", group) for u in facilitators if u.name in members}
            if in_group:
                return in_group
        return {u.name: Reason("facilitator") for u in facilitators}

    def _authors(self, users: dict[str, User], material: Material | None, slug: str, since: str = ""
                 ) -> dict[str, Reason]:
        found = set()
        for written in material.authors if material else ():
            found |= {u.name for u in users.values() if _is(u, written, "")}
        try:
            history = self.instance.history(slug)
            # From the event's own revision on: the sender may run after later changes (another edition even).
            start = next((i for i, r in enumerate(history) if since and r.id.startswith(since)), 0)
            for index, revision in enumerate(history[start:]):
                if revision.versions and index == 0 and since:  # the event is this edition's publication
                    continue
                if revision.versions:  # the last edition: what came before it is that edition's work
                    break
                first_line = revision.message.splitlines()[0] if revision.message else ""
                if first_line.startswith(f"{slug}:") and "→" in first_line:  # a status change, not writing
                    continue
                found |= {u.name for u in users.values() if _is(u, revision.author, revision.email)}
        except NetkitError:  # not (or no longer) in the history
            pass
        return {name: Reason("author") for name in found}

    def _in_thread(self, slug: str, thread_id: str) -> dict[str, Reason]:
        """Who has written in a comment thread (its answers concern them)."""
        try:
            thread = Comments(self.instance).of(slug, fresh=True).get(thread_id)
        except NetkitError:
            return {}
        return {entry.author: Reason("thread") for entry in thread.entries if entry.action in ("comment", "reply")}

    def _watchers(self, material: Material | None) -> dict[str, Reason]:
        if material is None:
            return {}
        return {name: Reason("watch", watches=watches) for name, watches in self.watches.watchers(material).items()}

    def _account_members(self, group: str) -> set[str]:
        return {u.name for u in self.accounts.users() if group in u.groups}

    # -- small lookups --------------------------------------------------------------------------------------------

    def _material(self, slug: str) -> Material | None:
        for attempt in range(2):
            try:
                return self.instance.library().get(slug)
            except NetkitError:
                if attempt == 0 and hasattr(self.instance, "refresh"):  # new here (a rename): read the folder now
                    self.instance.refresh()
        return None

    def _label(self, vocabulary: str, term: str) -> str:
        try:
            return self.instance.library().taxonomy.label(vocabulary, term, "da")
        except (KeyError, AttributeError):
            return term

    @staticmethod
    def _display(users: dict[str, User], actor: str) -> str:
        user = users.get(actor) or next((u for u in users.values() if _is(u, actor, "")), None)
        return _display_of(user) if user else actor

    @staticmethod
    def _is_actor(user: User, actor: str) -> bool:
        return _is(user, actor, "")


def _display_of(user: User) -> str:
    return getattr(user, "full_name", "") or user.name


def _is(user: User, name: str, email: str) -> bool:
    """Whether a name (a user name, a full name or an address) or an address of the history names this account."""
    name, email = name.strip().casefold(), email.strip().casefold()
    names = {user.name, (getattr(user, "full_name", "") or "").casefold(), user.email.casefold()} - {""}
    addresses = {user.email.casefold(), f"{user.name}@netkit.localhost"} - {""}
    return (bool(name) and name in names) or (bool(email) and email in addresses)


def _month(month: str) -> str:
    year, number = month.split("-")
    return f"{DANISH_MONTHS[int(number) - 1]} {year}"


@dataclass
class Notifications:
    """The parts, put together for one instance (the web app and `netkit serve` use this)."""

    store: NotifyStore
    watches: Watches
    inbox: Inbox
    outbox: Outbox
    notifier: Notifier
    sender: Sender
    recorder: EventRecorder


def assemble(settings: Settings, instance, accounts: Accounts, *, members_of: Callable[[str], set[str]] | None = None,
             poll: float = 5.0) -> Notifications:
    """Everything notifications need for the instance at settings.home; nothing starts or listens yet."""
    store = NotifyStore(settings.home)
    base_url = settings.base_url or f"http://{settings.host}:{settings.port}/"
    site = Site(base_url, settings.smtp_from or default_sender(base_url))
    server = SmtpServer(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                        settings.smtp_starttls) if settings.smtp_host else None
    outbox = Outbox(store, server, site.sender)
    notifier = Notifier(store, instance, accounts, site, outbox, members_of=members_of)
    sender = Sender(store, expand=notifier.expand_pending, daily=notifier.daily, deliver=outbox.deliver, poll=poll)
    return Notifications(store, notifier.watches, Inbox(store), outbox, notifier, sender,
                         EventRecorder(store, sender.wake))
