"""Authoring pages in a real browser on a real instance: sign in, edit with preview, save, history, diff,
status and the admin page — each checked with axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def instance_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("authoring") / "instance"
    app = create_app(Settings(home=home))
    Accounts(home).add("frida", "admin", password="frida-kodeord-1")
    with serving(app) as base:
        yield base


def test_sign_in_edit_preview_save_and_compare(page, instance_server):
    base = instance_server
    page.goto(base + "/m/samtykkemodeller/")
    page.get_by_role("link", name="Log ind").click()
    assert serious_violations(page) == []
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill("frida-kodeord-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/m/samtykkemodeller/")
    page.get_by_role("link", name="Rediger").click()
    page.wait_for_url("**/rediger")
    assert serious_violations(page) == []
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\n## Et afsnit skrevet i browseren\n\nMed **fed** tekst.\n")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    assert page.get_by_role("heading", name="Et afsnit skrevet i browseren").count() == 1
    assert serious_violations(page) == []
    page.get_by_label("Hvad har du ændret?", exact=False).fill("Afsnit fra browseren")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/m/samtykkemodeller/?gemt=*")
    assert page.get_by_role("status").inner_text().startswith("Gemt")
    page.get_by_role("link", name="Historik").click()
    assert "Afsnit fra browseren" in page.locator("table").inner_text()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Sammenlign de valgte").click()
    assert page.locator("ins").count() > 0
    assert serious_violations(page) == []
    page.goto(base + "/m/samtykkemodeller/status")
    assert serious_violations(page) == []
    page.goto(base + "/admin/brugere")
    assert page.locator("h1").inner_text() == "Brugere og roller"
    assert serious_violations(page) == []


def test_a_reader_cannot_reach_the_edit_page(page, instance_server):
    page.goto(instance_server + "/m/samtykkemodeller/rediger")
    assert "/log-ind" in page.url
