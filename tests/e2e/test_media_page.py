"""A material's picture in a real browser: it loads from the page's own media address under the CSP, shrinks to
the text column on a phone, and the page stays axe-clean."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image, ImageDraw

from tests.conftest import DATA
from tests.e2e.layout import page_width, phone
from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from webui import create_app

pytestmark = pytest.mark.browser

BODY = """
## Dataflow

Figuren viser, hvordan data går fra hospital over region til forsker.

![Diagram over dataflowet: hospital, region og forsker som tre kasser forbundet med pile](media:flow.png)

Skemaet ligger i [Bilag 1](media:bilag.pdf).
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("media-page")
    library = base / "library"
    shutil.copytree(DATA / "library", library)
    front = (library / "adgang-til-data.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    (library / "med-figur.md").write_text(front.replace("title: ", "title: Figur og ", 1) + "\n---\n" + BODY,
                                          encoding="utf-8")
    folder = library / "media" / "med-figur"
    folder.mkdir(parents=True)
    image = Image.new("RGB", (1800, 700), (240, 244, 248))
    draw = ImageDraw.Draw(image)
    for x in (80, 680, 1280):
        draw.rectangle([x, 200, x + 440, 500], fill=(11, 83, 148))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    (folder / "flow.png").write_bytes(buffer.getvalue())
    (folder / "bilag.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    with serving(create_app(Settings(library=library, home=base / "home"))) as url:
        yield url


def test_the_picture_loads_fits_and_the_page_is_accessible(page, server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/m/med-figur/")
    picture = page.get_by_role("img", name="Diagram over dataflowet", exact=False)
    picture.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.material-body img').complete")
    assert picture.evaluate("img => img.naturalWidth") == 1800  # loaded through /m/med-figur/media/ under the CSP
    body_width = page.locator(".material-body").bounding_box()["width"]
    assert picture.bounding_box()["width"] <= body_width + 0.5
    assert page.get_by_role("link", name="Bilag 1").get_attribute("href") == "/m/med-figur/media/bilag.pdf"
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/media-page-1280.png", full_page=True)
    with phone(page):
        assert page_width(page) <= 320
        box = picture.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert abs(box["width"] / box["height"] - 1800 / 700) < 0.05  # the shape kept
        page.screenshot(path="/tmp/media-page-320.png", full_page=True)
