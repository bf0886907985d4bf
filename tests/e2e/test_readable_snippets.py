"""Readable search snippets in a real browser (issue 21): a wiki link reads as its title, a table row as
"label: cell", a meeting as its own sentence; the reader's word is marked; axe-clean at 1280 and 320 px."""

from __future__ import annotations

import pytest

from tests.e2e.test_reading import serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_snippets_read_as_sentences_on_wide_and_narrow_screens(browser, live_server, width):
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server + "/sog?q=RKKP")
        first = page.locator("main mark").first
        assert first.inner_text() == "RKKP"
        page.screenshot(path=f"/tmp/snippets-rkkp-{width}.png", full_page=True)
        assert serious_violations(page) == []

        page.goto(live_server + "/sog?q=adgang+til+data")
        snippets = page.locator("p.snippet").all_inner_texts()
        assert any("En klar vej til dataadgang: Ét indgangspunkt" in snippet for snippet in snippets)
        assert not [snippet for snippet in snippets if "·" in snippet or "[[" in snippet]
        page.screenshot(path=f"/tmp/snippets-adgang-{width}.png", full_page=True)

        page.goto(live_server + "/sog?q=Aarhus")
        assert any(snippet.startswith("Netværksmøde om Adgang til data, 4. februar 2027")
                   for snippet in page.locator("p.snippet").all_inner_texts())
        page.screenshot(path=f"/tmp/snippets-aarhus-{width}.png", full_page=True)
        assert serious_violations(page) == []
    finally:
        context.close()
