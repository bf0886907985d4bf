"""A person's data in what Netkit holds now, found by their e-mail address — for the rights of access and erasure
(`netkit person export|erase EMAIL`).

`find_person` lists every place: the accounts with the address, project contacts and meeting invitees with it,
and — by the full names those carry (two words or more, so a first name alone matches nothing) — meeting
speakers, agenda presenters, facilitators, names in minutes and material authors; by the accounts' user names:
comments, working-group memberships, topic proposals, activity-log lines and the notification store; by the
address: meeting invitations and answers (toolkit.network.signups), which `erase_person` removes (a seat the
person held goes to the meeting's waiting list at once). A project or
meeting file that does not load (it has problems) but holds the address is named ("unread"), never guessed at.
The action items the person owns in the minutes records (by address, account or full name) are found and erased
by toolkit.network.minutesprivacy: the owner becomes "Slettet person", also in approved minutes.

`erase_person` removes the contact data from the current records — project contacts, meeting invitees and
speakers, agenda presenters — each record through its own save path (read-modify-write under the writer lock,
validated, one revision per record with ERASE_MESSAGE), and the person's activity-log lines and notification
data. A project's contacts are required: a project whose only contact is this person needs a replacement
contact, or nothing at all is erased. It does not remove the account (`netkit user remove`), change a required
facilitator, edit minutes or materials, delete comments (kept with the text they discuss), or rewrite the
history: past revisions still hold what is erased here; `Erasure.kept` says so, place by place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.config import Settings
from toolkit.errors import Invalid, Problem
from toolkit.history.comments import COMMENTS
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import Records, save_record
from toolkit.network.groups import GROUP
from toolkit.network.interest import forget_interest, interest_shown
from toolkit.network.meetings import Meeting, meeting_data, meeting_records
from toolkit.network.minutesprivacy import erase_from_minutes, minutes_places
from toolkit.network.newsletterstore import forget_subscriber, subscription_of
from toolkit.network.projects.model import Contact, Project
from toolkit.network.projects.registry import Registry
from toolkit.network.proposals import proposal_records
from toolkit.network.signups import SignupStore
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.notifystore import NotifyStore
from toolkit.people.personal import Notified, accounts_with, forget_notified, notified, same_address

if TYPE_CHECKING:
    from toolkit.network.invitations import Invitations

ERASE_MESSAGE = "Erase contact data of a person (GDPR)"


@dataclass(frozen=True)
class Place:
    """One place that holds something of the person."""

    section: str  # accounts, projects, meetings, comments, groups, proposals, materials, activity, unread
    where: str  # the file (library/projects/x.yaml) or store
    what: str  # what it holds, as a line of text
    erasable: bool  # whether `erase_person` removes it
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "what": self.what, "erased_by_erase": self.erasable, **self.data}


@dataclass(frozen=True)
class PersonData:
    email: str
    users: tuple[str, ...]  # user names of the accounts with the address
    names: tuple[str, ...]  # full names the records give the address
    places: tuple[Place, ...]
    notified: Notified

    def section(self, name: str) -> list[Place]:
        return [place for place in self.places if place.section == name]

    def to_dict(self) -> dict[str, Any]:
        sections: dict[str, Any] = {}
        for place in self.places:
            sections.setdefault(place.section, []).append(place.to_dict())
        return {"email": self.email, "users": list(self.users), "names": list(self.names), **sections,
                "notifications": self.notified.to_dict()}


@dataclass
class Erasure:
    done: list[str] = field(default_factory=list)  # what was removed, one line each
    kept: list[str] = field(default_factory=list)  # what was not, and how to do it
    revisions: list[str] = field(default_factory=list)


def find_person(instance: Instance, email: str, *, activity_days: int | None = None,
                now: dt.datetime | None = None) -> PersonData:
    """Every place in the current records and the instance's stores that holds something of the person."""
    home, library_dir = instance.home, instance.library_dir
    accounts = accounts_with(home, email)
    users = tuple(user.name for user in accounts)
    places = [Place("accounts", "users.json", f"account {u.name}: {u.full_name or '-'} <{u.email}>, role {u.role}"
                    + (f", working groups {', '.join(u.groups)}" if u.groups else ""), False, u.to_dict())
              for u in accounts]
    projects = _projects(library_dir, email)
    meetings = meeting_records(library_dir).all()
    names = _names(accounts, projects, meetings, email)
    for project in projects:
        for contact in project.contacts:
            if same_address(contact.email, email):
                places.append(Place("projects", project.path, f"contact of '{project.title}': {contact.name} "
                                    f"<{contact.email}>" + (f" ({contact.role})" if contact.role else ""), True,
                                    {"project": project.slug, **contact.to_dict()}))
    for meeting in sorted(meetings, key=lambda m: m.slug):
        places.extend(_meeting_places(meeting, email, names))
    places += [Place("minutes", where, what, erasable, data) for where, what, erasable, data
               in minutes_places(library_dir, email, users, lambda name: names_person(name, names))]
    places.extend(_signup_places(home, email))
    places.extend(_broken_places(instance, email))
    places.extend(_authored_places(instance, library_dir, users, names))
    log = ActivityLog(home, days=activity_days)
    for event in log.of({*users, email}, now=now):
        places.append(Place("activity", "activity.jsonl", f"{event.time.isoformat()} {event.kind} {event.who} "
                            f"{event.detail}".rstrip(), True,
                            {"time": event.time.isoformat(), "kind": event.kind, "who": event.who,
                             "address": event.detail}))
    for shown in interest_shown(home, users):  # "Vis interesse" of the last day (the message is in the mail)
        places.append(Place("interest", "notifications.sqlite", f"{shown.at.isoformat()} {shown.user} showed "
                            f"interest in project {shown.project}", True,
                            {"time": shown.at.isoformat(), "user": shown.user, "project": shown.project}))
    for sub in subscription_of(home, users):  # the newsletter: subscribed since, issues sent
        places.append(Place("newsletter", "notifications.sqlite", f"{sub.user}: newsletter "
                            + (f"subscribed since {sub.since.isoformat()}" if sub.since else "not subscribed")
                            + (f", sent {', '.join(sub.issues)}" if sub.issues else ""), True,
                            {"user": sub.user, "since": sub.since.isoformat() if sub.since else None,
                             "issues": list(sub.issues)}))
    return PersonData(email.strip(), users, names, tuple(places), notified(home, users, email))


