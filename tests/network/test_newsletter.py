"""The newsletter's core on a real instance of the bundled library (a git repository whose commits are dated with
GIT_AUTHOR_DATE/GIT_COMMITTER_DATE): the digest of a month holds what happened in it and nothing older, the mail
in plain text and HTML, the intro's checks, the subscribers' store and its signed links, and the person data."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from toolkit.errors import Invalid, InvalidSlug
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import record_text
from toolkit.network.newsletter import assemble, month_bounds, parse_month, previous_month, shorten
from toolkit.network.newsletterissue import check_intro, issue_records, save_draft
from toolkit.network.newslettermail import newsletter_mail
from toolkit.network.newsletterstore import NewsletterStore, forget_subscriber, subscription_of
from toolkit.network.persondata import erase_person, find_person
from toolkit.people.accounts import Accounts
from toolkit.people.mail import MAIL_POLICY, Site
from toolkit.people.notifystore import NotifyStore

FRIDA = Author("Frida Lund", "frida@region.dk")
SITE = Site("https://netkit.test/", "Netkit <netkit@netkit.test>")


def dated(monkeypatch, moment: str) -> None:
    """Every commit and tag from now on carries this date (author date: the history; committer: the tags)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", moment)
    monkeypatch.setenv("GIT_COMMITTER_DATE", moment)


def write(instance: Instance, path: str, data: dict) -> None:
    target = instance.library_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(data), encoding="utf-8")


@pytest.fixture
def october(tmp_path: Path, monkeypatch) -> Instance:
    """The bundled library created in September; then in October a new edition, a held meeting, a new project, a
    new funding call and a changed working group; a September meeting and a call whose deadline passed in October
    are older."""
    dated(monkeypatch, "2026-09-10T10:00:00+02:00")
    instance = Instance.create(tmp_path / "instance")
    write(instance, "meetings/2026-09-15-data-i-september.yaml", {
        "theme": "Data i september", "date": "2026-09-15", "place": "Aarhus", "status": "held",
        "facilitator": "Frida Lund"})
    write(instance, "calls/gammelt-opslag.yaml", {
        "title": "Et opslag hvis frist er gået", "funder": "Fonden", "deadline": "2026-10-05",
        "link": "https://example.org/gammelt"})
    instance.sync()
    dated(monkeypatch, "2026-10-15T10:00:00+02:00")
    instance.publish("fra-forskning-til-klinik", "minor", "Nyt afsnit om driftstest", FRIDA)
    write(instance, "meetings/2026-10-20-ai-i-drift.yaml", {
        "theme": "AI i drift", "date": "2026-10-20", "place": "Viborg", "status": "held",
        "facilitator": "Frida Lund"})
    write(instance, "calls/nyt-opslag-2027.yaml", {
        "title": "Nyt opslag om sundhedsdata", "funder": "Novo Nordisk Fonden", "deadline": "2027-01-15",
        "link": "https://example.org/nyt"})
    project = (instance.library_dir / "projects" / "sepsis-tidlig-varsling.yaml").read_text(encoding="utf-8")
    (instance.library_dir / "projects" / "nyt-oktober-projekt.yaml").write_text(
        project.replace("Tidlig varsling af sepsis i akutmodtagelsen", "Nyt projekt fra oktober"), encoding="utf-8")
    group = instance.library_dir / "groups" / "drift.yaml"
    group.write_text(group.read_text(encoding="utf-8").replace("stabil drift", "stabil og sikker drift"),
                     encoding="utf-8")
    instance.sync()
    dated(monkeypatch, "2026-11-02T10:00:00+01:00")  # after the month: must not count
    write(instance, "meetings/2026-11-02-efter-maaneden.yaml", {
        "theme": "Efter måneden", "date": "2026-11-02", "place": "Aarhus", "status": "held",
        "facilitator": "Frida Lund"})
    instance.sync()
    return instance


def keys(digest, section: str) -> list[str]:
    return [item.key for item in digest.items if item.section == section]


