"""A chart as a flat list of shapes and texts in pixel coordinates: the one description that svg.py and png.py
both draw, so the SVG on the page and the PNG for slides are the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Colours with at least 3:1 against white for shapes (WCAG 1.4.11) and 4.5:1 for text (1.4.3); colour is never
# the only cue: every bar carries its number and its label, and the two series of the timeline differ in fill.
INK = "#1a1a1a"  # text, 17:1
MUTED = "#595959"  # secondary text and axes, 7:1
BLUE = "#1f5f8b"  # the main series, 6.8:1
ORANGE = "#a04a00"  # the second series (an outline), 6.0:1
GREY = "#6b6b6b"  # stopped projects, 5.3:1
LAND = "#e8eef2"  # the map's land: a background, not information
COAST = "#7a8a96"  # the coastline, 3.6:1 against white (3.0:1 against the land)
WHITE = "#ffffff"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
WIDTH = 640  # every chart's width in pixels (its height follows from what it shows)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str = BLUE
    stroke: str | None = None
    stroke_width: float = 0


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str = BLUE
    stroke: str | None = WHITE
    stroke_width: float = 1


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str = LAND
    stroke: str | None = COAST
    stroke_width: float = 1


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = MUTED
    stroke_width: float = 1


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float = 13
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    fill: str = INK


Shape = Rect | Circle | Polygon | Line | Text


@dataclass(frozen=True)
class Table:
    """The chart's numbers as a table: column headings and rows of cells (text or numbers)."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    keys: tuple[str, ...] = ()  # per row, the id it counts ("" for none: an "others" row): for links to the projects


@dataclass(frozen=True)
class Chart:
    id: str  # a slug: the file name of the downloads and the prefix of the ids inside the SVG
    title: str
    desc: str  # the chart in one or two sentences, for a screen reader (the table has every number)
    width: int
    height: int
    table: Table
    shapes: tuple[Shape, ...] = field(default=())


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of a text's width in DejaVu Sans (the widest of the fonts named), for layout."""
    return len(text) * size * (0.64 if bold else 0.6)


def shorten(text: str, size: float, room: float) -> str:
    """The text cut with an ellipsis to fit `room` pixels (the table beside the chart has it whole)."""
    if text_width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * 0.6)) - 1)
    return text[:keep].rstrip() + "…"


# -- parts the timeline and the map share ----------------------------------------------------------------------------


def legend_box(x: float, y: float, fill: str, stroke: str | None, label: str) -> list[Shape]:
    return [Rect(x, y - 10, 12, 12, fill, stroke, 2 if stroke else 0), Text(x + 18, y, label, 12)]


def legend_dot(x: float, y: float, label: str) -> list[Shape]:
    return [Circle(x + 6, y - 4, 5, INK, WHITE, 1), Text(x + 18, y, label, 12)]


def nice_step(most: int) -> int:
    """A round step for 3–6 grid lines up to `most`."""
    raw = max(1, most) / 4
    power = 10 ** math.floor(math.log10(raw))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= raw)) or 1
