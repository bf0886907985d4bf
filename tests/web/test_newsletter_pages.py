"""The newsletter on the web, through real HTTP on a real instance of the bundled library, with a real SMTP server
on 127.0.0.1 (aiosmtpd): subscribing, the facilitator's preview and edit form (its checks keep what was typed),
sending exactly one mail per subscriber and none the second time, the one-click unsubscribe link without sign-in
(a tampered one refused), the issue's page, the list and the feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.network.meetings import today_here
from toolkit.network.newsletterstore import NewsletterStore
from toolkit.people.accounts import Accounts
from webui import create_app
from webui.context import NOTIFY_KEY, instance

# The month in Copenhagen, as the digest dates commits (a UTC date is a day behind late on a month's last day).
MONTH = today_here().strftime("%Y-%m")  # the instance is made now: this month has every bundled item
ATOM = "{http://www.w3.org/2005/Atom}"



@pytest.fixture
def app(isolated_home, mailserver):
    app = create_app(Settings(home=isolated_home, base_url="https://netkit.test/", smtp_host="127.0.0.1",
                              smtp_port=mailserver.port, smtp_starttls=False,
                              smtp_from="Netkit <netkit@netkit.test>"), {"TESTING": True})
    accounts = Accounts(isolated_home)
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-12")
    accounts.add("cecilie", "member", email="cecilie@au.dk", full_name="Cecilie Dahl", password="ce-kodeord-12")
    accounts.add("ida", "member", password="ida-kodeord-12")  # no e-mail address: subscribed, never mailed
    accounts.add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund", password="frida-kodeord-1")
    return app


def text(response) -> str:
    return response.get_data(as_text=True)


def subscribe(app, name: str, password: str) -> None:
    client, token = sign_in(app, name, password)
    assert "Abonnér på nyhedsbrevet" in text(client.get("/nyhedsbrev/"))
    response = client.post("/nyhedsbrev/abonnement", data={"csrf_token": token, "action": "start"})
    assert response.headers["Location"].endswith("/nyhedsbrev/?abonnement=til")
    assert "Du abonnerer nu på nyhedsbrevet." in text(client.get(response.headers["Location"]))


def keeps(page: str) -> list[str]:
    return re.findall(r'name="keep" value="([^"]+)" checked', page)


def shown(page: str) -> list[str]:
    return re.findall(r'name="shown" value="([^"]+)"', page)


def deliver(app) -> None:
    app.extensions[NOTIFY_KEY].sender.run_once()


def test_a_facilitator_previews_edits_and_sends_one_mail_per_subscriber_once(app, mailserver):
    for name, password in (("bo", "bo-kodeord-12"), ("cecilie", "ce-kodeord-12"), ("ida", "ida-kodeord-12")):
        subscribe(app, name, password)
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    kept = keeps(page)
    assert "edition:fra-forskning-til-klinik@1.0.0" in kept and "project:sepsis-tidlig-varsling" in kept
    assert "Tidlig varsling af sepsis i akutmodtagelsen" in page
    assert "3 abonnenter" in page

    form = {"csrf_token": token, "base": re.search(r'name="base" value="([^"]*)"', page).group(1),
            "shown": shown(page), "intro": "Kære netværk\n\nHer er månedens nyt.",
            "keep": [k for k in kept if k != "project:sepsis-tidlig-varsling"]}
    saved = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={**form, "action": "save"})
    assert saved.status_code == 302 and "gemt=1" in saved.headers["Location"]
    draft = text(frida.get(saved.headers["Location"]))
    assert "Kladden er gemt." in draft and ">\nKære netværk\n\nHer er månedens nyt.</textarea>" in draft
    assert "project:sepsis-tidlig-varsling" not in keeps(draft)
    form["base"] = re.search(r'name="base" value="([^"]*)"', draft).group(1)  # the draft as saved

    unconfirmed = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={**form, "action": "send"})
    assert unconfirmed.status_code == 400
    assert '<p class="field-error" id="confirm-error">Sæt flueben for at bekræfte' in text(unconfirmed)
    assert ">\nKære netværk\n\nHer er månedens nyt.</textarea>" in text(unconfirmed)
    assert mailserver.messages == []

    sent = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={**form, "action": "send", "confirm": "ja"})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/nyhedsbrev/{MONTH}/"
    deliver(app)
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["bo@firma.dk", "cecilie@au.dk"]
    mail = mailserver.to("bo@firma.dk")[0]
    assert mail["Subject"].startswith("Nyt fra netværket – ")
    assert mail["To"] == "Bo Berg <bo@firma.dk>"
    assert re.fullmatch(r"<https://netkit\.test/nyhedsbrev/afmeld/[\w-]+\.[\w-]+>", mail["List-Unsubscribe"])
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Her er månedens nyt." in plain and "Her er månedens nyt." in html
    assert "Tidlig varsling af sepsis" not in plain  # dropped by the facilitator
    assert "https://netkit.test/m/fra-forskning-til-klinik/" in plain

    again = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={**form, "action": "send", "confirm": "ja"})
    assert again.status_code == 409 and "allerede sendt" in text(again)
    deliver(app)
    assert len(mailserver.messages) == 2  # still one each
    assert NewsletterStore(app.extensions[NOTIFY_KEY].store).sent_count(MONTH) == 2

    issue = text(app.test_client().get(f"/nyhedsbrev/{MONTH}/"))  # public, no sign-in
    assert "Her er månedens nyt." in issue and 'href="/m/fra-forskning-til-klinik/"' in issue
    assert "Tidlig varsling af sepsis" not in issue
    assert 'type="application/atom+xml" title="Nyt fra netværket" href="/nyhedsbrev/feed.atom"' in issue
    listing = text(app.test_client().get("/nyhedsbrev/"))
    assert f'href="/nyhedsbrev/{MONTH}/"' in listing
    feed = ET.fromstring(app.test_client().get("/nyhedsbrev/feed.atom").data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}link").get("href") == f"https://netkit.test/nyhedsbrev/{MONTH}/"
    assert entries[0].find(f"{ATOM}summary").text.startswith("Kære netværk")


def test_the_unsubscribe_link_works_without_sign_in_and_refuses_a_tampered_token(app, mailserver):
    subscribe(app, "bo", "bo-kodeord-12")
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    assert frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={
        "csrf_token": token, "intro": "", "keep": keeps(page), "action": "send", "confirm": "ja"}).status_code == 302
    deliver(app)
    link = mailserver.messages[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://netkit.test")
    anonymous = app.test_client()
    data, signature = path.rsplit("/", 1)[1].split(".")
    tampered = anonymous.post(f"/nyhedsbrev/afmeld/{data}.{signature[::-1]}")
    assert tampered.status_code == 404 and "Linket virker ikke" in text(tampered)
    store = NewsletterStore(app.extensions[NOTIFY_KEY].store)
    assert store.subscribers() == ["bo"]
    shown = anonymous.get(path)
    assert shown.status_code == 200 and "Ja, afmeld" in text(shown) and store.subscribers() == ["bo"]  # GET: asks
    done = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})  # a mail client's one-click
    assert done.status_code == 200 and "Du er afmeldt" in text(done)
    assert store.subscribers() == []


def test_the_form_refuses_a_bad_intro_and_keeps_it_and_members_may_not_prepare(app, mailserver):
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    typed = "Hej med kontroltegn\x07 her"
    bad = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={
        "csrf_token": token, "intro": typed, "shown": shown(page), "keep": keeps(page)[:2], "action": "save"})
    body = text(bad)
    assert bad.status_code == 400
    assert '<p class="field-error" id="intro-error">Indledningen indeholder et kontroltegn' in body
    assert 'aria-invalid="true"' in body and typed.replace("\x07", "") in body.replace("\x07", "")
    assert keeps(body) == keeps(page)[:2]  # the choices as typed
    long = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={
        "csrf_token": token, "intro": "x" * 3001, "keep": keeps(page), "action": "save"})
    assert long.status_code == 400 and "Skriv højst 3000 tegn." in text(long)
    stale = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={"intro": "Uden nøgle", "action": "save"})
    assert stale.status_code == 400 and "Uden nøgle</textarea>" in text(stale)
    month = frida.get("/nyhedsbrev/forbered/?maaned=2026-13")
    assert month.status_code == 400 and "Skriv måneden som ÅÅÅÅ-MM" in text(month)
    with app.app_context():
        assert not (instance().library_dir / "newsletters").exists()  # nothing refused was saved

    bo, bo_token = sign_in(app, "bo", "bo-kodeord-12")
    assert bo.get("/nyhedsbrev/forbered/").status_code == 403
    assert bo.post("/nyhedsbrev/forbered/", data={"csrf_token": bo_token, "action": "send",
                                                  "confirm": "ja"}).status_code == 403
    assert app.test_client().get("/nyhedsbrev/forbered/").status_code == 302  # to the sign-in
    assert app.test_client().post("/nyhedsbrev/abonnement", data={"action": "start"}).status_code == 302
    assert app.test_client().get(f"/nyhedsbrev/{MONTH}/").status_code == 404  # not sent: no page
    assert app.test_client().get("/nyhedsbrev/x/").status_code == 404
    assert mailserver.messages == []


def test_unsubscribing_on_the_page_and_a_stale_form(app):
    bo, token = sign_in(app, "bo", "bo-kodeord-12")
    assert bo.post("/nyhedsbrev/abonnement", data={"action": "start"}).headers["Location"].endswith("gammel")
    store = NewsletterStore(app.extensions[NOTIFY_KEY].store)
    assert store.subscribers() == []
    bo.post("/nyhedsbrev/abonnement", data={"csrf_token": token, "action": "start"})
    assert store.subscribers() == ["bo"]
    assert "Afmeld nyhedsbrevet" in text(bo.get("/nyhedsbrev/"))
    bo.post("/nyhedsbrev/abonnement", data={"csrf_token": token, "action": "stop"})
    assert store.subscribers() == []


def test_an_item_new_since_the_form_was_shown_is_kept_not_dropped_unseen(app):
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    seen = [k for k in shown(page) if k != "project:sepsis-tidlig-varsling"]  # as if it came after the form
    saved = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={
        "csrf_token": token, "intro": "", "shown": seen, "keep": [k for k in seen if k != "group:etik"],
        "action": "save"})
    assert saved.status_code == 302
    draft = keeps(text(frida.get(saved.headers["Location"])))
    assert "project:sepsis-tidlig-varsling" in draft and "group:etik" not in draft


def test_a_draft_saved_by_another_meanwhile_is_a_conflict_that_keeps_the_text(app):
    from toolkit.history.gitstore import Author
    from toolkit.network.newsletterissue import issue_records, save_draft

    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)
    assert base == ""  # no draft yet
    with app.app_context():
        save_draft(instance(), issue_records(instance().library_dir), MONTH, "Ola skrev først.", [],
                   Author("ola", "ola@netkit.localhost"))
    form = {"csrf_token": token, "base": base, "intro": "Fridas tekst.", "shown": shown(page), "keep": keeps(page),
            "action": "save"}
    clash = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data=form)
    assert clash.status_code == 409 and "En anden har gemt nyhedsbrevet" in text(clash)
    assert ">\nFridas tekst.</textarea>" in text(clash)
    new_base = re.search(r'name="base" value="([^"]*)"', text(clash)).group(1)
    assert new_base
    again = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={**form, "base": new_base})
    assert again.status_code == 302
    assert ">\nFridas tekst.</textarea>" in text(frida.get(again.headers["Location"]))


def test_without_a_mail_server_the_pages_say_so_and_nothing_is_sent(isolated_home):
    app = create_app(Settings(home=isolated_home, base_url="https://netkit.test/"), {"TESTING": True})
    Accounts(isolated_home).add("frida", "facilitator", email="frida@region.dk", password="frida-kodeord-1")
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    assert "ingen mailserver sat op" in text(frida.get("/nyhedsbrev/"))
    page = text(frida.get(f"/nyhedsbrev/forbered/?maaned={MONTH}"))
    assert "ingen mailserver sat op" in page and "Send nyhedsbrevet</button>" not in page
    refused = frida.post(f"/nyhedsbrev/forbered/?maaned={MONTH}", data={
        "csrf_token": token, "base": "", "intro": "Gemt alligevel.", "shown": shown(page), "keep": keeps(page),
        "action": "send", "confirm": "ja"})
    assert refused.status_code == 503 and "Kladden er gemt." in text(refused)
    with app.app_context():
        from toolkit.network.newsletterissue import issue_records

        issue = issue_records(instance().library_dir).get(MONTH)
    assert issue.intro == "Gemt alligevel." and issue.sent is None
