"""The static site in a real browser: served by a plain file server under a sub-path, read, browsed and searched
in headless Chromium, and checked with axe-core."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from whoosh.lang import stemmer_for_language

from tests.e2e.test_reading import serious_violations
from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.search.analysis import FOLDING
from webui.staticsite.export import export_site

pytestmark = pytest.mark.browser

SUB_PATH = "netvaerk"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The bundled library exported (without PDF) into root/netvaerk/, root served by http.server."""
    base = tmp_path_factory.mktemp("static-e2e")
    root = base / "root"
    export_site(Settings(home=base / "instance"), root / SUB_PATH, pdf=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{SUB_PATH}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def test_home_material_and_back_under_a_sub_path(page, site_url):
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Materialer"
    # the site's own stylesheet applies (the same look as the live site)
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") != \
        "rgba(0, 0, 0, 0)"
    page.get_by_role("link", name="Adgang til sundhedsdata", exact=False).first.click()
    page.wait_for_url(f"**/{SUB_PATH}/m/adgang-til-data/index.html")
    assert "adgang" in page.locator("h1").inner_text().lower()
    assert page.get_by_role("navigation", name="Indhold").get_by_role("link").count() >= 3
    page.go_back()
    page.wait_for_url(site_url)
    assert page.locator("h1").inner_text() == "Materialer"


def test_browse_by_one_filter(page, site_url):
    page.goto(site_url + "gennemse/index.html")
    page.locator(".facets a", has_text="Samtykke").first.click()
    page.wait_for_url(f"**/{SUB_PATH}/gennemse/topic-consent/index.html")
    assert page.locator(".cards .card").count() >= 1
    page.locator(".facets a", has_text="Vejledning").first.click()  # another facet: its own page
    page.wait_for_url(f"**/{SUB_PATH}/gennemse/kind-guide/index.html")


def test_search_finds_the_data_access_guide_by_keyboard(page, site_url):
    page.goto(site_url + "sog/index.html")
    search = page.get_by_label("Hvad leder du efter?")
    search.focus()
    page.keyboard.type("adgang til patientdata")  # the live search's first answer is the guide (parity)
    page.keyboard.press("Enter")
    first = page.locator(".hit h3 a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("m/adgang-til-data/index.html")
    assert page.locator("#results-heading").inner_text().endswith("resultater")
    assert page.locator(".hit .snippet").first.inner_text()  # the summary is shown
    assert "q=adgang" in page.url  # kept in the address, so Back returns to the results
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first result
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("m/adgang-til-data/index.html")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{SUB_PATH}/m/adgang-til-data/index.html")
    page.go_back()
    page.locator(".hit h3 a").first.wait_for()
    assert page.locator(".hit h3 a").first.get_attribute("href").endswith("m/adgang-til-data/index.html")


def test_header_search_opens_the_search_page(page, site_url):
    page.goto(site_url + "m/samtykkemodeller/index.html")
    page.get_by_role("searchbox", name="Søg i materialerne").fill("samtykke")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{SUB_PATH}/sog/index.html?q=samtykke")
    page.locator(".hit h3 a").first.wait_for()
    titles = page.locator(".hit h3 a").all_inner_texts()
    assert any("Samtykke" in title for title in titles[:3])


def test_results_as_you_type_and_no_results(page, site_url):
    page.goto(site_url + "sog/index.html")
    page.get_by_label("Hvad leder du efter?").press_sequentially("samty")  # a word still being typed
    page.locator(".hit h3 a").first.wait_for()
    hrefs = [link.get_attribute("href") for link in page.locator(".hit h3 a").all()]
    assert any(href.endswith("m/samtykkemodeller/index.html") for href in hrefs[:3])
    page.goto(site_url + "sog/index.html?q=xyzzyqq")
    page.wait_for_function("document.getElementById('static-search-message').textContent.length > 0")
    assert "Ingen materialer" in page.locator("#static-search-message").inner_text()


def test_the_browser_stems_like_the_server(page, site_url):
    """sitesearch.js's Danish stemmer gives the server's stems for every word of the bundled library."""
    words = sorted({word.lower().translate(FOLDING) for path in BUNDLED_LIBRARY.glob("*.md")
                    for word in re.findall(r"\w+", path.read_text(encoding="utf-8"))})
    page.goto(site_url + "sog/index.html")
    source = page.evaluate("fetch('../static/sitesearch.js').then(r => r.text())")
    stems = page.evaluate("([source, words]) => { const module = {exports: {}};"
                          " new Function('module', 'document', source)(module, undefined);"
                          " return words.map(module.exports.stem); }", [source, words])
    expected = [stemmer_for_language("da")(word) for word in words]
    assert len(words) > 1000
    assert [(w, s) for w, s, e in zip(words, stems, expected, strict=True) if s != e] == []


@pytest.mark.parametrize("path", ["", "m/adgang-til-data/index.html", "sog/index.html?q=adgang%20til%20data",
                                  "gennemse/kind-guide/index.html", "skabeloner/ce-maerkning-tjekliste/index.html"])
def test_static_pages_have_no_serious_accessibility_violations(page, site_url, path):
    page.goto(site_url + path)
    if path.startswith("sog/"):
        page.locator(".hit").first.wait_for()
    assert serious_violations(page) == []
