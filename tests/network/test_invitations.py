"""Invitations to a meeting through a real SMTP server on 127.0.0.1 (aiosmtpd): one invitation per person with the
agenda and a calendar part that `icalendar` reads (METHOD:REQUEST, ORGANIZER, ATTENDEE with RSVP, SEQUENCE); an
update with SEQUENCE + 1 when the time or place changes, METHOD:CANCEL when the meeting is cancelled; the signed
answer link; seats and the waiting list that moves up; reminders once."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from toolkit.config import Settings
from toolkit.errors import Invalid
from toolkit.history.gitstore import Author
from toolkit.library.freshness import DANISH_MONTHS
from toolkit.network.invitations import Invitations, Invitee, Refused
from toolkit.network.meetings import ZONE, meeting_records, save_meeting
from toolkit.network.notifying import notifications_for
from toolkit.network.rsvp import read_token
from toolkit.people.accounts import Accounts

FACILITATOR = Author("frida", "frida@netkit.localhost")
DAY = dt.date.today() + dt.timedelta(days=30)
SLUG = f"{DAY.isoformat()}-adgang-til-data"
MEETING = {"theme": "Adgang til data", "date": DAY.isoformat(), "start": "13:00", "end": "16:00",
           "place": "Regionshuset Aarhus", "status": "invited", "facilitator": "Frida Lund",
           "problem": "Hvordan får projekter adgang til registerdata?",
           "agenda": [{"topic": "Velkomst"}, {"topic": "Hjemmel", "presenter": "Lise Andersen"}]}



@pytest.fixture
def accounts(instance):
    accounts = Accounts(instance.home)
    accounts.add("frida", "facilitator", email="frida@region.dk", full_name="Frida Lund", password="frida-kodeord-1")
    accounts.add("anna", "member", groups=("dataadgang",), email="anna@region.dk", full_name="Anna Holm",
                 password="anna-kodeord-1")
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-1")
    accounts.add("nomail", "member", password="nomail-kodeord-1")
    return accounts


def wired(instance, accounts, mailserver, **meeting):
    records = meeting_records(instance.library_dir)
    save_meeting(instance, records, SLUG, MEETING | meeting, FACILITATOR, "Nyt møde", create=True)
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": mailserver.port, "smtp_starttls": False} if mailserver else {}
    parts = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/",
                                       smtp_from="Netkit <netkit@netkit.test>", **smtp), instance, accounts)
    return Invitations(instance, records, accounts, parts.outbox, parts.notifier.site), parts


def change(instance, invitations, **fields):
    records = invitations.records
    base = records.digest(SLUG)
    data = MEETING | fields
    save_meeting(instance, records, SLUG, data, FACILITATOR, "Ændret", create=False, base=base)
    return invitations.follow_up(SLUG)


def calendar_of(message) -> Calendar:
    """The iMIP part (text/calendar with its method, beside the text), checked against the attached file."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    attached = next(p for p in message.iter_attachments() if p.get_filename() == "invitation.ics")
    assert attached.get_content().decode("utf-8") == part.get_content()
    calendar = Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(calendar["METHOD"])
    return calendar


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def token_in(message) -> str:
    line = next(line for line in body(message).splitlines() if "/svar/" in line)
    return line.strip().rsplit("/", 1)[1]


