"""The map chart: Denmark's outline with a dot per located organisation, its area growing with the organisation's
projects (an organisation without projects is a small hollow ring), and a label "Name (n)" beside it. Labels are
placed greedily, the busiest organisations first, at the first spot around the dot that overlaps no other label
or dot; a label moved away from its dot gets a thin leader line.
"""

from __future__ import annotations

import math

from toolkit.network.overview.denmark import OUTLINE, project, size_for
from toolkit.network.overview.figures import Figures
from toolkit.network.overview.scene import (
    BLUE,
    MUTED,
    WHITE,
    WIDTH,
    Chart,
    Circle,
    Line,
    Polygon,
    Shape,
    Table,
    Text,
    text_width,
)
from toolkit.network.overview.words import Words, fill

LABEL_SIZE = 11
SMALLEST, LARGEST = 4.0, 18.0  # a dot's radius: no projects, the most projects

Box = tuple[float, float, float, float]  # left, top, right, bottom


def map_chart(figures: Figures, words: Words) -> Chart:
    width, height = size_for(WIDTH)
    shapes: list[Shape] = [Polygon(tuple(project(lon, lat, width) for lon, lat in points))
                           for points in OUTLINE.values()]
    places = sorted(figures.places, key=lambda p: (-p.count, p.label.casefold()))
    most = max([p.count for p in places] + [1])
    dots = [(place, *project(place.lon, place.lat, width), radius(place.count, most)) for place in places]
    taken: list[Box] = [(x - r, y - r, x + r, y + r) for _place, x, y, r in dots]
    for place, x, y, r in dots:  # the biggest first: a small dot drawn later is never hidden under a big one
        shapes.append(Circle(x, y, r, BLUE if place.count else WHITE, WHITE if place.count else BLUE,
                             1 if place.count else 2))
    for place, x, y, r in dots:
        shapes.extend(_label(f"{place.label} ({place.count})", x, y, r, taken, width, height))
    rows = tuple((p.label, p.count) for p in places)
    desc = fill(words.map_desc, n=len(places), items=", ".join(f"{p.label} {p.count}" for p in places))
    return Chart("kort", words.map_title, desc, int(width), math.ceil(height),
                 Table((words.organisation, words.projects), rows), tuple(shapes))


def radius(count: int, most: int) -> float:
    """The dot's radius: its area in proportion to the projects (a ring of the smallest size for none)."""
    if count <= 0:
        return SMALLEST
    return SMALLEST + (LARGEST - SMALLEST) * math.sqrt(count / most)


def _label(text: str, x: float, y: float, r: float, taken: list[Box], width: float, height: float) -> list[Shape]:
    w, h = text_width(text, LABEL_SIZE), LABEL_SIZE + 2
    candidates = [(x + r + 3, y + 4, "start"), (x - r - 3, y + 4, "end"), (x - w / 2, y - r - 3, "start"),
                  (x - w / 2, y + r + h, "start")]
    for shift in range(1, 8):  # then further away, above and below, at both sides
        for sign in (1, -1):
            dy = sign * shift * (h + 1)
            candidates += [(x + r + 8, y + 4 + dy, "start"), (x - r - 8, y + 4 + dy, "end")]
    for index, (tx, ty, anchor) in enumerate(candidates):
        left = tx - w if anchor == "end" else tx
        box = (left, ty - LABEL_SIZE, left + w, ty + 3)
        if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height or any(_overlap(box, o) for o in taken):
            continue
        taken.append(box)
        shapes: list[Shape] = []
        if index >= 4:  # moved away from its dot: a leader line to where the label starts
            shapes.append(Line(x, y, tx, ty - 4, MUTED, 0.75))
        return [*shapes, Text(tx, ty, text, LABEL_SIZE, anchor=anchor)]
    left = min(max(0.0, x + r + 3), width - w)  # nowhere free: at the right, inside the frame
    return [Text(left, y + 4, text, LABEL_SIZE)]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
