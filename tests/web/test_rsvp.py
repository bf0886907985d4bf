"""Invitations and answers in the browser (Flask's test client, a real instance, a real SMTP server on 127.0.0.1):
a facilitator invites through the form, the invitee answers by the personal link without an account, a member
answers signed in on the meeting page, the waiting list moves up, "Tilmeldt: 1 af 1"; an altered link (404), a
past meeting (410) and a cancelled one (410) get a Danish page; CSRF, rights, the form's problems at their field,
the participant list as CSV; editing the meeting's time sends the update."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from icalendar import Calendar

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.network.meetings import save_meeting
from webui.context import NOTIFY_KEY, instance
from webui.views.network.meetingdata import records

DAY = dt.date.today() + dt.timedelta(days=20)
SLUG = f"{DAY.isoformat()}-tilmelding-til-test"
MEETING = {"theme": "Tilmelding til test", "date": DAY.isoformat(), "start": "13:00", "end": "15:00",
           "place": "Regionshuset Aarhus", "status": "invited", "facilitator": "Frida Lund", "capacity": 1,
           "agenda": [{"topic": "Velkomst"}]}



@pytest.fixture
def app(isolated_home, mailserver, monkeypatch):
    for key, value in (("NETKIT_SMTP_HOST", "127.0.0.1"), ("NETKIT_SMTP_PORT", str(mailserver.port)),
                       ("NETKIT_SMTP_STARTTLS", "0"), ("NETKIT_BASE_URL", "https://netkit.test/")):
        monkeypatch.setenv(key, value)
    app = app_with_users(isolated_home, ("mette", "member"))
    from toolkit.people.accounts import Accounts

    accounts = Accounts(isolated_home)
    accounts.add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund", password="frida-kodeord-1")
    accounts.add("anna", "member", email="anna@region.dk", full_name="Anna Holm", password="anna-kodeord-1")
    with app.app_context():
        meetings, _proposals = records()
        save_meeting(instance(), meetings, SLUG, MEETING, Author("frida", "frida@netkit.localhost"), "Nyt møde",
                     create=True)
    return app


def deliver(app) -> None:
    app.extensions[NOTIFY_KEY].outbox.deliver()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https://netkit\.test(/moeder/\S+/svar/\S+)", body).group(1)


def invite(app, people: str = "", roles=()) -> tuple:
    client, _token = sign_in(app, "frida", "frida-kodeord-1")
    page = text_of(client.get(f"/moeder/{SLUG}/inviter"))
    data = form_data(page, "/inviter") | {"people": people, "roles": list(roles)}
    return client, client.post(f"/moeder/{SLUG}/inviter", data=data)


def test_invited_by_the_form_answered_by_link_and_signed_in_with_a_waiting_list(app, mailserver):
    facilitator, response = invite(app, "Cecilie Dahl; Aarhus Universitet; cecilie@au.dk", roles=["member"])
    assert response.status_code == 302 and response.location.endswith("#tilmeldinger")
    page = text_of(facilitator.get(response.location))
    assert "2 inviteret." in page and "Konti uden e-mailadresse blev ikke inviteret: 1." in page  # mette: no address
    deliver(app)
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anna@region.dk", "cecilie@au.dk"]
    mail = mailserver.to("cecilie@au.dk")[0]
    calendar = Calendar.from_ical(next(p for p in mail.walk() if p.get_content_type() == "text/calendar").get_content())
    assert str(calendar["METHOD"]) == "REQUEST" and calendar.walk("VEVENT")[0]["ATTENDEE"].params["RSVP"] == "TRUE"

    link = link_in(mail)
    visitor = app.test_client()  # no account
    shown = text_of(visitor.get(link))
    assert "Kommer du?" in shown and "Cecilie Dahl" in shown and "Tilmelding til test" in shown
    assert visitor.post(link, data={"answer": "yes"}).status_code == 400  # no form token: nothing recorded
    assert "Du har svaret" not in text_of(visitor.get(link))
    answered = visitor.post(link, data={"answer": "yes", "csrf_token": token_of(shown)})
    assert answered.status_code == 302
    shown = text_of(visitor.get(answered.location))
    assert "Tak, dit svar er gemt." in shown and "Du har svaret ja og er tilmeldt." in shown
    assert 'id="answer-yes" name="answer" value="yes" checked' in shown

    member, token = sign_in(app, "anna", "anna-kodeord-1")
    work = text_of(member.get("/mit-arbejde"))
    assert "Mine invitationer til møder" in work and f'href="/moeder/{SLUG}/#tilmelding"' in work
    assert "<strong>Ikke svaret</strong>" in work
    member_page = text_of(member.get(f"/moeder/{SLUG}/"))
    assert "1 af 1" in member_page and "Gem mit svar" in member_page
    assert "cecilie@au.dk" not in member_page  # the participant list is the facilitators'
    member.post(f"/moeder/{SLUG}/tilmelding", data={"answer": "yes", "csrf_token": token})
    member_page = text_of(member.get(f"/moeder/{SLUG}/"))
    assert "du står som nr. 1 på ventelisten" in member_page and "(1 på venteliste)" in member_page

    before = len(mailserver.messages)
    visitor.post(link, data={"answer": "no", "csrf_token": token_of(text_of(visitor.get(link)))})
    deliver(app)
    assert [(m["X-Envelope-To"], m["Subject"].split(":")[0]) for m in mailserver.messages[before:]] == [
        ("anna@region.dk", "Du har fået en plads")]
    assert "Du har svaret ja og er tilmeldt." in text_of(member.get(f"/moeder/{SLUG}/"))
    assert "Dit svar: Ja" in text_of(member.get("/mit-arbejde"))
    listed = text_of(facilitator.get(f"/moeder/{SLUG}/"))
    assert "Deltagerliste (2 inviteret)" in listed and "cecilie@au.dk" in listed and "Venteliste" not in listed

    # Inviting the same people again mails nobody.
    _client, again = invite(app, "cecilie@au.dk", roles=["member"])
    assert "inviteret=0" in again.location and "tidligere=2" in again.location
    deliver(app)
    assert len(mailserver.messages) == before + 1


def test_altered_past_and_cancelled_links_get_a_danish_page(app, mailserver):
    invite(app, "Cecilie Dahl; cecilie@au.dk")
    deliver(app)
    link = link_in(mailserver.messages[0])
    visitor = app.test_client()
    altered = visitor.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert altered.status_code == 404 and "Linket er ikke gyldigt" in text_of(altered)
    assert visitor.get(link.replace(SLUG, "2027-02-04-adgang-til-data")).status_code == 404
    shown = text_of(visitor.get(link))
    wrong = visitor.post(link, data={"answer": "kanske", "csrf_token": token_of(shown)})
    assert wrong.status_code == 400 and "Vælg ja, nej eller måske." in text_of(wrong)

    with app.app_context():
        meetings, _proposals = records()
        past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
        save_meeting(instance(), meetings, SLUG, MEETING | {"date": past}, Author("frida", "f@x.dk"), "Flyttet",
                     create=False, base=meetings.digest(SLUG))
    expired = visitor.get(link)
    assert expired.status_code == 410 and "Linket er udløbet: mødet har fundet sted" in text_of(expired)

    with app.app_context():
        meetings, _proposals = records()
        save_meeting(instance(), meetings, SLUG, MEETING | {"status": "cancelled"}, Author("frida", "f@x.dk"),
                     "Aflyst", create=False, base=meetings.digest(SLUG))
    cancelled = visitor.get(link)
    assert cancelled.status_code == 410 and "Mødet er aflyst" in text_of(cancelled)


def test_the_invitation_form_names_a_wrong_line_and_keeps_what_was_typed(app):
    client, response = invite(app, "Cecilie Dahl; cecilie@au.dk\nbare et navn")
    assert response.status_code == 400
    page = text_of(response)
    assert "Disse linjer er ikke en person med e-mailadresse" in page and "bare et navn" in page
    assert 'aria-invalid="true"' in page and "Cecilie Dahl; cecilie@au.dk\nbare et navn</textarea>" in page
    empty = client.post(f"/moeder/{SLUG}/inviter", data={"csrf_token": token_of(page), "people": ""})
    assert empty.status_code == 400 and "Skriv mindst én person" in text_of(empty)
    stale = client.post(f"/moeder/{SLUG}/inviter", data={"people": "a@b.dk", "csrf_token": "forkert"})
    assert stale.status_code == 400 and "a@b.dk</textarea>" in text_of(stale)
    member, token = sign_in(app, "anna", "anna-kodeord-1")
    assert member.post(f"/moeder/{SLUG}/inviter", data={"people": "a@b.dk", "csrf_token": token}).status_code == 403
    assert member.get(f"/moeder/{SLUG}/deltagere.csv").status_code == 403
    assert app.test_client().get(f"/moeder/{SLUG}/deltagere.csv").status_code == 302  # to the sign-in page


def test_the_participant_list_downloads_as_csv_for_excel(app, mailserver):
    client, _response = invite(app, "=HYPERLINK(\"x\"); +Firma; ond@firma.dk\nCecilie Dahl; AU; cecilie@au.dk")
    response = client.get(f"/moeder/{SLUG}/deltagere.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Navn", "Organisation", "E-mail", "Svar", "Plads", "Besvaret", "Inviteret"]
    assert sorted((r[0], r[1], r[2], r[3]) for r in rows[1:]) == [
        ("'=HYPERLINK(\"x\")", "'+Firma", "ond@firma.dk", "Ikke svaret"),
        ("Cecilie Dahl", "AU", "cecilie@au.dk", "Ikke svaret")]


def test_editing_the_time_in_the_form_sends_the_update(app, mailserver):
    client, _response = invite(app, "Cecilie Dahl; cecilie@au.dk")
    page = text_of(client.get(f"/moeder/{SLUG}/rediger"))
    data = form_data(page, "/rediger") | {"start": "14:00", "end": "16:00", "capacity": "30"}
    assert client.post(f"/moeder/{SLUG}/rediger", data=data).status_code == 302
    deliver(app)
    update = mailserver.to("cecilie@au.dk")[-1]
    assert update["Subject"].startswith("Ændret: Tilmelding til test")
    event = Calendar.from_ical(next(p for p in update.walk() if p.get_content_type() == "text/calendar")
                                .get_content()).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt.hour == 14
    assert "0 af 30" in text_of(client.get(f"/moeder/{SLUG}/"))
    wrong = form_data(text_of(client.get(f"/moeder/{SLUG}/rediger")), "/rediger") | {"capacity": "mange"}
    refused = client.post(f"/moeder/{SLUG}/rediger", data=wrong)
    assert refused.status_code == 400 and "Antal pladser" in text_of(refused) and 'value="mange"' in text_of(refused)


def test_a_signed_in_member_who_was_not_invited_signs_up_on_the_meeting_page(app, mailserver):
    member, token = sign_in(app, "anna", "anna-kodeord-1")
    page = text_of(member.get(f"/moeder/{SLUG}/"))
    assert "Kommer du?" in page and "Du har svaret" not in page
    missing = member.post(f"/moeder/{SLUG}/tilmelding", data={"csrf_token": token})
    assert "svar=mangler" in missing.location
    assert "Vælg ja, nej eller måske." in text_of(member.get(missing.location))
    member.post(f"/moeder/{SLUG}/tilmelding", data={"answer": "maybe", "csrf_token": token})
    assert "Du har svaret måske." in text_of(member.get(f"/moeder/{SLUG}/"))
    facilitator, _token = sign_in(app, "frida", "frida-kodeord-1")
    listed = text_of(facilitator.get(f"/moeder/{SLUG}/"))
    assert "Deltagerliste (1 inviteret)" in listed and "anna@region.dk" in listed and "Måske" in listed
    deliver(app)
    assert mailserver.messages == []  # signing up oneself sends no invitation
    nobody = app.test_client()
    assert nobody.post(f"/moeder/{SLUG}/tilmelding", data={"answer": "yes"}).status_code == 302  # to sign in
    assert "Kommer du?" not in text_of(nobody.get(f"/moeder/{SLUG}/"))
