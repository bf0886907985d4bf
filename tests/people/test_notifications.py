"""Notifications by e-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): one full review cycle, the daily
digest and due reviews, the outbox across a restart and a failing server (retries, nothing lost, no save waits)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers.smtpserver import MailCatcher
from toolkit.config import Settings
from toolkit.history.comments import Comments
from toolkit.history.gitstore import Author
from toolkit.people import outbox as outbox_module
from toolkit.people.accounts import Accounts
from toolkit.people.notifications import assemble
from toolkit.people.watches import Unsubscribe

SLUG = "adgang-til-data"  # working group dataadgang, published 1.2.0
ROOT = Path(__file__).resolve().parents[2]


def author(name: str) -> Author:
    return Author(name, f"{name}@netkit.localhost")  # as the web signs its commits



@pytest.fixture
def people(instance):
    accounts = Accounts(instance.home)
    accounts.add("anna", "member", groups=("dataadgang",), email="anna@region.dk", full_name="Anna Holm",
                 password="anna-kodeord-1")
    accounts.add("frida", "facilitator", groups=("dataadgang",), email="frida@region.dk", full_name="Frida Lund",
                 password="frida-kodeord-1")
    accounts.add("gert", "facilitator", email="gert@region.dk", password="gert-kodeord-1")  # not in the group
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-1")
    accounts.add("carl", "member", email="carl@firma.dk", password="carl-kodeord-1")
    return accounts


def settings_for(instance, mailserver: MailCatcher | None) -> Settings:
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": mailserver.port, "smtp_starttls": False} if mailserver else {}
    return Settings(home=instance.home, base_url="https://netkit.test/", smtp_from="Netkit <netkit@netkit.test>",
                    **smtp)


def wired(instance, accounts, mailserver):
    parts = assemble(settings_for(instance, mailserver), instance, accounts)
    instance.events.add(parts.recorder)
    return parts


def edit(instance, who: str, line: str) -> None:
    text = instance.read(SLUG).rstrip("\n") + f"\n\n{line}\n"
    instance.save(SLUG, text, author(who), f"{who} skriver", instance.latest_revision(SLUG))


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_one_full_review_cycle_reaches_the_right_people(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    parts.watches.watch("bo", "topic", "data-access", "immediate")  # a topic of the material
    parts.watches.watch("carl", "group", "dataadgang", "digest")

    edit(instance, "anna", "Et nyt afsnit om registerdata.")
    instance.set_status(SLUG, "review", author("anna"), "Klar til at blive læst")
    parts.sender.run_once()
    review = mailserver.messages[-1]
    assert [m["X-Envelope-To"] for m in mailserver.messages] == ["frida@region.dk"]  # the group's facilitator only
    assert review["Subject"] == "Til review: Adgang til data (testudgave)"
    assert "Anna Holm har bedt om review" in body(review) and "Klar til at blive læst" in body(review)
    assert f"https://netkit.test/m/{SLUG}/status" in body(review)

    Comments(instance).start(SLUG, 1, "Hvilken godkendelse menes der?", author("frida"))
    instance.set_status(SLUG, "draft", author("frida"), "Uddyb afsnittet om godkendelse")
    parts.sender.run_once()
    comment, returned = mailserver.messages[1:]
    assert comment["X-Envelope-To"] == returned["X-Envelope-To"] == "anna@region.dk"
    assert comment["Subject"] == "Ny kommentar: Adgang til data (testudgave)"
    assert "Frida Lund har skrevet en kommentar" in body(comment) and "Hvilken godkendelse" in body(comment)
    assert returned["Subject"] == "Sendt tilbage til kladde: Adgang til data (testudgave)"
    assert "Uddyb afsnittet om godkendelse" in body(returned)

    edit(instance, "anna", "Godkendelsen er komitéens.")
    instance.set_status(SLUG, "review", author("anna"))
    instance.set_status(SLUG, "approved", author("frida"), "Fint")
    instance.publish(SLUG, "minor", "Afsnit om registerdata", author("frida"))
    parts.sender.run_once()
    later = [(m["X-Envelope-To"], m["Subject"]) for m in mailserver.messages[3:]]
    assert sorted(later) == [("anna@region.dk", "Godkendt: Adgang til data (testudgave)"),
                             ("anna@region.dk", "Udgivet: Adgang til data (testudgave) (1.3.0)"),
                             ("bo@firma.dk", "Udgivet: Adgang til data (testudgave) (1.3.0)"),
                             ("frida@region.dk", "Til review: Adgang til data (testudgave)")]
    watcher = mailserver.to("bo@firma.dk")[0]
    assert "fordi du følger emnet" in body(watcher)
    # Nobody hears of their own action; gert (a facilitator outside the group) hears nothing.
    assert not mailserver.to("gert@region.dk")
    assert all(m["X-Envelope-To"] != "frida@region.dk" or "review" in m["Subject"] for m in mailserver.messages)

    # Carl chose a daily digest for the group: nothing yet, then one mail with the day's notifications.
    assert not mailserver.to("carl@firma.dk")
    assert parts.notifier.send_digests() == 1
    parts.sender.run_once()
    digest = mailserver.to("carl@firma.dk")
    assert len(digest) == 1 and digest[0]["Subject"].startswith("Netkit: ")
    assert "som udgave 1.3.0" in body(digest[0])
    # Every notification is in the web inbox too, whatever the mail choice.
    assert parts.inbox.unread("anna") == 4 and parts.inbox.unread("carl") >= 1


def test_every_mail_is_danish_plain_text_with_a_one_click_unsubscribe(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    parts.watches.watch("bo", "material", SLUG, "immediate")
    edit(instance, "anna", "Mere tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    instance.set_status(SLUG, "approved", author("frida"))
    instance.publish(SLUG, "patch", "Rettelser", author("frida"))
    parts.sender.run_once()
    mail = mailserver.to("bo@firma.dk")[0]
    assert mail.get_content_type() == "text/plain" and mail.get_content_charset() == "utf-8"
    assert mail["From"] == "Netkit <netkit@netkit.test>" and mail["To"] == "Bo Berg <bo@firma.dk>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://netkit.test/notifikationer/afmeld/") and link in body(mail)
    token = link.rsplit("/", 1)[1]
    assert parts.watches.read_token(token) == Unsubscribe("bo", "watch", "material", SLUG)
    assert parts.watches.read_token(token[:-2] + "xx") is None  # altered: not ours
    parts.watches.unsubscribe(parts.watches.read_token(token))
    assert parts.watches.find("bo", "material", SLUG).mode == "none"  # no more mail; still followed


def test_a_review_that_comes_due_reminds_the_group_once(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    text = instance.read(SLUG).replace("updated: 2026-01-15\n", "updated: 2026-01-15\nreview_by: 2026-03\n")
    instance.save(SLUG, text, author("gert"), "Gennemgang i marts", instance.latest_revision(SLUG))
    parts.notifier.daily(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))
    parts.notifier.daily(dt.datetime(2026, 4, 3, 9, 0, tzinfo=dt.UTC))  # another day: not again
    parts.sender.run_once()
    reminded = sorted(m["X-Envelope-To"] for m in mailserver.messages if m["Subject"].startswith("Til faglig"))
    assert reminded == ["anna@region.dk", "frida@region.dk"]
    assert "marts 2026" in body(mailserver.to("anna@region.dk")[0])


def test_without_smtp_the_web_inbox_still_fills_and_no_mail_piles_up(instance, people):
    parts = wired(instance, people, None)
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()
    assert parts.inbox.unread("frida") == 1
    assert parts.inbox.items("frida")[0].what == "review"
    assert parts.outbox.waiting() == 0  # not a heap of old mails sent the day a server is configured


RESTARTED = textwrap.dedent("""
    import os, sys
    from toolkit.config import Settings
    from toolkit.history.gitstore import Author
    from toolkit.history.instance import Instance
    from toolkit.people.accounts import Accounts
    from toolkit.people.notifications import assemble

    home = sys.argv[1]
    instance = Instance.open(home)
    parts = assemble(Settings(home=instance.home, smtp_host="127.0.0.1", smtp_port=int(sys.argv[2]),
                              smtp_starttls=False), instance, Accounts(instance.home))
    instance.events.add(parts.recorder)
    instance.set_status("adgang-til-data", "review", Author("anna", "anna@netkit.localhost"))
    os._exit(0)  # killed right after the save: the sender never ran in this process
