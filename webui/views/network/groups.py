"""Working groups (`/grupper`, `/grupper/<id>/`): every group with its mandate, members and materials.
Facilitators create groups, add and remove members (membership is what lets a member edit a group's
materials) and close or reopen them; each change is a revision of the group's record. Checked on the
server per request."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.errors import Conflict, Invalid, InvalidSlug, NotFound
from toolkit.history.gitstore import Author
from toolkit.network.groups import ROLES, create_group, join_group, leave_group, set_group_status, working_groups
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from webui import csrf
from webui.addresses import site_links
from webui.context import accounts, group_records, instance, library
from webui.coremessages import core_problems
from webui.guards import needs
from webui.names import group_name, person
from webui.refusals import refuse

bp = Blueprint("groups", __name__)
MANDATE_TEMPLATE = "kommissorium-arbejdsgruppe"
FORM_FIELDS = ("action", "name", "group", "role", "slug", "title", "mandate", "formed_at")


@bp.route("/grupper", methods=["GET", "POST"])
@needs("read_drafts")
def groups(user: User):
    manage = can(user, "manage_groups")
    message, status, form = None, 200, {"formed_at": request.args.get("formed_at", "")[:80]}
    if request.method == "POST":
        if not manage:
            refuse("manage_groups")
        form = {key: request.form.get(key, "").strip() for key in FORM_FIELDS}
        message, status, form = _submitted(form, user)
    return render_template("groups/groups.html", groups=working_groups(accounts(), library(), group_records()),
                           users=accounts().users(), manage=manage, message=message, roles=ROLES,
                           form=form), status


@bp.get("/grupper/<slug>/")
@needs("read_drafts")
def group(slug: str, user: User):
    found = [g for g in working_groups(accounts(), library(), group_records()) if g.name == slug]
    if not found:
        raise NotFound(f"no working group '{slug}'")
    current = found[0]
    mandate = Markup(site_links(library().renderer.render(current.record.mandate, library().targets).html)) \
        if current.record and current.record.mandate else None
    return render_template("groups/group.html", group=current, mandate=mandate, template=MANDATE_TEMPLATE,
                           manage=can(user, "manage_groups"))


def _submitted(form: dict, user: User) -> tuple[str, int, dict]:
    """(the message, the status, the form to show again: emptied after a change that worked)."""
    if not csrf.valid():
        return _("Formularen var for gammel. Prøv igen."), 400, form
    try:
        return _act(form, Author(user.name, f"{user.name}@netkit.localhost")), 200, {}
    except (Invalid, NotFound, Conflict, InvalidSlug) as exc:
        return core_problems(exc), 400, form


def _act(form: dict, author: Author) -> str:
    """One facilitator action on the groups (toolkit.network.groups); returns the message to show."""
    records, action, users = group_records(), form["action"], accounts()
    if action == "create":
        record = create_group(instance(), records, form["slug"], form["title"], author, mandate=form["mandate"],
                              formed_at=form["formed_at"])
        return _("Arbejdsgruppen %(name)s er oprettet.", name=record.name)
    group_id, name = form["group"].lower(), form["name"].lower()
    if action in ("join", "leave") and name not in {u.name for u in users.users()}:
        raise NotFound(_("Der er ingen bruger, der hedder %(name)s.", name=name))
    if action == "join":
        join_group(instance(), records, group_id, name, author, role=form["role"])
        return _("%(name)s er nu med i %(group)s.", name=person(name), group=group_name(group_id))
    if action == "leave":
        leave_group(instance(), records, users, group_id, name, author)
        return _("%(name)s er ikke længere med i %(group)s.", name=person(name), group=group_name(group_id))
    if action in ("close", "reopen") and group_id in records:
        closing = action == "close"
        set_group_status(instance(), records, group_id, "closed" if closing else "active", author)
        return _("Arbejdsgruppen er lukket.") if closing else _("Arbejdsgruppen er aktiv igen.")
    abort(400)