def test_the_digest_holds_what_happened_in_the_month_and_nothing_older(october):
    digest = assemble(october, "2026-10", today=dt.date(2026, 11, 3))
    assert keys(digest, "editions") == ["edition:fra-forskning-til-klinik@1.1.0"]  # not the September 1.0.0s
    assert "meeting:2026-10-20-ai-i-drift" in keys(digest, "meetings")
    assert "meeting:2026-09-15-data-i-september" not in keys(digest, "meetings")
    assert "meeting:2026-11-02-efter-maaneden" not in keys(digest, "meetings")  # held, but in November
    assert keys(digest, "projects") == ["project:nyt-oktober-projekt"]  # the bundled projects are September's
    assert keys(digest, "groups") == ["group:drift"]
    assert "call:nyt-opslag-2027" in keys(digest, "calls") and "call:gammelt-opslag" not in keys(digest, "calls")
    by_key = {item.key: item for item in digest.items}
    assert by_key["call:nyt-opslag-2027"].text == "Nyt opslag. Novo Nordisk Fonden, frist 15. januar 2027"
    assert by_key["meeting:2026-10-20-ai-i-drift"].text == "Afholdt 20. oktober 2026, Viborg"
    assert by_key["group:drift"].text == "Ændret 15. oktober 2026"
    assert by_key["edition:fra-forskning-til-klinik@1.1.0"].path == "m/fra-forskning-til-klinik/"

    september = assemble(october, "2026-09", today=dt.date(2026, 11, 3))
    assert "edition:fra-forskning-til-klinik@1.0.0" in keys(september, "editions")
    assert "edition:fra-forskning-til-klinik@1.1.0" not in keys(september, "editions")
    assert "project:nyt-oktober-projekt" not in keys(september, "projects")
    august = assemble(october, "2026-08", today=dt.date(2026, 11, 3))  # before the instance existed
    assert {item.section for item in august.items} == {"calls"}  # only the deadlines still ahead
    assert digest.has_news and not august.has_news  # reminders alone are nothing to send


def test_dropped_items_are_left_out_of_the_kept_ones_and_the_sections():
    from toolkit.network.newsletter import Digest, Item

    one = Item("projects", "project:a", "A", "tekst", "projekter/a/", dt.date(2026, 10, 1))
    two = Item("calls", "call:b", "B", "tekst", "opslag/", dt.date(2027, 1, 1))
    digest = Digest("2026-10", (one, two), dropped=("call:b",))
    assert digest.kept == (one,)
    assert [name for name, _h, _i in digest.sections()] == ["projects"]
    assert [name for name, _h, _i in digest.sections(everything=True)] == ["projects", "calls"]
    assert digest.title == "Nyt fra netværket – oktober 2026"


def test_months_are_parsed_strictly():
    assert parse_month("2026-11") == "2026-11"
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert previous_month(dt.date(2027, 1, 5)) == "2026-12"
    for bad in ("2026-13", "2026-1", "../x", "2026-11-01", "", "1999-01"):
        with pytest.raises(InvalidSlug):
            parse_month(bad)
    assert shorten("ord " * 100, 20) == "ord ord ord ord ord…"


def test_the_mail_has_plain_text_and_sanitised_html_and_the_unsubscribe_headers(october):
    digest = assemble(october, "2026-10", today=dt.date(2026, 11, 3),
                      intro="Kære netværk,\nher er <script>alert(1)</script> oktober.\n\nAndet afsnit & mere.")
    mail = newsletter_mail(SITE, digest, to=("Bo Berg", "bo@firma.dk"),
                           unsubscribe_url="https://netkit.test/nyhedsbrev/afmeld/abc.def")
    parsed = message_from_bytes(mail.as_bytes(policy=MAIL_POLICY), policy=default)
    assert parsed["Subject"] == "Nyt fra netværket – oktober 2026"
    assert parsed["List-Unsubscribe"] == "<https://netkit.test/nyhedsbrev/afmeld/abc.def>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = parsed.get_body(("plain",)).get_content()
    page = parsed.get_body(("html",)).get_content()
    assert "Kære netværk, her er <script>alert(1)</script> oktober." in plain  # plain text is plain
    assert "Nyt projekt fra oktober" in plain and "https://netkit.test/projekter/nyt-oktober-projekt/" in plain
    assert "Afmeld nyhedsbrevet: https://netkit.test/nyhedsbrev/afmeld/abc.def" in plain
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>Andet afsnit &amp; mere.</p>" in page
    assert '<a href="https://netkit.test/m/fra-forskning-til-klinik/" rel="noopener noreferrer">' in page
    assert '<html lang="da">' in page


def test_the_intro_is_checked_for_length_and_control_characters():
    assert check_intro("  Hej\r\nverden  \r\n") == "Hej\nverden"
    for bad in ("x" * 3001, "Hej\x07", "Hej\u2028der"):
        with pytest.raises(Invalid) as refused:
            check_intro(bad)
        assert refused.value.problems[0].field == "intro"


def test_a_draft_is_kept_as_a_record(october):
    records = issue_records(october.library_dir)
    save_draft(october, records, "2026-10", "Velkommen til oktober.", ["group:drift"], FRIDA)
    issue = records.get("2026-10")
    assert issue.intro == "Velkommen til oktober." and issue.dropped == ("group:drift",) and issue.sent is None
    assert october.revisions.index.log("library/newsletters/2026-10.yaml")[0].message.startswith("Newsletter")
    assert (october.library_dir / "newsletters" / "2026-10.yaml").exists()
    with pytest.raises(Invalid):
        save_draft(october, records, "2026-10", "Med et kontroltegn\x01", [], FRIDA)
    assert records.get("2026-10").intro == "Velkommen til oktober."  # nothing written


