"""Working groups (`/grupper`): every group with its members and materials; facilitators add and remove
members (membership is what lets a member edit a group's materials). Checked on the server per request."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Invalid, NotFound
from toolkit.groups import working_groups
from toolkit.permissions import can
from webui import csrf
from webui.auth import ACCOUNTS_KEY, current_user
from webui.context import library

bp = Blueprint("groups", __name__)


@bp.route("/grupper", methods=["GET", "POST"])
def groups():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "read_drafts"):
        abort(403)
    accounts = current_app.extensions[ACCOUNTS_KEY]
    manage = can(user, "manage_groups")
    message, status = None, 200
    if request.method == "POST":
        if not manage:
            abort(403)
        action = request.form.get("action")
        name = request.form.get("name", "").strip().lower()[:40]
        group = request.form.get("group", "").strip().lower()[:60]
        if not csrf.valid():
            message, status = _("Formularen var for gammel. Prøv igen."), 400
        elif action not in ("join", "leave"):
            abort(400)
        else:
            try:
                accounts.change_groups(name, **{action: group})
                message = (_("%(name)s er nu med i %(group)s.", name=name, group=group) if action == "join"
                           else _("%(name)s er ikke længere med i %(group)s.", name=name, group=group))
            except (Invalid, NotFound) as exc:
                problems = getattr(exc, "problems", [])
                message, status = "; ".join(p.message for p in problems) or str(exc), 400
    return render_template("groups/groups.html", groups=working_groups(accounts, library()),
                           users=accounts.users(), manage=manage, message=message), status
