"""Working groups (`/grupper`, `/grupper/<id>/`): every group with its mandate, members and materials.
Facilitators create groups, add and remove members (membership is what lets a member edit a group's
materials) and close or reopen them; each change is a revision of the group's record. Checked on the
server per request."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.errors import Conflict, Invalid, InvalidSlug, NotFound
from toolkit.gitstore import Author
from toolkit.groups import ROLES, group_data, working_groups
from toolkit.permissions import can
from toolkit.records import save_record
from webui import csrf
from webui.auth import ACCOUNTS_KEY, GROUPS_KEY, current_user
from webui.context import instance, library

bp = Blueprint("groups", __name__)
MANDATE_TEMPLATE = "kommissorium-arbejdsgruppe"


def _signed_in_member():
    user = current_user()
    if user is None:
        return None
    if not can(user, "read_drafts"):
        abort(403)
    return user


@bp.route("/grupper", methods=["GET", "POST"])
def groups():
    user = _signed_in_member()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    manage = can(user, "manage_groups")
    message, status, form = None, 200, {"formed_at": request.args.get("formed_at", "")[:80]}
    if request.method == "POST":
        if not manage:
            abort(403)
        form = {key: request.form.get(key, "").strip() for key in
                ("action", "name", "group", "role", "slug", "title", "mandate", "formed_at")}
        if not csrf.valid():
            message, status = _("Formularen var for gammel. Prøv igen."), 400
        else:
            try:
                message = _act(form, Author(user.name, f"{user.name}@netkit.localhost"))
                form = {}
            except (Invalid, NotFound, Conflict, InvalidSlug) as exc:
                problems = getattr(exc, "problems", [])
                message, status = "; ".join(p.message for p in problems) or str(exc), 400
    accounts = current_app.extensions[ACCOUNTS_KEY]
    return render_template("groups/groups.html", groups=working_groups(accounts, library(), _records()),
                           users=accounts.users(), manage=manage, message=message, roles=ROLES,
                           form=form), status


@bp.get("/grupper/<slug>/")
def group(slug: str):
    user = _signed_in_member()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    found = [g for g in working_groups(current_app.extensions[ACCOUNTS_KEY], library(), _records()) if g.name == slug]
    if not found:
        raise NotFound(f"no working group '{slug}'")
    current = found[0]
    mandate = Markup(library().renderer.render(current.record.mandate, library().targets).html) \
        if current.record and current.record.mandate else None
    return render_template("groups/group.html", group=current, mandate=mandate, template=MANDATE_TEMPLATE,
                           manage=can(user, "manage_groups"))


def _records():
    return current_app.extensions[GROUPS_KEY]


def _act(form: dict, author: Author) -> str:
    """One facilitator action on the groups' records; returns the message to show."""
    records, action = _records(), form["action"]
    if action == "create":
        data = {"name": form["title"], "status": "active", "mandate": form["mandate"], "members": []}
        if form["formed_at"]:
            data["formed_at"] = form["formed_at"]
        record = save_record(instance(), records, form["slug"], data, author, f"New working group {form['slug']}",
                             create=True)
        return _("Arbejdsgruppen %(name)s er oprettet.", name=record.name)
    group_id, name = form["group"].lower(), form["name"].lower()
    if action in ("join", "leave") and name not in {u.name for u in current_app.extensions[ACCOUNTS_KEY].users()}:
        raise NotFound(_("Der er ingen bruger, der hedder %(name)s.", name=name))
    record = records.get(group_id) if group_id in records else None
    if action == "join":
        if record is None:  # a group known only from accounts or materials gets its record now
            data = {"name": group_id, "status": "active", "members": [{"user": name, "role": form["role"] or "medlem"}]}
            save_record(instance(), records, group_id, data, author, f"{group_id}: {name} joins", create=True)
        else:
            members = [m for m in group_data(record)["members"] if m["user"] != name]
            members.append({"user": name, "role": form["role"] or "medlem"})
            save_record(instance(), records, group_id, group_data(record, members=members), author,
                        f"{group_id}: {name} joins", create=False)
        return _("%(name)s er nu med i %(group)s.", name=name, group=group_id)
    if action == "leave":
        if record is not None:
            members = [m for m in group_data(record)["members"] if m["user"] != name]
            save_record(instance(), records, group_id, group_data(record, members=members), author,
                        f"{group_id}: {name} leaves", create=False)
        accounts = current_app.extensions[ACCOUNTS_KEY]
        if group_id in accounts.get(name).groups:  # membership set on the account (netkit user add --group)
            accounts.change_groups(name, leave=group_id)
        return _("%(name)s er ikke længere med i %(group)s.", name=name, group=group_id)
    if action in ("close", "reopen") and record is not None:
        status = "closed" if action == "close" else "active"
        save_record(instance(), records, group_id, group_data(record, status=status), author,
                    f"{group_id}: {status}", create=False)
        return _("Arbejdsgruppen er lukket.") if status == "closed" else _("Arbejdsgruppen er aktiv igen.")
    abort(400)