def test_subscribers_and_their_signed_links(tmp_path):
    store = NewsletterStore(NotifyStore(tmp_path))
    assert store.subscribers() == [] and not store.unsubscribe("bo")
    store.subscribe("bo")
    store.subscribe("bo")  # twice is once
    store.subscribe("frida")
    assert store.subscribers() == ["bo", "frida"]
    token = store.token("bo")
    assert store.read_token(token) == "bo"
    data, signature = token.split(".")
    assert store.read_token(f"{data}.{signature[:-2]}AA") is None  # tampered signature
    assert store.read_token(f"{store.token('frida').split('.')[0]}.{signature}") is None  # another's name
    assert store.read_token("nonsense") is None and store.read_token("") is None
    assert store.unsubscribe("bo") and store.subscribers() == ["frida"]


def test_the_subscription_is_in_the_person_export_and_is_erased(october, monkeypatch):
    monkeypatch.setenv("NETKIT_HOME", str(october.home))
    Accounts(october.home).add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-12")
    store = NewsletterStore(NotifyStore(october.home))
    store.subscribe("bo")
    found = find_person(october, "bo@firma.dk")
    places = found.section("newsletter")
    assert len(places) == 1 and places[0].erasable and places[0].data["user"] == "bo"
    assert "newsletter" in found.to_dict()
    assert [s.user for s in subscription_of(october.home, ["bo"])] == ["bo"]
    erasure = erase_person(october, "bo@firma.dk", FRIDA)
    assert any(line.startswith("newsletter: ") for line in erasure.done)
    assert store.subscribers() == [] and subscription_of(october.home, ["bo"]) == []
    assert not find_person(october, "bo@firma.dk").section("newsletter")
    assert forget_subscriber(october.home, ["bo"]) == 0


def test_an_issue_is_queued_once_per_person_whatever_is_pressed_twice(tmp_path):
    from toolkit.people.outbox import Outbox

    notify = NotifyStore(tmp_path)
    store = NewsletterStore(notify)
    outbox = Outbox(notify, None, SITE.sender)
    def mail_for(user: str, address: str):
        from email.message import EmailMessage

        message = EmailMessage()
        message["Message-ID"] = f"<{user}@netkit.test>"
        message.set_content(f"til {address}")
        return message

    people = [("bo", "bo@firma.dk"), ("cecilie", "cecilie@au.dk")]
    assert store.queue(outbox, "2026-10", people, mail_for) == 2
    assert store.queue(outbox, "2026-10", [*people, ("ida", "ida@x.dk")], mail_for) == 1  # only the new one
    assert store.queue(outbox, "2026-11", people, mail_for) == 2  # another month is another issue
    assert outbox.waiting() == 5 and store.sent_count("2026-10") == 3


def test_sending_twice_at_once_mails_each_subscriber_once(october, monkeypatch):
    import threading

    from toolkit.errors import NetkitError
    from toolkit.network.newsletterissue import AlreadySent, NothingToSend, send_issue
    from toolkit.people.outbox import Outbox, SmtpServer
    from toolkit.people.watches import Watches

    accounts = Accounts(october.home)
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-12")
    accounts.add("ida", "member", password="ida-kodeord-12")  # no address
    accounts.add("mads", "member", email="mads@firma.dk", password="mads-kodeord-1")  # every mail turned off
    notify = NotifyStore(october.home)
    for name in ("bo", "ida", "mads"):
        NewsletterStore(notify).subscribe(name)
    Watches(notify).set_prefs("mads", muted=True)
    outbox = Outbox(notify, SmtpServer("127.0.0.1", 1), SITE.sender)  # queued only: nothing connects here
    records = issue_records(october.library_dir)
    with pytest.raises(NothingToSend):
        send_issue(october, records, accounts, outbox, SITE, "2026-08", FRIDA, sent_by="frida",
                   today=dt.date(2026, 11, 3))
    results: list[object] = []

    def send() -> None:
        try:
            results.append(send_issue(october, issue_records(october.library_dir), accounts, outbox, SITE, "2026-10",
                                      FRIDA, sent_by="frida", today=dt.date(2026, 11, 3)))
        except NetkitError as exc:
            results.append(exc)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [r for r in results if not isinstance(r, Exception)]
    assert len(sent) == 1 and sum(isinstance(r, AlreadySent) for r in results) == 1
    assert sent[0].queued == 1 and sent[0].subscribers == 1  # bo only: ida has no address, mads turned mail off
    assert outbox.waiting() == 1
    issue = issue_records(october.library_dir).get("2026-10")
    assert issue.sent is not None and issue.sent_by == "frida" and issue.recipients == 1
    assert "project:nyt-oktober-projekt" in [item.key for item in issue.items]
