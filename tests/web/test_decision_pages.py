"""Decisions and action items in the browser (Flask's test client, a real instance of the bundled library, a real
SMTP server on 127.0.0.1): the minutes entered in the form as a browser posts it → the Word minutes hold the
decision and the action item (python-docx) → approval mails each participant once → /beslutninger/, the meeting
page and the owner's "Mit arbejde" show them → the owner marks the item done. Problems at their fields with the
text kept, a stale form refused, rights and CSRF checked on the server."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from docx import Document

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.people.accounts import Accounts
from webui.context import NOTIFY_KEY

DATA = "2027-02-04-adgang-til-data"
EDIT = f"/moeder/{DATA}/referat/rediger"
DECISION = "Netværket laver en fælles skabelon til dataansøgninger."
ACTION = "Skrive udkast til skabelonen for dataansøgninger"



@pytest.fixture
def app(isolated_home, mailserver, monkeypatch):
    for key, value in (("NETKIT_SMTP_HOST", "127.0.0.1"), ("NETKIT_SMTP_PORT", str(mailserver.port)),
                       ("NETKIT_SMTP_STARTTLS", "0"), ("NETKIT_BASE_URL", "https://netkit.test/")):
        monkeypatch.setenv(key, value)
    app = app_with_users(isolated_home, ("frida", "facilitator"), ("anne", "member"), ("ole", "member"))
    accounts = Accounts(isolated_home)
    accounts.update("frida", full_name="Frida Lund", email="frida@region.dk")
    accounts.update("anne", full_name="Anne Sørensen", email="anne.soerensen@example.dk")
    return app


def client_of(app, name: str):
    return sign_in(app, name, f"{name}-kodeord-1")[0]


def text_of(response) -> str:
    return response.get_data(as_text=True)


def filled(page: str, **fields: str) -> dict:
    data = form_data(page, "/referat/rediger")
    data.update(fields)
    return data


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_minutes_round_trip_from_the_form_to_word_register_mywork_and_done(app, mailserver):
    frida = client_of(app, "frida")
    page = text_of(frida.get(EDIT))
    assert '<label for="d-0-text">Beslutning</label>' in page and 'name="a-1-due"' in page
    saved = frida.post(EDIT, data=filled(page, **{
        "d-0-text": DECISION, "d-0-topic": "data-access", "d-0-item": "2",
        "a-0-what": ACTION, "a-0-owner": "Anne Sørensen", "a-0-email": "anne.soerensen@example.dk",
        "a-0-due": "2026-11-15", "action": "save"}))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/moeder/{DATA}/referat/?gemt=gemt")
    draft = text_of(frida.get(f"/moeder/{DATA}/referat/"))
    assert DECISION in draft and "Kladde" in draft and "Godkend referat" in draft
    # a draft is not for readers, and not in the register yet
    assert app.test_client().get(f"/moeder/{DATA}/referat/").status_code == 404
    assert app.test_client().get(f"/moeder/{DATA}/referat/referat.docx").status_code == 404
    assert DECISION not in text_of(app.test_client().get("/beslutninger/"))

    word = frida.get(f"/moeder/{DATA}/referat/referat.docx")
    assert word.status_code == 200
    text = docx_text(word.data)
    assert DECISION in text and ACTION in text and "Anne Sørensen" in text
    assert "Beslutningen er ikke skrevet ind endnu." in text  # the agenda items without a decision say so

    base = re.search(r'name="base" value="([^"]+)"', draft)[1]
    approved = frida.post(f"/moeder/{DATA}/referat/godkend",
                          data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', draft)[1], "base": base})
    assert approved.status_code == 302 and "godkendt=2" in approved.headers["Location"]
    app.extensions[NOTIFY_KEY].outbox.deliver()
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anne.soerensen@example.dk",
                                                                        "sara.nielsen@example.dk"]
    assert f"https://netkit.test/moeder/{DATA}/referat/" in mailserver.messages[0].get_body(("plain",)).get_content()
    assert "Godkendt af Frida Lund" in text_of(app.test_client().get(f"/moeder/{DATA}/referat/"))
    assert "Referatet er ikke sendt" not in text_of(frida.get(f"/moeder/{DATA}/referat/"))  # announced with it
    # the Word minutes name the attendees and the action items' owners: members only, never an anonymous reader
    anonymous = app.test_client().get(f"/moeder/{DATA}/referat/referat.docx")
    assert anonymous.status_code == 302 and "/log-ind" in anonymous.headers["Location"]
    assert "Hent referatet (Word)" not in text_of(app.test_client().get(f"/moeder/{DATA}/referat/"))
    assert "Frida Lund" in docx_text(client_of(app, "ole").get(f"/moeder/{DATA}/referat/referat.docx").data)
    assert frida.get(EDIT).status_code == 302  # frozen: the form sends you to the approved minutes

    assert DECISION in text_of(app.test_client().get("/beslutninger/"))  # the same address as before approval
    feed = app.test_client().get("/beslutninger/feed.atom")  # approved minutes are published: a feed entry each
    assert feed.status_code == 200 and feed.content_type.startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = ET.fromstring(feed.data).findall(f"{atom}entry")
    assert entry.findtext(f"{atom}title").startswith("Referat: ")
    assert entry.find(f"{atom}link").get("href") == f"https://netkit.test/moeder/{DATA}/referat/"
    assert DECISION in entry.findtext(f"{atom}summary") and ACTION not in feed.get_data(as_text=True)
    register = text_of(app.test_client().get("/beslutninger/?emne=data-access&aar=2027"))
    assert DECISION in register and f'href="/moeder/{DATA}/"' in register and "1 beslutning" in register
    assert DECISION not in text_of(app.test_client().get("/beslutninger/?emne=law"))
    assert DECISION not in text_of(app.test_client().get("/beslutninger/?aar=2026"))
    assert app.test_client().get("/beslutninger/?emne=../x").status_code == 400

    meeting_page = text_of(app.test_client().get(f"/moeder/{DATA}/"))
    assert DECISION in meeting_page and ACTION not in meeting_page  # owners' names for members only
    anne = client_of(app, "anne")
    assert ACTION in text_of(anne.get(f"/moeder/{DATA}/"))
    mywork = text_of(anne.get("/mit-arbejde"))
    assert ACTION in mywork and "Overskredet" in mywork and "Marker som udført" in mywork  # due 2026-11-15: past
    ole = client_of(app, "ole")
    assert ACTION not in text_of(ole.get("/mit-arbejde"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', mywork)[1]
    form = {"csrf_token": token, "what": ACTION, "status": "done", "next": "mywork"}
    ole_token = re.search(r'name="csrf_token" value="([^"]+)"', text_of(ole.get("/mit-arbejde")))[1]
    assert ole.post(f"/moeder/{DATA}/handlinger/1", data=form | {"csrf_token": ole_token}).status_code == 403
    assert anne.post(f"/moeder/{DATA}/handlinger/1", data=form | {"csrf_token": "forkert"}).status_code == 400
    done = anne.post(f"/moeder/{DATA}/handlinger/1", data=form)
    assert done.status_code == 302 and done.headers["Location"].endswith("/mit-arbejde#handlingspunkter")
    after = text_of(anne.get("/mit-arbejde"))
    assert "Udført" in after and "Åbn igen" in after and "Overskredet" not in after


def test_problems_are_shown_at_their_fields_and_the_text_is_kept(app):
    frida = client_of(app, "frida")
    page = text_of(frida.get(EDIT))
    refused = frida.post(EDIT, data=filled(page, **{
        "d-0-text": DECISION, "d-0-topic": "",
        "a-1-what": "Linje et", "a-1-owner": "", "a-1-email": "ikke-en-adresse", "a-1-due": "2027-02-30",
        "action": "save"}))
    assert refused.status_code == 400
    text = text_of(refused)
    # the empty first action row is dropped, so the typed one is row 1 in both the form and the problems
    assert 'href="#d-0-topic">Beslutning 1: Emne</a>: Skal udfyldes.' in text
    assert 'href="#a-0-owner">Handlingspunkt 1: Ansvarlig</a>: Skal udfyldes.' in text
    assert "»ikke-en-adresse« er ikke en e-mailadresse" in text
    assert "»2027-02-30« er ikke en dato" in text
    assert 'id="a-0-due-error"' in text and 'aria-describedby="a-0-due-error" aria-invalid="true"' in text
    assert DECISION in text and 'value="Linje et"' in text and 'value="ikke-en-adresse"' in text
    more = frida.post(EDIT, data=filled(text, action="more"))
    assert more.status_code == 200 and 'name="d-3-text"' in text_of(more) and DECISION in text_of(more)


def test_a_stale_form_is_refused_with_the_text_kept_and_rights_are_checked(app):
    frida = client_of(app, "frida")
    first, second = text_of(frida.get(EDIT)), text_of(frida.get(EDIT))
    fields = {"d-0-text": DECISION, "d-0-topic": "law", "action": "save"}
    assert frida.post(EDIT, data=filled(first, **fields)).status_code == 302
    stale = frida.post(EDIT, data=filled(second, **{"d-0-text": "Min egen udgave", "d-0-topic": "law"}))
    assert stale.status_code == 409
    assert "En anden har gemt referatet" in text_of(stale) and "Min egen udgave" in text_of(stale)
    again = frida.post(EDIT, data=filled(text_of(stale)))  # saving again uses mine, now knowingly
    assert again.status_code == 302
    assert "Min egen udgave" in text_of(frida.get(f"/moeder/{DATA}/referat/"))
    no_token = frida.post(EDIT, data=filled(first, **fields) | {"csrf_token": "forkert"})
    assert no_token.status_code == 400 and DECISION in text_of(no_token)
    anne = client_of(app, "anne")
    assert anne.get(EDIT).status_code == 403
    assert app.test_client().get(EDIT).status_code == 302  # to sign in
    assert anne.post(f"/moeder/{DATA}/referat/godkend", data={}).status_code == 403


def _approved_without_a_mail_server(monkeypatch) -> str:
    """Minutes written and approved in the app while it had no mail server (no mail queued); the page then."""
    from toolkit.config import Settings
    from webui import create_app

    monkeypatch.delenv("NETKIT_SMTP_HOST")
    offline = create_app(Settings.from_env(), {"TESTING": True})
    frida = client_of(offline, "frida")
    page = text_of(frida.get(EDIT))
    assert frida.post(EDIT, data=filled(page, **{"d-0-text": DECISION, "d-0-topic": "law", "a-0-what": ACTION,
                                                 "a-0-owner": "Anne Sørensen", "a-0-due": "2027-03-01",
                                                 "a-0-email": "anne.soerensen@example.dk",
                                                 "action": "save"})).status_code == 302
    draft = text_of(frida.get(f"/moeder/{DATA}/referat/"))
    approved = frida.post(f"/moeder/{DATA}/referat/godkend", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', draft)[1],
        "base": re.search(r'name="base" value="([^"]+)"', draft)[1]})
    assert approved.status_code == 302 and "godkendt=0" in approved.headers["Location"]
    return text_of(frida.get(f"/moeder/{DATA}/referat/"))


def test_minutes_approved_without_a_mail_server_are_sent_later_once_by_a_facilitator(app, mailserver, monkeypatch):
    offline_page = _approved_without_a_mail_server(monkeypatch)
    assert "Referatet er ikke sendt til deltagerne" in offline_page
    assert "E-mails kan ikke sendes nu" in offline_page and "Send referatet til deltagerne" not in offline_page

    # The app with a mail server (created before the variable was removed) offers the button to facilitators only.
    frida = client_of(app, "frida")
    page = text_of(frida.get(f"/moeder/{DATA}/referat/"))
    assert "Send referatet til deltagerne" in page and f'action="/moeder/{DATA}/referat/send"' in page
    anne = client_of(app, "anne")
    member_page = text_of(anne.get(f"/moeder/{DATA}/referat/"))
    assert DECISION in member_page and "Referatet er ikke sendt" not in member_page
    assert "Referatet er ikke sendt" not in text_of(app.test_client().get(f"/moeder/{DATA}/referat/"))

    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    member_token = re.search(r'name="csrf_token" value="([^"]+)"', member_page)[1]
    assert anne.post(f"/moeder/{DATA}/referat/send", data={"csrf_token": member_token}).status_code == 403
    assert app.test_client().post(f"/moeder/{DATA}/referat/send").status_code == 302  # to sign in
    assert frida.post(f"/moeder/{DATA}/referat/send", data={"csrf_token": "forkert"}).status_code == 400
    app.extensions[NOTIFY_KEY].outbox.deliver()
    assert mailserver.messages == []  # refused posts queued nothing

    sent = frida.post(f"/moeder/{DATA}/referat/send", data={"csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/moeder/{DATA}/referat/?sendt=2")
    after = text_of(frida.get(sent.headers["Location"]))
    assert "Referatet er sendt. E-mails sat i kø til deltagerne: 2." in after
    assert "Send referatet til deltagerne" not in after
    again = frida.post(f"/moeder/{DATA}/referat/send", data={"csrf_token": token})  # a second click
    assert again.status_code == 302 and "sendt" not in again.headers["Location"]
    app.extensions[NOTIFY_KEY].outbox.deliver()
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anne.soerensen@example.dk",
                                                                        "sara.nielsen@example.dk"]