def test_each_invitee_gets_one_invitation_with_a_calendar_request(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver)
    people, without, problems = invitations.resolve(["Cecilie Dahl; Aarhus Universitet; cecilie@au.dk", "member"])
    assert problems == [] and without == ["nomail"]
    assert {p.email for p in people} == {"cecilie@au.dk", "anna@region.dk", "bo@firma.dk"}
    done = invitations.invite(SLUG, people)
    assert done.mailed == 3 and sorted(done.added) == ["anna@region.dk", "bo@firma.dk", "cecilie@au.dk"]
    parts.outbox.deliver()
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anna@region.dk", "bo@firma.dk",
                                                                       "cecilie@au.dk"]
    mail = mailserver.to("cecilie@au.dk")[0]
    assert mail["Subject"] == f"Invitation: Adgang til data {DAY.day}. {DANISH_MONTHS[DAY.month - 1]} {DAY.year}"
    text = body(mail)
    assert "Kære Cecilie Dahl" in text and "1. Velkomst" in text and "2. Hjemmel (Lise Andersen)" in text
    assert f"https://netkit.test/moeder/{SLUG}/svar/" in text
    calendar = calendar_of(mail)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{SLUG}@netkit" and int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:netkit@netkit.test" and event["ORGANIZER"].params["CN"] == "Frida Lund"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:cecilie@au.dk" and attendee.params["RSVP"] == "TRUE"
    assert event["DTSTART"].dt == dt.datetime.combine(DAY, dt.time(13), ZONE)

    # Inviting again (and a role that overlaps) mails nobody twice; a newcomer gets one.
    again = invitations.invite(SLUG, invitations.resolve(["all", "cecilie@au.dk"])[0])
    assert again.added == ["frida@region.dk"] and again.mailed == 1
    parts.outbox.deliver()
    assert len(mailserver.messages) == 4 and len(mailserver.to("cecilie@au.dk")) == 1


def test_a_changed_time_sends_an_update_and_cancelling_sends_cancel(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver)
    invitations.invite(SLUG, [Invitee("Anna Holm", "anna@region.dk", user="anna"),
                              Invitee("Bo Berg", "bo@firma.dk", user="bo")])
    bo = invitations.store.of(SLUG)[1]
    invitations.answer(SLUG, "no", key=bo.key)
    assert change(instance, invitations, problem="Kun teksten ændret") == 0  # no new time or place: no mail
    assert change(instance, invitations, start="14:00", end="17:00") == 1  # Bo said no: no update for him
    parts.outbox.deliver()
    update = mailserver.to("anna@region.dk")[-1]
    assert update["Subject"].startswith("Ændret: Adgang til data")
    event = calendar_of(update).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt.hour == 14

    # Bo changes his mind after the change he was not told of: his calendar catches up.
    invitations.answer(SLUG, "maybe", key=bo.key)
    parts.outbox.deliver()
    caught_up = mailserver.to("bo@firma.dk")[-1]
    assert caught_up["Subject"].startswith("Ændret:") and int(calendar_of(caught_up).walk("VEVENT")[0]["SEQUENCE"]) == 1

    assert change(instance, invitations, start="14:00", end="17:00", status="cancelled") == 2
    assert invitations.follow_up(SLUG) == 0  # once
    parts.outbox.deliver()
    cancel = mailserver.to("anna@region.dk")[-1]
    calendar = calendar_of(cancel)
    assert str(calendar["METHOD"]) == "CANCEL" and cancel["Subject"].startswith("Aflyst:")
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert [m["Subject"].split(":")[0] for m in mailserver.to("bo@firma.dk")] == ["Invitation", "Ændret", "Aflyst"]
    with pytest.raises(Refused):
        invitations.answer(SLUG, "yes", email="anna@region.dk")
    with pytest.raises(Invalid):
        invitations.invite(SLUG, [Invitee("Ny", "ny@firma.dk")])


def test_the_signed_link_records_one_answer_and_refuses_tampering_and_expiry(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver)
    invitations.invite(SLUG, [Invitee("Cecilie Dahl", "cecilie@au.dk")])
    parts.outbox.deliver()
    token = token_in(mailserver.messages[0])
    signup = invitations.from_token(SLUG, token)
    assert signup is not None and signup.email == "cecilie@au.dk"
    invitations.answer(SLUG, "maybe", key=signup.key)
    invitations.answer(SLUG, "yes", key=signup.key)  # a later answer replaces the earlier one
    rows = invitations.store.of(SLUG)
    assert [(r.email, r.answer, r.place) for r in rows] == [("cecilie@au.dk", "yes", "seat")]
    assert invitations.store.summary(SLUG, None).seats == 1

    secret = parts.store.secret()
    key, signature = token.split(".")
    assert invitations.from_token(SLUG, f"{key[:-1]}{'A' if key[-1] != 'A' else 'B'}.{signature}") is None
    assert invitations.from_token(SLUG, f"{key}.{signature[:-2]}") is None
    assert invitations.from_token("2099-01-01-andet-moede", token) is None  # another meeting's
    assert read_token(secret, SLUG, token) == key
    after = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0, 30), ZONE)
    with pytest.raises(Refused) as refused:
        invitations.answer(SLUG, "no", key=key, now=after)
    assert refused.value.reason == "expired"
    same_evening = dt.datetime.combine(DAY, dt.time(23, 30), ZONE)
    assert invitations.answer(SLUG, "no", key=key, now=same_evening).signup.answer == "no"


