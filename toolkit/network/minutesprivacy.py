"""A person's data in the minutes records (toolkit.network.decisions), for `netkit person export|erase`
(toolkit.network.persondata): the action items they own — by address, account or full name — and the approvals
that name them. Erasing puts "Slettet person" as the owner of their action items and removes the address and the
account (an action item keeps an owner, so the follow-up still reads); the approver's name, like a facilitator's,
is the record and is only reported. Approved minutes are erased too: erasure goes before the freeze."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.history.gitstore import Author
from toolkit.history.records import save_record
from toolkit.network.decisions import ActionItem, Minutes, action_data, minutes_data, minutes_records

ERASED_OWNER = "Slettet person"


def _owns(users: tuple[str, ...], email: str, names_person: Callable[[str], bool]) -> Callable[[ActionItem], bool]:
    address = email.strip().casefold()

    def owns(action: ActionItem) -> bool:
        return (bool(action.email) and action.email.strip().casefold() == address) or \
            (bool(action.user) and action.user in users) or names_person(action.owner)

    return owns


def minutes_places(library_dir: Path, email: str, users: tuple[str, ...],
                   names_person: Callable[[str], bool]) -> list[tuple[str, str, bool, dict[str, Any]]]:
    """(where, what, erasable, data) for every action item the person owns and every approval naming them."""
    owns = _owns(users, email, names_person)
    places = []
    for minutes in sorted(minutes_records(library_dir).all(), key=lambda m: m.slug):
        for number, action in enumerate(minutes.actions, 1):
            if owns(action):
                places.append((minutes.path, f"owner of action item {number} of the minutes of {minutes.slug}: "
                               f"{action.owner}" + (f" <{action.email}>" if action.email else ""), True,
                               {"meeting": minutes.slug, "action": number, **action_data(action)}))
        if minutes.approved_by and names_person(minutes.approved_by):
            places.append((minutes.path, f"approved the minutes of {minutes.slug}: {minutes.approved_by}", False,
                           {"meeting": minutes.slug, "approved_by": minutes.approved_by}))
    return places


def erase_from_minutes(instance, email: str, users: tuple[str, ...], names_person: Callable[[str], bool],
                       author: Author, message: str) -> list[tuple[str, int, str]]:
    """Replace the person as owner in every minutes record (one revision each, under the writer lock the caller
    holds); (path, action items changed, revision) per record."""
    records = minutes_records(instance.library_dir)
    owns = _owns(users, email, names_person)
    done = []
    for minutes in sorted(records.all(), key=lambda m: m.slug):
        count = sum(1 for action in minutes.actions if owns(action))
        if not count:
            continue

        def without_person(current: Minutes | None) -> dict[str, Any]:
            assert current is not None
            actions = [ActionItem(a.what, ERASED_OWNER, a.due, "", "", a.status) if owns(a) else a
                       for a in current.actions]
            return minutes_data(current, actions=[action_data(a) for a in actions])

        before = instance.head()
        save_record(instance, records, minutes.slug, without_person, author, message, create=False)
        after = instance.head()
        done.append((minutes.path, count, after if after != before else ""))
    return done
