"""The overview's figures as charts: each a scene (shapes and texts), a title, a description for screen readers,
and a table with the same numbers. The words come from the caller (`Words`, words.py), so the core stays free
of Flask and the web gives them in the reader's language. The timeline and the map have modules of their own.
"""

from __future__ import annotations

from toolkit.network.overview.figures import Count, Figures
from toolkit.network.overview.map import map_chart
from toolkit.network.overview.scene import (
    BLUE,
    GREY,
    MUTED,
    WIDTH,
    Chart,
    Line,
    Rect,
    Shape,
    Table,
    Text,
    shorten,
    text_width,
)
from toolkit.network.overview.timeline import timeline
from toolkit.network.overview.words import Words, fill

ROW = 30  # one bar's row
TOP_ROWS = 15  # longer lists end in one "others" row, in the chart and the table alike


def charts(figures: Figures, words: Words | None = None) -> list[Chart]:
    """Every chart of the overview, in the page's order."""
    words = words or Words()
    return [funnel(figures, words), bars("omraader", words.areas_title, words.area, figures.areas, words),
            bars("organisationer", words.owners_title, words.organisation, figures.owners, words),
            scope(figures, words), timeline(figures, words), map_chart(figures, words)]


def _listing(counts: tuple[Count, ...] | list[Count]) -> str:
    return ", ".join(f"{c.label} {c.count}" for c in counts)


# -- the funnel ------------------------------------------------------------------------------------------------------


def funnel(figures: Figures, words: Words) -> Chart:
    """The phases from idea to operation as centred bars, narrowing as projects move on; stopped ones apart."""
    label_room = 170
    room = WIDTH - label_room - 60  # leaves space for the number after the widest bar
    centre = label_room + room / 2
    most = max([c.count for c in figures.funnel] + [figures.stopped.count, 1])
    shapes: list[Shape] = []
    y = 10
    for count in figures.funnel:
        shapes.extend(_funnel_row(count, y, centre, room, most, BLUE))
        y += ROW + 6
    y += 10
    shapes.append(Line(0, y, WIDTH, y, MUTED, 1))
    shapes.append(Text(0, y + 20, words.stopped_apart, 12, fill=MUTED))
    y += 28
    shapes.extend(_funnel_row(figures.stopped, y, centre, room, most, GREY))
    y += ROW + 10
    rows = tuple((c.label, c.count) for c in (*figures.funnel, figures.stopped))
    desc = fill(words.funnel_desc, funnel=_listing(figures.funnel), stopped=figures.stopped.count,
                 total=figures.total)
    table = Table((words.phase, words.projects), rows, tuple(c.key for c in (*figures.funnel, figures.stopped)))
    return Chart("faser", words.funnel_title, desc, WIDTH, y, table, tuple(shapes))


def _funnel_row(count: Count, y: float, centre: float, room: float, most: int, colour: str) -> list[Shape]:
    width = room * count.count / most
    shapes: list[Shape] = [Text(0, y + ROW / 2 + 5, shorten(count.label, 13, 165), 13)]
    if count.count:
        shapes.append(Rect(centre - width / 2, y, width, ROW, colour))
    shapes.append(Text(centre + width / 2 + 6, y + ROW / 2 + 5, str(count.count), 13, bold=True))
    return shapes


# -- horizontal bars -------------------------------------------------------------------------------------------------


def _top(counts: tuple[Count, ...], others: str) -> list[Count]:
    """The first TOP_ROWS counts, the rest summed in one row that says how many it holds."""
    if len(counts) <= TOP_ROWS:
        return list(counts)
    rest = counts[TOP_ROWS - 1:]
    return [*counts[:TOP_ROWS - 1], Count("", fill(others, n=len(rest)), sum(c.count for c in rest))]


def bars(chart_id: str, title: str, heading: str, counts: tuple[Count, ...], words: Words,
         total: int | None = None) -> Chart:
    """Horizontal bars, most first, each with its label and number (and share of `total` when given)."""
    shown = _top(counts, words.others)
    label_room = min(230, max([text_width(c.label, 13) for c in shown] + [60]) + 10)
    number_room = 90 if total else 50
    room = WIDTH - label_room - number_room
    most = max([c.count for c in shown] + [1])
    shapes: list[Shape] = []
    y = 8
    for count in shown:
        width = room * count.count / most
        shapes.append(Text(0, y + ROW / 2 + 4, shorten(count.label, 13, label_room - 10), 13))
        if count.count:
            shapes.append(Rect(label_room, y + 3, width, ROW - 6, BLUE))
        shapes.append(Text(label_room + width + 6, y + ROW / 2 + 4, _amount(count.count, total), 13, bold=True))
        y += ROW
    if not shown:
        shapes.append(Text(0, y + 16, words.empty, 13, fill=MUTED))
        y += ROW
    shapes.append(Line(label_room, 4, label_room, y, MUTED, 1))  # the bars' common base line
    headings = (heading, words.projects) + ((words.share,) if total else ())
    rows = tuple((c.label, c.count) + ((_share(c.count, total),) if total else ()) for c in shown)
    desc = fill(words.bars_desc, items=_listing(shown) or words.empty)
    return Chart(chart_id, title, desc, WIDTH, int(y + 8), Table(headings, rows, tuple(c.key for c in shown)),
                 tuple(shapes))


def scope(figures: Figures, words: Words) -> Chart:
    return bars("regionalt-nationalt", words.scope_title, words.scope, figures.scope, words, total=figures.total)


def _share(count: int, total: int | None) -> str:
    return f"{round(100 * count / total)} %" if total else "–"


def _amount(count: int, total: int | None) -> str:
    return f"{count} ({_share(count, total)})" if total else str(count)
