"""Who is invited to a meeting and what they answered: live data of the instance, never part of the library.

The rows live in the instance's notification store (`instance/notifications.sqlite`: private, backed up, shared by
every worker and the CLI) beside the outbox, so a sign-up and the mail it causes are written in ONE transaction —
a crash neither loses an invitation nor sends one twice. The operations that decide on them
(toolkit.network.invitations) hold the instance's writer lock around the read-decide-write.

- `signups`: one row per meeting and person (the address, case-folded, is the key: a later answer replaces the
  earlier one) with the name, organisation, account, how they came (named, role:…, group:…, self), a random key
  for their personal link, the last calendar SEQUENCE mailed to them (-1: none yet), the answer (yes, no, maybe or
  ""), when, and the place: "seat", "waiting" (over capacity, in the order of `waiting_since`) or "";
- `signup_meetings`: per meeting the calendar SEQUENCE, the fingerprint of date/time/place the last mails carried
  (a change means SEQUENCE + 1 and an update to everyone) and whether the cancellation was sent.

Only a "yes" holds a seat. When a seat is given up (no, maybe) the first on the waiting list moves up (`fill_seats`),
and a seat found free while people wait goes to them before a new "yes" can take it.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass, replace

from toolkit.people.notifystore import NotifyStore

ANSWERS = ("yes", "no", "maybe")
ANSWER_DA = {"yes": "Ja", "no": "Nej", "maybe": "Måske", "": "Ikke svaret"}
PLACE_DA = {"seat": "Tilmeldt", "waiting": "Venteliste", "": ""}
SOURCES = ("named", "role", "group", "self")
NAME_MAX, ORGANISATION_MAX = 150, 150

_TABLES = (
    "create table if not exists signups (meeting text not null, address text not null, email text not null, "
    "name text not null, organisation text not null default '', user text not null default '', "
    "source text not null, key text not null unique, invited real not null, mailed integer not null default -1, "
    "answer text not null default '', answered real, place text not null default '', waiting_since real, "
    "reminded real, primary key (meeting, address))",
    "create table if not exists signup_meetings (meeting text primary key, sequence integer not null default 0, "
    "fingerprint text not null default '', cancelled integer not null default 0)",
)
_COLUMNS = ("meeting, address, email, name, organisation, user, source, key, invited, mailed, answer, answered, "
            "place, waiting_since, reminded")

# Characters a name must not carry into a mail header or an .ics line (as toolkit.history.records refuses them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Signup:
    meeting: str
    address: str  # the e-mail address case-folded: the person's key
    email: str
    name: str
    organisation: str
    user: str  # the account, "" for a person without one
    source: str  # named, role:<role>, group:<id>, self
    key: str  # the random part of the personal link
    invited: float
    mailed: int = -1  # the SEQUENCE of the last invitation mailed; -1: none
    answer: str = ""
    answered: float | None = None
    place: str = ""  # seat, waiting, ""
    waiting_since: float | None = None
    reminded: float | None = None

    @property
    def answer_da(self) -> str:
        return ANSWER_DA.get(self.answer, self.answer)

    @property
    def place_da(self) -> str:
        return PLACE_DA.get(self.place, self.place)


@dataclass(frozen=True)
class MeetingState:
    meeting: str
    sequence: int = 0
    fingerprint: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class Summary:
    """The counts the meeting page shows: "Tilmeldt: 23 af 30"."""

    seats: int = 0
    waiting: int = 0
    maybe: int = 0
    no: int = 0
    unanswered: int = 0
    capacity: int | None = None

    @property
    def invited(self) -> int:
        return self.seats + self.waiting + self.maybe + self.no + self.unanswered

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.seats >= self.capacity


def address_of(email: str) -> str:
    return email.strip().casefold()


class SignupStore:
    """The sign-up tables of the instance's notification store; every method that takes `db` runs inside the
    caller's transaction (`store.db()`), so the caller can enqueue the mails in the same one."""

    def __init__(self, store: NotifyStore):
        self.store = store
        self._ready = False

    def db(self, *, writing: bool = True):
        if not self._ready:
            self.store.secret()  # made now: it is never made inside another transaction of the store (the links)
            with self.store.db(writing=False) as db:  # a reader (every meeting page) never takes the write lock
                present = db.execute("select count(*) from sqlite_master where type = 'table' and name in "
                                     "('signups', 'signup_meetings')").fetchone()[0] == 2
            if not present:
                with self.store.db() as db:
                    for statement in _TABLES:
                        db.execute(statement)
            self._ready = True
        return self.store.db(writing=writing)

    # -- reading ------------------------------------------------------------------------------------------------

    def of(self, meeting: str) -> list[Signup]:
        """Everyone invited to or signed up for the meeting, in the order they came."""
        if not self.store.exists():
            return []
        with self.db(writing=False) as db:
            return self.rows(db, meeting)

    def rows(self, db: sqlite3.Connection, meeting: str) -> list[Signup]:
        found = db.execute(f"select {_COLUMNS} from signups where meeting = ? order by invited, rowid", (meeting,))
        return [Signup(*row) for row in found.fetchall()]

    def get(self, db: sqlite3.Connection, meeting: str, email: str) -> Signup | None:
        row = db.execute(f"select {_COLUMNS} from signups where meeting = ? and address = ?",
                         (meeting, address_of(email))).fetchone()
        return Signup(*row) if row else None

    def by_key(self, meeting: str, key: str) -> Signup | None:
        if not self.store.exists():
            return None
        with self.db(writing=False) as db:
            row = db.execute(f"select {_COLUMNS} from signups where meeting = ? and key = ?", (meeting, key)).fetchone()
        return Signup(*row) if row else None

    def summary(self, meeting: str, capacity: int | None) -> Summary:
        counts = {"seat": 0, "waiting": 0, "maybe": 0, "no": 0, "": 0}
        for signup in self.of(meeting):
            slot = signup.place if signup.place else (signup.answer if signup.answer in ("maybe", "no") else "")
            counts[slot] += 1
        return Summary(counts["seat"], counts["waiting"], counts["maybe"], counts["no"], counts[""], capacity)

    def state(self, db: sqlite3.Connection, meeting: str) -> MeetingState:
        row = db.execute("select meeting, sequence, fingerprint, cancelled from signup_meetings where meeting = ?",
                         (meeting,)).fetchone()
        return MeetingState(row[0], row[1], row[2], bool(row[3])) if row else MeetingState(meeting)

    def with_address(self, email: str) -> list[Signup]:
        """Every meeting's row of one person (the privacy export)."""
        if not self.store.exists():
            return []
        with self.db(writing=False) as db:
            found = db.execute(f"select {_COLUMNS} from signups where address = ? order by meeting",
                               (address_of(email),))
            return [Signup(*row) for row in found.fetchall()]

    # -- writing (inside the caller's transaction) ----------------------------------------------------------------

    def put_state(self, db: sqlite3.Connection, state: MeetingState) -> None:
        db.execute("insert or replace into signup_meetings (meeting, sequence, fingerprint, cancelled) "
                   "values (?, ?, ?, ?)", (state.meeting, state.sequence, state.fingerprint, int(state.cancelled)))

    def add(self, db: sqlite3.Connection, meeting: str, email: str, name: str, organisation: str, user: str,
            source: str, now: float, *, mailed: int = -1) -> Signup | None:
        """A new row; None when the person is there already (inviting twice changes nothing)."""
        if self.get(db, meeting, email) is not None:
            return None
        signup = Signup(meeting, address_of(email), email.strip(), _one_line(name)[:NAME_MAX],
                        _one_line(organisation)[:ORGANISATION_MAX], user, source, secrets.token_urlsafe(12),
                        now, mailed)
        db.execute(f"insert into signups ({_COLUMNS}) values ({', '.join('?' * 15)})",
                   (signup.meeting, signup.address, signup.email, signup.name, signup.organisation, signup.user,
                    signup.source, signup.key, signup.invited, signup.mailed, signup.answer, signup.answered,
                    signup.place, signup.waiting_since, signup.reminded))
        return signup

    def update(self, db: sqlite3.Connection, signup: Signup) -> None:
        db.execute("update signups set mailed = ?, answer = ?, answered = ?, place = ?, waiting_since = ?, "
                   "reminded = ? where meeting = ? and address = ?",
                   (signup.mailed, signup.answer, signup.answered, signup.place, signup.waiting_since,
                    signup.reminded, signup.meeting, signup.address))

    def answer(self, db: sqlite3.Connection, signup: Signup, answer: str, capacity: int | None, now: float
               ) -> tuple[Signup, list[Signup]]:
        """Record the answer (it replaces an earlier one): a "yes" takes a free seat or goes on the waiting list
        (keeping its place there when said again); giving up a seat moves the first waiting up. Seats left free
        while people wait (an erasure, a capacity raised outside the web, a follow-up that failed) go to the waiting
        list first, never to the newcomer. Returns the row as saved and the others who moved up."""
        if answer not in ANSWERS:
            raise ValueError(f"an answer is one of {', '.join(ANSWERS)}")
        moved = self.fill_seats(db, signup.meeting, capacity)
        signup = self.get(db, signup.meeting, signup.address) or signup  # it may have just moved up itself
        seats = sum(1 for r in self.rows(db, signup.meeting) if r.place == "seat")
        if answer != "yes":
            place, since = "", None
        elif signup.place in ("seat", "waiting"):
            place, since = signup.place, signup.waiting_since
        elif capacity is None or seats < capacity:
            place, since = "seat", None
        else:
            place, since = "waiting", now
        saved = replace(signup, answer=answer, answered=now, place=place, waiting_since=since)
        self.update(db, saved)
        if signup.place == "seat" and place != "seat":
            moved += self.fill_seats(db, signup.meeting, capacity)
        return saved, [r for r in moved if r.address != saved.address]  # the answerer sees their place on the page

    def fill_seats(self, db: sqlite3.Connection, meeting: str, capacity: int | None) -> list[Signup]:
        """Give the free seats to the waiting list, first come first served; those who moved up."""
        rows = self.rows(db, meeting)
        free = None if capacity is None else capacity - sum(1 for r in rows if r.place == "seat")
        waiting = sorted((r for r in rows if r.place == "waiting"), key=lambda r: (r.waiting_since or 0, r.invited))
        moved = [replace(r, place="seat", waiting_since=None) for r in (waiting if free is None else
                                                                        waiting[:max(free, 0)])]
        for row in moved:
            self.update(db, row)
        return moved

    def forget(self, email: str) -> list[str]:
        """Remove the person's rows from every meeting (erasure); the meetings they were removed from, so the
        caller gives a freed seat to the waiting list (toolkit.network.invitations.Invitations.move_up)."""
        if not self.store.exists():
            return []
        with self.db() as db:
            meetings = [row[0] for row in db.execute("select meeting from signups where address = ? order by "
                                                     "meeting", (address_of(email),)).fetchall()]
            db.execute("delete from signups where address = ?", (address_of(email),))
        return meetings


def _one_line(text: str) -> str:
    """A name as one line without control characters, whatever the caller passed (the mails and .ics carry it)."""
    return " ".join(CONTROL.sub(" ", text).split())
