"""Invitations in a real browser, with the app's own background sender and a real SMTP server on 127.0.0.1: the
facilitator invites from the meeting page, the invitee opens the personal link of the mail without an account and
answers, the meeting page counts "Tilmeldt: 1 af 30", the facilitator sees her own invitation in "Mit arbejde"
and the participant list — each page checked
with axe-core, at 1280 and 320 px (screenshots in /tmp/invitations-*.png)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.servers import serving, signed_in_page, wait_for
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.library.freshness import DANISH_MONTHS
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

DAY = dt.date.today() + dt.timedelta(days=25)
SLUG = f"{DAY.isoformat()}-tilmelding-i-browseren"



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("signup") / "instance"
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False)
    app = create_app(settings)  # not testing: the background sender runs, as in production
    Accounts(home).add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund",
                       password="frida-kodeord-1")
    instance = app.extensions["netkit.source"]
    save_meeting(instance, meeting_records(instance.library_dir), SLUG, {
        "theme": "Tilmelding i browseren", "date": DAY.isoformat(), "start": "13:00", "end": "16:00",
        "place": "Regionshuset Aarhus", "status": "invited", "facilitator": "Frida Lund", "capacity": 30,
        "agenda": [{"topic": "Velkomst"}, {"topic": "Data i praksis", "presenter": "Lise Andersen"}]},
        Author("frida", "frida@netkit.localhost"), "Nyt møde", create=True)
    with serving(app) as base:
        yield base
    app.extensions["netkit.notifications"].sender.stop()


def shoot(page, name: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/invitations-{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_invite_answer_by_link_and_count(browser, server, mailserver):
    base = server
    frida = signed_in_page(browser, base, "frida")
    frida.goto(f"{base}/moeder/{SLUG}/")
    frida.get_by_role("link", name="Inviter", exact=True).click()
    frida.wait_for_url(f"{base}/moeder/{SLUG}/inviter")
    assert serious_violations(frida) == []
    frida.get_by_label(re.compile("^Personer")).fill("Cecilie Dahl; Aarhus Universitet; cecilie@au.dk\n"
                                                     "frida@region.dk")
    shoot(frida, "form")
    frida.get_by_role("button", name="Send invitationer").click()
    frida.wait_for_url(re.compile(rf"{base}/moeder/{SLUG}/\?.*"))
    assert "2 inviteret." in frida.get_by_role("status").first.inner_text()
    frida.goto(f"{base}/mit-arbejde")  # her own invitation waits for her answer there
    assert "Ikke svaret" in frida.get_by_role("region", name="Mine invitationer til møder").inner_text()
    assert serious_violations(frida) == []

    mail = wait_for(lambda: mailserver.to("cecilie@au.dk"))[0]
    assert mail["Subject"] == f"Invitation: Tilmelding i browseren {DAY.day}. {DANISH_MONTHS[DAY.month - 1]} {DAY.year}"
    link = re.search(r"http://\S+/svar/\S+", mail.get_body(("plain",)).get_content()).group(0)

    invitee = browser.new_context(locale="da-DK").new_page()  # no account
    invitee.goto(base + urlsplit(link).path)
    assert invitee.locator("h1").inner_text() == "Svar på invitationen: Tilmelding i browseren"
    assert serious_violations(invitee) == []
    invitee.get_by_label("Ja", exact=True).check()
    invitee.get_by_role("button", name="Gem mit svar").click()
    invitee.wait_for_url(re.compile(r".*\?svaret=1"))
    assert "Tak, dit svar er gemt." in invitee.locator("main").inner_text()
    assert "Du har svaret ja og er tilmeldt." in invitee.locator(".my-answer").inner_text()
    assert serious_violations(invitee) == []
    shoot(invitee, "answer")

    invitee.goto(f"{base}/moeder/{SLUG}/")
    assert invitee.locator("dd.signup-count").inner_text() == "1 af 30"
    assert "cecilie@au.dk" not in invitee.locator("main").inner_text()

    frida.goto(f"{base}/moeder/{SLUG}/")
    table = frida.get_by_role("table", name=re.compile("Deltagerliste"))
    assert "Cecilie Dahl" in table.inner_text() and "Tilmeldt" in table.inner_text()
    assert serious_violations(frida) == []
    frida.locator("#tilmelding").scroll_into_view_if_needed()
    shoot(frida, "meeting")
    for page in (frida, invitee):
        page.context.close()
