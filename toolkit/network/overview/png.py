"""A chart as PNG for slides, drawn by Pillow from the same scene as the SVG (no SVG renderer, browser or
office suite at request time). Drawn at twice the size so it stays sharp on a projector. Text uses DejaVu Sans
(Debian's fonts-dejavu-core) when it is there; Pillow's own font lacks æ, ø and å, so without DejaVu the PNG
would spell Danish names wrong, and `png_available()` says so.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from toolkit.network.overview.scene import WHITE, Chart, Circle, Line, Polygon, Rect, Text

SCALE = 2
FONT_FILES = {False: ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
              True: ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")}


@functools.cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | None:
    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def png_available() -> bool:
    """A font with the Danish letters is installed (else the page offers SVG only)."""
    return _font(13 * SCALE, False) is not None


def to_png(chart: Chart) -> bytes:
    image = Image.new("RGB", (chart.width * SCALE, chart.height * SCALE), WHITE)
    draw = ImageDraw.Draw(image)
    s = SCALE
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            left, top = shape.x * s, shape.y * s  # a bar of one project among a thousand is under a pixel high
            draw.rectangle((left, top, max(left, (shape.x + shape.w) * s - 1), max(top, (shape.y + shape.h) * s - 1)),
                           fill=shape.fill, outline=shape.stroke if shape.stroke_width else None,
                           width=round(shape.stroke_width * s))
        elif isinstance(shape, Circle):
            box = ((shape.cx - shape.r) * s, (shape.cy - shape.r) * s, (shape.cx + shape.r) * s,
                   (shape.cy + shape.r) * s)
            draw.ellipse(box, fill=shape.fill, outline=shape.stroke if shape.stroke_width else None,
                         width=round(shape.stroke_width * s))
        elif isinstance(shape, Polygon):
            draw.polygon([(x * s, y * s) for x, y in shape.points], fill=shape.fill,
                         outline=shape.stroke if shape.stroke_width else None, width=round(shape.stroke_width * s))
        elif isinstance(shape, Line):
            draw.line((shape.x1 * s, shape.y1 * s, shape.x2 * s, shape.y2 * s), fill=shape.stroke,
                      width=max(1, round(shape.stroke_width * s)))
        elif isinstance(shape, Text):
            font = _font(round(shape.size * s), shape.bold) or ImageFont.load_default(shape.size * s)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(shape.anchor, "ls")  # on the baseline
            draw.text((shape.x * s, shape.y * s), shape.text, fill=shape.fill, font=font, anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG")  # zlib default level: optimize=True tripled the time for a few per cent
    return out.getvalue()
