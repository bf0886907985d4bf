"""The admin page for users and roles (admins only; checked on the server for every request)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.errors import Invalid, NotFound, Problem
from toolkit.network.groups import group_ids
from toolkit.people.accounts import ROLES, Accounts, User
from webui import csrf
from webui.context import accounts, group_records, library
from webui.coremessages import core_error
from webui.guards import needs

bp = Blueprint("admin", __name__)
# The fields of the core's problems, by the labels of the form.
FIELD_LABELS = {"name": _l("Brugernavn"), "role": _l("Rolle"), "group": _l("Arbejdsgrupper"),
                "email": _l("E-mail"), "full_name": _l("Fulde navn"), "password": _l("Adgangskode")}


@bp.route("/admin/brugere", methods=["GET", "POST"])
@needs("manage_users")
def users(user: User):
    message, new_password, status = None, None, 200
    if request.method == "POST":
        if not csrf.valid():
            message, status = _("Formularen var for gammel. Prøv igen."), 400
        else:
            try:
                message, new_password = _act(accounts(), request.form, user)
            except (Invalid, NotFound) as exc:
                problems = getattr(exc, "problems", [])
                message, status = "; ".join(f"{FIELD_LABELS.get(p.field, p.field)}: {core_error(p)}" for p in problems
                                             ) or core_error(exc), 400
    return render_template("admin/users.html", users=accounts().users(), roles=ROLES, message=message,
                           new_password=new_password), status


def _act(accounts: Accounts, form, user: User) -> tuple[str, str | None]:
    action, name = form.get("action", ""), form.get("name", "").strip().lower()
    groups = tuple(g.strip() for g in form.get("groups", "").split(",") if g.strip())
    known = group_ids(library(), group_records())
    if action == "add":
        password = accounts.add(name, form.get("role", ""), groups=groups, email=form.get("email", "")[:200],
                                full_name=form.get("full_name", "")[:200], known_groups=known)
        return _("Brugeren %(name)s er oprettet.", name=name), password
    if action == "update":
        email, full_name = form.get("email"), form.get("full_name")  # absent: unchanged
        accounts.update(name, role=form.get("role") or None, groups=groups, known_groups=known,
                        email=email[:200] if email is not None else None,
                        full_name=full_name[:200] if full_name is not None else None)
        return _("Brugeren %(name)s er ændret.", name=name), None
    if action == "password":
        return _("Ny adgangskode til %(name)s.", name=name), accounts.set_password(name)
    if action == "remove":
        if name == user.name:
            raise Invalid("not yourself", [Problem.at("users", "an admin cannot remove their own account here",
                                                      field="name")])
        accounts.remove(name)
        return _("Brugeren %(name)s er fjernet.", name=name), None
    abort(400)
