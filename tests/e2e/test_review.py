"""Freshness in a real browser: a facilitator follows the navigation to the list of materials to review,
opens a material from it and sees its overdue review — both pages checked with axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.library.frontmatter import set_fields
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

SLUG = "kommunikation-om-ai-projekter"
PASSWORD = "frida-kodeord-1"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("review") / "instance"
    app = create_app(Settings(home=home))
    Accounts(home).add("frida", "facilitator", password=PASSWORD)
    instance = app.extensions["netkit.source"]
    text = set_fields(instance.read(SLUG), {"reviewed": "2019-06", "review_by": "2020-01"})
    text += "\nKontaktpersonen sidder i kommunikationsafdelingen (tjekket januar 2020).\n"
    instance.save(SLUG, text, Author("Setup", "s@x"), "setup", instance.latest_revision(SLUG))
    with serving(app) as base:
        yield base


def test_a_facilitator_finds_the_materials_due_and_the_pages_are_accessible(page, review_server):
    base = review_server
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Gennemgang").click()
    page.wait_for_url(base + "/gennemgang")
    assert page.locator("h1").inner_text() == "Faglig gennemgang"
    overdue = page.locator("tr.review-overdue", has_text="Kommunikation")
    assert overdue.count() == 1 and "Forfalden" in overdue.inner_text() and "januar 2020" in overdue.inner_text()
    markers = page.get_by_role("region", name="Tidsfølsomme oplysninger")
    assert "Kontaktpersonen sidder i kommunikationsafdelingen" in markers.inner_text()
    assert serious_violations(page) == []

    overdue.get_by_role("link").click()
    page.wait_for_url(f"{base}/m/{SLUG}/")
    line = page.locator("p.review-line")
    assert line.inner_text() == ("Fagligt gennemgået juni 2019 · næste gennemgang januar 2020 · "
                                 "gennemgangen er forfalden")
    assert serious_violations(page) == []
