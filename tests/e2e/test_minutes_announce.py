"""Approved minutes whose mails were never queued (no mail server at the approval), in a real browser on a real
server with a real SMTP server on 127.0.0.1: the facilitator sees the notice and "Send referatet til deltagerne",
sends once (each participant gets one mail), and the notice is gone; a member sees no notice. axe-core clean;
screenshots at 1280 and 320 px under /tmp/minutes-announce-*.png."""

from __future__ import annotations

import time

import pytest

from tests.e2e.servers import browser_pages, serving
from tests.e2e.test_reading import clean
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.network.decisions import minutes_records
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.network.minutesflow import approve, save_minutes
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

SLUG = "2026-11-12-drift-af-ai-modeller"
SETUP = Author("Setup", "setup@example.dk")



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("announce") / "instance"
    app = create_app(Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False,
                              base_url="http://netkit.test/"))
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password="frida-kodeord-1", full_name="Frida Lund", email="frida@region.dk")
    accounts.add("anna", "member", password="anna-kodeord-1", full_name="Anna Holm", email="anna@region.dk")
    instance = app.extensions["netkit.source"]
    save_meeting(instance, meeting_records(instance.library_dir), SLUG, {
        "theme": "Drift af AI-modeller", "date": "2026-11-12", "start": "13:00", "end": "16:00",
        "place": "Regionshuset Aarhus", "status": "held", "facilitator": "Frida Lund, Region Midtjylland",
        "invitees": [{"name": "Anna Holm", "email": "anna@region.dk"}, {"name": "Bo Berg", "email": "bo@firma.dk"}],
        "agenda": [{"topic": "Velkomst"}]}, SETUP, "setup", create=True)
    minutes = minutes_records(instance.library_dir)
    save_minutes(instance, minutes, SLUG, {"decisions": [{"text": "Projekter beskriver overvågning af inputdata.",
                                                          "topic": "operations"}]}, SETUP, "Referat", base="")
    approve(instance, minutes, SLUG, SETUP, "Frida Lund", base=minutes.digest(SLUG))  # as with no mail server
    with serving(app) as base:
        yield base



def shoot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/minutes-announce-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=f"/tmp/minutes-announce-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_facilitator_sends_the_unannounced_minutes_once(browser, server, mailserver):
    with browser_pages(browser, server) as open_:
        anna = open_("anna")
        anna.goto(f"{server}/moeder/{SLUG}/referat/")
        assert "Projekter beskriver overvågning" in anna.locator("main").inner_text()
        assert anna.get_by_role("button", name="Send referatet til deltagerne").count() == 0

        frida = open_("frida")
        frida.set_viewport_size({"width": 1280, "height": 900})
        frida.goto(f"{server}/moeder/{SLUG}/referat/")
        notice = frida.get_by_role("region", name="Referatet er ikke sendt til deltagerne")
        assert "deltagerne har ikke fået det tilsendt" in notice.inner_text()
        clean(frida, "the unannounced minutes")
        shoot(frida, "notice")
        notice.get_by_role("button", name="Send referatet til deltagerne").click()
        frida.wait_for_url("**/referat/?sendt=2")
        assert frida.get_by_role("status").first.inner_text() == (
            "Referatet er sendt. E-mails sat i kø til deltagerne: 2.")
        assert frida.get_by_role("button", name="Send referatet til deltagerne").count() == 0
        clean(frida, "the announced minutes")
        shoot(frida, "sent")
        deadline = time.monotonic() + 20
        while len(mailserver.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # nothing more may come
        assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anna@region.dk", "bo@firma.dk"]
