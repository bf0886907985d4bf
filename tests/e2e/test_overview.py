"""The AI map (/overblik/) in a real headless Chromium on the bundled library: reached from the project list, every
chart drawn as an image with its table, axe-core clean at 1280 and 320 px, nothing wider than a phone's screen,
nothing asked of another host, and the printed page one A4 landscape sheet. Screenshots go to
/tmp/overview-*.png."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_reading import serious_violations

pytestmark = pytest.mark.browser

CHARTS = 6


def test_the_overview_from_the_project_list_at_1280(page, live_server):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Projekter").click()
    page.get_by_role("link", name="Se overblikket: projekterne som diagrammer og på Danmarkskortet").click()
    page.wait_for_url("**/overblik/")
    assert page.locator("h1").inner_text() == "Overblik over AI-projekterne"
    assert page.get_by_role("img", name="Projekter pr. fase").count() == 1
    assert page.get_by_role("img", name="Organisationerne på Danmarkskortet").count() == 1
    assert page.locator("figure svg[role=img]").count() == CHARTS
    assert page.locator("table.chart-table").count() == CHARTS
    figure = page.locator("#faser figure").bounding_box()
    table = page.locator("#faser table").bounding_box()
    assert table["x"] > figure["x"] + figure["width"] - 1  # beside the chart on a wide screen
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/overview-1280.png", full_page=True)
    own = urlsplit(live_server).netloc
    assert [url for url in asked if urlsplit(url).netloc != own] == []


def test_the_overview_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/overblik/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the page never scrolls sideways
    box = page.locator("#kort .chart-scroll")
    assert box.bounding_box()["width"] <= 320
    assert page.locator("#kort svg").bounding_box()["width"] >= 500  # the map keeps a readable size …
    box.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # … and scrolls in its own box, by keyboard too
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle(), timeout=3000)  # smoothly: wait
    figure = page.locator("#kort figure").bounding_box()
    table = page.locator("#kort table").bounding_box()
    assert table["y"] >= figure["y"] + figure["height"] - 1  # below the map on a narrow screen
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/overview-320.png", full_page=True)


def test_a_chart_downloads_as_svg_and_png(page, live_server):
    page.goto(live_server + "/overblik/")
    for kind, signature in (("SVG", b"<svg"), ("PNG", b"\x89PNG")):
        with page.expect_download() as info:
            page.locator("#tidslinje").get_by_role("link", name=f"Starter og afslutninger pr. år, {kind}").click()
        path = info.value.path()
        assert signature in Path(path).read_bytes()[:200]


def test_the_page_prints_on_one_a4_landscape_sheet(page, live_server, tmp_path):
    page.goto(live_server + "/overblik/")
    page.emulate_media(media="print")
    assert page.locator("table.chart-table").first.is_hidden()
    pdf = tmp_path / "overblik.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.screenshot(path="/tmp/overview-print.png", full_page=True)
    info = _pdfinfo(pdf)
    assert info["Pages"] == "1"
    width, height = (float(n) for n in info["Page size"].split()[0:3:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


def _pdfinfo(pdf) -> dict[str, str]:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("pdfinfo (poppler-utils) is not installed")
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}
