"""The overview's numbers from the registry: pure data, the same for the page, the charts, the tables and the
benchmark. Labels are resolved here in the reader's language so the charts need nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.network.projects.model import PHASES, Project, label
from toolkit.network.projects.organisations import Organisations

# The funnel runs from an idea to a tool in daily use; a stopped project left it and is shown apart.
FUNNEL = ("idea", "research", "quality-development", "operations-test", "in-operation")
STOPPED = "stopped"
NO_AREA = {"da": "Intet klinisk område angivet", "en": "No clinical area given"}


@dataclass(frozen=True)
class Count:
    key: str  # the id (phase, organisation, year) or the text (clinical area)
    label: str
    count: int


@dataclass(frozen=True)
class Year:
    year: int
    started: int
    ended: int
    running: int  # projects under way at some time in the year (started by its end, not ended before it)


@dataclass(frozen=True)
class Place:
    id: str
    label: str
    lat: float
    lon: float
    count: int
    regional: bool


@dataclass(frozen=True)
class Figures:
    total: int
    funnel: tuple[Count, ...]  # every phase of FUNNEL, in order, also those with none
    stopped: Count
    areas: tuple[Count, ...]  # most projects first
    owners: tuple[Count, ...]  # most projects first; organisations without projects left out
    scope: tuple[Count, ...]  # regional, national
    years: tuple[Year, ...]  # every year from the first start to the last start or end, none skipped
    undated: int  # projects without a start date (not on the timeline)
    places: tuple[Place, ...]  # every located organisation, also those without projects (count 0)


def figures(projects: Iterable[Project], organisations: Organisations, lang: str = "da") -> Figures:
    """Count the projects for the overview, with labels in `lang` ("da" or "en")."""
    projects = list(projects)
    phases = Counter(p.phase for p in projects)
    funnel = tuple(Count(phase, label(PHASES, phase, lang), phases[phase]) for phase in FUNNEL)
    stopped = Count(STOPPED, label(PHASES, STOPPED, lang), phases[STOPPED])

    spelled: dict[str, str] = {}  # one spelling per area, ignoring case, as the browse page's filter does
    areas: Counter[str] = Counter()
    for project in projects:
        key = project.clinical_area.strip().casefold()
        spelled.setdefault(key, project.clinical_area.strip() or NO_AREA.get(lang, NO_AREA["da"]))
        areas[key] += 1
    owners = Counter(p.owner for p in projects)
    regional = sum(1 for p in projects if _regional(p.owner, organisations))
    return Figures(
        total=len(projects), funnel=funnel, stopped=stopped,
        areas=_ranked((key, spelled[key], n) for key, n in areas.items()),
        owners=_ranked((owner, organisations.label(owner, lang), n) for owner, n in owners.items()),
        scope=(Count("regional", "Region Midtjylland" if lang == "da" else "Central Denmark Region", regional),
               Count("national", "Resten af landet" if lang == "da" else "Rest of the country",
                     len(projects) - regional)),
        years=_years(projects), undated=sum(1 for p in projects if p.start is None),
        places=tuple(Place(o.id, o.label(lang), o.lat, o.lon, owners[o.id], o.regional)  # type: ignore[arg-type]
                     for o in organisations.located()))


def _regional(owner: str, organisations: Organisations) -> bool:
    entry = organisations.entries.get(owner)
    return bool(entry and entry.regional)


def _ranked(items: Iterable[tuple[str, str, int]]) -> tuple[Count, ...]:
    return tuple(Count(key, text, n) for key, text, n in sorted(items, key=lambda i: (-i[2], i[1].casefold())))


def _years(projects: list[Project]) -> tuple[Year, ...]:
    starts = Counter(p.start.year for p in projects if p.start)
    ends = Counter(p.end.year for p in projects if p.end)
    if not starts:
        return ()
    first, last = min([*starts, *ends]), max([*starts, *ends])
    spans = [(p.start.year, p.end.year if p.end else None) for p in projects if p.start]
    return tuple(Year(year, starts[year], ends[year],
                      sum(1 for s, e in spans if s <= year and (e is None or e >= year)))
                 for year in range(first, last + 1))
