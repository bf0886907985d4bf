"""Kept pages in a real browser on a real instance: a reader's second visit is served from the cache and works
like the first (styles and scripts load under the same Content-Security-Policy, no violations, axe-clean at
1280 and 320 px); the language link and signing in give pages of their own; two people signed in at once each
get their own form token and name."""

from __future__ import annotations

import pytest

from tests.e2e.servers import browser_pages, instance_app, serving
from tests.e2e.test_reading import serious_violations
from webui.pagecache import PAGES_KEY

pytestmark = pytest.mark.browser

PATHS = ["/", "/gennemse", "/gennemse?kind=guide&topic=data-access", "/sog?q=adgang+til+data"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    app = instance_app(tmp_path_factory.mktemp("pagecache") / "instance", ("frida", "facilitator"),
                       ("mette", "member", (), "Mette Hansen"))
    with serving(app) as base:
        yield app, base


@pytest.mark.parametrize("width", [1280, 320])
def test_a_kept_page_works_like_the_first(browser, served, width):
    app, base = served
    with browser_pages(browser, base) as open_:
        page = open_()
        page.set_viewport_size({"width": width, "height": 900})
        blocked: list[str] = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        for path in PATHS:
            first = page.goto(base + path)
            hits = app.extensions[PAGES_KEY].hits
            again = page.goto(base + path)
            assert app.extensions[PAGES_KEY].hits == hits + 1, path  # the second visit came from the cache
            assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
            assert page.evaluate("[...document.styleSheets].some(s => s.href && s.cssRules.length > 50)"), path
            assert serious_violations(page) == [], path
            name = path.strip("/").split("?")[0] or "home"
            page.screenshot(path=f"/tmp/caching-{name}-{'filtered-' if '&' in path else ''}{width}.png",
                            full_page=False)
        assert blocked == []


def test_the_language_link_and_signing_in_give_pages_of_their_own(browser, served):
    _app, base = served
    with browser_pages(browser, base) as open_:
        page = open_()
        page.goto(base + "/gennemse")
        page.goto(base + "/gennemse")  # kept
        page.get_by_role("link", name="English").click()
        page.wait_for_url(base + "/gennemse")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("link", name="Dansk").count() == 1
        page.get_by_role("link", name="Dansk").click()
        assert page.locator("h1").inner_text() == "Gennemse materialerne"
        mette = open_("mette")
        mette.goto(base + "/gennemse")
        assert mette.get_by_text("Mette Hansen").count() == 1
        assert mette.get_by_role("button", name="Log ud").count() == 1
        page.goto(base + "/gennemse")
        assert page.get_by_role("button", name="Log ud").count() == 0 and page.get_by_text("Mette Hansen").count() == 0


def test_two_people_signed_in_at_once_each_get_their_own_token(browser, served):
    _app, base = served
    with browser_pages(browser, base) as open_:
        frida, mette = open_("frida"), open_("mette")
        tokens = []
        for person in (frida, mette, frida, mette):
            person.goto(base + "/")
            tokens.append(person.locator('input[name="csrf_token"]').first.get_attribute("value"))
        assert tokens[0] == tokens[2] and tokens[1] == tokens[3] and tokens[0] != tokens[1]
