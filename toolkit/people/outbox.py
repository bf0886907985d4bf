"""The outbox and the background sender.

A mail is a row in the instance's notification store (toolkit.people.notifystore) before anything tries to send
it, so a save never waits for a mail server and a mail outlives a restart. The sender delivers the rows that are
due over SMTP and marks each one sent only after the server accepted it; a server that is down or answers "try
later" leaves the row for another try after a wait that doubles (30 s up to an hour, for as long as it takes), and
one that refuses a message for good (5xx) sets that row aside with the reason. Without a mail server configured
no mail is queued (toolkit.people.notifications); rows left from before simply wait.

One sender across processes: several web workers (and the gunicorn master) may each run a `Sender` thread, but only
the holder of the store's lease sends; the others take over when it lapses (a dead process). Forking while a sender
works would copy its half-done state, so a fork waits until it is between two steps.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import socket
import ssl
import threading
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from toolkit.people.mail import MAIL_POLICY
from toolkit.people.notifystore import NotifyStore

log = logging.getLogger(__name__)

FIRST_WAIT, LONGEST_WAIT = 30.0, 3600.0
BATCH = 100  # mails per round; the rest go in the next round
SMTP_TIMEOUT = 10.0


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True


@dataclass(frozen=True)
class Queued:
    id: int
    user: str
    address: str
    message: bytes
    attempts: int


@dataclass(frozen=True)
class Round:
    """What one round of delivery did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


