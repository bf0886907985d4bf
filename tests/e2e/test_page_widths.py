"""The pages of the issue 17 review at a phone's width and the signed-in header at 1280 px, in a real browser on the
authoring flows' instance: no page wider than 320 px, the header two lines (brand and search, the menu), axe-core
clean; the conflict box names a field both changed by its label. Screenshots go to /tmp/conflictbox-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.layout import box, header_rows, page_width, phone
from tests.e2e.servers import browser_pages, instance_app, serving
from tests.e2e.test_authoring_flows import open_editor, save
from tests.e2e.test_reading import serious_violations
from toolkit.history.comments import Comments
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

COMMENTED_SLUG = "om-netvaerket"  # gets a comment that is one long address
FIELD_SLUG = "etiske-dilemmaer"  # a title both change
LONG_LINK = "https://www.sundhedsdatastyrelsen.dk/da/forskerservice/ansoeg-om-data/" + "meget-lang-sti-" * 6 + "slut"


@pytest.fixture(scope="module")
def widths(tmp_path_factory):
    """A server on a fresh instance with people with full names, as the reviewer's were (a long name is what
    pushed the header to a third line)."""
    home = tmp_path_factory.mktemp("page-widths") / "instance"
    app = instance_app(home, ("frida", "facilitator"), ("bo", "facilitator", (), "Bo Hansen-Østergaard"),
                       ("mads", "member", ("dataadgang",), "Mads Østergaard"))
    instance = app.extensions["netkit.source"]
    comments = Comments(instance)
    block = next(b.index for b in comments.blocks(COMMENTED_SLUG) if b.commentable)
    comments.start(COMMENTED_SLUG, block, LONG_LINK, Author("mads", "mads@x"))
    with serving(app) as base:
        yield base


@pytest.fixture
def open_page(browser, widths):
    with browser_pages(browser, widths) as open_:
        yield open_


def test_the_pages_fit_a_phone_and_the_header_two_lines_at_1280(open_page, widths):
    """Review of issue 17: /aktivitet was 440 px wide at 320, a long link in "Åbne kommentarer" 368 px, the signed-in
    header took three lines at 1280, and the password field on /log-ind was a small unstyled box."""
    base = widths
    for name in ("bo", "mads", "frida"):  # a facilitator's menu is the longest, a member's has "Nyt materiale" too
        person = open_page(name)
        for path in ("/", f"/m/{COMMENTED_SLUG}/"):  # the home page has its own search, a material the header's
            person.goto(base + path)
            assert header_rows(person) <= 2, (name, path)
        person.locator(".site-header").screenshot(path=f"/tmp/conflictbox-header-{name}-1280.png")
    frida = person
    frida.get_by_role("link", name="English").click()
    frida.wait_for_load_state()
    assert header_rows(frida) <= 2  # the English menu too
    frida.locator(".site-header").screenshot(path="/tmp/conflictbox-header-en-1280.png")
    frida.get_by_role("link", name="Dansk").click()
    frida.wait_for_load_state()

    # Both change the title: the box names the field by its label, with both titles (not the YAML line).
    bo = open_page("bo")  # (saved first, so the activity page has a long line to show)
    open_editor(frida, base, FIELD_SLUG)
    open_editor(bo, base, FIELD_SLUG)
    frida.get_by_label("Titel", exact=True).fill("Etiske dilemmaer – Fridas titel")
    assert save(frida, "Fridas titel").status == 302
    bo.get_by_label("Titel", exact=True).fill("Etiske dilemmaer – Bos titel")
    assert save(bo, "Bos titel").status == 409
    row = bo.locator("table.conflict-places tbody tr").first
    assert row.locator("th").inner_text() == "Titel"
    assert row.locator("td.new").inner_text() == "Etiske dilemmaer – Bos titel"
    assert row.locator("td.old").inner_text() == "Etiske dilemmaer – Fridas titel"
    assert "title:" not in bo.locator("section.conflict table").inner_text()
    assert serious_violations(bo) == []
    bo.screenshot(path="/tmp/conflictbox-field-1280.png", full_page=True)
    with phone(bo):
        assert page_width(bo) <= 320
        bo.locator("section.conflict").screenshot(path="/tmp/conflictbox-field-box-320.png")

    pages = {"aktivitet": "/aktivitet", "kommentarer": f"/m/{COMMENTED_SLUG}/kommentarer", "forside": "/"}
    for label, path in pages.items():
        frida.goto(base + path)
        if label == "kommentarer":
            assert frida.get_by_role("navigation", name="Åbne kommentarer").get_by_role("link").count() >= 1
            with phone(frida):
                frida.locator(".thread-index").screenshot(path="/tmp/conflictbox-kommentarer-index-320.png")
        frida.screenshot(path=f"/tmp/conflictbox-{label}-1280.png", full_page=True)
        with phone(frida):
            assert page_width(frida) <= 320, label
            assert serious_violations(frida) == [], label
            frida.screenshot(path=f"/tmp/conflictbox-{label}-320.png", full_page=True)
            frida.locator("main").screenshot(path=f"/tmp/conflictbox-{label}-main-320.png")

    stranger = open_page()
    stranger.goto(base + "/log-ind")
    name_box, password_box = box(stranger.get_by_label("Brugernavn")), box(stranger.get_by_label("Adgangskode"))
    assert password_box["width"] == name_box["width"] and password_box["height"] == name_box["height"]
    assert serious_violations(stranger) == []
    stranger.screenshot(path="/tmp/conflictbox-log-ind-1280.png", full_page=True)
    with phone(stranger):
        assert page_width(stranger) <= 320
        assert box(stranger.get_by_label("Adgangskode"))["width"] == box(stranger.get_by_label("Brugernavn"))["width"]
        stranger.screenshot(path="/tmp/conflictbox-log-ind-320.png", full_page=True)