""")


def test_the_outbox_survives_a_restart(instance, people, mailserver):
    edit(instance, "anna", "Før genstarten.")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", RESTARTED, str(instance.home), str(mailserver.port)], check=True, env=env,
                   timeout=60)
    assert mailserver.messages == []
    # A new process on the same instance finds the event, makes the notification and sends it, once.
    parts = wired(instance, people, mailserver)
    parts.sender.run_once()
    parts.sender.run_once()
    assert [m["X-Envelope-To"] for m in mailserver.messages] == ["frida@region.dk"]
    assert parts.outbox.waiting() == 0


def test_a_failing_server_is_retried_until_every_mail_is_delivered_once(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    now = [time.time()]
    parts.store.clock = lambda: now[0]
    mailserver.refuse = "451 4.3.0 Prøv igen senere"
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()
    assert mailserver.messages == [] and parts.outbox.waiting() == 1
    mailserver.stop()  # then the server is down altogether
    now[0] += 31
    parts.sender.run_once()
    instance.set_status(SLUG, "approved", author("frida"))
    parts.sender.run_once()
    assert parts.outbox.waiting() == 2
    with parts.store.db(writing=False) as db:
        attempts = [row[0] for row in db.execute("select attempts from outbox order by id")]
        assert attempts == [2, 1]
    mailserver.refuse = ""
    mailserver.start()
    parts.sender.run_once()  # not due yet: the waits double
    assert mailserver.messages == []
    now[0] += 3600
    parts.sender.run_once()
    parts.sender.run_once()
    assert sorted(m["Subject"] for m in mailserver.messages) == ["Godkendt: Adgang til data (testudgave)",
                                                                  "Til review: Adgang til data (testudgave)"]
    assert parts.outbox.waiting() == 0


def test_a_hanging_mail_server_never_holds_up_a_save(instance, people, monkeypatch):
    import socket

    monkeypatch.setattr(outbox_module, "SMTP_TIMEOUT", 3.0)
    hole = socket.socket()  # accepts connections and never answers
    hole.bind(("127.0.0.1", 0))
    hole.listen()
    try:
        settings = Settings(home=instance.home, smtp_host="127.0.0.1", smtp_port=hole.getsockname()[1],
                            smtp_starttls=False)
        parts = assemble(settings, instance, people, poll=0.2)
        instance.events.add(parts.recorder)
        parts.sender.first_wait = 0
        parts.sender.start()
        edit(instance, "anna", "Tekst.")
        started = time.perf_counter()
        for status, who in (("review", "anna"), ("draft", "frida"), ("review", "anna")):
            instance.set_status(SLUG, status, author(who))
        assert time.perf_counter() - started < 3.0  # the sender waits 3 s for the server; the saves do not
        deadline = time.time() + 40
        while time.time() < deadline:  # the sender gave up on this round and kept the mails
            with parts.store.db(writing=False) as db:
                tried = db.execute("select count(*) from outbox where attempts > 0").fetchone()[0]
            if tried == 3:
                break
            time.sleep(0.2)
        assert tried == 3 and parts.outbox.waiting() == 3
    finally:
        parts.sender.stop()
        hole.close()


def test_only_the_lease_holder_sends(instance, people, mailserver):
    first = wired(instance, people, mailserver)
    second = assemble(settings_for(instance, mailserver), instance, people)  # another worker process
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    assert first.sender.run_once() is True
    assert second.sender.run_once() is False  # the first one's lease runs
    first.sender.stop()  # gone: its lease is dropped, and the other takes over
    instance.set_status(SLUG, "approved", author("frida"))
    assert second.sender.run_once() is True
    assert sorted(m["Subject"].split(":")[0] for m in mailserver.messages) == ["Godkendt", "Til review"]


def test_the_cli_sends_what_waits_after_the_server_is_back(instance, people, mailserver, runner):
    from toolkit.cli import main

    parts = wired(instance, people, mailserver)
    mailserver.stop()
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()  # the server is down: the mail waits (for 30 s)
    parts.sender.stop()
    mailserver.start()
    env = {"NETKIT_HOME": str(instance.home), "NETKIT_SMTP_HOST": "127.0.0.1",
           "NETKIT_SMTP_PORT": str(mailserver.port), "NETKIT_SMTP_STARTTLS": "false"}
    shown = runner.invoke(main, ["notifications", "status"], env=env)
    assert shown.exit_code == 0 and "Sent: 0  waiting: 1  refused for good: 0" in shown.output
    sent = runner.invoke(main, ["notifications", "send"], env=env)
    assert sent.exit_code == 0, sent.output
    assert "Sent 1; waiting 0" in sent.output and [m["X-Envelope-To"] for m in mailserver.messages] == [
        "frida@region.dk"]
    without = runner.invoke(main, ["notifications", "send"], env={"NETKIT_HOME": str(instance.home)})
    assert without.exit_code == 1 and "NETKIT_SMTP_HOST" in without.output


def test_a_renamed_material_keeps_its_watchers_and_tells_them(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    parts.watches.watch("bo", "material", SLUG, "immediate")
    instance.rename(SLUG, "adgang-til-sundhedsdata", author("frida"), "Tydeligere adresse")
    parts.sender.run_once()
    assert parts.watches.find("bo", "material", SLUG) is None
    assert parts.watches.find("bo", "material", "adgang-til-sundhedsdata").mode == "immediate"
    mail = mailserver.to("bo@firma.dk")[0]
    assert mail["Subject"] == "Ny adresse: Adgang til data (testudgave)"
    assert "https://netkit.test/m/adgang-til-sundhedsdata/" in body(mail)


def test_an_answer_reaches_whoever_wrote_in_the_thread(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    edit(instance, "anna", "Et afsnit.")
    comments = Comments(instance)
    thread = comments.start(SLUG, 1, "Hvilken godkendelse?", author("frida"))
    parts.sender.run_once()
    assert [m["X-Envelope-To"] for m in mailserver.messages] == ["anna@region.dk"]  # the author
    comments.reply(SLUG, thread.id, "Komitéens – det står nu i teksten.", author("anna"))
    parts.sender.run_once()
    answer = mailserver.messages[-1]
    assert answer["X-Envelope-To"] == "frida@region.dk"
    assert answer["Subject"] == "Nyt svar på en kommentar: Adgang til data (testudgave)"
    assert "Komitéens" in body(answer) and "fordi du har skrevet i kommentartråden" in body(answer)
    assert len(mailserver.messages) == 2  # anna is not told of her own answer; nobody else hears


def test_old_sent_mails_are_pruned_and_waiting_ones_kept(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()  # sent
    mailserver.stop()
    instance.set_status(SLUG, "approved", author("frida"))
    parts.sender.run_once()  # waits
    later = time.time() + 91 * 86400
    parts.store.clock = lambda: later
    parts.store.prune()
    assert parts.outbox.counts() == {"sent": 0, "waiting": 1, "failed": 0}
    assert parts.store.pending_events() == []


def test_a_status_change_made_with_the_cli_is_mailed_too(instance, people, mailserver, runner):
    from toolkit.cli import main

    edit(instance, "anna", "Tekst fra kommandolinjen.")
    env = {"NETKIT_HOME": str(instance.home), "NETKIT_SMTP_HOST": "127.0.0.1",
           "NETKIT_SMTP_PORT": str(mailserver.port), "NETKIT_SMTP_STARTTLS": "false"}
    asked = runner.invoke(main, ["status", SLUG, "review", "-m", "Klar", "--author", "Anna Holm <anna@region.dk>"],
                          env=env)
    assert asked.exit_code == 0, asked.output
    sent = runner.invoke(main, ["notifications", "send"], env=env)
    assert sent.exit_code == 0, sent.output
    assert [m["X-Envelope-To"] for m in mailserver.messages] == ["frida@region.dk"]  # the group's facilitator


def test_unsubscribing_stops_the_mail_but_keeps_the_watch_and_the_bell(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    parts.watches.watch("bo", "material", SLUG, "immediate")
    parts.watches.watch("carl", "material", SLUG, "immediate")
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()
    link = mailserver.to("bo@firma.dk")[0]["List-Unsubscribe"].strip("<>")
    parts.watches.unsubscribe(parts.watches.read_token(link.rsplit("/", 1)[1]))  # the mail's own link
    everything = parts.watches.token(Unsubscribe("carl", "all"))  # a digest's link: every mail
    parts.watches.unsubscribe(parts.watches.read_token(everything))
    assert parts.watches.find("bo", "material", SLUG).mode == "none"  # still followed, without mail
    assert parts.watches.find("carl", "material", SLUG).mode == "immediate" and parts.watches.prefs("carl").muted
    before = len(mailserver.messages)
    instance.set_status(SLUG, "approved", author("frida"))
    instance.publish(SLUG, "patch", "Rettelser", author("frida"))
    parts.sender.run_once()
    assert [m["X-Envelope-To"] for m in mailserver.messages[before:]] == ["anna@region.dk"] * 2  # the author only
    for name in ("bo", "carl"):  # the bell still tells them
        assert [item.what for item in parts.inbox.items(name)] == ["published", "approved", "review"]


def test_the_unsubscribe_headers_reach_the_server_plain_on_one_line(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    title = "A long English title of a material that says a great deal about data access in AI projects"
    text = instance.read(SLUG).replace("title: Adgang til data (testudgave)", f"title: {title}", 1)
    instance.save(SLUG, text, author("anna"), "Ny titel", instance.latest_revision(SLUG))
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()
    raw = mailserver.raw[mailserver.messages.index(mailserver.to("frida@region.dk")[0])]
    lines = raw.split(b"\r\n")
    unsubscribe = [line for line in lines if line.startswith(b"List-Unsubscribe:")]
    assert len(unsubscribe) == 1 and re.fullmatch(
        rb"List-Unsubscribe: <https://netkit\.test/notifikationer/afmeld/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>",
        unsubscribe[0]), unsubscribe
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in lines
    assert f"Subject: Til review: {title}".encode() in lines  # an ASCII subject: neither encoded nor folded
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n")[0]  # every header here is ASCII


def test_a_non_ascii_subject_is_encoded_within_the_line_limit_and_reads_back_whole():
    from email import message_from_bytes
    from email.policy import default

    from toolkit.people.mail import MAIL_POLICY, Notice, Site, notice_mail

    title = "Ændringer i håndtering af særlige kategorier af personoplysninger – " * 2
    site = Site("https://netkit.test/", "Netkit <netkit@netkit.test>")
    notice = Notice("reply", SLUG, title.strip(), "Åse Ørum")
    raw = notice_mail(site, notice, to=("Åse Ørum", "aase@region.dk"), reason="x", unsubscribe_token="a.b"
                      ).as_bytes(policy=MAIL_POLICY)
    head = raw.split(b"\r\n\r\n")[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n") if b"=?utf-8?" in line)  # RFC 2047's limit
    assert message_from_bytes(raw, policy=default)["Subject"] == f"Nyt svar på en kommentar: {title.strip()}"


def test_a_comment_notification_leads_to_its_thread(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    edit(instance, "anna", "Et afsnit.")
    thread = Comments(instance).start(SLUG, 1, "Hvilken godkendelse?", author("frida"))
    parts.sender.run_once()
    link = f"https://netkit.test/m/{SLUG}/kommentarer#traad-{thread.id}"
    assert f"Se kommentaren: {link}" in body(mailserver.to("anna@region.dk")[0])
    assert parts.inbox.items("anna")[0].notice.path() == f"m/{SLUG}/kommentarer#traad-{thread.id}"


def test_a_material_watcher_hears_of_every_step_and_a_topic_watcher_of_publication(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    parts.watches.watch("bo", "material", SLUG, "immediate")
    parts.watches.watch("carl", "topic", "data-access", "immediate")
    edit(instance, "anna", "Tekst.")
    steps = (("review", "anna"), ("draft", "frida"), ("review", "anna"), ("approved", "frida"))
    for status, who in steps:
        instance.set_status(SLUG, status, author(who))
    instance.publish(SLUG, "patch", "Rettelser", author("frida"))
    parts.sender.run_once()
    assert [m["Subject"].split(":")[0] for m in mailserver.to("bo@firma.dk")] == [
        "Til review", "Sendt tilbage til kladde", "Til review", "Godkendt", "Udgivet"]
    assert "fordi du følger materialet" in body(mailserver.to("bo@firma.dk")[0])
    assert [m["Subject"].split(":")[0] for m in mailserver.to("carl@firma.dk")] == ["Udgivet"]


def test_an_admin_is_told_they_get_the_mail_as_administrator(instance, people, mailserver):
    parts = wired(instance, people, mailserver)
    people.add("ida", "admin", groups=("dataadgang",), email="ida@region.dk", password="ida-kodeord-1")
    edit(instance, "anna", "Tekst.")
    instance.set_status(SLUG, "review", author("anna"))
    parts.sender.run_once()
    assert "fordi du er administrator" in body(mailserver.to("ida@region.dk")[0])
    assert "fordi du er facilitator i arbejdsgruppen" in body(mailserver.to("frida@region.dk")[0])
