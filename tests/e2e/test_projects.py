"""The project registry in a real browser on a fresh instance: browse with a filter, a project page, the
new-project form refused and then saved — each checked with axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def registry_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("projects") / "instance"
    app = create_app(Settings(home=home))
    Accounts(home).add("mette", "member", password="mette-kodeord-1")
    with serving(app) as base:
        yield base


def test_browse_filter_and_open_a_project(page, registry_server):
    page.goto(registry_server + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Projekter").click()
    page.wait_for_url("**/projekter/")
    assert page.locator("h1").inner_text() == "Projekter i netværket"
    assert serious_violations(page) == []
    page.get_by_role("complementary", name="Filtrer projekterne").get_by_role("link", name="I drift").click()
    page.wait_for_url("**/projekter/?phase=in-operation")
    assert page.locator(".card.project").count() == 3
    assert serious_violations(page) == []
    page.get_by_role("link", name="AI-triage af røntgenbilleder af thorax").click()
    page.wait_for_url("**/projekter/triage-af-thoraxroentgen/")
    assert "CE-mærket, klasse IIa" in page.locator("table.facts-table").inner_text()
    assert serious_violations(page) == []


def test_add_a_project_with_a_mistake_then_fix_it(page, registry_server):
    page.goto(registry_server + "/log-ind?next=/projekter/ny")
    page.get_by_label("Brugernavn").fill("mette")
    page.get_by_label("Adgangskode").fill("mette-kodeord-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/projekter/ny")
    assert serious_violations(page) == []
    page.get_by_label("Titel").fill("Forudsigelse af faldrisiko")
    page.get_by_label("Kort beskrivelse").fill("En model, der vurderer risikoen for fald hos indlagte ældre.")
    page.get_by_label("Organisation").select_option("region-midtjylland")
    page.get_by_label("Kontaktpersoner").fill("Mette Hansen; mette-uden-snabel-a")
    page.get_by_label("Fase (skal udfyldes)").select_option("idea")
    page.get_by_label("Status", exact=True).select_option("under-assessment")
    page.get_by_label("Startdato").fill("2026-09-01")
    page.get_by_role("button", name="Gem projektet").click()
    assert page.get_by_role("heading", name="Projektet blev ikke gemt").count() == 1
    assert "is not a valid e-mail address" in page.locator("#contacts-error").inner_text()
    assert page.get_by_label("Titel").input_value() == "Forudsigelse af faldrisiko"  # kept
    assert serious_violations(page) == []
    page.get_by_label("Kontaktpersoner").fill("Mette Hansen; mette@example.org")
    page.get_by_role("button", name="Gem projektet").click()
    page.wait_for_url("**/projekter/forudsigelse-af-faldrisiko/?gemt=ny")
    assert page.get_by_role("status").inner_text() == "Projektet er oprettet."
    assert serious_violations(page) == []
