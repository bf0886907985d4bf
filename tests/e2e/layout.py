"""Measuring a page in the browser: how wide it is laid out, an element's box, the lines the site header takes, and
the page at a phone's width for a while."""

from __future__ import annotations


def box(locator) -> dict:
    return locator.bounding_box()


def page_width(page) -> int:
    """How wide the page is laid out (wider than the window: it scrolls sideways)."""
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


class phone:
    """The page at 320 px wide for a while (a small phone), then at 1280 again."""

    def __init__(self, page):
        self.page = page

    def __enter__(self):
        self.page.set_viewport_size({"width": 320, "height": 640})
        return self.page

    def __exit__(self, *exc):
        self.page.set_viewport_size({"width": 1280, "height": 720})


def header_rows(page) -> int:
    """The lines the site header takes: its parts and menu items, a new line where one starts below the bottom of
    everything on the line before (a tagline wrapped within the first line is still the first line)."""
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        '.site-header .brand, .site-header .tagline, .header-search, .site-header .account, .site-nav li')]
        .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect())
        .map(r => [r.top, r.bottom])""")
    rows, bottom = 0, None
    for top, low in sorted(boxes):
        if bottom is None or top >= bottom - 1:
            rows, bottom = rows + 1, low
        else:
            bottom = max(bottom, low)
    return rows
