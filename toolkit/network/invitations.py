"""Invitations to a meeting and the answers to them: who is invited, the mails, the seats and the waiting list.

Every operation is one read-decide-write under the instance's writer lock (`Instance.writing()`): the meeting is
read as its file is then (`Records.current`), the sign-ups as the store holds them, and the new rows and the mails
they cause are written in one transaction of the notification store (toolkit.network.signups) — the outbox sends
them later (toolkit.people.outbox), so nobody waits for a mail server, and a crash neither loses nor doubles one.

- `invite`: named people and every account of a role or working group; each new person gets ONE invitation (a
  person already invited is not mailed again); then `follow_up`.
- `follow_up` (after every change of the meeting, and in `invite`): a new date, time or place counts the calendar
  SEQUENCE up and mails everyone the update; a cancelled meeting mails everyone METHOD:CANCEL, once; a larger
  capacity moves the waiting list up. Those who answered "no" get no updates (an answer other than no
  later sends the one they missed).
- `answer`: yes/no/maybe, by the personal link or signed in; refused for a cancelled or held meeting and after the
  meeting's day. A seat given up goes to the first on the waiting list, who is told by mail; so does a seat found
  free before a new "yes" takes one.
- `move_up`: after an erasure (toolkit.network.persondata) the freed seats go to the waiting list at once.
- `remind`: the days before the meeting, once, to those with a seat and those who said maybe (`netkit meetings
  remind`, safe to run daily from cron).

Without a mail server (NETKIT_SMTP_HOST unset) the invitations are recorded and nothing is mailed; the next
`invite` or change after one is configured sends what is due.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from toolkit.errors import Invalid, NetkitError, Problem
from toolkit.history.records import Records
from toolkit.network.invitemail import meeting_mail
from toolkit.network.meetings import EMAIL_RE, ZONE, Meeting
from toolkit.network.rsvp import expired, make_token, read_token
from toolkit.network.signups import ANSWERS, CONTROL, MeetingState, Signup, SignupStore, address_of
from toolkit.people.accounts import ROLES, Accounts
from toolkit.people.mail import Site
from toolkit.people.outbox import Outbox

INVITE_MAX = 2000  # people per invitation: a whole network, never a mistake of a million rows
NAMED_RE = re.compile(r"\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+)>\s*\Z")  # "Anna Holm <anna@region.dk>"
ALL = ("all", "alle")


class Refused(NetkitError):
    """An answer that cannot be taken: `reason` is cancelled, held or expired."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    organisation: str = ""
    user: str = ""
    source: str = "named"


@dataclass
class Invited:
    """What an invitation did."""

    added: list[str] = field(default_factory=list)  # addresses invited now
    already: list[str] = field(default_factory=list)  # invited before: not mailed again
    mailed: int = 0  # mails queued (invitations, and updates of a changed meeting)
    without_address: list[str] = field(default_factory=list)  # accounts of a role or group without an e-mail
    unsent: bool = False  # no mail server: recorded, not mailed


@dataclass(frozen=True)
class Answered:
    signup: Signup
    moved_up: tuple[Signup, ...] = ()