class Outbox:
    def __init__(self, store: NotifyStore, server: SmtpServer | None, sender: str):
        self.store = store
        self.server = server
        self.envelope_from = parseaddr(sender)[1] or "netkit@localhost"

    def enqueue(self, db, user: str, address: str, message: EmailMessage) -> None:
        """Inside the store's transaction that made the notification: the mail exists exactly when it does."""
        db.execute("insert into outbox (user, address, message, message_id, created, next_try) "
                   "values (?, ?, ?, ?, ?, ?)", (user, address, message.as_bytes(policy=MAIL_POLICY),
                                                 str(message["Message-ID"]), self.store.clock(), self.store.clock()))

    def due(self, limit: int = BATCH) -> list[Queued]:
        if not self.store.exists():
            return []
        with self.store.db(writing=False) as db:
            rows = db.execute("select id, user, address, message, attempts from outbox where sent is null and "
                              "failed is null and next_try <= ? order by id limit ?",
                              (self.store.clock(), limit)).fetchall()
        return [Queued(*row) for row in rows]

    def waiting(self) -> int:
        """Mails not yet accepted by a server (due now or later)."""
        if not self.store.exists():
            return 0
        with self.store.db(writing=False) as db:
            return db.execute("select count(*) from outbox where sent is null and failed is null").fetchone()[0]

    def counts(self) -> dict[str, int]:
        """How many mails were sent, wait (due now or later), and were refused for good."""
        if not self.store.exists():
            return {"sent": 0, "waiting": 0, "failed": 0}
        with self.store.db(writing=False) as db:
            sent, failed, total = db.execute("select count(sent), count(failed), count(*) from outbox").fetchone()
        return {"sent": sent, "waiting": total - sent - failed, "failed": failed}

    def retry_now(self) -> int:
        """Make every waiting mail due now (after fixing the server or its settings); returns how many wait."""
        if not self.store.exists():
            return 0
        with self.store.db() as db:
            return db.execute("update outbox set next_try = ? where sent is null and failed is null",
                              (self.store.clock(),)).rowcount

    def deliver(self, guard: Callable[[], AbstractContextManager] = nullcontext) -> Round:
        """Send what is due; `guard` is held around each step that talks to the server."""
        if self.server is None:
            return Round()
        queued = self.due()
        if not queued:
            return Round()
        try:
            with guard():
                connection = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail server %s:%s: %s; %d mail(s) wait", self.server.host, self.server.port, exc,
                        len(queued))
            for mail in queued:
                self._retry(mail, f"connection: {exc}")
            return Round(retried=len(queued))
        sent = retried = failed = 0
        try:
            for index, mail in enumerate(queued):
                try:
                    with guard():
                        connection.sendmail(self.envelope_from, [mail.address], mail.message)
                except smtplib.SMTPRecipientsRefused as exc:
                    code = min(code for code, _ in exc.recipients.values())
                    if code >= 500:
                        self._fail(mail, f"{code} refused the address")
                        failed += 1
                    else:
                        self._retry(mail, f"{code} try later")
                        retried += 1
                except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                    if exc.smtp_code >= 500 and isinstance(exc, smtplib.SMTPDataError):
                        self._fail(mail, f"{exc.smtp_code} {exc.smtp_error!r:.200}")
                        failed += 1
                    else:  # "try later", or our own sender refused (a setting to fix): the mail waits
                        self._retry(mail, f"{exc.smtp_code} {exc.smtp_error!r:.200}")
                        retried += 1
                except (OSError, smtplib.SMTPException) as exc:  # the connection broke: this and the rest wait
                    for rest in queued[index:]:
                        self._retry(rest, f"connection: {exc}")
                    retried += len(queued) - index
                    break
                else:
                    self._sent(mail)
                    sent += 1
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()
        return Round(sent, retried, failed)

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        assert server is not None
        connection = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
        try:
            if server.starttls:
                connection.starttls(context=ssl.create_default_context())
            if server.user:
                connection.login(server.user, server.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def _sent(self, mail: Queued) -> None:
        with self.store.db() as db:
            db.execute("update outbox set sent = ?, attempts = attempts + 1, error = '' where id = ?",
                       (self.store.clock(), mail.id))

    def _retry(self, mail: Queued, error: str) -> None:
        wait = min(FIRST_WAIT * 2 ** mail.attempts, LONGEST_WAIT)
        with self.store.db() as db:
            db.execute("update outbox set attempts = attempts + 1, next_try = ?, error = ? where id = ?",
                       (self.store.clock() + wait, error[:500], mail.id))

    def _fail(self, mail: Queued, error: str) -> None:
        log.warning("mail %d to %s refused for good: %s", mail.id, mail.address, error)
        with self.store.db() as db:
            db.execute("update outbox set failed = ?, attempts = attempts + 1, error = ? where id = ?",
                       (self.store.clock(), error[:500], mail.id))


LEASE = "sender"
_LIVE: weakref.WeakSet[Sender] = weakref.WeakSet()


class Sender:
    """A daemon thread: every `poll` seconds (or at once when woken) it turns new events into notifications
    (`expand`: any process may), and, holding the lease, runs the daily tasks (`daily`) and delivers (`deliver`,
    given the guard to hold around each exchange with the server)."""

    def __init__(self, store: NotifyStore, *, expand: Callable[[], object], daily: Callable[[], object],
                 deliver: Callable[[Callable[[], AbstractContextManager]], object], poll: float = 5.0,
                 lease: float = 60.0, first_wait: float = 2.0):
        self.store = store
        self.expand, self.daily, self.deliver = expand, daily, deliver
        self.poll, self.lease, self.first_wait = poll, lease, first_wait
        self._reset()
        _LIVE.add(self)

    def _reset(self) -> None:
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.busy = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Sender:
        if not self.running:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, name="netkit-sender", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        self.store.drop_lease(LEASE, self.holder)

    def wake(self) -> None:
        self._wake.set()

    def run_once(self) -> bool:
        """One round; True when this process held the lease (and so did the daily tasks and sent)."""
        with self.busy:
            self._step(self.expand)
            leader = self.store.take_lease(LEASE, self.holder, self.lease)
            if leader:
                self._step(self.daily)
        if leader:
            self._step(lambda: self.deliver(lambda: self.busy))
        return leader

    def _step(self, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:  # a failing step is logged and tried again next round; the others still run
            log.exception("a notification step failed")

    def _loop(self) -> None:
        self._wake.wait(self.first_wait)  # let a server fork its workers first
        while not self._stopping.is_set():
            if not self.store.home.exists():  # the instance is gone (a test's folder, a moved instance)
                return
            self._wake.clear()
            self.run_once()
            self._wake.wait(self.poll)


_HELD: list[Sender] = []


def _before_fork() -> None:
    _HELD[:] = [sender for sender in list(_LIVE) if sender.running and sender.busy.acquire()]


def _after_fork_in_parent() -> None:
    for sender in _HELD:
        sender.busy.release()
    _HELD.clear()


def _after_fork_in_child() -> None:
    """The thread did not come along: start a fresh one with its own identity (the lease decides who sends)."""
    _HELD.clear()
    for sender in list(_LIVE):
        was_running = sender._thread is not None
        sender._reset()
        if was_running:
            sender.start()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)