def erase_person(instance: Instance, email: str, author: Author, *, activity_days: int | None = None,
                 replacement: Contact | None = None, invitations: Invitations | None = None) -> Erasure:
    """Remove the person's contact data from the current records, their activity-log lines and notification
    data; Invalid (nothing written) when a project would be left without a contact and no replacement is given.
    A seat the person held goes to the meeting's waiting list at once, mailed through `invitations` (the
    instance's mail wiring, toolkit.network.invitations.invitations_for); without it the seats move unmailed."""
    erasure = Erasure()
    with instance.writing():  # what is found and what is saved: one state of the records
        found = find_person(instance, email, activity_days=activity_days)
        registry = Registry(instance.library_dir)
        projects = sorted({p.data["project"] for p in found.section("projects")})
        alone = [registry.get(slug) for slug in projects
                 if all(same_address(c.email, email) for c in registry.get(slug).contacts)]
        if alone and replacement is None:
            paths = ", ".join(p.path for p in alone)
            raise Invalid(f"nothing was erased: {email} is the only contact of {paths}; give another contact "
                          "to put in their place (--replacement 'Name <email>') or add one to the project first",
                          [Problem.at(p.path, "the only contact", field="contacts") for p in alone])
        for slug in projects:
            revision = _save_project(instance, registry, slug, email, replacement, author)
            erasure.revisions += [revision] if revision else []
            erasure.done.append(f"library/projects/{slug}.yaml: contact removed"
                                + (f", {replacement.name} put in its place" if replacement and
                                   any(p.slug == slug for p in alone) else "") + _revision(revision))
        meetings = meeting_records(instance.library_dir)
        roles: dict[str, list[str]] = {}
        for place in found.section("meetings"):
            if place.erasable:
                role = next(key for key in ("invitee", "speaker", "presenter") if key in place.data)
                roles.setdefault(place.data["meeting"], []).append(role)
        for slug, removed in sorted(roles.items()):
            revision = _save_meeting(instance, meetings, slug, email, found.names, author)
            erasure.revisions += [revision] if revision else []
            erasure.done.append(f"library/meetings/{slug}.yaml: {', '.join(dict.fromkeys(removed))} removed"
                                + _revision(revision))
        for path, count, revision in erase_from_minutes(instance, email, found.users,
                                                        lambda name: names_person(name, found.names), author,
                                                        ERASE_MESSAGE):
            erasure.revisions += [revision] if revision else []
            erasure.done.append(f"{path}: owner of {count} action item(s) replaced" + _revision(revision))
        signups = SignupStore(NotifyStore(instance.home)).forget(email)
        if signups:
            erasure.done.append(f"meeting sign-ups: {len(signups)} invitation(s) and answer(s) removed")
        erasure.done += _move_up(instance, signups, invitations)
    lines = ActivityLog(instance.home, days=activity_days).drop({*found.users, email})
    if lines:
        erasure.done.append(f"activity log: {lines} line(s) removed")
    if shown := forget_interest(instance.home, found.users):
        erasure.done.append(f"partner interest: {shown} row(s) removed")
    if newsletter := forget_subscriber(instance.home, found.users):
        erasure.done.append(f"newsletter: {newsletter} subscription and sent-issue row(s) removed")
    gone = forget_notified(instance.home, found.users, email)
    if gone:
        erasure.done.append(f"notifications: {len(gone.watches)} watch(es), {len(gone.prefs)} mail choice(s), "
                            f"{gone.inbox} notification(s), {gone.mails_waiting + gone.mails_sent} mail(s) removed")
    erasure.kept.extend(_kept(found))
    return erasure


