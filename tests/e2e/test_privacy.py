"""The privacy page and the sign-in page in a real browser: axe-core clean at 1280 and 320 px, the footer's links to
the accessibility statement and the privacy page reachable by keyboard, /was following the statement; screenshots
go to /tmp/privacy-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.layout import page_width, phone
from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import BUNDLED_LIBRARY, Settings
from webui import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def privacy_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("privacy") / "instance"
    # The statement points back at this very server (a page of its own), so no test leaves 127.0.0.1.
    app = create_app(Settings(library=BUNDLED_LIBRARY, home=home, activity_days=120))
    with serving(app) as base:
        app.config["NETKIT_SETTINGS"] = Settings(library=BUNDLED_LIBRARY, home=home, activity_days=120,
                                                 accessibility_statement_url=base + "/m/om-netvaerket/")
        yield base


@pytest.mark.parametrize("path, name", [("/privatliv", "privatliv"), ("/log-ind", "log-ind")])
def test_the_pages_are_accessible_at_both_widths(page, privacy_server, path, name):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(privacy_server + path)
    assert serious_violations(page) == []
    page.screenshot(path=f"/tmp/privacy-{name}-1280.png", full_page=True)
    with phone(page):
        assert page_width(page) <= 320
        assert serious_violations(page) == []
        page.screenshot(path=f"/tmp/privacy-{name}-320.png", full_page=True)


def test_the_privacy_page_reads_as_headings_and_says_how_long_sign_ins_are_kept(page, privacy_server):
    page.goto(privacy_server + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privatliv og personoplysninger").click()
    page.wait_for_url("**/privatliv")
    assert page.get_by_role("heading", level=1).inner_text() == "Privatliv og personoplysninger"
    assert page.get_by_role("heading", level=2).all_inner_texts() == ["Det gemmer Netkit", "Spørgsmål og kontakt",
                                                                      "Dine rettigheder"]
    assert "Den gemmes i 120 dage" in page.locator("main").inner_text()


def test_the_footer_links_are_reached_by_keyboard_and_was_follows_the_statement(page, privacy_server):
    page.goto(privacy_server + "/log-ind")
    statement = page.get_by_role("contentinfo").get_by_role("link", name="Tilgængelighedserklæring")
    for _step in range(60):  # Tab through the page until the footer's link has the focus
        page.keyboard.press("Tab")
        if statement.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the footer's link to the accessibility statement is not reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/m/om-netvaerket/")
    page.goto(privacy_server + "/was")
    assert page.url == privacy_server + "/m/om-netvaerket/"


def test_without_a_statement_was_explains_itself_accessibly(page, tmp_path):
    app = create_app(Settings(library=BUNDLED_LIBRARY, home=tmp_path / "instance"))
    with serving(app) as base:
        response = page.goto(base + "/was")
        assert response.status == 404
        assert page.get_by_role("heading", level=1).inner_text() == "Ingen erklæring om tilgængelighed endnu"
        assert page.get_by_role("contentinfo").get_by_role("link", name="Tilgængelighedserklæring").count() == 0
        assert serious_violations(page) == []
        page.screenshot(path="/tmp/privacy-was-1280.png", full_page=True)
        with phone(page):
            assert page_width(page) <= 320  # the setting's long name breaks rather than pushing the page sideways
            page.screenshot(path="/tmp/privacy-was-320.png", full_page=True)
