"""The search page's zero-result help in a real browser: axe-clean at 1280 and 320 px, no horizontal scroll,
keyboard-reachable ways on (issue 21). Screenshots under /tmp/zero-results-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.test_reading import serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_the_zero_result_page_is_accessible_and_fits(browser, live_server, width):
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server + "/sog?q=etikudvalget")
        block = page.locator(".zero-results")
        assert "Vi fandt ikke noget" in block.inner_text()
        assert block.get_by_role("heading", name="Emner tæt på din søgning").is_visible()
        assert block.get_by_role("link", name="Etik").first.is_visible()
        assert block.get_by_role("link", name="Log ind for at foreslå et emne").is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=f"/tmp/zero-results-{width}.png", full_page=True)
        assert overflow <= 0
        assert serious_violations(page) == []
    finally:
        context.close()


def test_the_ways_on_are_reached_and_followed_by_keyboard(page, live_server):
    page.goto(live_server + "/sog?q=sprogmodel")
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.zero-results') !== null"):
            break
    else:
        pytest.fail("no zero-result link reachable by keyboard")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target.startswith("/gennemse")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    assert page.locator("h1").count() == 1


def test_a_corrected_search_is_accessible(page, live_server):
    page.goto(live_server + "/sog?q=samtykkke")
    assert "Viser resultater for" in page.locator(".suggestion").inner_text()
    assert serious_violations(page) == []
