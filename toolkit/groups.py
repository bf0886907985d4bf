"""Working groups as they stand today: who is in each (from the accounts) and which materials it writes
(from the materials' `working_group`). Facilitators change membership; membership is what lets a member
edit a group's materials (toolkit.permissions)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.accounts import Accounts
from toolkit.library import Library
from toolkit.materials import Material


@dataclass(frozen=True)
class WorkingGroup:
    name: str
    members: tuple[str, ...]
    materials: tuple[Material, ...]


def working_groups(accounts: Accounts, library: Library) -> list[WorkingGroup]:
    """Every group that has a member or a material, by name."""
    members: dict[str, list[str]] = {}
    for user in accounts.users():
        for group in user.groups:
            members.setdefault(group, []).append(user.name)
    materials: dict[str, list[Material]] = {}
    for material in library.materials():
        if material.working_group:
            materials.setdefault(material.working_group, []).append(material)
    return [WorkingGroup(name, tuple(sorted(members.get(name, []))), tuple(materials.get(name, [])))
            for name in sorted(set(members) | set(materials))]

