"""Working groups as records of the library (`library/groups/<id>.yaml`): name, mandate, members with roles,
the meeting that formed the group, status (active, closed), and — from the materials' `working_group` — the
materials it writes.

Membership is what lets a member edit a group's materials: `memberships` gives the groups a user is in (the
records of active groups, plus any group set on the account itself with `netkit user add --group`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from toolkit.errors import Problem
from toolkit.history.gitstore import Author
from toolkit.history.records import RecordKind, Records, line, save_record
from toolkit.library.folder import Library
from toolkit.library.materials import SLUG_RE, Material
from toolkit.people.accounts import Accounts

STATUSES = ("active", "closed")
ROLES = ("formand", "medlem", "sekretær", "facilitator")
FIELDS = ("name", "mandate", "members", "formed_at", "status", "created")


@dataclass(frozen=True)
class Member:
    user: str
    role: str = "medlem"


@dataclass(frozen=True)
class GroupRecord:
    slug: str
    name: str
    mandate: str
    members: tuple[Member, ...]
    status: str
    created: dt.date | None = None
    formed_at: str | None = None  # the meeting (slug) that formed the group

    def has_member(self, user: str) -> bool:
        return any(m.user == user for m in self.members)


@dataclass(frozen=True)
class WorkingGroup:
    """A group as the pages show it: its record (if any), members and materials."""

    name: str  # the id
    members: tuple[str, ...]
    materials: tuple[Material, ...]
    record: GroupRecord | None = None

    @property
    def title(self) -> str:
        return self.record.name if self.record else self.name


def parse_group(slug: str, data: Any, where: str, others: dict[str, GroupRecord]) -> tuple[GroupRecord | None,
                                                                                           list[Problem]]:
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem.at(where, message, line=line(data, field), field=field))

    if not isinstance(data, dict):
        return None, [Problem.at(where, "a working group is a mapping of fields: name, mandate, members, status")]
    for key in data:
        if key not in FIELDS:
            problem(str(key), f"unknown field; allowed: {', '.join(FIELDS)}")
    name = data.get("name")
    if not isinstance(name, str) or not 3 <= len(name.strip()) <= 120:
        problem("name", "write the group's name (3–120 characters)")
        name = str(name or slug)
    mandate = data.get("mandate") or ""
    if not isinstance(mandate, str):
        problem("mandate", "the mandate is text (Markdown)")
        mandate = ""
    status = data.get("status", "active")
    if status not in STATUSES:
        problem("status", f"'{status}' is not a status; use {' or '.join(STATUSES)}")
    members = []
    raw_members = data.get("members") or []
    if not isinstance(raw_members, list):
        problem("members", "members is a list of {user: name, role: medlem}")
        raw_members = []
    for index, entry in enumerate(raw_members):
        if isinstance(entry, str):
            entry = {"user": entry}
        user = entry.get("user") if isinstance(entry, dict) else None
        role = entry.get("role", "medlem") if isinstance(entry, dict) else None
        if not isinstance(user, str) or not user.strip():
            problem("members", f"member {index + 1}: give the user name (user: …)")
        elif role not in ROLES:
            problem("members", f"member {index + 1}: role '{role}' is not one of {', '.join(ROLES)}")
        elif any(m.user == user for m in members):
            problem("members", f"member {index + 1}: {user} is listed twice")
        else:
            members.append(Member(user.strip(), role))
    formed_at = data.get("formed_at")
    if formed_at is not None and (not isinstance(formed_at, str) or not SLUG_RE.match(formed_at)):
        problem("formed_at", "the meeting that formed the group: its slug, e.g. 2027-02-04-dataadgang")
    created = data.get("created")
    if isinstance(created, str):
        try:
            created = dt.date.fromisoformat(created)
        except ValueError:
            problem("created", f"'{created}' is not a date; write YYYY-MM-DD")
            created = None
    for other in others.values():
        if other.name.casefold() == str(name).strip().casefold():
            problem("name", f"another group has this name: library/groups/{other.slug}.yaml")
    if problems:
        return None, problems
    return GroupRecord(slug, name.strip(), mandate.strip(), tuple(members), status,
                       created if isinstance(created, dt.date) else None, formed_at), []


GROUP = RecordKind(folder="groups", noun="working group", parse=parse_group)


def memberships(records: Records[GroupRecord], user: str) -> tuple[str, ...]:
    """The active groups a user is a member of, by their records."""
    return tuple(sorted(g.slug for g in records.all() if g.status == "active" and g.has_member(user)))


def names_with_rights(records: Records[GroupRecord] | None, projects: Iterable[Any]) -> set[str]:
    """User names the records give rights to — working-group members and the creators of projects — whether or
    not an account holds them now (someone removed, or not signed in yet): a new account must not take one."""
    members = {member.user for group in records.all() for member in group.members} if records is not None else set()
    return members | {project.created_by for project in projects if project.created_by}


def group_ids(library: Library, records: Records[GroupRecord] | None) -> set[str]:
    """The working groups that exist: those with a record or with materials (an account's group list alone does
    not make a group: that is how a mistyped `--group` used to create a phantom one)."""
    ids = {g.slug for g in records.all()} if records is not None else set()
    return ids | {m.working_group for m in library.materials() if m.working_group}


def working_groups(accounts: Accounts, library: Library, records: Records[GroupRecord] | None = None
                   ) -> list[WorkingGroup]:
    """Every group that has a record, a member or a material, by id."""
    members: dict[str, set[str]] = {}
    for user in accounts.users():
        for group in user.groups:
            members.setdefault(group, set()).add(user.name)
    by_slug = {g.slug: g for g in records.all()} if records is not None else {}
    for record in by_slug.values():
        members.setdefault(record.slug, set()).update(m.user for m in record.members)
    materials: dict[str, list[Material]] = {}
    for material in library.materials():
        if material.working_group:
            materials.setdefault(material.working_group, []).append(material)
    return [WorkingGroup(name, tuple(sorted(members.get(name, set()))), tuple(materials.get(name, [])),
                         by_slug.get(name))
            for name in sorted(set(members) | set(materials) | set(by_slug))]


def group_data(record: GroupRecord, **changes: Any) -> dict[str, Any]:
    """A record as data to save, with some fields changed (for save_record)."""
    data: dict[str, Any] = {"name": record.name, "status": record.status}
    if record.mandate:
        data["mandate"] = record.mandate
    data["members"] = [{"user": m.user, "role": m.role} for m in record.members]
    if record.formed_at:
        data["formed_at"] = record.formed_at
    if record.created:
        data["created"] = record.created.isoformat()
    data.update(changes)
    return data


# -- changes, each one revision of the group's record ------------------------------------------------------------


def create_group(instance, records: Records[GroupRecord], slug: str, name: str, author: Author, *,
                 mandate: str = "", formed_at: str = "") -> GroupRecord:
    data: dict[str, Any] = {"name": name, "status": "active", "mandate": mandate, "members": []}
    if formed_at:
        data["formed_at"] = formed_at
    return save_record(instance, records, slug, data, author, f"New working group {slug}", create=True)


def join_group(instance, records: Records[GroupRecord], group: str, user: str, author: Author, *,
               role: str = "medlem") -> None:
    """Add a member (or change their role); a group known only from accounts or materials gets its record."""
    member = {"user": user, "role": role or "medlem"}

    def joined(record: GroupRecord | None) -> dict[str, Any]:
        members = [m for m in group_data(record)["members"] if m["user"] != user] + [member]
        return group_data(record, members=members)

    with instance.writing():  # whether the record exists is decided with the lock held, like the change itself
        records.invalidate()
        if group not in records:
            save_record(instance, records, group, {"name": group, "status": "active", "members": [member]}, author,
                        f"{group}: {user} joins", create=True)
            return
        save_record(instance, records, group, joined, author, f"{group}: {user} joins", create=False)


def leave_group(instance, records: Records[GroupRecord], accounts: Accounts, group: str, user: str,
                author: Author) -> None:
    """Take a member out of the group's record, and out of the group set on their account, if it is."""

    def left(record: GroupRecord | None) -> dict[str, Any]:
        return group_data(record, members=[m for m in group_data(record)["members"] if m["user"] != user])

    with instance.writing():
        records.invalidate()
        if group in records:
            save_record(instance, records, group, left, author, f"{group}: {user} leaves", create=False)
    if group in accounts.get(user).groups:  # membership set with `netkit user add --group`
        accounts.change_groups(user, leave=group)


def set_group_status(instance, records: Records[GroupRecord], group: str, status: str, author: Author) -> None:
    save_record(instance, records, group, lambda record: group_data(record, status=status), author,
                f"{group}: {status}", create=False)