# -- finding ----------------------------------------------------------------------------------------------------------


def _projects(library_dir: Path, email: str) -> list[Project]:
    return [p for p in Registry(library_dir).all() if any(same_address(c.email, email) for c in p.contacts)]


def _names(accounts, projects: list[Project], meetings: list[Meeting], email: str) -> tuple[str, ...]:
    """The person's full names as the records give them with the address (two words or more)."""
    names = [u.full_name for u in accounts]
    names += [c.name for p in projects for c in p.contacts if same_address(c.email, email)]
    names += [i.name for m in meetings for i in m.invitees if i.email and same_address(i.email, email)]
    unique = {" ".join(n.split()).casefold(): " ".join(n.split()) for n in names if len(n.split()) >= 2}
    return tuple(sorted(unique.values()))


def names_person(text: str, names: tuple[str, ...]) -> bool:
    """Whether a name field names the person: the name itself, or followed by ", organisation" / " (…)"."""
    text = " ".join(text.split()).casefold()
    return any(text == n.casefold() or text.startswith((n.casefold() + ",", n.casefold() + " (")) for n in names)


def _meeting_places(meeting: Meeting, email: str, names: tuple[str, ...]) -> list[Place]:
    at, title, data = meeting.path, f"'{meeting.theme}' {meeting.date.isoformat()}", {"meeting": meeting.slug}
    places = [Place("meetings", at, f"invitee of {title}: {p.name} <{p.email}>"
                    + (f", {p.organisation}" if p.organisation else ""), True, {**data, "invitee": p.name})
              for p in meeting.invitees if p.email and same_address(p.email, email)]
    places += [Place("meetings", at, f"speaker at {title}: {p.name}" + (f" – {p.topic}" if p.topic else ""), True,
                     {**data, "speaker": p.name}) for p in meeting.speakers if names_person(p.name, names)]
    places += [Place("meetings", at, f"presenter of '{i.topic}' at {title}: {i.presenter}", True,
                     {**data, "presenter": i.presenter}) for i in meeting.agenda if names_person(i.presenter, names)]
    if names_person(meeting.facilitator, names):
        places.append(Place("meetings", at, f"facilitator of {title}: {meeting.facilitator}", False,
                            {**data, "facilitator": meeting.facilitator}))
    if any(n.casefold() in meeting.minutes.casefold() for n in names):
        places.append(Place("meetings", at, f"the minutes of {title} name the person", False,
                            {**data, "minutes": True}))
    return places


