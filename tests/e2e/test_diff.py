"""The reviewer's diff in a real browser: a facilitator compares two revisions from the history page, switches
between side by side, inline and the rendered view (plain links: no JavaScript needed), reads one old revision,
and every page is axe-clean. A 5-line change fits on one 1280×800 screen without scrolling."""

from __future__ import annotations

import re

import pytest

from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

SLUG = "samtykkemodeller"
SHOTS = "/tmp/diff-{name}-{width}.png"


@pytest.fixture(scope="module")
def diff_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("diff") / "instance"
    app = instance_app(home, ("frida", "facilitator", (), "Frida Facilitator"), ("ane", "member", (), "Ane Eksempel"))
    instance = app.extensions["netkit.source"]
    lines = instance.read(SLUG).split("\n")
    prose = [n for n, line in enumerate(lines) if len(line) > 60 and line[0].isalpha()]
    for n in prose[len(prose) // 2:len(prose) // 2 + 5]:  # five lines of prose in the middle of the text
        lines[n] = lines[n].replace(" ", " (ændret) ", 1)
    instance.save(SLUG, "\n".join(lines), Author("ane", "ane@example.dk"), "Præciseret fem linjer",
                  instance.latest_revision(SLUG))
    with serving(app) as base:
        yield base


def assert_fits_on_screen(page) -> None:
    """The whole changed hunk is in view at the top of the page: no scrolling to review the change."""
    hunks = page.locator("table.hunk")
    assert hunks.count() == 1
    box = hunks.first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800, box
    changed = page.locator("table.hunk tr.diff-replace, table.hunk tr.diff-insert")
    assert changed.count() >= 5


def test_a_reviewer_compares_toggles_the_view_and_reads_an_old_revision(browser, diff_server):
    base = diff_server
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, base, "frida")
    page.goto(f"{base}/m/{SLUG}/historik")
    assert page.get_by_role("columnheader", name="Gendan").count() == 1
    restore = page.get_by_role("link", name=re.compile(r"^Gendan udgaven fra .* af Netkit$"))
    assert restore.count() == 1
    assert serious_violations(page) == []
    page.get_by_role("button", name="Sammenlign de valgte").click()
    page.wait_for_url(re.compile(r".*/forskel\?.*fra=.*"))
    assert page.locator(".review-diff.side").count() == 1
    assert page.get_by_role("link", name="Side om side").get_attribute("aria-current") == "page"
    assert_fits_on_screen(page)
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="side", width=1280))

    page.get_by_role("link", name="Under hinanden").click()
    page.wait_for_url(re.compile(r".*visning=inline.*"))
    assert "fra=" in page.url and "til=" in page.url  # the chosen revisions survive the toggle
    assert page.locator(".review-diff.inline").count() == 1
    assert page.get_by_role("link", name="Under hinanden").get_attribute("aria-current") == "page"
    assert_fits_on_screen(page)
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="inline", width=1280))

    gap = page.locator("details.diff-gap").first
    gap.locator("summary").click()  # a folded stretch opens in place
    assert gap.get_attribute("open") is not None and gap.locator("tr").count() > 3

    page.get_by_role("link", name="Som læseren ser det").click()
    page.wait_for_url(re.compile(r".*visning=gengivet.*"))
    assert page.locator(".rendered-diff ins").count() >= 5
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="rendered", width=1280))

    page.goto(f"{base}/m/{SLUG}/historik")
    page.get_by_role("link", name=re.compile(r" \(vis teksten\)$")).nth(1).click()
    page.wait_for_url(re.compile(rf".*/m/{SLUG}/historik/[0-9a-f]{{40}}$"))
    note = page.get_by_role("note")
    assert "Gammel udgave – kun til læsning" in note.inner_text()
    assert page.locator("textarea").count() == 0
    assert "(ændret)" not in page.locator("article").inner_text()
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="revision", width=1280))
    context.close()


def test_the_diff_reads_on_a_narrow_screen(browser, diff_server):
    base = diff_server
    context = browser.new_context(locale="da-DK", viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, base, "frida")
    for view in ("side", "inline", "gengivet"):
        page.goto(f"{base}/m/{SLUG}/forskel?visning={view}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (view, overflow)  # nothing pushes the page sideways
        assert serious_violations(page) == []
        page.screenshot(path=SHOTS.format(name=view, width=320), full_page=True)
    page.goto(f"{base}/m/{SLUG}/historik")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow  # the revisions stack instead of running off to the side
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="history", width=320), full_page=True)
    page.goto(f"{base}/m/{SLUG}/historik/HEAD~1")
    assert "Gammel udgave" in page.get_by_role("note").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    assert serious_violations(page) == []
    page.screenshot(path=SHOTS.format(name="revision", width=320))  # the top: the notice and the title
    context.close()
