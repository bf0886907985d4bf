"""The timeline chart: per year the projects started (filled bars), ended (hollow bars) and under way (dots on a
line), so the two bar series differ by fill as well as colour.
"""

from __future__ import annotations

import itertools

from toolkit.network.overview.figures import Figures
from toolkit.network.overview.scene import (
    BLUE,
    INK,
    MUTED,
    ORANGE,
    WHITE,
    WIDTH,
    Chart,
    Circle,
    Line,
    Rect,
    Shape,
    Table,
    Text,
    legend_box,
    legend_dot,
    nice_step,
)
from toolkit.network.overview.words import Words, fill

HEIGHT = 300
LEFT, TOP, BOTTOM = 40, 40, 30  # room for the scale, the legend and the years


def timeline(figures: Figures, words: Words) -> Chart:
    years = figures.years
    rows = tuple((str(y.year), y.started, y.ended, y.running) for y in years)
    table = Table((words.year, words.started, words.ended, words.running), rows)
    shapes: list[Shape] = [*legend_box(LEFT, 16, BLUE, None, words.started),
                           *legend_box(LEFT + 120, 16, WHITE, ORANGE, words.ended),
                           *legend_dot(LEFT + 250, 16, words.running)]
    if not years:
        shapes.append(Text(LEFT, TOP + 30, words.empty, 13, fill=MUTED))
        return Chart("tidslinje", words.timeline_title, words.empty, WIDTH, TOP + 60, table, tuple(shapes))
    most = max(max(y.started, y.ended, y.running) for y in years)
    step = nice_step(most)
    top_value = step * -(-most // step)  # the first grid line at or above the largest number
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h

    def at(value: int) -> float:
        return base - plot_h * value / top_value

    for value in range(0, top_value + 1, step):
        shapes.append(Line(LEFT, at(value), WIDTH, at(value), "#d0d0d0" if value else MUTED, 1))
        shapes.append(Text(LEFT - 6, at(value) + 4, str(value), 11, anchor="end", fill=MUTED))
    slot = (WIDTH - LEFT) / len(years)
    bar = max(2.0, min(18.0, slot * 0.3))
    label_every = max(1, round(36 / slot))  # a year label needs about 36 px
    points: list[tuple[float, float]] = []
    for index, year in enumerate(years):
        middle = LEFT + slot * (index + 0.5)
        if year.started:
            shapes.append(Rect(middle - bar - 1, at(year.started), bar, base - at(year.started), BLUE))
        if year.ended:
            shapes.append(Rect(middle + 1, at(year.ended), bar, base - at(year.ended), WHITE, ORANGE, 2))
        points.append((middle, at(year.running)))
        if index % label_every == 0:
            shapes.append(Text(middle, base + 18, str(year.year), 11, anchor="middle", fill=INK))
    shapes.extend(Line(x1, y1, x2, y2, INK, 1.5) for (x1, y1), (x2, y2) in itertools.pairwise(points))
    shapes.extend(Circle(x, y, 4, INK, WHITE, 1) for x, y in points)
    peak = max(years, key=lambda y: y.running)
    desc = fill(words.timeline_desc, first=years[0].year, last=years[-1].year, peak=peak.running,
                peak_year=peak.year)
    if figures.undated:
        desc += " " + fill(words.undated, n=figures.undated)
    return Chart("tidslinje", words.timeline_title, desc, WIDTH, HEIGHT, table, tuple(shapes))
