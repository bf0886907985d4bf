"""The newsletter in a real browser, with the app's own background sender and a real SMTP server on 127.0.0.1: a
member subscribes, the facilitator previews the month, is refused at the field for a control character (what was
typed is kept), edits the intro, drops an item, sends, and lands on the issue's page; the subscriber gets exactly
one mail and its unsubscribe link works without signing in. Every page is checked with axe-core, and screenshots
at 1280 and 320 px are kept for the eye (/tmp/newsletter-*.png)."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.servers import serving, signed_in_page, wait_for
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.network.meetings import today_here
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

# The month in Copenhagen, as the digest dates commits (a UTC date is a day behind late on a month's last day).
MONTH = today_here().strftime("%Y-%m")
INTRO = "Kære netværk\n\nI denne måned har vi fået nye udgaver og nye projekter."



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("newsletter") / "instance"
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False)
    app = create_app(settings)  # not testing: the background sender runs, as in production
    Accounts(home).add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-1")
    Accounts(home).add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund",
                       password="frida-kodeord-1")
    with serving(app) as base:
        yield base
    app.extensions["netkit.notifications"].sender.stop()




def test_subscribe_preview_edit_send_and_read_the_issue(browser, server, mailserver):
    base = server
    bo = signed_in_page(browser, base, "bo", 1280)
    bo.get_by_role("contentinfo").get_by_role("link", name="Nyhedsbrevet »Nyt fra netværket«").click()
    bo.wait_for_url(base + "/nyhedsbrev/")
    assert serious_violations(bo) == []
    bo.get_by_role("button", name="Abonnér på nyhedsbrevet").click()
    assert "Du abonnerer nu på nyhedsbrevet." in bo.get_by_role("status").inner_text()
    assert serious_violations(bo) == []
    bo.screenshot(path="/tmp/newsletter-index-1280.png", full_page=True)

    frida = signed_in_page(browser, base, "frida", 1280)
    frida.goto(base + "/nyhedsbrev/")
    frida.get_by_role("link", name="Forbered nyhedsbrevet").click()
    frida.get_by_label("Måned").fill(MONTH)
    frida.get_by_role("button", name="Vis måneden").click()
    frida.wait_for_url(re.compile(rf".*/nyhedsbrev/forbered/\?maaned={MONTH}"))
    assert "den ene abonnent" in frida.locator("main").inner_text()
    projects = frida.get_by_role("group", name="Nye projekter")
    sepsis = projects.get_by_label(re.compile("^Tidlig varsling af sepsis"))
    assert sepsis.is_checked()
    assert serious_violations(frida) == []
    frida.screenshot(path="/tmp/newsletter-prepare-1280.png", full_page=True)

    frida.get_by_label("Indledning").fill("Hej\u0007 med et kontroltegn")  # refused at the field, kept
    sepsis.uncheck()
    frida.get_by_role("button", name="Gem kladde").click()
    assert "kontroltegn" in frida.locator("#intro-error").inner_text()
    assert frida.get_by_label("Indledning").get_attribute("aria-invalid") == "true"
    assert "med et kontroltegn" in frida.get_by_label("Indledning").input_value()
    assert not frida.get_by_role("group", name="Nye projekter").get_by_label(
        re.compile("^Tidlig varsling af sepsis")).is_checked()  # the choice as made
    assert serious_violations(frida) == []

    small = signed_in_page(browser, base, "frida", 320)
    small.goto(f"{base}/nyhedsbrev/forbered/?maaned={MONTH}")
    small.screenshot(path="/tmp/newsletter-prepare-320.png", full_page=True)
    assert small.evaluate("document.documentElement.scrollWidth") <= 320

    frida.get_by_label("Indledning").fill(INTRO)
    frida.get_by_role("button", name="Gem kladde").click()
    assert "Kladden er gemt." in frida.get_by_role("status").inner_text()
    preview = frida.get_by_role("article", name="Forhåndsvisning")
    assert "I denne måned har vi fået nye udgaver" in preview.inner_text()
    assert "Tidlig varsling af sepsis" not in preview.inner_text()

    frida.get_by_role("button", name="Send nyhedsbrevet").click()  # not confirmed: refused at the box
    assert "Sæt flueben" in frida.locator("#confirm-error").inner_text()
    assert serious_violations(frida) == []
    frida.get_by_label("Jeg har læst nyhedsbrevet igennem, og det skal sendes nu").check()
    frida.get_by_role("button", name="Send nyhedsbrevet").click()
    frida.wait_for_url(f"{base}/nyhedsbrev/{MONTH}/")
    article = frida.get_by_role("article")
    assert "I denne måned har vi fået nye udgaver" in article.inner_text()
    assert "Tidlig varsling af sepsis" not in article.inner_text()
    assert serious_violations(frida) == []
    frida.screenshot(path="/tmp/newsletter-issue-1280.png", full_page=True)

    mail = wait_for(lambda: mailserver.to("bo@firma.dk"))
    assert len(mail) == 1 and mail[0]["Subject"].startswith("Nyt fra netværket")
    link = mail[0]["List-Unsubscribe"].strip("<>")

    narrow = browser.new_context(locale="da-DK", viewport={"width": 320, "height": 640}).new_page()
    narrow.goto(f"{base}/nyhedsbrev/{MONTH}/")  # public: no sign-in
    assert "I denne måned har vi fået nye udgaver" in narrow.locator("article").inner_text()
    narrow.screenshot(path="/tmp/newsletter-issue-320.png", full_page=True)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.goto(base + link[link.index("/nyhedsbrev/afmeld/"):])
    assert serious_violations(narrow) == []
    narrow.get_by_role("button", name="Ja, afmeld").click()
    assert "Du er afmeldt" in narrow.get_by_role("status").inner_text()
    narrow.screenshot(path="/tmp/newsletter-unsubscribed-320.png", full_page=True)

    small.goto(f"{base}/nyhedsbrev/forbered/?maaned={MONTH}")
    assert "blev sendt" in small.locator("main").inner_text()
    small.goto(f"{base}/nyhedsbrev/forbered/?maaned=2020-01")
    assert "Der skete ikke noget i netværket i januar 2020" in small.locator("main").inner_text()
    assert serious_violations(small) == []
    time.sleep(1)  # the sender had its chance to send anything else: still exactly one mail
    assert len(mailserver.messages) == 1
    for each in (bo, frida, narrow, small):
        each.context.close()
