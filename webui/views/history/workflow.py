"""The review workflow in the browser: a member asks for review (with a note); a facilitator approves it or
returns it with a comment, publishes it as a new edition (major/minor/patch and the changelog line), or
retires it with a pointer to the material that replaces it.

What is offered comes from toolkit.people.permissions.workflow_actions (the status rules and the roles).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Forbidden, Invalid, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.people.accounts import User
from toolkit.people.permissions import WORKFLOW, workflow_actions
from webui import csrf
from webui.context import instance, library
from webui.errors import not_saved
from webui.guards import signed_in
from webui.visibility import publication_state

bp = Blueprint("workflow", __name__)


@bp.route("/m/<slug>/status", methods=["GET", "POST"])
@signed_in
def status(slug: str, user: User):
    versioned, material = instance(), library().get(slug)
    actions = workflow_actions(user, material)
    action, note = request.form.get("action", ""), request.form.get("note", "")[:500]
    replaced_by = request.form.get("replaced_by", "")[:80]

    def page(message: str | None = None) -> str:
        others = [m for m in library().materials() if m.slug != slug and m.status != "retired"]
        return render_template("workflow/status.html", material=material, actions=actions, note=note,
                               others=others, replaced_by=replaced_by, message=message,
                               state=publication_state(material))

    if request.method == "GET":
        return page()
    if not csrf.valid():
        return page(_("Formularen var for gammel. Prøv igen.")), 400
    if action not in actions:
        abort(403)
    try:
        return _carry_out(versioned, slug, action, note, replaced_by, user)
    except (Invalid, Forbidden) as exc:
        return page("; ".join(p.message for p in getattr(exc, "problems", [])) or str(exc)), 400
    except WriteFailed as exc:
        return page(not_saved(exc)), 503


def _carry_out(versioned: Instance, slug: str, action: str, note: str, replaced_by: str, user: User):
    """Publish (with the bump chosen) or change the status; where the reader goes next."""
    author = Author(user.name, f"{user.name}@netkit.localhost")
    if action == "publish":
        bump = request.form.get("bump", "minor")
        if bump not in ("major", "minor", "patch"):
            raise Invalid("bump", [])
        edition = versioned.publish(slug, bump, note, author)  # type: ignore[arg-type]
        return redirect(url_for("reader.material", slug=slug, udgivet=edition.version))
    target, _permission = WORKFLOW[action]
    versioned.set_status(slug, target, author, note.strip() or None,
                         replaced_by=(replaced_by or None) if action == "retire" else None)
    return redirect(url_for("reader.material", slug=slug))
