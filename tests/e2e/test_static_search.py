"""The static site's search in headless Chromium: a corrected typo says so, projects and meetings are found and
their pages open, the results are links reached by keyboard, and the page stays accessible at 1280 and 320 px."""

from __future__ import annotations

import pytest

from tests.e2e.test_reading import serious_violations
from tests.e2e.test_static_site import SUB_PATH, site_url  # noqa: F401 - the exported site, served

pytestmark = pytest.mark.browser


def test_a_typo_is_corrected_and_said(page, site_url):  # noqa: F811
    page.goto(site_url + "sog/index.html?q=brugerindragelse")
    first = page.locator(".hit h3 a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("m/udviklingsmodeller-og-brugerinddragelse/index.html")
    message = page.locator("#static-search-message").inner_text()
    assert "Ingen resultater for brugerindragelse" in message and "brugerinddragelse" in message
    page.screenshot(path="/tmp/static-search-corrected.png")
    assert serious_violations(page) == []


def test_a_long_typo_beside_words_that_match_is_searched_with_its_correction_and_said(page, site_url):  # noqa: F811
    page.goto(site_url + "sog/index.html?q=hvordan+f%C3%A5r+jeg+samtykkke")
    first = page.locator(".hit h3 a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("m/samtykkemodeller/index.html")  # as the live search
    message = page.locator("#static-search-message").inner_text()
    assert "Søgte også efter samtykke." in message and "Ingen resultater" not in message


def test_projects_and_meetings_are_found_and_open(page, site_url):  # noqa: F811
    page.goto(site_url + "sog/index.html")
    page.get_by_label("Hvad leder du efter?").press_sequentially("sepsis")  # found while typing
    first = page.locator(".hit h3 a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("projekter/sepsis-tidlig-varsling/index.html")
    assert page.locator(".hit .meta").first.inner_text() == "Projekt"
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first result
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{SUB_PATH}/projekter/sepsis-tidlig-varsling/index.html")
    assert page.locator("h1").inner_text()
    page.screenshot(path="/tmp/static-search-project.png")
    assert serious_violations(page) == []

    page.goto(site_url + "sog/index.html?q=" + "netværksmøde adgang til data")
    page.locator(".hit").first.wait_for()
    meeting = page.locator(".hit h3 a[href*='moeder/']").first
    assert meeting.count() == 1
    meeting.click()
    page.wait_for_url(f"**/{SUB_PATH}/moeder/**/index.html")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1280, 320])
def test_results_page_at_two_widths(page, site_url, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "sog/index.html?q=" + "hvordan får jeg adgang til patientdata")
    first = page.locator(".hit h3 a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("m/adgang-til-data/index.html")
    page.screenshot(path=f"/tmp/static-search-{width}.png", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert serious_violations(page) == []


def test_the_positions_are_fetched_for_the_first_phrase_only(page, site_url):  # noqa: F811
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + "sog/index.html?q=samtykke")
    page.locator(".hit h3 a").first.wait_for()
    assert not any(url.endswith("search-positions.json") for url in fetched)  # no phrase: the index alone
    search = page.get_by_label("Hvad leder du efter?")
    search.fill('"dynamisk samtykke"')
    search.press("Enter")
    page.wait_for_function("document.getElementById('results-heading').textContent.startsWith('2 ')")
    assert page.locator(".hit h3 a").first.get_attribute("href").endswith("m/samtykkemodeller/index.html")
    assert sum(url.endswith("search-positions.json") for url in fetched) == 1
