"""Renaming in a real Chromium: a facilitator goes from the material to its status page, opens "Omdøb", types a
bad address (the error is at the field, what was typed stays), then a good one; lands on the new address; the old
address then leads there, and a page linking to it names the new one. The form is checked with axe-core at 1280
and 320 px, and screenshots are saved (/tmp/rename-*.png)."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

OLD, NEW = "samtykkemodeller", "samtykke-i-ai-projekter"
PASSWORD = "frida-kodeord-1"


@pytest.fixture(scope="module")
def rename_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("rename") / "instance"
    app = create_app(Settings(home=home))
    Accounts(home).add("frida", "facilitator", password=PASSWORD)
    with serving(app) as base:
        yield base


def test_a_facilitator_renames_a_material_and_the_old_address_follows(page, rename_server):
    base = rename_server
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")

    page.goto(f"{base}/m/{OLD}/")
    page.get_by_role("link", name="Status", exact=True).click()
    page.wait_for_url(f"{base}/m/{OLD}/status")
    page.get_by_role("link", name="Omdøb materialet (ny adresse)").click()
    page.wait_for_url(f"{base}/m/{OLD}/omdoeb")
    assert page.locator("h1").inner_text().startswith("Omdøb: Samtykkemodeller")
    linking = page.locator("ul.rename-linking")
    assert "Adgang til sundhedsdata" in linking.inner_text()  # what the rename will update

    field = page.get_by_label("Ny adresse")
    field.fill("Samtykke i AI")
    page.get_by_label("Hvorfor? (valgfrit, kommer med i historikken)").fill("Et navn, der siger mere")
    field.press("Enter")  # keyboard only: Enter sends the form
    page.wait_for_load_state()
    error = page.locator("#new-error")
    assert "Brug kun små bogstaver" in error.inner_text()
    assert page.get_by_label("Ny adresse").input_value() == "Samtykke i AI"
    assert page.get_by_label("Hvorfor? (valgfrit, kommer med i historikken)").input_value() == "Et navn, der siger mere"
    assert page.get_by_label("Ny adresse").get_attribute("aria-invalid") == "true"
    page.screenshot(path="/tmp/rename-error-1280.png", full_page=True)
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sideways at 320 px
    page.screenshot(path="/tmp/rename-error-320.png", full_page=True)
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Ny adresse").fill(NEW)
    page.get_by_role("button", name="Omdøb", exact=True).click()
    page.wait_for_url(f"{base}/m/{NEW}/?gemt=omdoebt")
    assert "Omdøbt. Den gamle adresse sender videre hertil" in page.get_by_role("status").first.inner_text()
    assert page.locator("h1").inner_text().startswith("Samtykkemodeller")
    assert serious_violations(page) == []

    response = page.goto(f"{base}/m/{OLD}/")
    assert page.url == f"{base}/m/{NEW}/" and response.status == 200
    assert response.request.redirected_from.url == f"{base}/m/{OLD}/"
    page.goto(f"{base}/m/adgang-til-data/")
    assert page.locator(f'a[href^="/m/{NEW}/"]').count() >= 1
    assert page.locator(f'a[href^="/m/{OLD}/"]').count() == 0

    # Renamed back: the browser followed OLD → NEW above, yet must not loop now that NEW leads to OLD.
    page.goto(f"{base}/m/{NEW}/omdoeb")
    page.get_by_label("Ny adresse").fill(OLD)
    page.get_by_role("button", name="Omdøb", exact=True).click()
    page.wait_for_url(f"{base}/m/{OLD}/?gemt=omdoebt")
    response = page.goto(f"{base}/m/{OLD}/")
    assert response.status == 200 and page.url == f"{base}/m/{OLD}/"
    page.goto(f"{base}/m/{NEW}/")
    assert page.url == f"{base}/m/{OLD}/"


def test_the_form_at_1280_px_is_accessible(page, rename_server):
    base = rename_server
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")
    page.goto(f"{base}/m/adgang-til-data/omdoeb")
    assert page.get_by_label("Ny adresse").input_value() == "adgang-til-data"
    page.screenshot(path="/tmp/rename-form-1280.png", full_page=True)
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path="/tmp/rename-form-320.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
