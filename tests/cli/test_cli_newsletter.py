"""`netkit newsletter preview|send` on a real instance of the bundled library, mailing through a real SMTP server
(aiosmtpd): the preview prints the digest, a send queues one mail per subscriber and a second sends none (exit 1),
a month with nothing to tell exits 1, misuse exits 2 — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.history.instance import Instance
from toolkit.network.meetings import today_here
from toolkit.network.newsletterstore import NewsletterStore
from toolkit.people.accounts import Accounts
from toolkit.people.notifystore import NotifyStore

# The month in Copenhagen, as the digest dates commits (a UTC date is a day behind late on a month's last day).
MONTH = today_here().strftime("%Y-%m")



@pytest.fixture
def home(tmp_path: Path) -> Path:
    instance = Instance.create(tmp_path / "instance")
    accounts = Accounts(instance.home)
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bo-kodeord-12")
    accounts.add("cecilie", "member", email="cecilie@au.dk", password="ce-kodeord-12")
    store = NewsletterStore(NotifyStore(instance.home))
    store.subscribe("bo")
    store.subscribe("cecilie")
    return instance.home


def run(runner, home, mailserver, *args):
    env = {"NETKIT_SMTP_HOST": "127.0.0.1", "NETKIT_SMTP_PORT": str(mailserver.port), "NETKIT_SMTP_STARTTLS": "0",
           "NETKIT_BASE_URL": "https://netkit.test/", "NETKIT_AUTHOR": "Frida Lund <frida@region.dk>"}
    return runner.invoke(main, ["--home", str(home), *args], env=env)


def test_preview_prints_the_digest(runner, home, mailserver):
    result = run(runner, home, mailserver, "newsletter", "preview", "--month", MONTH)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Nyt fra netværket – ")
    assert "Nye udgaver af materialer" in result.output and "[project:sepsis-tidlig-varsling]" in result.output
    empty = run(runner, home, mailserver, "newsletter", "preview", "--month", "2020-01")
    assert empty.exit_code == 0 and "there is nothing to send" in empty.output


def test_send_queues_one_mail_per_subscriber_and_never_twice(runner, home, mailserver):
    result = run(runner, home, mailserver, "newsletter", "send", "--month", MONTH)
    assert result.exit_code == 0, result.output
    assert f"Newsletter {MONTH}: 2 mail(s) queued for 2 subscriber(s)" in result.output
    assert run(runner, home, mailserver, "notifications", "send").exit_code == 0
    assert sorted(m["X-Envelope-To"] for m in mailserver.messages) == ["bo@firma.dk", "cecilie@au.dk"]

    again = run(runner, home, mailserver, "newsletter", "send", "--month", MONTH)
    assert again.exit_code == 1 and "was sent on" in again.output and "Traceback" not in again.output
    run(runner, home, mailserver, "notifications", "send")
    assert len(mailserver.messages) == 2
    shown = run(runner, home, mailserver, "newsletter", "preview", "--month", MONTH)
    assert "(sent " in shown.output and "to 2 subscriber(s))" in shown.output


def test_nothing_to_send_and_misuse(runner, home, mailserver):
    nothing = run(runner, home, mailserver, "newsletter", "send", "--month", "2020-01")
    assert nothing.exit_code == 1 and "nothing to tell" in nothing.output
    assert run(runner, home, mailserver, "newsletter", "send").exit_code == 2  # --month is required
    bad = run(runner, home, mailserver, "newsletter", "send", "--month", "2026-13")
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    assert run(runner, home, mailserver, "newsletter", "preview", "--month", "nov").exit_code == 2
    assert mailserver.messages == []
    no_server = runner.invoke(main, ["--home", str(home), "newsletter", "send", "--month", MONTH],
                              env={"NETKIT_SMTP_HOST": ""})
    assert no_server.exit_code == 1 and "no mail server" in no_server.output


def test_person_export_and_erase_include_the_newsletter(runner, home, mailserver):
    assert run(runner, home, mailserver, "newsletter", "send", "--month", MONTH).exit_code == 0
    shown = run(runner, home, mailserver, "person", "export", "bo@firma.dk")
    assert shown.exit_code == 0, shown.output
    assert "Newsletter (subscription, issues sent):" in shown.output
    assert "bo: newsletter subscribed since " in shown.output and f", sent {MONTH} [erase]" in shown.output
    erased = run(runner, home, mailserver, "person", "erase", "bo@firma.dk", "--yes")
    assert erased.exit_code == 0, erased.output
    assert "newsletter: 2 subscription and sent-issue row(s) removed" in erased.output
    assert NewsletterStore(NotifyStore(home)).subscribers() == ["cecilie"]
    assert "Newsletter" not in run(runner, home, mailserver, "person", "export", "bo@firma.dk").output
