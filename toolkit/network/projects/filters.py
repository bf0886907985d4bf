"""Filtering and counting projects by phase, clinical area, owner and regulatory status: `ProjectFilters` and
`facet_counts` serve the browse page, the CLI and the exports alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.network.projects.model import PHASES, REGULATORY, Project
from toolkit.network.projects.organisations import Organisations

FILTERS = ("phase", "area", "owner", "regulatory")


@dataclass(frozen=True)
class ProjectFilters:
    phase: str | None = None
    area: str | None = None
    owner: str | None = None
    regulatory: str | None = None

    def match(self, project: Project) -> bool:
        return ((self.phase is None or project.phase == self.phase)
                and (self.area is None or project.clinical_area.casefold() == self.area.casefold())
                and (self.owner is None or project.owner == self.owner)
                and (self.regulatory is None or project.regulatory_status == self.regulatory))

    def chosen(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}


def filter_projects(projects: Iterable[Project], filters: ProjectFilters) -> list[Project]:
    return [p for p in projects if filters.match(p)]


def areas(projects: Iterable[Project]) -> list[str]:
    """The clinical areas in use, alphabetically (one spelling per area, ignoring case)."""
    seen: dict[str, str] = {}
    for project in projects:
        if project.clinical_area:
            seen.setdefault(project.clinical_area.casefold(), project.clinical_area)
    return sorted(seen.values(), key=str.casefold)


def facet_values(projects: list[Project], organisations: Organisations) -> dict[str, list[str]]:
    """Every value each filter can take, in the order the pages show them."""
    return {"phase": list(PHASES), "area": areas(projects),
            "owner": organisations.ids() + sorted({p.owner for p in projects} - set(organisations.ids())),
            "regulatory": list(REGULATORY)}


def facet_counts(projects: list[Project], filters: ProjectFilters, organisations: Organisations
                 ) -> dict[str, list[tuple[str, int]]]:
    """Per filter, how many projects each value would leave when added to the other filters (values with none
    left out), like the materials' browse page."""
    counts: dict[str, list[tuple[str, int]]] = {}
    for name, values in facet_values(projects, organisations).items():
        pool = filter_projects(projects, ProjectFilters(**{**filters.chosen(), name: None}))
        tally = Counter(_facet_key(name, _facet_value(p, name)) for p in pool)  # one pass, not one per value
        counts[name] = [(value, tally[_facet_key(name, value)]) for value in values
                        if tally[_facet_key(name, value)]]
    return counts


def _facet_value(project: Project, name: str) -> str:
    return {"phase": project.phase, "area": project.clinical_area, "owner": project.owner,
            "regulatory": project.regulatory_status}[name]


def _facet_key(name: str, value: str) -> str:
    return value.casefold() if name == "area" else value  # areas match ignoring case, as ProjectFilters does


def check_filter(name: str, value: str | None, projects: list[Project], organisations: Organisations) -> str | None:
    """A filter value as given when it is one of the known ones (an area matched ignoring case), else None."""
    if value is None or value == "":
        return None
    known = facet_values(projects, organisations)[name]
    if name == "area":
        return next((area for area in known if area.casefold() == value.casefold()), None)
    return value if value in known else None
