"""Partners for consortia in a real browser, with the app's own background sender and a real SMTP server on
127.0.0.1: a member finds the match on /partnere/, filters by kind, shows interest in the project that offers
what another seeks, and the project's contact gets exactly one mail — every page checked with axe-core, and
screenshots at 1280 and 320 px for the eye (/tmp/partners-*.png)."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.servers import serving, signed_in_page, wait_for
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

THORAX = "triage-af-thoraxroentgen"
CONTACT = "anne.kristensen@example.org"



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("partners") / "instance"
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False)
    app = create_app(settings)  # not testing: the background sender runs, as in production
    Accounts(home).add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-1")
    Accounts(home).add("frida", "facilitator", email="frida@region.dk", password="frida-kodeord-1")
    with serving(app) as base:
        yield base
    app.extensions["netkit.notifications"].sender.stop()




def test_find_a_match_show_interest_and_the_contact_gets_one_mail(browser, server, mailserver):
    base = server
    page = signed_in_page(browser, base, "bo", 1280)

    page.goto(base + "/projekter/")
    page.get_by_role("link", name="Se hvad projekterne søger og tilbyder").click()
    page.wait_for_url(base + "/partnere/")
    implementation = page.locator("section.partner-kind", has=page.get_by_role(
        "heading", name=re.compile("^Kompetence: implementering")))
    assert "Match" in implementation.get_by_role("heading", level=2).inner_text()
    assert "Tidlig varsling af sepsis" in implementation.inner_text()
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/partners-1280.png", full_page=True)

    page.get_by_role("navigation", name="Vis kun").get_by_role("link", name=re.compile("^Kompetence: MDR")).click()
    page.wait_for_url(re.compile(r".*/partnere/\?type=competence-mdr"))
    assert page.locator("section.partner-kind").count() == 1
    page.goto(base + "/partnere/")

    implementation.get_by_role("link", name=re.compile("Vis interesse – AI-triage")).click()
    page.wait_for_url(re.compile(rf".*/partnere/{THORAX}/interesse\?om=competence-implementation"))
    assert "Kompetence: implementering" in page.locator("main").inner_text()
    assert CONTACT not in page.content()
    page.get_by_role("button", name="Send til kontaktpersonen").click()  # empty: refused at the field
    assert "Skriv en besked på 10–2000 tegn" in page.locator("#message-error").inner_text()
    assert serious_violations(page) == []
    page.get_by_label(re.compile("^Din besked")).fill("Vi tager en sepsismodel i drift og vil gerne høre om jeres "
                                                      "erfaringer med implementering.")
    page.get_by_role("button", name="Send til kontaktpersonen").click()
    page.wait_for_url(re.compile(r".*sendt=1.*"))
    assert "Din besked er sendt" in page.get_by_role("status").inner_text()
    assert CONTACT not in page.content() and "bo@firma.dk" not in page.content()
    assert serious_violations(page) == []

    mail = wait_for(lambda: mailserver.to(CONTACT))
    assert len(mail) == 1 and mail[0]["Reply-To"] == "Bo Berg <bo@firma.dk>"
    assert "Vi tager en sepsismodel i drift" in mail[0].get_body(("plain",)).get_content()

    page.goto(base + "/opslag/")
    assert serious_violations(page) == []
    page.goto(base + "/projekter/sepsis-tidlig-varsling/")
    assert "Søger støtte fra" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/partners-project-1280.png", full_page=True)

    narrow = signed_in_page(browser, base, "bo", 320)
    narrow.goto(base + "/partnere/")
    narrow.screenshot(path="/tmp/partners-320.png", full_page=True)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.goto(base + "/opslag/")
    narrow.screenshot(path="/tmp/partners-calls-320.png", full_page=True)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.goto(f"{base}/partnere/{THORAX}/interesse")
    narrow.screenshot(path="/tmp/partners-interest-320.png", full_page=True)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    time.sleep(1)  # the sender had its chance to send anything else: still exactly one mail
    assert len(mailserver.to(CONTACT)) == 1
    for each in (page, narrow):
        each.context.close()


def test_the_form_rows_for_seeks_and_offers_are_accessible(browser, server):
    for width in (1280, 320):
        frida = signed_in_page(browser, server, "frida", width)
        frida.goto(server + "/projekter/sepsis-tidlig-varsling/rediger")
        seeks = frida.get_by_role("group", name="Projektet søger")
        assert seeks.get_by_label("Hvad (række 1)", exact=True).input_value() == "clinical-partner"
        seeks.get_by_label("Hvad (række 3)", exact=True).select_option("data-partner")
        seeks.get_by_label("Præcis hvad (række 3)").fill("x" * 201)  # too long: refused, kept
        frida.get_by_role("button", name="Gem projektet").click()
        assert "Række 3: beskrivelsen er 201 tegn; skriv højst 200." in frida.locator("#seeks-error").inner_text()
        assert frida.get_by_role("group", name="Projektet søger").get_by_label("Præcis hvad (række 3)").input_value() \
            == "x" * 201
        assert serious_violations(frida) == []
        frida.locator("#seeks").screenshot(path=f"/tmp/partners-form-{width}.png")
        if width == 320:
            assert frida.evaluate("document.documentElement.scrollWidth") <= 320
        frida.context.close()