def test_the_waiting_list_moves_up_when_someone_declines(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver, capacity=2)
    people = [Invitee(f"Person {n}", f"p{n}@firma.dk") for n in range(1, 5)]
    invitations.invite(SLUG, people)
    keys = {s.email: s.key for s in invitations.store.of(SLUG)}
    for number in range(1, 5):
        invitations.answer(SLUG, "yes", key=keys[f"p{number}@firma.dk"])
    places = {s.email: s.place for s in invitations.store.of(SLUG)}
    assert places == {"p1@firma.dk": "seat", "p2@firma.dk": "seat", "p3@firma.dk": "waiting",
                      "p4@firma.dk": "waiting"}
    summary = invitations.store.summary(SLUG, 2)
    assert (summary.seats, summary.waiting, summary.full) == (2, 2, True)
    parts.outbox.deliver()
    before = len(mailserver.messages)

    answered = invitations.answer(SLUG, "no", key=keys["p1@firma.dk"])
    assert [s.email for s in answered.moved_up] == ["p3@firma.dk"]
    places = {s.email: s.place for s in invitations.store.of(SLUG)}
    assert places["p3@firma.dk"] == "seat" and places["p4@firma.dk"] == "waiting" and places["p1@firma.dk"] == ""
    parts.outbox.deliver()
    moved = mailserver.messages[before:]
    assert [m["X-Envelope-To"] for m in moved] == ["p3@firma.dk"]
    assert moved[0]["Subject"].startswith("Du har fået en plads") and "Du er nu tilmeldt" in body(moved[0])

    # A larger capacity gives the rest of the waiting list seats at the next change.
    change(instance, invitations, capacity=5)
    assert {s.email: s.place for s in invitations.store.of(SLUG)}["p4@firma.dk"] == "seat"


def test_reminders_go_once_to_yes_and_maybe(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver)
    invitations.invite(SLUG, [Invitee("A", "a@firma.dk"), Invitee("B", "b@firma.dk"), Invitee("C", "c@firma.dk")])
    keys = {s.email: s.key for s in invitations.store.of(SLUG)}
    invitations.answer(SLUG, "yes", key=keys["a@firma.dk"])
    invitations.answer(SLUG, "maybe", key=keys["b@firma.dk"])
    invitations.answer(SLUG, "no", key=keys["c@firma.dk"])
    too_early = dt.datetime.combine(DAY - dt.timedelta(days=5), dt.time(9), ZONE)
    assert invitations.remind(2, now=too_early) == 0
    in_time = dt.datetime.combine(DAY - dt.timedelta(days=2), dt.time(9), ZONE)
    assert invitations.remind(2, now=in_time) == 2
    assert invitations.remind(2, now=in_time) == 0  # cron runs it daily: once
    parts.outbox.deliver()
    reminded = sorted(m["X-Envelope-To"] for m in mailserver.messages if m["Subject"].startswith("Påmindelse"))
    assert reminded == ["a@firma.dk", "b@firma.dk"]


def test_without_a_mail_server_invitations_are_recorded_and_sent_later(instance, accounts, mailserver):
    invitations, _parts = wired(instance, accounts, None)
    done = invitations.invite(SLUG, [Invitee("A", "a@firma.dk")])
    assert done.unsent and done.mailed == 0 and done.added == ["a@firma.dk"]
    parts = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/", smtp_host="127.0.0.1",
                                       smtp_port=mailserver.port, smtp_starttls=False), instance, accounts)
    later = Invitations(instance, invitations.records, accounts, parts.outbox, parts.notifier.site)
    assert later.invite(SLUG, []).mailed == 1
    parts.outbox.deliver()
    assert [m["X-Envelope-To"] for m in mailserver.messages] == ["a@firma.dk"]


