"""Notifications in a real browser, with the app's own background sender and a real SMTP server on 127.0.0.1:
a member follows a material from its page, another asks for review on the status page, the facilitator's bell
counts it and her page lists it, and the unsubscribe link of the mail works in a browser that is not signed in —
each page checked with axe-core."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.servers import serving, signed_in_page, wait_for
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

SLUG = "adgang-til-data"  # working group dataadgang



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailserver):
    home = tmp_path_factory.mktemp("notify") / "instance"
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=mailserver.port, smtp_starttls=False)
    app = create_app(settings)  # not testing: the background sender runs, as in production
    accounts = Accounts(home)
    accounts.add("anna", "member", groups=("dataadgang",), email="anna@region.dk", full_name="Anna Holm",
                 password="anna-kodeord-1")
    accounts.add("frida", "facilitator", groups=("dataadgang",), email="frida@region.dk", full_name="Frida Lund",
                 password="frida-kodeord-1")
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-1")
    instance = app.extensions["netkit.source"]
    instance.set_status(SLUG, "draft", Author("setup", "setup@netkit.localhost"))  # a new draft to review
    with serving(app) as base:
        yield base
    app.extensions["netkit.notifications"].sender.stop()




def test_follow_ask_for_review_see_the_bell_and_unsubscribe(browser, server, mailserver):
    base = server
    bo = signed_in_page(browser, base, "bo")
    bo.goto(f"{base}/m/{SLUG}/")
    bo.get_by_label("Hvordan vil du have besked?").select_option("immediate")
    bo.get_by_role("button", name=re.compile("^Følg Adgang til sundhedsdata")).click()
    bo.wait_for_url(f"{base}/m/{SLUG}/")
    assert "Du følger materialet »Adgang til sundhedsdata" in bo.locator(".watch-form").inner_text()
    assert serious_violations(bo) == []

    anna = signed_in_page(browser, base, "anna")
    anna.goto(f"{base}/m/{SLUG}/status")
    anna.get_by_label("Bed om review").check()
    anna.get_by_label(re.compile("^Note")).fill("Se afsnittet om registre")
    anna.get_by_role("button", name="Udfør").click()
    anna.wait_for_url(re.compile(rf"{base}/m/{SLUG}/.*"))

    frida = signed_in_page(browser, base, "frida")

    def counted() -> bool:
        frida.goto(base + "/")
        return frida.locator(".bell .bell-count").count() == 1

    wait_for(counted)
    bell = frida.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name=re.compile("Notifikationer"))
    assert bell.locator(".bell-count").inner_text() == "1"
    assert serious_violations(frida) == []
    bell.click()
    frida.wait_for_url(base + "/notifikationer")
    item = frida.locator(".notification.unread")
    assert "Anna Holm har bedt om review af »Adgang til sundhedsdata" in item.inner_text()
    assert "Se afsnittet om registre" in item.inner_text()
    assert serious_violations(frida) == []

    # The mail came through the real SMTP server; its unsubscribe link works without signing in.
    mail = wait_for(lambda: mailserver.to("frida@region.dk"))[0]
    assert mail["Subject"].startswith("Til review: Adgang til sundhedsdata")
    link = urlsplit(mail["List-Unsubscribe"].strip("<>"))
    stranger = browser.new_context(locale="da-DK").new_page()
    stranger.goto(base + link.path)
    question = stranger.locator("main").inner_text()
    assert "Vil du stoppe med at få e-mails om dine egne materialer og reviews?" in question
    assert serious_violations(stranger) == []
    stranger.get_by_role("button", name="Ja, afmeld").click()
    assert "Du er afmeldt" in stranger.locator("p.notice").inner_text()
    assert serious_violations(stranger) == []

    item.get_by_role("link").click()  # following the notification marks it read and leads to the status page
    frida.wait_for_url(f"{base}/m/{SLUG}/status")
    frida.goto(base + "/")
    assert frida.locator(".bell .bell-count").count() == 0
    for page in (bo, anna, frida, stranger):
        page.context.close()
