"""People and working groups by the names people know them by: a user name becomes the account's display name
("anna" → "Anna Holm"), a group id the group's name ("dataadgang" → "Arbejdsgruppen for dataadgang").

History, editions and records keep ids (they are the record, and an account's name may change); the pages
show names. Someone without an account (a CLI author from git's config, an account since removed) and a group
without a record are shown as written. The lookups are read once per request."""

from __future__ import annotations

from flask import Flask, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.errors import NetkitError
from webui.context import accounts, group_records

EXTERNAL_AUTHOR = "Ekstern ændring"  # toolkit.history.committing.EXTERNAL: the author of edits made outside the app


def person(name: str | None) -> str:
    """The display name of the account `name`, else `name` itself."""
    if not name:
        return ""
    if name == EXTERNAL_AUTHOR:
        return _("Ekstern ændring")
    return _people().get(name, name)


def group_name(group_id: str | None) -> str:
    """The name of the working group `group_id` (its record's name), else the id itself."""
    if not group_id:
        return ""
    return _groups().get(group_id, group_id)


# A member's role in a working group (toolkit.network.groups.ROLES): the record keeps the Danish value.
GROUP_ROLES = {"formand": _l("formand"), "medlem": _l("medlem"), "sekretær": _l("sekretær"),
               "facilitator": _l("facilitator")}


def group_role(role: str | None) -> str:
    """A working-group role in the reader's language ("formand" → "chair"); an unknown role as written."""
    if not role:
        return ""
    return str(GROUP_ROLES.get(role, role))


def _people() -> dict[str, str]:
    if not has_request_context():
        return _read_people()
    if "netkit_people" not in g:
        g.netkit_people = _read_people()
    return g.netkit_people


def _groups() -> dict[str, str]:
    if not has_request_context():
        return _read_groups()
    if "netkit_group_names" not in g:
        g.netkit_group_names = _read_groups()
    return g.netkit_group_names


def _read_people() -> dict[str, str]:
    try:
        return {u.name: u.display_name for u in accounts().users()}
    except (KeyError, NetkitError):  # an app without accounts, or an unreadable users.json: names as written
        return {}


def _read_groups() -> dict[str, str]:
    records = group_records()
    if records is None:
        return {}
    return {record.slug: record.name for record in records.all()}


def init_app(app: Flask) -> None:
    app.add_template_filter(person, "person")
    app.add_template_filter(group_name, "group_name")
    app.add_template_filter(group_role, "group_role")
