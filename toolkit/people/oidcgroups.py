"""Which provider groups give which role and working groups: `<home>/oidc-groups.yaml`, e.g.

    groups:
      "3f2a…-entra-object-id": {role: member, groups: [dataadgang]}
      "netkit-facilitators": {role: facilitator}

Read again whenever the file changes; checked whole (an unknown role or working group is an error naming the file,
the line and the key); YAML anchors and aliases are refused (toolkit/yamlfile.py). At every sign-in the values of
the configured claim are looked up: the role is the highest one mapped, the working groups are the union. A person
none of whose groups is mapped gets no account.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import Invalid, Problem
from toolkit.people.accounts import GROUP, ROLES, _unknown_group
from toolkit.yamlfile import LineDict, line_of, load_yaml

MAPPING_FILE = "oidc-groups.yaml"
MAX_ENTRIES = 1000
KEY_MAX = 200  # provider group ids: Entra object ids are 36 characters, names a little longer


@dataclass(frozen=True)
class Rule:
    role: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Access:
    """What a sign-in gets: replaces the account's role and working groups."""

    role: str
    groups: tuple[str, ...]


class GroupMapping:
    """The instance's oidc-groups.yaml, cached by its modification time and size (and the groups it was checked
    against)."""

    def __init__(self, home: Path):
        self.path = Path(home) / MAPPING_FILE
        self._lock = threading.Lock()
        self._cached: tuple[tuple, dict[str, Rule]] | None = None

    def rules(self, known_groups: Collection[str]) -> dict[str, Rule]:
        """The mapping, checked against the network's working groups. A missing file maps nothing."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size, frozenset(known_groups))
        with self._lock:
            if self._cached is not None and self._cached[0] == stamp:
                return self._cached[1]
        rules = parse(load_yaml(self.path, MAPPING_FILE), known_groups)
        with self._lock:
            self._cached = (stamp, rules)
        return rules

    def access(self, claim: Any, known_groups: Collection[str]) -> Access | None:
        """What the claim's values (a string or a list of strings) give; None when none of them is mapped."""
        return resolve(self.rules(known_groups), claim_values(claim))


def claim_values(claim: Any) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list):
        return [value for value in claim if isinstance(value, str)]
    return []


def resolve(rules: dict[str, Rule], values: Iterable[str]) -> Access | None:
    matched = [rules[value] for value in values if value in rules]
    if not matched:
        return None
    role = max((rule.role for rule in matched), key=ROLES.index)
    return Access(role, tuple(sorted({group for rule in matched for group in rule.groups})))


def parse(data: Any, known_groups: Collection[str]) -> dict[str, Rule]:
    """The rules of a parsed mapping file, or Invalid with every problem (file, line, key)."""
    if not isinstance(data, dict) or set(data) != {"groups"} or not isinstance(data["groups"], dict):
        raise Invalid(f"{MAPPING_FILE} must have one key, groups:, a mapping of provider group ids",
                      [Problem.at(MAPPING_FILE, "write groups: and under it \"<provider group id>\": {role: member, "
                                                "groups: [<working group>]}", line=line_of(data))])
    entries: LineDict = data["groups"]
    problems: list[Problem] = []
    if len(entries) > MAX_ENTRIES:
        problems.append(Problem.at(MAPPING_FILE, f"at most {MAX_ENTRIES} provider groups", line=line_of(entries)))
    rules: dict[str, Rule] = {}
    for key, value in entries.items():
        where = {"line": line_of(entries, str(key)), "field": str(key)[:KEY_MAX]}
        if not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX:
            problems.append(Problem.at(MAPPING_FILE, f"a provider group id is a text of 1–{KEY_MAX} characters "
                                                     "(put it in quotes)", **where))
            continue
        if not isinstance(value, dict) or not set(value) <= {"role", "groups"} or not value:
            problems.append(Problem.at(MAPPING_FILE, "give role: and/or groups: (e.g. {role: member, groups: "
                                                     "[dataadgang]})", **where))
            continue
        role = value.get("role", "member")
        if role not in ROLES:
            problems.append(Problem.at(MAPPING_FILE, f"'{str(role)[:40]}' is not a role; roles: {', '.join(ROLES)}",
                                       **where))
        groups = value.get("groups", [])
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            problems.append(Problem.at(MAPPING_FILE, "groups: is a list of working-group ids", **where))
            continue
        for group in groups:
            if not GROUP.match(group):
                problems.append(Problem.at(MAPPING_FILE, f"'{group[:60]}' is not a working-group id (lowercase, "
                                                         "digits, hyphens)", **where))
            elif group not in known_groups:
                problems.append(Problem.at(MAPPING_FILE, _unknown_group(group, known_groups), **where))
        rules[key] = Rule(str(role), tuple(sorted(set(groups))))
    if problems:
        raise Invalid(f"{MAPPING_FILE} has {len(problems)} problem(s)", problems)
    return rules
