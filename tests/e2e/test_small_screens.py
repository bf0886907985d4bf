"""Small screens (issue 21), in a real Chromium on the bundled library: on a 320 px phone the search results come
first (the facets behind a closed "Filtrér", the chosen filters in sight), on a wide screen the facets stand in their
column; a material's wide table scrolls inside a named region reached by Tab, and at 1280–1920 px it uses the room
the page has instead of being cut off. axe-core clean at 320 and 1280 px. Screenshots: /tmp/smallscreen-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.layout import page_width
from tests.e2e.test_reading import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}
MATERIAL = "/m/adgang-til-data/"  # two tables, one of them wider than a phone and than the text column


@pytest.fixture
def at_width(browser):
    """`open_(viewport)`: a new page of that size (its own context); all closed afterwards."""
    contexts = []

    def open_(viewport: dict):
        context = browser.new_context(locale="da-DK", viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def top_of(locator) -> float:
    return locator.bounding_box()["y"]


def test_search_results_come_first_on_a_phone_and_the_filters_open_by_keyboard(at_width, live_server):
    page = at_width(PHONE)
    page.goto(live_server + "/sog?q=data")
    assert top_of(page.locator("li.hit").first) < 700  # was ~1,500 px down, below ~30 facet links
    assert page_width(page) <= 320
    disclosure = page.locator("details.filter-disclosure")
    summary = disclosure.locator("summary")
    facet = page.locator("aside.facets section a").first
    assert summary.is_visible() and summary.inner_text().strip() == "Filtrér"
    assert disclosure.get_attribute("open") is None and not facet.is_visible()
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/smallscreen-search-320.png")

    summary.focus()
    page.keyboard.press("Enter")  # a <summary> is a button: no script needed
    assert disclosure.get_attribute("open") is not None and facet.is_visible()
    assert page_width(page) <= 320 and serious_violations(page) == []
    page.screenshot(path="/tmp/smallscreen-search-open-320.png", full_page=True)
    page.keyboard.press("Space")
    assert not facet.is_visible()


def test_a_chosen_filter_stays_in_sight_on_a_phone_and_is_removed_by_its_link(at_width, live_server):
    page = at_width(PHONE)
    page.goto(live_server + "/sog?q=data&kind=guide")
    chip = page.locator(".active-filters a", has_text="Type: Vejledning")
    assert chip.is_visible() and not page.locator("aside.facets section a").first.is_visible()
    assert top_of(page.locator("li.hit").first) < 700
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/smallscreen-search-chosen-320.png")
    chip.click()
    page.wait_for_url("**/sog?q=data")
    assert page.locator(".active-filters").count() == 0


def test_the_facets_stand_in_their_column_on_a_wide_screen(at_width, live_server):
    page = at_width(WIDE)
    page.goto(live_server + "/sog?q=data")
    assert not page.locator("details.filter-disclosure summary").is_visible()  # nothing to open: it is all there
    facet = page.locator("aside.facets section a", has_text="Vejledning")
    assert facet.is_visible()
    results = page.locator("section.results")
    assert facet.bounding_box()["x"] < results.bounding_box()["x"]  # the column left of the results
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/smallscreen-search-1280.png")
    facet.click()
    page.wait_for_url("**/sog?q=data&kind=guide")
    assert page.locator(".active-filters a", has_text="Type: Vejledning").is_visible()
    page.screenshot(path="/tmp/smallscreen-search-chosen-1280.png")


def test_browse_shows_the_materials_first_on_a_phone(at_width, live_server):
    page = at_width(PHONE)
    page.goto(live_server + "/gennemse?topic=consent")
    assert top_of(page.locator("li.card").first) < 700
    assert page.locator(".active-filters a", has_text="Emne: Samtykke").is_visible()
    assert page_width(page) <= 320 and serious_violations(page) == []
    page.screenshot(path="/tmp/smallscreen-browse-320.png")


def test_a_wide_table_scrolls_in_a_named_region_reached_by_tab_on_a_phone(at_width, live_server):
    page = at_width(PHONE)
    page.goto(live_server + MATERIAL)
    assert page_width(page) <= 320  # the table scrolls, not the page
    box = page.locator(".material-body .table-scroll").first
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label").startswith("Tabel: Rute")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the phone: it does scroll
    # Tab from the last focusable thing before the table lands on its box
    page.evaluate("""box => {
        const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')];
        const before = all.filter(e => e.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
        before[before.length - 1].focus();
    }""", box.element_handle())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "table-scroll"
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # the keyboard scrolls what is off to the side into view
    # (Chromium scrolls by keyboard smoothly: wait for it)
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle(), timeout=3000)
    assert serious_violations(page) == []
    box.screenshot(path="/tmp/smallscreen-table-320.png")


@pytest.mark.parametrize("width", [1280, 1440, 1920])
def test_tables_use_the_room_of_a_wide_page_instead_of_being_cut_off(at_width, live_server, width):
    page = at_width({"width": width, "height": 900})
    page.goto(live_server + MATERIAL)
    sizes = page.locator(".material-body .table-scroll").evaluate_all(
        "boxes => boxes.map(e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right])")
    assert len(sizes) == 2
    for scroll_width, client_width, right in sizes:
        assert scroll_width <= client_width + 1  # nothing hidden to the side
        assert right <= width - 8  # and inside the window
    assert sizes[0][1] > page.locator(".material-body > p").first.bounding_box()["width"]  # wider than the text
    assert page_width(page) <= width
    if width in (1280, 1920):
        box = page.locator(".material-body .table-scroll").first
        box.scroll_into_view_if_needed()
        page.screenshot(path=f"/tmp/smallscreen-table-{width}.png")
    if width == 1280:
        assert serious_violations(page) == []
