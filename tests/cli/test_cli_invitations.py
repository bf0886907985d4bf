"""`netkit meetings invite|signups|remind` on a real instance, mailing through a real SMTP server (aiosmtpd):
invitations queued and sent, nobody mailed twice, the participant list as text and CSV, exit codes on misuse (2)
and on what cannot be done (1), never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from toolkit.cli import main
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.network.invitations import invitations_for
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.network.notifying import notifications_for
from toolkit.network.signups import SignupStore
from toolkit.people.accounts import Accounts
from toolkit.people.notifystore import NotifyStore

DAY = dt.date.today() + dt.timedelta(days=1)  # tomorrow: within a reminder's two days
SLUG = f"{DAY.isoformat()}-adgang-til-data"



@pytest.fixture
def home(instance):
    Accounts(instance.home).add("anna", "member", email="anna@region.dk", full_name="Anna Holm",
                                password="anna-kodeord-1")
    save_meeting(instance, meeting_records(instance.library_dir), SLUG, {
        "theme": "Adgang til data", "date": DAY.isoformat(), "place": "Regionshuset Aarhus", "status": "invited",
        "facilitator": "Frida Lund", "capacity": 1}, Author("frida", "frida@netkit.localhost"), "Nyt møde",
        create=True)
    return instance.home


def run(runner, home, mailserver, *args):
    env = {"NETKIT_SMTP_HOST": "127.0.0.1", "NETKIT_SMTP_PORT": str(mailserver.port), "NETKIT_SMTP_STARTTLS": "0",
           "NETKIT_BASE_URL": "https://netkit.test/"} if mailserver else {"NETKIT_SMTP_HOST": ""}
    return runner.invoke(main, ["--home", str(home), *args], env=env)


def test_invite_queues_one_mail_each_and_signups_lists_the_answers(runner, home, mailserver, instance):
    result = run(runner, home, mailserver, "meetings", "invite", SLUG, "--to", "member",
                 "--to", "=Cmd; Firma; cmd@firma.dk")
    assert result.exit_code == 0, result.output
    assert "Invited 2 new; 0 invited before (not mailed again); 2 mail(s) queued" in result.output
    again = run(runner, home, mailserver, "meetings", "invite", SLUG, "--to", "anna@region.dk")
    assert "Invited 0 new; 1 invited before" in again.output and "0 mail(s) queued" in again.output
    sent = run(runner, home, mailserver, "notifications", "send")
    assert sent.exit_code == 0, sent.output
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["anna@region.dk", "cmd@firma.dk"]

    store = SignupStore(NotifyStore(home))
    accounts = Accounts(home)
    answers = invitations_for(notifications_for(Settings(home=home), instance, accounts), instance, accounts)
    for signup in store.of(SLUG):  # answered as the personal link does
        answers.answer(SLUG, "yes", key=signup.key)
    listed = run(runner, home, mailserver, "meetings", "signups", SLUG)
    assert listed.exit_code == 0, listed.output
    assert "Tilmeldt: 1 af 1  venteliste: 1" in listed.output and "Anna Holm <anna@region.dk>" in listed.output

    exported = run(runner, home, mailserver, "meetings", "signups", SLUG, "--csv")
    assert exported.stdout_bytes.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.stdout_bytes.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Navn", "Organisation", "E-mail", "Svar", "Plads", "Besvaret", "Inviteret"]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("Anna Holm", "", "anna@region.dk", "Ja", "Tilmeldt"), ("'=Cmd", "Firma", "cmd@firma.dk", "Ja", "Venteliste")]

    reminded = run(runner, home, mailserver, "meetings", "remind")
    assert reminded.exit_code == 0 and "1 reminder(s) queued" in reminded.output
    assert "0 reminder(s) queued" in run(runner, home, mailserver, "meetings", "remind").output


def test_misuse_exits_2_and_what_cannot_be_done_exits_1(runner, home, mailserver):
    unknown = run(runner, home, mailserver, "meetings", "invite", SLUG, "--to", "medlemmer")
    assert unknown.exit_code == 2 and "medlemmer" in unknown.output and "Traceback" not in unknown.output
    assert run(runner, home, mailserver, "meetings", "invite", SLUG).exit_code == 2  # --to is required
    missing = run(runner, home, mailserver, "meetings", "signups", "2099-01-01-intet-moede")
    assert missing.exit_code == 1 and "no meeting" in missing.output
    no_server = run(runner, home, None, "meetings", "remind")
    assert no_server.exit_code == 1 and "no mail server" in no_server.output
    recorded = run(runner, home, None, "meetings", "invite", SLUG, "--to", "anna@region.dk")
    assert recorded.exit_code == 0 and "recorded, not mailed" in recorded.output


def test_person_export_and_erase_cover_the_invitations(runner, home, mailserver):
    run(runner, home, mailserver, "meetings", "invite", SLUG, "--to", "Cecilie Dahl <cecilie@au.dk>")
    exported = run(runner, home, mailserver, "person", "export", "cecilie@au.dk")
    assert exported.exit_code == 0, exported.output
    lines = exported.output.splitlines()
    assert "Meeting invitations and answers:" in lines
    assert any(f"invited to {SLUG} as Cecilie Dahl <cecilie@au.dk>: answer none" in line and line.endswith("[erase]")
               for line in lines)
    erased = run(runner, home, mailserver, "person", "erase", "cecilie@au.dk", "--yes")
    assert erased.exit_code == 0 and "meeting sign-ups: 1 invitation(s) and answer(s) removed" in erased.output
    assert SignupStore(NotifyStore(home)).of(SLUG) == []


def test_erasing_the_person_with_the_seat_gives_it_to_the_first_waiting_who_is_mailed(runner, home, mailserver,
                                                                                     instance):
    run(runner, home, mailserver, "meetings", "invite", SLUG, "--to", "Cecilie Dahl <cecilie@au.dk>",
        "--to", "Bo Berg <bo@firma.dk>")
    store, accounts = SignupStore(NotifyStore(home)), Accounts(home)
    answers = invitations_for(notifications_for(Settings(home=home), instance, accounts), instance, accounts)
    for email in ("cecilie@au.dk", "bo@firma.dk"):  # capacity 1: Cecilie gets the seat, Bo waits
        answers.answer(SLUG, "yes", key=next(s.key for s in store.of(SLUG) if s.email == email))
    assert {s.email: s.place for s in store.of(SLUG)} == {"cecilie@au.dk": "seat", "bo@firma.dk": "waiting"}
    erased = run(runner, home, mailserver, "person", "erase", "cecilie@au.dk", "--yes")
    assert erased.exit_code == 0, erased.output
    assert "moved up from the waiting list" in erased.output and "not mailed" not in erased.output
    assert {s.email: s.place for s in store.of(SLUG)} == {"bo@firma.dk": "seat"}
    assert run(runner, home, mailserver, "notifications", "send").exit_code == 0
    assert any(m["Subject"].startswith("Du har fået en plads") for m in mailserver.to("bo@firma.dk"))
