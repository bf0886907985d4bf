"""Partners for consortia: what the projects seek set beside what other projects offer, kind by kind.

A kind matches when one project seeks it and another offers it (a project never matches itself). Offers are the
projects' own; the organisations have no offers of their own yet (their list is a controlled vocabulary of names).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.network.projects.model import PARTNER_KINDS, Need, Project


@dataclass(frozen=True)
class Entry:
    project: Project
    need: Need


@dataclass(frozen=True)
class KindMatch:
    """One partner kind: the projects that seek it and those that offer it."""

    kind: str
    seekers: tuple[Entry, ...]
    offerers: tuple[Entry, ...]

    @property
    def matched(self) -> bool:
        """Someone seeks it and someone else offers it."""
        return any(s.project.slug != o.project.slug for s in self.seekers for o in self.offerers)

    def offers_for(self, seeker: Project) -> tuple[Entry, ...]:
        return tuple(o for o in self.offerers if o.project.slug != seeker.slug)


def partner_kinds(projects: Iterable[Project], kind: str | None = None) -> list[KindMatch]:
    """Every partner kind that some project seeks or offers (or only `kind`), in the vocabulary's order; the
    matched kinds first, so what can be brought together is at the top."""
    projects = sorted(projects, key=lambda p: (p.title.casefold(), p.slug))
    found = []
    for name in PARTNER_KINDS:
        if kind and name != kind:
            continue
        seekers = tuple(Entry(p, n) for p in projects for n in p.seeks if n.kind == name)
        offerers = tuple(Entry(p, n) for p in projects for n in p.offers if n.kind == name)
        if seekers or offerers:
            found.append(KindMatch(name, seekers, offerers))
    return sorted(found, key=lambda m: not m.matched)  # stable: the vocabulary's order within each group


def counts(projects: Iterable[Project]) -> dict[str, int]:
    """How many projects seek or offer each kind (for the filter)."""
    found = dict.fromkeys(PARTNER_KINDS, 0)
    for project in projects:
        for name in {n.kind for n in (*project.seeks, *project.offers)}:
            found[name] = found.get(name, 0) + 1
    return found
