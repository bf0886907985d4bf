"""Notifications for an instance with its working groups: toolkit.people.notifications put together with the
groups' records, so "the group's facilitators" and "the group's members" count the records' members as well as
the accounts' own group lists (the web app and `netkit notifications` both use this)."""

from __future__ import annotations

from toolkit.config import Settings
from toolkit.history.instance import Instance
from toolkit.history.records import Records
from toolkit.network.groups import GROUP
from toolkit.people.accounts import Accounts
from toolkit.people.notifications import Notifications, assemble


def notifications_for(settings: Settings, instance: Instance, accounts: Accounts, *, poll: float = 5.0
                      ) -> Notifications:
    records = Records(instance.library_dir, GROUP)  # its own reader: the sender runs outside any request

    def members_of(group: str) -> set[str]:
        record = records.get(group) if group in records else None
        members = {m.user for m in record.members} if record is not None and record.status == "active" else set()
        return members | {u.name for u in accounts.users() if group in u.groups}

    return assemble(settings, instance, accounts, members_of=members_of, poll=poll)
