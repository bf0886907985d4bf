"""How fresh the content is: the expert review of each material (front-matter `reviewed` and `review_by`,
months as YYYY-MM) and the "tjekket <måned> <år>" markers on time-sensitive sentences.

The core decides what is due or stale; `netkit check` prints it as warnings (never failures) and the
facilitators' page `/gennemgang` lists it. Retired materials are left out: they are no longer maintained.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from toolkit.errors import Problem
from toolkit.library.folder import Library
from toolkit.library.materials import Material

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")
STALE_AFTER_MONTHS = 6  # a "tjekket" marker older than this is listed
DUE_AHEAD_MONTHS = 1  # the facilitators' list also shows reviews due within this many months

# "tjekket november 2026", "Tjekket i december 2026" and the odd "da vi tjekkede i november 2026".
# Between the words of a marker: spaces, or a line break followed by indentation or a block quote's ">"
# ("… er tjekket i\n> november 2026"), so a marker wrapped across lines is still found.
_GAP = r"(?:[ \t]*\n[ \t>]*|[ \t]+)"
MARKER_RE = re.compile(rf"\btjekke(?:t|de){_GAP}(?:i{_GAP})?({'|'.join(DANISH_MONTHS)}){_GAP}(\d{{4}})\b",
                       re.IGNORECASE)

ReviewState = Literal["overdue", "due", "unscheduled"]
Materials = Library | Iterable[Material]


@dataclass(frozen=True)
class Review:
    """A material's review months as the page shows them: `overdue` once the month of review_by has passed."""

    reviewed: str | None
    review_by: str | None
    overdue: bool


@dataclass(frozen=True)
class DueReview:
    """A material on the facilitators' list: its review is overdue, due within a month, or not scheduled."""

    material: Material = field(repr=False)
    state: ReviewState
    missing: tuple[str, ...]  # the review fields the material lacks ("reviewed", "review_by")

    @property
    def reviewed(self) -> str | None:
        return self.material.reviewed

    @property
    def review_by(self) -> str | None:
        return self.material.review_by


@dataclass(frozen=True)
class Marker:
    """One "tjekket <måned> <år>" marker: where it is, what it says, and the month it names."""

    material: Material = field(repr=False)
    line: int  # the file line the marker starts on
    text: str  # the marker as written, on one line: "tjekket i november 2026"
    month: str  # YYYY-MM
    context: str  # the marker with the text around it, on one line
    age_months: int  # whole months from the marker's month to today's

    @property
    def path(self) -> str:
        return self.material.path


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(earlier: str, later: str) -> int:
    """Whole months from one YYYY-MM to another (negative when `later` is earlier)."""
    return _month_number(later) - _month_number(earlier)


def review_of(material: Material, today: dt.date) -> Review | None:
    """The review line of a material's page; None when it has neither field. A retired material is never
    overdue: it is no longer maintained."""
    if material.reviewed is None and material.review_by is None:
        return None
    overdue = (material.review_by is not None and material.status != "retired"
               and material.review_by < month_of(today))
    return Review(material.reviewed, material.review_by, overdue)


def due(materials: Materials, today: dt.date, *, ahead: int = DUE_AHEAD_MONTHS) -> list[DueReview]:
    """Materials whose review_by has passed or falls within `ahead` months, and those without a review month:
    overdue first (the longest overdue first), then due, then unscheduled, each by title."""
    this_month = month_of(today)
    found = []
    for material in _maintained(materials):
        missing = _missing_fields(material)
        if material.review_by is None:
            found.append(DueReview(material, "unscheduled", missing))
        elif material.review_by < this_month:
            found.append(DueReview(material, "overdue", missing))
        elif months_between(this_month, material.review_by) <= ahead:
            found.append(DueReview(material, "due", missing))
    order = {"overdue": 0, "due": 1, "unscheduled": 2}
    return sorted(found, key=lambda d: (order[d.state], d.review_by or "", d.material.title.casefold()))


def markers_in(material: Material, today: dt.date) -> list[Marker]:
    """Every "tjekket <måned> <år>" marker of the material's text, with its file line and age."""
    body = material.body
    found = []
    for match in MARKER_RE.finditer(body):
        month = f"{int(match[2]):04d}-{DANISH_MONTHS.index(match[1].lower()) + 1:02d}"
        found.append(Marker(material, material.body_line + body.count("\n", 0, match.start()),
                            " ".join(match[0].replace(">", " ").split()), month, _context(body, match),
                            months_between(month, month_of(today))))
    return found


def stale_markers(materials: Materials, today: dt.date, *, months: int = STALE_AFTER_MONTHS) -> list[Marker]:
    """The markers older than `months` whole months, by file and line (one per line and wording)."""
    stale: dict[tuple[str, int, str], Marker] = {}
    for material in sorted(_maintained(materials), key=lambda m: m.path):
        for marker in markers_in(material, today):
            if marker.age_months > months:
                stale.setdefault((marker.path, marker.line, marker.text.casefold()), marker)
    return list(stale.values())


def check_warnings(materials: Materials, today: dt.date) -> list[Problem]:
    """What `netkit check` warns about (never a failure): a passed review_by, missing review fields, and
    "tjekket" markers older than six months — each pointing at the line to change."""
    found: list[Problem] = []
    maintained = _maintained(materials)
    for material in maintained:
        review = review_of(material, today)
        if review is not None and review.overdue:
            found.append(Problem.at(material.path, f"the review was due {material.review_by}; have the content "
                                    "reviewed by an expert, then set reviewed to that month and review_by to the "
                                    "next", line=material.line_of("review_by"), field="review_by"))
        if missing := _missing_fields(material):
            found.append(Problem.at(material.path, f"no {' or '.join(missing)}; add reviewed (the month of the "
                                    "last expert review, YYYY-MM) and review_by (when the next is due)",
                                    line=material.body_line - 1, field=missing[0]))
    for marker in stale_markers(maintained, today):
        found.append(Problem.at(marker.path, f"'{marker.text}' is {marker.age_months} months old (more than "
                                f"{STALE_AFTER_MONTHS}); check the statement again and update the month",
                                line=marker.line, field="tjekket"))
    return sorted(found, key=lambda p: (p.path, p.line or 0))


def _maintained(materials: Materials) -> list[Material]:
    items = materials.materials() if isinstance(materials, Library) else materials
    return [m for m in items if m.status != "retired"]


def _missing_fields(material: Material) -> tuple[str, ...]:
    return tuple(name for name in ("reviewed", "review_by") if getattr(material, name) is None)


def _context(body: str, match: re.Match[str], before: int = 90, after: int = 50) -> str:
    """The marker with some of its text around it, from the line it starts on to the end of the line it ends
    on (table rows can be long, so both sides are cut), on one line and without block-quote signs."""
    line_start = body.rfind("\n", 0, match.start()) + 1
    line_end = body.find("\n", match.end())
    line_end = len(body) if line_end == -1 else line_end
    start, end = max(line_start, match.start() - before), min(line_end, match.end() + after)
    text = re.sub(r"[ \t]*\n[ \t>]*", " ", body[start:end]).lstrip("> \t").rstrip()
    return ("…" if start > line_start else "") + text + ("…" if end < line_end else "")


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1
