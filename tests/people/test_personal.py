"""A person's accounts and notification data found by e-mail and removed (toolkit.people.personal), on a real
notification store with a real outbox."""

from __future__ import annotations

from email.message import EmailMessage

from toolkit.people.accounts import Accounts
from toolkit.people.notifystore import NotifyStore
from toolkit.people.outbox import Outbox
from toolkit.people.personal import accounts_with, forget_notified, notified
from toolkit.people.watches import Watches


def mail(to: str) -> EmailMessage:
    message = EmailMessage()
    message["To"], message["Subject"], message["Message-ID"] = to, "Netkit", f"<{to}.1@netkit>"
    message.set_content("Et materiale er udgivet.")
    return message


def test_accounts_are_found_by_address_whatever_its_case(tmp_path):
    accounts = Accounts(tmp_path)
    accounts.add("anna", "member", email="anna@rm.dk", password="annas-kodeord-12")
    accounts.add("bo", "member", email="bo@rm.dk", password="bos-kodeord-123")
    assert [u.name for u in accounts_with(tmp_path, " ANNA@rm.DK ")] == ["anna"]
    assert accounts_with(tmp_path, "ingen@rm.dk") == []


def test_notification_data_is_listed_and_removed_for_the_person_only(tmp_path):
    store = NotifyStore(tmp_path)
    watches, outbox = Watches(store), Outbox(store, None, "netkit@rm.dk")
    watches.watch("anna", "material", "adgang-til-data", "digest")
    watches.watch("anna", "topic", "consent")
    watches.set_prefs("anna", muted=True)
    watches.watch("bo", "material", "adgang-til-data")
    with store.db() as db:
        db.execute("insert into inbox (user, what, slug, title, actor, note, detail, reason, at) "
                   "values ('anna', 'published', 'x', 'X', 'bo', '', '', 'watch', 1)")
        outbox.enqueue(db, "anna", "Anna@rm.dk", mail("Anna@rm.dk"))
        outbox.enqueue(db, "", "anna@rm.dk", mail("anna@rm.dk"))  # a mail to the address, whoever's
        outbox.enqueue(db, "bo", "bo@rm.dk", mail("bo@rm.dk"))
    found = notified(tmp_path, ["anna"], "anna@RM.dk")
    assert found.watches == (("anna", "material", "adgang-til-data", "digest"), ("anna", "topic", "consent",
                                                                                 "immediate"))
    assert found.prefs == (("anna", "immediate", True),) and found.inbox == 1 and found.mails_waiting == 2
    assert forget_notified(tmp_path, ["anna"], "anna@rm.dk") == found
    assert not notified(tmp_path, ["anna"], "anna@rm.dk")
    assert watches.of("bo") and outbox.waiting() == 1  # Bo's watch and mail are kept


def test_nothing_is_created_for_an_instance_without_a_notification_store(tmp_path):
    assert not notified(tmp_path, ["anna"], "anna@rm.dk")
    assert not forget_notified(tmp_path, ["anna"], "anna@rm.dk")
    assert not (tmp_path / "notifications.sqlite").exists()