def test_targets_that_are_no_role_group_or_address_are_named(instance, accounts, mailserver):
    invitations, _parts = wired(instance, accounts, mailserver)
    people, _without, problems = invitations.resolve(["medlemmer", "group:ingen-gruppe", "Anna <anna@region.dk>",
                                                      "group:dataadgang"])
    assert [p.field for p in problems] == ["to", "to"]
    assert "medlemmer" in problems[0].message and "ingen-gruppe" in problems[1].message
    assert [(p.email, p.user) for p in people] == [("anna@region.dk", "anna")]


def test_a_persons_invitations_are_in_the_privacy_export_and_erased(instance, accounts, mailserver):
    from toolkit.network.persondata import erase_person, find_person

    invitations, _parts = wired(instance, accounts, mailserver, capacity=1)
    invitations.invite(SLUG, [Invitee("Cecilie Dahl", "Cecilie@AU.dk", "Aarhus Universitet"),
                              Invitee("Dorte Nielsen", "dorte@firma.dk")])
    cecilie = invitations.store.of(SLUG)[0]
    invitations.answer(SLUG, "yes", key=cecilie.key)
    found = find_person(instance, "cecilie@au.dk")
    [place] = found.section("signups")
    assert place.erasable and place.data["meeting"] == SLUG and place.data["answer"] == "yes"
    assert place.data["organisation"] == "Aarhus Universitet" and place.data["place"] == "seat"
    assert "signups" in found.to_dict()

    erasure = erase_person(instance, "cecilie@au.dk", FACILITATOR)
    assert any("meeting sign-ups: 1" in line for line in erasure.done)
    assert find_person(instance, "cecilie@au.dk").section("signups") == []
    assert [s.email for s in invitations.store.of(SLUG)] == ["dorte@firma.dk"]
    assert invitations.from_token(SLUG, invitations.token(cecilie)) is None  # the link is gone with the person


@pytest.mark.parametrize("capacity", ["mange", 0, -3, True, "9" * 5000, "٣", 10_001, [5]])
def test_a_capacity_is_a_whole_number_of_seats(capacity):
    from toolkit.network.meetings import parse_meeting

    meeting, problems = parse_meeting(SLUG, MEETING | {"capacity": capacity}, "library/meetings/x.yaml", {})
    assert meeting is None and [p.field for p in problems] == ["capacity"]
    assert "not a number of seats" in problems[0].message


def test_a_capacity_is_kept_through_the_record():
    from toolkit.network.meetings import meeting_data, parse_meeting

    meeting, problems = parse_meeting(SLUG, MEETING | {"capacity": " 30 "}, "library/meetings/x.yaml", {})
    assert problems == [] and meeting.capacity == 30 and meeting_data(meeting)["capacity"] == 30
    without, _problems = parse_meeting(SLUG, MEETING, "library/meetings/x.yaml", {})
    assert without.capacity is None and "capacity" not in meeting_data(without)


def _full_with_one_waiting(invitations, *people: str) -> dict[str, str]:
    """Capacity 1: the first answers yes and has the seat, the second waits; the link keys by address."""
    invitations.invite(SLUG, [Invitee(f"Person {p}", f"{p}@firma.dk") for p in people])
    keys = {s.email: s.key for s in invitations.store.of(SLUG)}
    invitations.answer(SLUG, "yes", key=keys[f"{people[0]}@firma.dk"])
    invitations.answer(SLUG, "yes", key=keys[f"{people[1]}@firma.dk"])
    assert {s.email: s.place for s in invitations.store.of(SLUG)} == {
        f"{people[0]}@firma.dk": "seat", f"{people[1]}@firma.dk": "waiting", f"{people[2]}@firma.dk": ""}
    return keys


