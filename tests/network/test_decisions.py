"""Decisions and action items as data (toolkit.network.decisions, minutesflow, minutesword, minutesmail,
minutesprivacy) on a real instance (a git repository): every wrong value named by row and field, saving against a
stale base refused, approval freezing the minutes and mailing each participant once through a real SMTP server
(aiosmtpd), the Word minutes generated from the record (python-docx reads it back), marking done by the owner only,
and the owners' data in the privacy export and erasure."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document

from tests.helpers.smtpserver import MailCatcher
from toolkit.config import BUNDLED_TEMPLATES, Settings
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Conflict, Invalid
from toolkit.history.gitstore import Author
from toolkit.network.attendees import attendees
from toolkit.network.decisions import minutes_records
from toolkit.network.meetings import meeting_records, save_meeting
from toolkit.network.minutesflow import (
    Frozen,
    Refused,
    all_actions,
    all_decisions,
    approve,
    owned_by,
    previous_minutes,
    save_minutes,
    set_action_status,
)
from toolkit.network.minutesmail import Announced, announce, announced, approve_and_announce
from toolkit.network.minutesword import OTHER_DECISIONS, record_answers, record_docx
from toolkit.network.notifying import notifications_for
from toolkit.network.persondata import erase_person, find_person
from toolkit.network.signups import SignupStore
from toolkit.people.accounts import Accounts
from toolkit.people.notifystore import NotifyStore

FACILITATOR = Author("frida", "frida@netkit.localhost")
SLUG = "2026-11-12-drift-af-ai-modeller"
MEETING = {"theme": "Drift af AI-modeller", "date": "2026-11-12", "start": "13:00", "end": "16:00",
           "place": "Regionshuset Aarhus", "status": "held", "facilitator": "Frida Lund, Region Midtjylland",
           "topics": ["operations"],
           "invitees": [{"name": "Anna Holm", "email": "anna@region.dk", "organisation": "AUH"},
                        {"name": "Bo Berg", "email": "bo@firma.dk"}, {"name": "Carl Uden Mail"}],
           "agenda": [{"topic": "Velkomst"}, {"topic": "Overvågning af modeller", "presenter": "Anna Holm"}]}
GOOD = {"decisions": [{"text": "Projekter beskriver overvågning af inputdata før driftstest.", "topic": "operations",
                       "item": 2},
                      {"text": "Næste møde handler om finansiering.", "topic": "financing"}],
        "actions": [{"what": "Skrive tjekliste til overvågning", "owner": "Anna Holm", "email": "anna@region.dk",
                     "due": "2026-12-01"},
                    {"what": "Samle erfaringer fra driftstest", "owner": "Bo Berg", "due": "2099-01-31"}]}


@pytest.fixture
def meeting(instance):
    records = meeting_records(instance.library_dir)
    return save_meeting(instance, records, SLUG, MEETING, FACILITATOR, "Møde", create=True)


@pytest.fixture
def minutes(instance):
    return minutes_records(instance.library_dir)


def problems_of(instance, minutes, data) -> dict[str, str]:
    with pytest.raises(Invalid) as caught:
        save_minutes(instance, minutes, SLUG, data, FACILITATOR, "Referat", base="")
    return {p.field: p.message for p in caught.value.problems}


def test_every_wrong_value_is_named_by_row_and_field(instance, meeting, minutes):
    found = problems_of(instance, minutes, {
        "decisions": [{"text": "Godt", "topic": "operations"},
                      {"text": "", "topic": "opertions", "item": 99},
                      {"text": "x" * 1001, "topic": "law", "bogus": 1}],
        "actions": [{"what": "To\nlinjer", "owner": "Anna", "due": "2026-02-30"},
                    {"what": "Ok", "owner": "", "email": "ikke-en-adresse", "due": "1999-01-01", "status": "halvt"},
                    {"what": "Kontrol\x07tegn", "owner": "Bo", "due": ""}]})
    assert found["decisions[2].text"] == "is required"
    assert found["decisions[2].topic"] == "'opertions' is not a known topic"
    assert found["decisions[2].item"] == "'99' is not an agenda item number (1–15)"
    assert found["decisions[3].text"] == "is 1001 characters long; at most 1000 are allowed"
    assert found["decisions[3].bogus"].startswith("unknown field")
    assert found["actions[1].what"] == "must be one line (no line breaks)"
    assert found["actions[1].due"] == "'2026-02-30' is not a date; write YYYY-MM-DD"
    assert found["actions[2].owner"] == "is required"
    assert found["actions[2].email"].startswith("'ikke-en-adresse' is not an e-mail address")
    assert found["actions[2].due"].startswith("1999-01-01 is out of range")
    assert found["actions[2].status"].startswith("'halvt' is not a status")
    assert "control character" in found["actions[3].what"] and found["actions[3].due"] == "is required"
    assert "decisions[1].text" not in found  # the good row is not blamed
    assert not (instance.content / "library/minutes" / f"{SLUG}.yaml").exists()  # nothing written


def test_rows_are_capped(instance, meeting, minutes):
    found = problems_of(instance, minutes, {"decisions": [{"text": f"B{n}", "topic": "law"} for n in range(51)]})
    assert found == {"decisions": "at most 50 rows"}


def test_a_save_from_a_stale_form_is_refused_and_approval_freezes(instance, meeting, minutes):
    saved = save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    assert saved.status == "draft" and len(saved.decisions) == 2 and saved.actions[0].user == ""
    first = minutes.digest(SLUG)
    save_minutes(instance, minutes, SLUG, GOOD | {"decisions": GOOD["decisions"][:1]}, FACILITATOR, "Ret",
                 base=first)
    with pytest.raises(Conflict):  # a second form opened on the first version
        save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Ret igen", base=first)
    with pytest.raises(Conflict):  # "new" minutes, but someone wrote them meanwhile
        save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Ny", base="")
    assert len(minutes.get(SLUG).decisions) == 1


def test_approval_mails_each_participant_once_and_freezes_the_minutes(instance, meeting, minutes):
    catcher = MailCatcher().start()
    try:
        accounts = Accounts(instance.home)
        parts = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/",
                                           smtp_host="127.0.0.1", smtp_port=catcher.port, smtp_starttls=False,
                                           smtp_from="Netkit <netkit@netkit.test>"), instance, accounts)
        save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
        kwargs = dict(outbox=parts.outbox, site=parts.notifier.site, page_url=f"https://netkit.test/moeder/{SLUG}/"
                      "referat/", docx_url="https://netkit.test/x.docx")
        approved, sent = approve_and_announce(instance, minutes, meeting, FACILITATOR, "Frida Lund",
                                              base=minutes.digest(SLUG), **kwargs)
        assert approved.approved and approved.approved_by == "Frida Lund" and sent == 2
        with pytest.raises(Frozen):
            approve_and_announce(instance, minutes, meeting, FACILITATOR, "Frida Lund", base=minutes.digest(SLUG),
                                 **kwargs)
        with pytest.raises(Frozen):
            save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Ret", base=minutes.digest(SLUG))
        parts.outbox.deliver()
        assert sorted(m["X-Envelope-To"] for m in catcher.messages) == ["anna@region.dk", "bo@firma.dk"]
        text = catcher.messages[0].get_body(("plain",)).get_content()
        assert catcher.messages[0]["Subject"] == "Godkendt referat: Drift af AI-modeller 2026-11-12"
        assert "Projekter beskriver overvågning af inputdata" in text and f"/moeder/{SLUG}/referat/" in text
        assert "Skrive tjekliste til overvågning (ansvarlig: Anna Holm, frist: 01.12.2026)" in text
    finally:
        catcher.stop()


def test_minutes_approved_without_a_mail_server_are_announced_later_once(instance, meeting, minutes):
    accounts = Accounts(instance.home)
    urls = dict(page_url=f"https://netkit.test/moeder/{SLUG}/referat/", docx_url="https://netkit.test/x.docx")
    offline = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/"), instance, accounts)
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    approved, sent = approve_and_announce(instance, minutes, meeting, FACILITATOR, "Frida Lund",
                                          base=minutes.digest(SLUG), outbox=offline.outbox,
                                          site=offline.notifier.site, **urls)
    assert approved.approved and sent == 0 and not announced(offline.store, SLUG)
    assert announce(instance, minutes, meeting, outbox=offline.outbox, site=offline.notifier.site, **urls) == 0
    assert not announced(offline.store, SLUG)  # still nobody mailed: still to be done

    catcher = MailCatcher().start()
    try:
        online = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/",
                                            smtp_host="127.0.0.1", smtp_port=catcher.port, smtp_starttls=False,
                                            smtp_from="Netkit <netkit@netkit.test>"), instance, accounts)
        assert announce(instance, minutes, meeting, outbox=online.outbox, site=online.notifier.site, **urls) == 2
        assert announced(online.store, SLUG)
        with pytest.raises(Announced):
            announce(instance, minutes, meeting, outbox=online.outbox, site=online.notifier.site, **urls)
        online.outbox.deliver()
        assert sorted(m["X-Envelope-To"] for m in catcher.messages) == ["anna@region.dk", "bo@firma.dk"]
        assert "godkendt af Frida Lund" in catcher.messages[0].get_body(("plain",)).get_content()
        with online.store.db(writing=False) as db:  # the marker: the meeting, when and how many — nobody's data
            assert db.execute("select meeting, count from minutes_announced").fetchall() == [(SLUG, 2)]
    finally:
        catcher.stop()


def test_minutes_approved_while_sqlite_is_busy_stay_approved_and_are_announced_later(instance, meeting, minutes):
    import sqlite3

    catcher = MailCatcher().start()
    try:
        parts = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/",
                                           smtp_host="127.0.0.1", smtp_port=catcher.port, smtp_starttls=False),
                                  instance, Accounts(instance.home))
        urls = dict(outbox=parts.outbox, site=parts.notifier.site, page_url="https://netkit.test/p",
                    docx_url="https://netkit.test/d")
        with parts.store.db() as db:  # this thread's connection gives up after 50 ms instead of 15 s
            db.execute("pragma busy_timeout = 50")
        save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
        other = sqlite3.connect(parts.store.path, isolation_level=None)
        other.execute("begin immediate")  # another process holds the write lock
        try:
            approved, sent = approve_and_announce(instance, minutes, meeting, FACILITATOR, "Frida Lund",
                                                  base=minutes.digest(SLUG), **urls)
        finally:
            other.execute("rollback")
            other.close()
        assert approved.approved and sent == 0  # the approval (a git commit) stands
        assert not announced(parts.store, SLUG) and parts.outbox.waiting() == 0
        assert announce(instance, minutes, meeting, **urls) == 2
        parts.outbox.deliver()
        assert sorted(m["X-Envelope-To"] for m in catcher.messages) == ["anna@region.dk", "bo@firma.dk"]
    finally:
        catcher.stop()


def test_only_approved_minutes_are_announced(instance, meeting, minutes):
    parts = notifications_for(Settings(home=instance.home, base_url="https://netkit.test/", smtp_host="127.0.0.1",
                                       smtp_port=1, smtp_starttls=False), instance, Accounts(instance.home))
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    with pytest.raises(Invalid):
        announce(instance, minutes, meeting, outbox=parts.outbox, site=parts.notifier.site, page_url="p",
                 docx_url="d")
    assert parts.outbox.waiting() == 0 and not announced(parts.store, SLUG)


def test_the_word_minutes_carry_the_decisions_action_items_and_approval(instance, meeting, minutes):
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    record = minutes.get(SLUG)
    people = attendees(meeting, None)
    assert [p.name for p in people] == ["Frida Lund", "Anna Holm", "Bo Berg", "Carl Uden Mail"]
    generated = record_docx(TemplateCatalogue(BUNDLED_TEMPLATES), meeting, record, people)
    document = Document(io.BytesIO(generated.data))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    for expected in ("Projekter beskriver overvågning af inputdata før driftstest.", OTHER_DECISIONS,
                     "Næste møde handler om finansiering.", "Skrive tjekliste til overvågning", "Anna Holm",
                     "Samle erfaringer fra driftstest", "Carl Uden Mail"):
        assert expected in text, expected


def test_only_the_owner_or_a_facilitator_marks_an_action_done(instance, meeting, minutes):
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    anna = owned_by("Anna Holm", "anna@region.dk", "anna")
    bo = owned_by("Bo Berg", "", "bo")
    what = GOOD["actions"][0]["what"]
    with pytest.raises(Refused):
        set_action_status(instance, minutes, SLUG, 1, what, "done", Author("bo", "bo@x"), bo)
    with pytest.raises(Invalid):  # the item at that place is another one now
        set_action_status(instance, minutes, SLUG, 2, what, "done", Author("anna", "anna@x"), anna)
    done = set_action_status(instance, minutes, SLUG, 1, what, "done", Author("anna", "anna@x"), anna)
    assert done.done and minutes.get(SLUG).actions[0].status == "done"
    meetings = meeting_records(instance.library_dir)
    assert [e.item.what for e in all_actions(minutes, meetings, open_only=True)] == [GOOD["actions"][1]["what"]]
    assert [e.item.what for e in all_actions(minutes, meetings, mine=bo)] == [GOOD["actions"][1]["what"]]
    assert minutes.get(SLUG).actions[1].overdue(dt.date(2099, 2, 1))
    assert [e.item.topic for e in all_decisions(minutes, meetings, topic="financing")] == ["financing"]
    assert all_decisions(minutes, meetings, year=2027) == []


def test_owners_are_in_the_privacy_export_and_erased(instance, meeting, minutes):
    Accounts(instance.home).add("anna", "member", email="anna@region.dk", full_name="Anna Holm",
                                password="anna-kodeord-1")
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    found = find_person(instance, "anna@region.dk")
    places = found.section("minutes")
    assert len(places) == 1 and places[0].data["owner"] == "Anna Holm" and places[0].erasable
    assert found.to_dict()["minutes"][0]["email"] == "anna@region.dk"
    erasure = erase_person(instance, "anna@region.dk", FACILITATOR)
    assert any("owner of 1 action item(s) replaced" in line for line in erasure.done)
    minutes.invalidate()
    first = minutes.get(SLUG).actions[0]
    assert (first.owner, first.email, first.user) == ("Slettet person", "", "")
    assert minutes.get(SLUG).actions[1].owner == "Bo Berg"
    assert find_person(instance, "anna@region.dk").section("minutes") == []


def test_the_next_minutes_follow_up_the_earlier_action_items(instance, meeting, minutes):
    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    set_action_status(instance, minutes, SLUG, 2, GOOD["actions"][1]["what"], "done", FACILITATOR, lambda a: True)
    meetings = meeting_records(instance.library_dir)
    later = save_meeting(instance, meetings, "2027-01-20-opfoelgning", MEETING | {
        "theme": "Opfølgning", "date": "2027-01-20"}, FACILITATOR, "Møde", create=True)
    assert previous_minutes(minutes, meetings, meeting) is None
    assert previous_minutes(minutes, meetings, later) is None  # a draft is not followed up (members read the Word)
    approve(instance, minutes, SLUG, FACILITATOR, "Frida Lund", base=minutes.digest(SLUG))
    earlier = previous_minutes(minutes, meetings, later)
    assert earlier is not None and earlier[0].slug == SLUG
    answers = record_answers(later, None, [], previous=earlier)
    assert answers["previous_actions"] == [
        {"action": "Skrive tjekliste til overvågning", "owner": "Anna Holm", "status": "delayed",
         "comment": "Fra mødet 12.11.2026, frist 01.12.2026"},
        {"action": "Samle erfaringer fra driftstest", "owner": "Bo Berg", "status": "done",
         "comment": "Fra mødet 12.11.2026, frist 31.01.2099"}]
    generated = record_docx(TemplateCatalogue(BUNDLED_TEMPLATES), later, None, [], previous=earlier)
    text = "\n".join(c.text for t in Document(io.BytesIO(generated.data)).tables for r in t.rows for c in r.cells)
    assert "Skrive tjekliste til overvågning" in text and "Forsinket" in text and "Udført" in text


def test_attendees_come_from_the_sign_ups_when_there_are_any(instance, meeting):
    store = NotifyStore(instance.home)
    signups = SignupStore(store)
    with signups.db() as db:
        for email, name, answer in (("anna@region.dk", "Anna Holm", "yes"), ("dan@firma.dk", "Dan Dahl", "yes"),
                                    ("eva@firma.dk", "Eva Eg", "no"), ("finn@firma.dk", "Finn Fog", "")):
            row = signups.add(db, SLUG, email, name, "", "", "named", 1.0)
            if answer:
                signups.answer(db, row, answer, None, 2.0)
    people = attendees(meeting, store)
    assert [(p.name, p.email) for p in people] == [("Frida Lund", ""), ("Anna Holm", "anna@region.dk"),
                                                   ("Dan Dahl", "dan@firma.dk")]
    assert people[0].organisation == "Region Midtjylland" and people[0].role == "Facilitator"


def test_the_word_minutes_convert_to_pdf_with_libreoffice(instance, meeting, minutes, require_libreoffice, tmp_path):
    from toolkit.documents.pdf import docx_to_pdf

    save_minutes(instance, minutes, SLUG, GOOD, FACILITATOR, "Referat", base="")
    generated = record_docx(TemplateCatalogue(BUNDLED_TEMPLATES), meeting, minutes.get(SLUG), attendees(meeting, None))
    pdf = tmp_path / "referat.pdf"
    pdf.write_bytes(docx_to_pdf(generated.data, "referat"))
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        assert "Projekter beskriver overvågning af inputdata før driftstest." in text
        assert "Skrive tjekliste til overvågning" in text
