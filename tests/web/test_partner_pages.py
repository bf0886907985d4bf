"""Partners for consortia on the web, through real HTTP on a real instance of the bundled library: `/partnere/`
with the example projects' match, "Vis interesse" delivered to a real SMTP server on 127.0.0.1 (aiosmtpd) as
exactly one mail to the project's contact, the project form's seeks/offers/funding rows (refused rows keep what
was typed, with a Danish error at the field), and the funding calls' page and calendar."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from flask import render_template
from icalendar import Calendar

from tests.helpers.forms import form_data
from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app
from webui.context import NOTIFY_KEY, PROJECTS_KEY

SEPSIS, THORAX = "sepsis-tidlig-varsling", "triage-af-thoraxroentgen"
THORAX_CONTACT = "anne.kristensen@example.org"  # the thorax example's only contact
SEPSIS_CONTACTS = ("mette.soerensen@example.org", "jonas.holm@example.org")



@pytest.fixture
def app(isolated_home, mailserver):
    app = create_app(Settings(home=isolated_home, base_url="https://netkit.test/", smtp_host="127.0.0.1",
                              smtp_port=mailserver.port, smtp_starttls=False,
                              smtp_from="Netkit <netkit@netkit.test>"), {"TESTING": True})
    accounts = Accounts(isolated_home)
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-12")
    accounts.add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund", password="frida-kodeord-1")
    accounts.add("ida", "member", password="ida-kodeord-12")  # no e-mail address
    return app


def text(response) -> str:
    return response.get_data(as_text=True)


def section(page: str, kind: str) -> str:
    found = re.search(rf'<section class="partner-kind[^"]*" aria-labelledby="kind-{kind}">(.*?)</section>', page, re.S)
    assert found, kind
    return found.group(1)


def test_the_partner_page_shows_a_match_between_two_example_projects(app):
    client = app.test_client()
    page = text(client.get("/partnere/"))
    implementation = section(page, "competence-implementation")
    seekers, offerers = implementation.split("<h3>Tilbyder</h3>")
    assert "Match" in implementation
    assert "Tidlig varsling af sepsis i akutmodtagelsen" in seekers and "thorax" not in seekers
    assert "AI-triage af røntgenbilleder af thorax" in offerers and "sepsis" not in offerers.lower()
    assert f'href="/partnere/{THORAX}/interesse?om=competence-implementation"' in offerers
    assert "Match" not in section(page, "competence-mdr")  # offered, sought by nobody
    assert page.index('aria-labelledby="kind-competence-implementation"') < page.index(
        'aria-labelledby="kind-competence-mdr"')  # matches first
    assert "@" not in re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)  # no address on the page

    only = text(client.get("/partnere/?type=competence-mdr"))
    assert re.findall(r'aria-labelledby="kind-([a-z-]+)"', only) == ["competence-mdr"]
    assert 'aria-current="true" class="active">Kompetence: MDR og regulering' in only
    everything = text(client.get("/partnere/?type=ukendt"))  # an unknown filter is ignored
    assert 'aria-labelledby="kind-data-partner"' in everything


def test_show_interest_sends_exactly_one_mail_to_the_contact_and_shows_no_address(app, mailserver):
    bo, _token = sign_in(app, "bo", "bo-kodeord-12")
    form_page = text(bo.get(f"/partnere/{THORAX}/interesse?om=competence-implementation"))
    assert "Kompetence: implementering" in form_page and THORAX_CONTACT not in form_page
    data = form_data(form_page, "/interesse")
    data["message"] = "Hej Anne\nVi er ved at tage en sepsismodel i drift og vil gerne høre om jeres erfaringer."
    sent = bo.post(f"/partnere/{THORAX}/interesse", data=data)
    assert sent.status_code == 302
    confirmation = text(bo.get(sent.headers["Location"]))
    assert "Din besked er sendt" in confirmation and THORAX_CONTACT not in confirmation

    app.extensions[NOTIFY_KEY].sender.run_once()
    assert len(mailserver.messages) == 1
    mail = mailserver.messages[0]
    assert mail["X-Envelope-To"] == THORAX_CONTACT
    assert mail["Reply-To"] == "Bo Berg <bo@firma.dk>"
    assert mail["Subject"] == "Interesse for dit projekt: AI-triage af røntgenbilleder af thorax"
    body = mail.get_body(("plain",)).get_content()
    assert "Bo Berg har vist interesse for projektet" in body
    assert "Det drejer sig om: Kompetence: implementering" in body
    assert "  Vi er ved at tage en sepsismodel i drift" in body
    assert f"https://netkit.test/projekter/{THORAX}/" in body

    again = bo.post(f"/partnere/{THORAX}/interesse", data={**data, "message": "Og en besked mere i dag, tak."})
    assert again.status_code == 429 and "inden for det sidste døgn" in text(again)
    assert "Og en besked mere i dag, tak." in text(again)  # kept in the form
    app.extensions[NOTIFY_KEY].sender.run_once()
    assert len(mailserver.messages) == 1  # still exactly one


def test_a_project_with_two_contacts_mails_only_the_first(app, mailserver):
    bo, token = sign_in(app, "bo", "bo-kodeord-12")
    assert bo.post(f"/partnere/{SEPSIS}/interesse", data={"csrf_token": token, "message": "Vi har data til jer."}
                   ).status_code == 302
    app.extensions[NOTIFY_KEY].sender.run_once()
    assert [m["X-Envelope-To"] for m in mailserver.messages] == [SEPSIS_CONTACTS[0]]


def test_show_interest_is_refused_without_sign_in_token_message_or_address(app, mailserver):
    anonymous = app.test_client()
    assert anonymous.get(f"/partnere/{THORAX}/interesse").headers["Location"].startswith("/log-ind")
    assert anonymous.post(f"/partnere/{THORAX}/interesse", data={"message": "Hej med jer alle sammen"}
                          ).status_code == 302
    bo, token = sign_in(app, "bo", "bo-kodeord-12")
    stale = bo.post(f"/partnere/{THORAX}/interesse", data={"message": "Uden formularens nøgle"})
    assert stale.status_code == 400 and "Uden formularens nøgle" in text(stale)
    short = bo.post(f"/partnere/{THORAX}/interesse", data={"csrf_token": token, "message": "Hej"})
    page = text(short)
    assert short.status_code == 400
    assert re.search(r'<p class="field-error" id="message-error">Skriv en besked på 10–2000 tegn', page)
    assert 'aria-invalid="true"' in page and ">\nHej</textarea>" in page
    ida, ida_token = sign_in(app, "ida", "ida-kodeord-12")
    no_address = ida.post(f"/partnere/{THORAX}/interesse", data={"csrf_token": ida_token,
                                                                  "message": "Jeg har ingen adresse."})
    assert no_address.status_code == 503 and "ingen e-mailadresse" in text(no_address)
    assert bo.get("/partnere/findes-ikke/interesse").status_code == 404
    app.extensions[NOTIFY_KEY].sender.run_once()
    assert mailserver.messages == []


def test_the_form_edits_seeks_offers_and_calls_and_keeps_refused_rows(app):
    reader = app.test_client()
    assert "Billeddata fra en anden region" not in text(reader.get("/partnere/?type=data-partner"))
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    page = text(frida.get(f"/projekter/{SEPSIS}/rediger"))
    data = form_data(page, "/rediger")
    assert data["seeks_kind"][:2] == ["clinical-partner", "competence-implementation"]
    assert data["seeks_kind"][2:] == ["", ""]  # two empty rows to add more
    assert data["seeks_funding_from"] == "danske-regioner-ai-i-drift-2027"
    assert '<label for="seeks-kind-3">Hvad (række 3)</label>' in page

    data["seeks_kind"][2], data["seeks_text"][2] = "data-partner", "Første linje\nanden linje"
    data["offers_kind"][1], data["offers_text"][1] = "ingen-slags", "Noget"
    refused = frida.post(f"/projekter/{SEPSIS}/rediger", data=data)
    page = text(refused)
    assert refused.status_code == 400
    assert re.search(r'id="seeks-error">Række 3: beskrivelsen skal være én linje', page)
    assert re.search(r'id="offers-error">Række 2: »ingen-slags« er ikke en af mulighederne', page)
    assert '<a href="#seeks">Projektet søger</a>' in page
    assert re.search(r'id="seeks-text-3"[^>]*aria-invalid="true"', page)  # the row in error is marked, not others
    assert not re.search(r'id="seeks-text-1"[^>]*aria-invalid', page)
    assert 'value="Første linje\nanden linje"' in page and '<option value="ingen-slags" selected>' in page

    data["seeks_text"][2] = "Billeddata fra en anden region"
    data["offers_kind"][1], data["offers_text"][1] = "funding", ""
    data["seeks_funding_from"] = ["danske-regioner-ai-i-drift-2027", "horizon-europe-sundhed-2027"]
    data["base"] = re.search(r'name="base" value="([^"]*)"', page).group(1)
    saved = frida.post(f"/projekter/{SEPSIS}/rediger", data=data)
    assert saved.status_code == 302
    project = app.extensions[PROJECTS_KEY].get(SEPSIS)
    assert [n.kind for n in project.seeks] == ["clinical-partner", "competence-implementation", "data-partner"]
    assert [n.kind for n in project.offers] == ["competence-data-science", "funding"]
    assert project.seeks_funding_from == ("danske-regioner-ai-i-drift-2027", "horizon-europe-sundhed-2027")
    shown = text(frida.get(f"/projekter/{SEPSIS}/"))
    assert "<strong>Datapartner</strong>: Billeddata fra en anden region" in shown
    assert "Horizon Europe, klynge 1 Sundhed – AI i diagnostik 2027" in shown
    assert f'href="/partnere/{SEPSIS}/interesse"' in shown
    seekers = section(text(reader.get("/partnere/?type=data-partner")), "data-partner").split("<h3>Tilbyder</h3>")[0]
    assert "Billeddata fra en anden region" in seekers  # a reader sees the saved row at once (no stale page)

    unknown = form_data(text(frida.get(f"/projekter/{SEPSIS}/rediger")), "/rediger")
    unknown["seeks_funding_from"] = ["intet-opslag"]
    page = text(frida.post(f"/projekter/{SEPSIS}/rediger", data=unknown))
    assert "»intet-opslag« er ikke et opslag i Netkit" in page


def test_the_calls_page_lists_calls_with_the_projects_seeking_them_and_a_calendar(app):
    client = app.test_client()
    page = text(client.get("/opslag/"))
    card = re.search(r'<li class="card call" id="opslag-innovationsfonden-grand-solutions-2027">(.*?)</li>\s*</?',
                     page, re.S).group(1)
    assert "Innovationsfonden" in card and 'datetime="2027-03-10"' in card
    assert 'href="/projekter/tale-til-tekst-journalnotater/"' in card
    project = text(client.get("/projekter/tale-til-tekst-journalnotater/"))
    assert 'href="/opslag/#opslag-innovationsfonden-grand-solutions-2027"' in project
    calendar = Calendar.from_ical(client.get("/opslag/frister.ics").data)
    urls = sorted(str(e["URL"]) for e in calendar.walk("VEVENT"))
    assert len(urls) == 4 and urls[0].startswith("https://netkit.test/opslag/#opslag-")


def test_the_annual_plans_calendar_and_word_file_carry_the_deadlines(app):
    client = app.test_client()
    calendar = Calendar.from_ical(client.get("/moeder/aarsplan/2027.ics").data)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert "call-danske-regioner-ai-i-drift-2027@netkit" in uids
    assert len([u for u in uids if u.startswith("call-")]) == 4
    assert any(not u.startswith("call-") for u in uids)  # beside the meetings
    document = Document(io.BytesIO(client.get("/moeder/aarsplan/2027.docx").data))
    assert "Ansøgningsfrister" in [p.text for p in document.paragraphs]
    with app.test_request_context("/moeder/"):
        part = render_template("partners/deadlines.html", year=2027)
    assert 'id="call-deadlines-heading">Ansøgningsfrister 2027' in part and 'datetime="2027-03-10"' in part
    with app.test_request_context("/moeder/"):
        assert "call-deadlines" not in render_template("partners/deadlines.html", year=2026)


def test_the_partner_kinds_speak_english_when_chosen(app):
    client = app.test_client()
    client.get("/sprog/en")
    page = text(client.get("/partnere/"))
    assert '<h2 id="kind-competence-implementation">Competence: implementation' in page
    assert "Company/technology partner" in page and "Datapartner" not in page
    project = text(client.get(f"/projekter/{SEPSIS}/"))
    assert "<strong>Clinical partner</strong>: Akutafdelinger" in project  # the project's own words stay Danish


def test_without_a_mail_server_the_page_says_so_before_and_after(isolated_home):
    app = create_app(Settings(home=isolated_home), {"TESTING": True})
    Accounts(isolated_home).add("bo", "member", email="bo@firma.dk", password="bo-kodeord-12")
    bo, token = sign_in(app, "bo", "bo-kodeord-12")
    assert "ingen mailserver sat op" in text(bo.get(f"/partnere/{THORAX}/interesse"))
    refused = bo.post(f"/partnere/{THORAX}/interesse", data={"csrf_token": token, "message": "Vi vil gerne tale."})
    assert refused.status_code == 503 and "ingen mailserver sat op" in text(refused)
    assert "Vi vil gerne tale." in text(refused)
    assert app.extensions[NOTIFY_KEY].outbox.waiting() == 0
