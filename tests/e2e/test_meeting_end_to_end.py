"""One meeting from invitation to a finished action item, in a real browser on a real server with the app's own
background sender and a real SMTP server on 127.0.0.1: the facilitator invites a member and a guest, the member
says yes through the mail's personal link, the guest says no, the facilitator writes the minutes with an action
item for the member and approves them — the approved minutes go by mail to the one who signed up, not to the one
who declined — and the member marks the action item done in "Mit arbejde". Every page passes axe-core."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.servers import browser_pages, serving, wait_for
from tests.e2e.test_reading import clean
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

DAY = dt.date.today() + dt.timedelta(days=3)
SLUG = f"{DAY.isoformat()}-hele-vejen"
DECISION = "Netværket samler projekternes erfaringer med driftstest i én fælles tjekliste."
ACTION = "Samle erfaringerne fra de tre driftstest"



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("whole-way") / "instance"
    app = create_app(Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False))
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password="frida-kodeord-1", full_name="Frida Lund", email="frida@region.dk")
    accounts.add("anna", "member", password="anna-kodeord-1", full_name="Anna Holm", email="anna@region.dk")
    instance = app.extensions["netkit.source"]
    save_meeting(instance, meeting_records(instance.library_dir), SLUG, {
        "theme": "Hele vejen", "date": DAY.isoformat(), "start": "13:00", "end": "15:00",
        "place": "Regionshuset Aarhus", "status": "invited", "facilitator": "Frida Lund, Region Midtjylland",
        "topics": ["operations"], "capacity": 20,
        "agenda": [{"topic": "Velkomst"}, {"topic": "Erfaringer med driftstest"}]},
        Author("Setup", "setup@example.dk"), "setup", create=True)
    with serving(app) as base:
        yield base
    app.extensions["netkit.notifications"].sender.stop()



def answer_link(mailserver, address: str) -> str:
    mail = wait_for(lambda: mailserver.to(address))[0]
    return urlsplit(re.search(r"http://\S+/svar/\S+", mail.get_body(("plain",)).get_content()).group(0)).path


def answer(page, base: str, path: str, choice: str) -> None:
    page.goto(base + path)
    clean(page, f"the answer page ({choice})")
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Gem mit svar").click()
    page.wait_for_url(re.compile(r".*\?svaret=1"))


def test_invite_sign_up_minutes_approve_and_finish_the_action(browser, server, mailserver):
    with browser_pages(browser, server) as open_:
        frida = open_("frida")
        frida.goto(f"{server}/moeder/{SLUG}/inviter")
        frida.get_by_label(re.compile("^Personer")).fill("anna@region.dk\nBo Berg; Firma A/S; bo@firma.dk")
        frida.get_by_role("button", name="Send invitationer").click()
        frida.wait_for_url(re.compile(rf"{server}/moeder/{SLUG}/\?.*"))
        clean(frida, "the meeting page after inviting")

        guest = open_()  # no account: the personal link is enough
        answer(guest, server, answer_link(mailserver, "anna@region.dk"), "Ja")
        answer(guest, server, answer_link(mailserver, "bo@firma.dk"), "Nej")
        guest.goto(f"{server}/moeder/{SLUG}/")
        assert guest.locator("dd.signup-count").inner_text() == "1 af 20"

        frida.goto(f"{server}/moeder/{SLUG}/")
        frida.get_by_role("link", name="Skriv referatets beslutninger og handlingspunkter").click()
        frida.wait_for_url(f"**/moeder/{SLUG}/referat/rediger")
        decision = frida.get_by_role("group", name="Beslutning 1")
        decision.get_by_label("Beslutning", exact=True).fill(DECISION)
        decision.get_by_label("Emne").select_option("operations")
        action = frida.get_by_role("group", name="Handlingspunkt 1")
        action.get_by_label("Handling", exact=True).fill(ACTION)
        action.get_by_label("Ansvarlig (navn)").fill("Anna Holm")
        action.get_by_label("Den ansvarliges e-mail (valgfri)").fill("anna@region.dk")
        action.get_by_label("Frist").fill((DAY + dt.timedelta(days=30)).isoformat())
        clean(frida, "the minutes form")
        frida.get_by_role("button", name="Gem kladde").click()
        frida.wait_for_url(f"**/moeder/{SLUG}/referat/?gemt=gemt")
        frida.get_by_role("button", name="Godkend referat").click()
        frida.wait_for_url("**/referat/?godkendt=*")
        text = frida.locator("main").inner_text()
        assert "Godkendt af Frida Lund" in text and DECISION in text
        assert "Anna Holm" in text and "Bo Berg" not in text  # the attendees are those who signed up
        clean(frida, "the approved minutes")

        # the approved minutes go to the one who signed up with an address, never to the one who declined
        minutes_mail = wait_for(lambda: [m for m in mailserver.to("anna@region.dk") if "eferat" in m["Subject"]])
        assert len(minutes_mail) == 1
        assert not [m for m in mailserver.to("bo@firma.dk") if "eferat" in m["Subject"]]

        anna = open_("anna")
        anna.goto(f"{server}/mit-arbejde")
        item = anna.locator("#handlingspunkter .action-item", has_text=ACTION)
        assert "Åben" in item.inner_text() and "Udført" not in item.inner_text()
        clean(anna, "Mit arbejde")
        item.get_by_role("button", name="Marker som udført").click()
        anna.wait_for_url("**/mit-arbejde#handlingspunkter")
        assert "Udført" in anna.locator("#handlingspunkter .action-item", has_text=ACTION).inner_text()
        anna.goto(f"{server}/beslutninger/")
        assert DECISION in anna.locator("main").inner_text()
        clean(anna, "the register")
