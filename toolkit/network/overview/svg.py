"""A chart as SVG: `role="img"` with its <title> and <desc> (named by aria-labelledby), shapes as presentation
attributes only (no style attribute: the site's CSP allows no inline styles), every text escaped.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from toolkit.network.overview.scene import FONT, Chart, Circle, Line, Polygon, Rect, Shape, Text

ANCHORS = {"start", "middle", "end"}


def to_svg(chart: Chart, *, standalone: bool = False) -> str:
    """The chart's SVG; `standalone` adds the XML declaration and a white background (a file for slides). Inline,
    the SVG is named by its title only: the page shows the description as the figure's caption, and a screen
    reader should not read it twice."""
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    named_by = f"{title_id} {desc_id}" if standalone else title_id
    parts = []
    if standalone:
        parts.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    parts.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
                 f'width="{chart.width}" height="{chart.height}" role="img" '
                 f'aria-labelledby="{named_by}" class="chart" font-family={quoteattr(FONT)}>')
    parts.append(f'<title id="{title_id}">{escape(chart.title)}</title><desc id="{desc_id}">{escape(chart.desc)}'
                 '</desc>')
    if standalone:
        parts.append(f'<rect x="0" y="0" width="{chart.width}" height="{chart.height}" fill="#ffffff"/>')
    parts.extend(_shape(shape) for shape in chart.shapes)
    parts.append("</svg>")
    return "".join(parts)


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _paint(fill: str | None, stroke: str | None, width: float) -> str:
    text = f' fill="{fill}"' if fill else ' fill="none"'
    if stroke and width:
        text += f' stroke="{stroke}" stroke-width="{_n(width)}"'
    return text


def _shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        return (f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}"'
                f'{_paint(shape.fill, shape.stroke, shape.stroke_width)}/>')
    if isinstance(shape, Circle):
        return (f'<circle cx="{_n(shape.cx)}" cy="{_n(shape.cy)}" r="{_n(shape.r)}"'
                f'{_paint(shape.fill, shape.stroke, shape.stroke_width)}/>')
    if isinstance(shape, Polygon):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        return f'<polygon points="{points}"{_paint(shape.fill, shape.stroke, shape.stroke_width)}/>'
    if isinstance(shape, Line):
        return (f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" y2="{_n(shape.y2)}" '
                f'stroke="{shape.stroke}" stroke-width="{_n(shape.stroke_width)}"/>')
    if isinstance(shape, Text):
        anchor = shape.anchor if shape.anchor in ANCHORS else "start"
        weight = ' font-weight="bold"' if shape.bold else ""
        return (f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" text-anchor="{anchor}"'
                f'{weight} fill="{shape.fill}">{escape(shape.text)}</text>')
    raise TypeError(f"not a shape: {shape!r}")