class Invitations:
    def __init__(self, instance, records: Records[Meeting], accounts: Accounts, outbox: Outbox, site: Site, *,
                 members_of: Callable[[str], set[str]] | None = None, clock: Callable[[], float] = time.time):
        self.instance, self.records, self.accounts, self.outbox, self.site = instance, records, accounts, outbox, site
        self.store = SignupStore(outbox.store)
        self.members_of = members_of or (lambda group: {u.name for u in accounts.users() if group in u.groups})
        self.clock = clock

    # -- links ------------------------------------------------------------------------------------------------------

    def token(self, signup: Signup) -> str:
        return make_token(self.outbox.store.secret(), signup.meeting, signup.key)

    def answer_link(self, signup: Signup) -> str:
        return self.site.url(f"moeder/{signup.meeting}/svar/{self.token(signup)}")

    def meeting_url(self, slug: str) -> str:
        return self.site.url(f"moeder/{slug}/")

    def from_token(self, slug: str, token: str) -> Signup | None:
        """The invitee a link was made for, or None (not ours, another meeting's, or the person was erased)."""
        key = read_token(self.outbox.store.secret(), slug, token)
        return self.store.by_key(slug, key) if key else None

    # -- who --------------------------------------------------------------------------------------------------------

    def resolve(self, targets: Iterable[str]) -> tuple[list[Invitee], list[str], list[Problem]]:
        """Targets as typed (a role: member, facilitator, admin or all; `group:<id>`; an address; `Name <address>`;
        `name; organisation; address`) → the invitees, the accounts without an address, and the problems."""
        invitees: list[Invitee] = []
        without: list[str] = []
        problems: list[Problem] = []
        users = self.accounts.users()
        for raw in targets:
            target = raw.strip()
            if not target:
                continue
            if CONTROL.search(target):  # a name with a NUL or a line separator would reach the mail and the .ics
                problems.append(Problem.at("to", f"'{CONTROL.sub('', target)[:100]}' holds a control character "
                                                 "(an invisible character, often from copying); type the line again",
                                           field="to"))
                continue
            lowered = target.casefold()
            if lowered in ROLES or lowered in ALL:
                chosen = [u for u in users if lowered in ALL or u.role == lowered]
                source = f"role:{lowered if lowered in ROLES else 'all'}"
            elif lowered.startswith(("group:", "gruppe:")):
                group = lowered.split(":", 1)[1].strip()
                members = self.members_of(group)
                if not members:
                    problems.append(Problem.at("to", f"'{group}' is no working group with members", field="to"))
                    continue
                chosen, source = [u for u in users if u.name in members], f"group:{group}"
            else:
                person = _named(target)
                if person is None:
                    problems.append(Problem.at("to", f"'{target[:100]}' is neither a role (member, facilitator, "
                                                     "admin, all), a group (group:<id>) nor an e-mail address",
                                               field="to"))
                else:
                    account = next((u for u in users if u.email and address_of(u.email) == address_of(person.email)),
                                   None)
                    invitees.append(person if account is None or person.user else Invitee(
                        person.name or account.display_name, person.email, person.organisation, account.name))
                continue
            for user in chosen:
                if user.email:
                    invitees.append(Invitee(user.display_name, user.email, "", user.name, source))
                else:
                    without.append(user.name)
        unique = {address_of(i.email): i for i in reversed(invitees)}  # the first mention of an address wins
        people = list(reversed(unique.values()))
        if len(people) > INVITE_MAX:
            problems.append(Problem.at("to", f"at most {INVITE_MAX} people at a time", field="to"))
        return people, sorted(set(without)), problems

    # -- operations -------------------------------------------------------------------------------------------------

    def invite(self, slug: str, invitees: list[Invitee]) -> Invited:
        """Invite these people (those invited before are left as they are), then mail what is due."""
        if len(invitees) > INVITE_MAX:  # whatever the caller resolved: one invitation is never a flood
            raise Invalid(f"{len(invitees)} people at once", [Problem.at(
                "to", f"at most {INVITE_MAX} people at a time; invite in parts", field="to")])
        done = Invited(unsent=self.outbox.server is None)
        with self.instance.writing():
            meeting = self._meeting(slug)
            if not meeting.is_open:
                raise Invalid(f"'{slug}' is {meeting.status}: only a planned or invited meeting takes invitations",
                              [Problem.at(meeting.path, "the meeting is not open for invitations", field="status")])
            now = self.clock()
            with self.store.db() as db:
                for person in invitees:
                    added = self.store.add(db, slug, person.email, person.name, person.organisation, person.user,
                                           person.source, now)
                    (done.added if added else done.already).append(address_of(person.email))
                done.mailed = self._follow_up(db, meeting)
        return done

    def follow_up(self, slug: str) -> int:
        """After a change of the meeting: the updates, the cancellation, seats for the waiting list; mails queued."""
        with self.instance.writing():
            meeting = self._meeting(slug)
            with self.store.db() as db:
                return self._follow_up(db, meeting)

    def move_up(self, slug: str) -> list[Signup]:
        """Give the meeting's free seats to its waiting list now (after an erasure freed one) and mail those who
        moved up; nothing for a meeting that is gone, held, cancelled or past."""
        with self.instance.writing():
            if slug not in self.records:
                return []
            meeting = self._meeting(slug)
            if not meeting.is_open or expired(meeting, None):
                return []
            with self.store.db() as db:
                sequence = self.store.state(db, slug).sequence
                moved = self.store.fill_seats(db, slug, meeting.capacity)
                for person in moved:
                    self._queue(db, meeting, person, "moved_up", sequence)
        return moved

    def answer(self, slug: str, answer: str, *, email: str = "", key: str = "", name: str = "", user: str = "",
               now: dt.datetime | None = None) -> Answered:
        """Record an answer of the person with this address (signed in: added when not invited) or this link key.
        Refused when the meeting is cancelled, held or past."""
        if answer not in ANSWERS:
            raise Invalid(f"'{answer}' is not an answer", [Problem.at("answer", "answer yes, no or maybe",
                                                                      field="answer")])
        with self.instance.writing():
            meeting = self._meeting(slug)
            self._open_for_answers(meeting, now)
            stamp = self.clock()
            with self.store.db() as db:
                signup = self.store.get(db, slug, email) if email else None
                if signup is None and key:
                    row = db.execute("select address from signups where meeting = ? and key = ?",
                                     (slug, key)).fetchone()
                    signup = self.store.get(db, slug, row[0]) if row else None
                if signup is None and email:  # signed in without an invitation: signing up is welcome
                    state = self.store.state(db, slug)
                    signup = self.store.add(db, slug, email, name, "", user, "self", stamp, mailed=state.sequence)
                if signup is None:
                    raise Refused("the link's invitation is gone (the person was erased)", "unknown")
                saved, moved = self.store.answer(db, signup, answer, meeting.capacity, stamp)
                sequence = self.store.state(db, slug).sequence
                for person in moved:
                    self._queue(db, meeting, person, "moved_up", sequence)
                if answer != "no" and 0 <= saved.mailed < sequence and self._queue(db, meeting, saved, "update",
                                                                                   sequence):
                    saved = replace(saved, mailed=sequence)  # said no before a change: the calendar catches up
                    self.store.update(db, saved)
        return Answered(saved, tuple(moved))

    def remind(self, days: int, now: dt.datetime | None = None) -> int:
        """Remind those with a seat or a "maybe" of every open meeting in the next `days` days, once; mails
        queued (none without a mail server: nobody is marked reminded then)."""
        if self.outbox.server is None:
            return 0
        today = (now or dt.datetime.now(dt.UTC)).astimezone(ZONE).date()
        count = 0
        with self.instance.writing():
            for meeting in self.records.all():
                if not meeting.is_open or not 0 <= (meeting.date - today).days <= days:
                    continue
                with self.store.db() as db:
                    sequence = self.store.state(db, meeting.slug).sequence
                    for signup in self.store.rows(db, meeting.slug):
                        if signup.reminded is None and (signup.place == "seat" or signup.answer == "maybe"):
                            self._queue(db, meeting, signup, "reminder", sequence)
                            self.store.update(db, replace(signup, reminded=self.clock()))
                            count += 1
        return count

    # -- inside -----------------------------------------------------------------------------------------------------

    def _meeting(self, slug: str) -> Meeting:
        meeting, _digest = self.records.current(slug)  # the file as it is now, inside the lock
        return meeting

    def _open_for_answers(self, meeting: Meeting, now: dt.datetime | None) -> None:
        if meeting.status == "cancelled":
            raise Refused(f"'{meeting.slug}' is cancelled", "cancelled")
        if meeting.status == "held" or expired(meeting, now):
            raise Refused(f"'{meeting.slug}' has taken place: answers are closed", "expired")

    def _follow_up(self, db, meeting: Meeting) -> int:
        state = self.store.state(db, meeting.slug)
        rows = self.store.rows(db, meeting.slug)
        mailed = 0
        if meeting.status == "cancelled":
            if not state.cancelled and any(r.mailed >= 0 for r in rows):
                sequence = state.sequence + 1
                for signup in rows:
                    if signup.mailed >= 0 and signup.answer != "no":
                        mailed += self._queue(db, meeting, signup, "cancel", sequence)
                self.store.put_state(db, MeetingState(meeting.slug, sequence, state.fingerprint, True))
            return mailed
        fingerprint = _fingerprint(meeting)
        changed = state.cancelled or (bool(state.fingerprint) and state.fingerprint != fingerprint)
        sequence = state.sequence + 1 if changed else state.sequence
        for moved in self.store.fill_seats(db, meeting.slug, meeting.capacity):
            mailed += self._queue(db, meeting, moved, "moved_up", sequence)
        if self.outbox.server is not None:
            for signup in self.store.rows(db, meeting.slug):
                if signup.mailed < 0 or (signup.mailed < sequence and signup.answer != "no"):
                    what = "invite" if signup.mailed < 0 else "update"
                    mailed += self._queue(db, meeting, signup, what, sequence)
                    self.store.update(db, replace(signup, mailed=sequence))
        self.store.put_state(db, MeetingState(meeting.slug, sequence, fingerprint, False))
        return mailed

    def _queue(self, db, meeting: Meeting, signup: Signup, what: str, sequence: int) -> int:
        if self.outbox.server is None:
            return 0
        message = meeting_mail(self.site, meeting, signup, what, sequence=sequence,
                               answer_link=self.answer_link(signup), meeting_url=self.meeting_url(meeting.slug))
        self.outbox.enqueue(db, signup.user or f"signup:{signup.address}", signup.email, message)
        return 1