def _signup_places(home: Path, email: str) -> list[Place]:
    """Invitations to meetings and the answers (toolkit.network.signups, in the instance's notification store)."""
    places = []
    for signup in SignupStore(NotifyStore(home)).with_address(email):
        answered = dt.datetime.fromtimestamp(signup.answered, dt.UTC).isoformat() if signup.answered else None
        places.append(Place("signups", "notifications.sqlite", f"invited to {signup.meeting} as {signup.name} "
                            f"<{signup.email}>: answer {signup.answer or 'none'}"
                            + (f" ({signup.place})" if signup.place else ""), True,
                            {"meeting": signup.meeting, "name": signup.name, "email": signup.email,
                             "organisation": signup.organisation, "user": signup.user, "source": signup.source,
                             "invited": dt.datetime.fromtimestamp(signup.invited, dt.UTC).isoformat(),
                             "answer": signup.answer, "answered": answered, "place": signup.place}))
    return places


def _broken_places(instance: Instance, email: str) -> list[Place]:
    """Project and meeting files that do not load (problems) but hold the address: named, never guessed at."""
    broken = {p.path for p in Registry(instance.library_dir).records.problems()}
    broken |= {p.path for p in meeting_records(instance.library_dir).problems()}
    places = []
    for path in sorted(broken):
        try:
            text = (instance.content / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if email.strip().casefold() in text.casefold():
            places.append(Place("unread", path, "holds the address, but the record has problems and was not read: "
                                "fix it (`netkit check`) and run this again", False))
    return places


def _authored_places(instance: Instance, library_dir: Path, users: tuple[str, ...],
                     names: tuple[str, ...]) -> list[Place]:
    places = []
    for record in sorted(Records(library_dir, COMMENTS).all(), key=lambda r: r.slug):
        for thread in record.threads:
            for entry in thread.entries:
                if entry.author in users:
                    places.append(Place("comments", f"library/comments/{record.slug}.yaml",
                                        f"{entry.action} on '{record.slug}' ({thread.id}) {entry.time.isoformat()}"
                                        + (f": {entry.text[:200]}" if entry.text else ""), False,
                                        {"material": record.slug, "thread": thread.id, **entry.to_dict()}))
    for group in sorted(Records(library_dir, GROUP).all(), key=lambda g: g.slug):
        for member in group.members:
            if member.user in users:
                places.append(Place("groups", f"library/groups/{group.slug}.yaml",
                                    f"member of '{group.name}' as {member.role}", False,
                                    {"group": group.slug, "user": member.user, "role": member.role}))
    for proposal in sorted(proposal_records(library_dir).all(), key=lambda p: p.slug):
        if proposal.proposer in users:
            places.append(Place("proposals", proposal.path, f"proposed '{proposal.title}' "
                                f"({proposal.created.isoformat()})", False, {"proposal": proposal.slug}))
    for material in instance.library().materials():
        if any(names_person(author, names) for author in material.authors):
            places.append(Place("materials", f"library/{material.slug}.md", f"author of '{material.title}'", False,
                                {"material": material.slug}))
    return places


# -- erasing ----------------------------------------------------------------------------------------------------------


def _save_project(instance: Instance, registry: Registry, slug: str, email: str, replacement: Contact | None,
                  author: Author) -> str:
    def without_person(current: Project | None) -> dict[str, Any]:
        assert current is not None  # save_record(create=False) refuses a missing file first
        contacts = [c for c in current.contacts if not same_address(c.email, email)]
        data = current.to_data()
        data["contacts"] = [c.to_dict() for c in (contacts or ([replacement] if replacement else []))]
        return data

    return _saved(instance, lambda: save_record(instance, registry.records, slug, without_person, author,
                                                ERASE_MESSAGE, create=False))


def _save_meeting(instance: Instance, records: Records[Meeting], slug: str, email: str, names: tuple[str, ...],
                  author: Author) -> str:
    def without_person(current: Meeting | None) -> dict[str, Any]:
        assert current is not None
        invitees = [p for p in current.invitees if not (p.email and same_address(p.email, email))]
        speakers = [p for p in current.speakers if not names_person(p.name, names)]
        agenda = [{key: value for key, value in (("topic", i.topic), ("presenter", "" if names_person(
            i.presenter, names) else i.presenter), ("decision", i.decision)) if value} for i in current.agenda]
        return meeting_data(current, agenda=agenda,
                            invitees=[{k: getattr(p, k) for k in ("name", "organisation", "email") if getattr(p, k)}
                                      for p in invitees],
                            speakers=[{k: getattr(p, k) for k in ("name", "organisation", "topic") if getattr(p, k)}
                                      for p in speakers])

    return _saved(instance, lambda: save_record(instance, records, slug, without_person, author, ERASE_MESSAGE,
                                                create=False))


def _saved(instance: Instance, save: Callable[[], object]) -> str:
    """The revision a save made under the writer lock (the caller holds it), "" when nothing changed."""
    before = instance.head()
    save()
    after = instance.head()
    return after if after != before else ""


def _revision(revision: str) -> str:
    return f" (revision {revision[:10]})" if revision else " (already gone: nothing to save)"


def _move_up(instance: Instance, meetings: list[str], invitations: Invitations | None) -> list[str]:
    """The seats the person left go to the waiting lists now, under the writer lock the caller holds — not to
    whoever says yes next."""
    if not meetings:
        return []
    if invitations is None:  # no mail wiring given: the same operation with no mail server
        from toolkit.network.invitations import invitations_for
        from toolkit.network.notifying import notifications_for

        accounts = Accounts(instance.home)
        invitations = invitations_for(notifications_for(Settings(home=instance.home), instance, accounts), instance,
                                      accounts)
    lines = []
    for slug in meetings:
        if moved := invitations.move_up(slug):
            lines.append(f"meeting {slug}: {len(moved)} moved up from the waiting list to the freed seat(s)"
                         + ("" if invitations.outbox.server else " (not mailed: no mail server)"))
    return lines


def _kept(found: PersonData) -> list[str]:
    kept = [f"account {user}: not removed here; remove it with `netkit user remove {user}`" for user in found.users]
    kept += [f"{p.where}: {p.what} — not changed (a required field, or free text: edit it in the meeting form)"
             for p in found.section("meetings") if not p.erasable]
    kept += [f"{p.where}: {p.what} — not changed (the approval is the record)"
             for p in found.section("minutes") if not p.erasable]
    for section, why in (("comments", "kept with the text they discuss"),
                         ("groups", "membership goes with the account (the group's page, or `netkit user remove`)"),
                         ("proposals", "kept as the network's record; edit the proposal to change it"),
                         ("materials", "authorship is part of the material; edit the material to change it")):
        if places := found.section(section):
            kept.append(f"{section}: {len(places)} place(s) not changed — {why}")
    kept += [f"{p.where}: not changed — it has problems and was not read; fix it and erase again"
             for p in found.section("unread")]
    kept.append("history: not rewritten — past revisions of the library still hold what was erased here")
    return kept