def test_an_erased_persons_seat_goes_to_the_waiting_list_not_to_the_next_yes(instance, accounts, mailserver):
    from toolkit.network.persondata import erase_person

    invitations, parts = wired(instance, accounts, mailserver, capacity=1)
    keys = _full_with_one_waiting(invitations, "a", "b", "c")
    parts.outbox.deliver()
    before = len(mailserver.messages)

    erasure = erase_person(instance, "a@firma.dk", FACILITATOR, invitations=invitations)
    assert f"meeting {SLUG}: 1 moved up from the waiting list to the freed seat(s)" in erasure.done
    assert {s.email: s.place for s in invitations.store.of(SLUG)} == {"b@firma.dk": "seat", "c@firma.dk": ""}
    assert invitations.answer(SLUG, "yes", key=keys["c@firma.dk"]).signup.place == "waiting"
    parts.outbox.deliver()
    moved = mailserver.messages[before:]
    assert [m["X-Envelope-To"] for m in moved] == ["b@firma.dk"]
    assert moved[0]["Subject"].startswith("Du har fået en plads") and "Du er nu tilmeldt" in body(moved[0])


def test_erasing_without_mail_wiring_still_moves_the_waiting_list_up(instance, accounts, mailserver):
    from toolkit.network.persondata import erase_person

    invitations, parts = wired(instance, accounts, mailserver, capacity=1)
    _full_with_one_waiting(invitations, "a", "b", "c")
    erasure = erase_person(instance, "a@firma.dk", FACILITATOR)  # as a caller without the mail settings
    assert any(line.endswith("(not mailed: no mail server)") for line in erasure.done)
    assert {s.email: s.place for s in invitations.store.of(SLUG)}["b@firma.dk"] == "seat"
    parts.outbox.deliver()
    assert not [m for m in mailserver.to("b@firma.dk") if m["Subject"].startswith("Du har fået en plads")]


@pytest.mark.parametrize("freed", ["forgotten", "capacity"])
def test_a_new_yes_does_not_take_a_free_seat_while_people_wait(instance, accounts, mailserver, freed):
    invitations, parts = wired(instance, accounts, mailserver, capacity=1)
    keys = _full_with_one_waiting(invitations, "a", "b", "c")
    if freed == "forgotten":  # a seat freed and not given on (a crash between the erasure and the move-up)
        invitations.store.forget("a@firma.dk")
    else:  # the capacity raised in the file, outside the web edit and its follow-up
        save_meeting(instance, invitations.records, SLUG, MEETING | {"capacity": 2}, FACILITATOR, "Flere pladser",
                     create=False, base=invitations.records.digest(SLUG))
    parts.outbox.deliver()
    before = len(mailserver.messages)

    answered = invitations.answer(SLUG, "yes", key=keys["c@firma.dk"])
    assert answered.signup.place == "waiting" and [s.email for s in answered.moved_up] == ["b@firma.dk"]
    places = {s.email: s.place for s in invitations.store.of(SLUG)}
    assert places["b@firma.dk"] == "seat" and places["c@firma.dk"] == "waiting"
    parts.outbox.deliver()
    assert [m["X-Envelope-To"] for m in mailserver.messages[before:]] == ["b@firma.dk"]
    assert mailserver.messages[before]["Subject"].startswith("Du har fået en plads")


def test_the_one_waiting_who_answers_while_a_seat_is_free_takes_it_without_a_mail(instance, accounts, mailserver):
    invitations, parts = wired(instance, accounts, mailserver, capacity=1)
    keys = _full_with_one_waiting(invitations, "a", "b", "c")
    invitations.store.forget("a@firma.dk")
    parts.outbox.deliver()
    before = len(mailserver.messages)
    answered = invitations.answer(SLUG, "yes", key=keys["b@firma.dk"])  # said again: the free seat is b's
    assert answered.signup.place == "seat" and answered.moved_up == ()
    parts.outbox.deliver()
    assert mailserver.messages[before:] == []  # the answer page tells b; no "you got a seat" mail on top