def _named(text: str) -> Invitee | None:
    """`Name <address>`, `name; organisation; address` or a bare address."""
    if ";" in text:
        parts = [part.strip() for part in text.split(";")]
        email = next((p for p in parts if "@" in p), "")
        rest = [p for p in parts if p and p != email]
        name, organisation = [*rest, "", ""][:2]
    elif match := NAMED_RE.match(text):
        name, email, organisation = match["name"].strip().strip('"'), match["email"], ""
    else:
        name, email, organisation = "", text, ""
    if not EMAIL_RE.match(email):
        return None
    return Invitee(name or email.split("@")[0], email, organisation)


def _fingerprint(meeting: Meeting) -> str:
    """What a calendar must hear about: the day, the times and the place."""
    times = f"{meeting.start:%H:%M}-{meeting.end:%H:%M}" if meeting.start and meeting.end else "all-day"
    return f"{meeting.date.isoformat()} {times} {meeting.place}"


def invitations_for(parts, instance, accounts: Accounts, records: Records[Meeting] | None = None) -> Invitations:
    """Invitations wired to an instance's notifications (toolkit.network.notifying.notifications_for): its
    outbox, its site's links and sender, and its working groups' members."""
    from toolkit.network.meetings import meeting_records

    return Invitations(instance, records if records is not None else meeting_records(instance.library_dir), accounts,
                       parts.outbox, parts.notifier.site, members_of=parts.notifier.members_of)
