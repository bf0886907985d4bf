"""Decisions and action items in a real browser on a real server (and a real SMTP server on 127.0.0.1): a facilitator
enters a meeting's minutes — a wrong date is refused at its field with the text kept, "Flere rækker" adds rows
without JavaScript — approves them (the participants get the mail), the decision is in /beslutninger/, and the owner
of the action item finds it in "Mit arbejde", marked overdue, and marks it done. Every page passes axe-core, and
screenshots at 1280 and 320 px are saved under /tmp/decisions-*.png."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.e2e.servers import browser_pages, serving
from tests.e2e.test_reading import clean
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

SLUG = "2026-11-12-drift-af-ai-modeller"
DECISION = "Projekter beskriver overvågning af inputdata, før en driftstest begynder."
ACTION = "Skrive en tjekliste til overvågning af modeller"
PAST_DUE = (dt.date.today() - dt.timedelta(days=5)).isoformat()



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("decisions") / "instance"
    app = create_app(Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False,
                              base_url="http://netkit.test/"))
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password="frida-kodeord-1", full_name="Frida Lund", email="frida@region.dk")
    accounts.add("anna", "member", password="anna-kodeord-1", full_name="Anna Holm", email="anna@region.dk")
    instance = app.extensions["netkit.source"]
    save_meeting(instance, meeting_records(instance.library_dir), SLUG, {
        "theme": "Drift af AI-modeller", "date": "2026-11-12", "start": "13:00", "end": "16:00",
        "place": "Regionshuset Aarhus", "status": "held", "facilitator": "Frida Lund, Region Midtjylland",
        "topics": ["operations"], "invitees": [{"name": "Anna Holm", "email": "anna@region.dk"},
                                               {"name": "Bo Berg", "email": "bo@firma.dk"}],
        "agenda": [{"topic": "Velkomst"}, {"topic": "Overvågning af modeller i drift", "presenter": "Anna Holm"}],
    }, Author("Setup", "setup@example.dk"), "setup", create=True)
    with serving(app) as base:
        yield base



def shoot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/decisions-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=f"/tmp/decisions-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_enter_minutes_approve_and_mark_the_action_done(browser, server, mailserver):
    with browser_pages(browser, server) as open_:
        frida = open_("frida")
        frida.set_viewport_size({"width": 1280, "height": 900})
        frida.goto(f"{server}/moeder/{SLUG}/")
        frida.get_by_role("link", name="Skriv referatets beslutninger og handlingspunkter").click()
        frida.wait_for_url(f"**/moeder/{SLUG}/referat/rediger")
        first = frida.get_by_role("group", name="Beslutning 1")
        first.get_by_label("Beslutning", exact=True).fill(DECISION)
        first.get_by_label("Emne").select_option("operations")
        first.get_by_label("Dagsordenspunkt").select_option("2")
        action = frida.get_by_role("group", name="Handlingspunkt 1")
        action.get_by_label("Handling", exact=True).fill(ACTION)
        action.get_by_label("Ansvarlig (navn)").fill("Anna Holm")
        action.get_by_label("Den ansvarliges e-mail (valgfri)").fill("anna@region.dk")
        action.get_by_label("Frist").fill("2099-13-01")  # the browser keeps what a date field cannot hold: empty
        frida.get_by_role("button", name="Gem kladde").click()
        alert = frida.locator(".error-summary")
        assert "Handlingspunkt 1: Frist" in alert.inner_text()
        assert frida.get_by_role("group", name="Beslutning 1").get_by_label("Beslutning", exact=True) \
            .input_value() == DECISION  # kept
        clean(frida, "the form with a problem")
        shoot(frida, "form-problem")
        frida.get_by_role("button", name="Flere rækker").click()
        assert frida.get_by_role("group", name="Beslutning 4").count() == 1
        frida.get_by_role("group", name="Handlingspunkt 1").get_by_label("Frist").fill(PAST_DUE)
        frida.get_by_role("button", name="Gem kladde").click()
        frida.wait_for_url(f"**/moeder/{SLUG}/referat/?gemt=gemt")
        assert frida.get_by_role("status").first.inner_text() == "Referatet er gemt som kladde."
        clean(frida, "the draft minutes")
        frida.get_by_role("button", name="Godkend referat").click()
        frida.wait_for_url("**/referat/?godkendt=2")
        assert "Godkendt af Frida Lund" in frida.locator("main").inner_text()
        clean(frida, "the approved minutes")
        shoot(frida, "approved")
        deadline = time.monotonic() + 20
        while len(mailserver.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anna@region.dk", "bo@firma.dk"]

        reader = open_()
        reader.set_viewport_size({"width": 1280, "height": 900})
        reader.goto(f"{server}/moeder/?aar=2026")
        reader.get_by_role("link", name="Beslutninger").click()  # from the annual plan
        reader.wait_for_url("**/beslutninger/")
        reader.get_by_label("Emne").select_option("operations")
        reader.get_by_role("button", name="Vis").click()
        assert DECISION in reader.locator("main").inner_text()
        reader.get_by_role("link", name="Drift af AI-modeller").first.click()
        reader.wait_for_url(f"**/moeder/{SLUG}/")
        reader.goto(f"{server}/beslutninger/")
        clean(reader, "the register")
        shoot(reader, "register")

        anna = open_("anna")
        anna.set_viewport_size({"width": 1280, "height": 900})
        anna.goto(f"{server}/mit-arbejde")
        item = anna.locator("#handlingspunkter .action-item", has_text=ACTION)
        assert "Overskredet" in item.inner_text()
        clean(anna, "Mit arbejde")
        shoot(anna, "mywork")
        item.get_by_role("button", name="Marker som udført").click()
        anna.wait_for_url("**/mit-arbejde#handlingspunkter")
        item = anna.locator("#handlingspunkter .action-item", has_text=ACTION)
        assert "Udført" in item.inner_text() and "Overskredet" not in item.inner_text()
        anna.goto(f"{server}/moeder/{SLUG}/")
        assert "Udført" in anna.locator(".minutes-record-section").inner_text()
        clean(anna, "the meeting page")
        shoot(anna, "meeting")
