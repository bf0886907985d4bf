"""Reading pages in a real browser: navigation, keyboard use and axe-core accessibility checks."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                               "wcag21aa", "best-practice"]}})
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def clean(page, name: str) -> None:
    """Fail with the page's name and its serious axe-core violations, if it has any."""
    violations = serious_violations(page)
    assert not violations, f"{name}: {violations}"


def test_open_a_material_from_the_home_page(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Materialer"
    page.get_by_role("link", name="Adgang til sundhedsdata", exact=False).first.click()
    page.wait_for_url("**/m/adgang-til-data/")
    assert "adgang" in page.locator("h1").inner_text().lower()
    toc = page.get_by_role("navigation", name="Indhold")
    assert toc.get_by_role("link").count() >= 3


@pytest.mark.parametrize("path", ["/", "/m/adgang-til-data/", "/m/ce-maerkning-af-beslutningsstoette/",
                                  "/sog?q=samtykke", "/sog?q=samtyke", "/m/findes-ikke/", "/skabeloner/",
                                  "/skabeloner/ce-maerkning-tjekliste/", "/skabeloner/ce-maerkning/", "/gennemse",
                                  "/gennemse?topic=consent&kind=guide"])
def test_pages_have_no_serious_accessibility_violations(page, live_server, path):
    page.goto(live_server + path)
    assert serious_violations(page) == []


def test_skip_link_and_keyboard_navigation(page, live_server):
    page.goto(live_server + "/m/samtykkemodeller/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Spring til indholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "indhold"
    # Tab onward reaches a related-material link and Enter follows it, with no mouse.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.related') !== null"):
            break
    else:
        pytest.fail("no related-material link reachable by keyboard")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)


def test_narrow_screen_has_no_horizontal_scroll(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(live_server + "/m/adgang-til-data/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    # A wide table scrolls within the text instead (in its box), and keyboard users can reach the box to scroll it.
    violations = serious_violations(page)
    table_focusable = page.evaluate("document.querySelector('.material-body table').parentElement.tabIndex")
    context.close()
    assert overflow <= 0
    assert violations == [] and table_focusable == 0


def test_search_from_the_header_and_open_the_guide(page, live_server):
    page.goto(live_server + "/m/om-netvaerket/")
    # with its list of title suggestions, the search box is a combobox to assistive technology
    page.get_by_role("combobox", name="Søg i materialerne").fill("hvordan får jeg adgang til data?")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sog?q=*")
    first = page.locator(".hit h3 a").first
    assert "adgang" in first.inner_text().lower()
    assert page.locator(".hit mark").count() > 0
    first.click()
    page.wait_for_url("**/m/adgang-til-data/")


def test_facet_filter_in_the_browser(page, live_server):
    page.goto(live_server + "/sog?q=samtykke")
    before = page.locator(".hit").count()
    page.locator(".facets a", has_text="Playbook").first.click()
    page.wait_for_url("**kind=playbook**")
    assert 0 < page.locator(".hit").count() <= before
    assert serious_violations(page) == []


def test_no_material_page_is_wider_than_a_phone(browser, live_server):
    from toolkit.config import BUNDLED_LIBRARY
    from toolkit.library.folder import Library

    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    too_wide = {}
    for material in Library.load(BUNDLED_LIBRARY).materials():  # long Danish compounds in headings broke this
        page.goto(f"{live_server}/m/{material.slug}/")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[material.slug] = overflow
    context.close()
    assert too_wide == {}


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize(("path", "least"), [("/m/klinisk-evaluering/", 20), ("/skabeloner/samtykkeerklaering/", 10)])
def test_the_questions_a_page_answers_open_by_keyboard(browser, live_server, width, path, least):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server + path)
    questions = page.locator(".material-questions li")
    assert questions.count() >= least and not questions.first.is_visible()  # closed until asked for
    page.locator(".material-questions summary").focus()
    page.keyboard.press("Enter")
    assert questions.first.is_visible() and questions.last.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    violations = serious_violations(page)
    shot = path.strip("/").replace("/", "-")
    page.locator(".material-questions").screenshot(path=f"/tmp/questions-{shot}-{width}.png")
    context.close()
    assert overflow <= 0 and violations == []
