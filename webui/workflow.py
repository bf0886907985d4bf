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
from toolkit.people.permissions import WORKFLOW, workflow_actions
from webui import csrf
from webui.auth import current_user
from webui.context import instance, library, publication_state
from webui.errors import not_saved

bp = Blueprint("workflow", __name__)

@bp.route("/m/<slug>/status", methods=["GET", "POST"])
def status(slug: str):
    versioned = instance()
    material = library().get(slug)
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    actions = workflow_actions(user, material)
    others = [m for m in library().materials() if m.slug != slug and m.status != "retired"]

    def page(note: str = "", replaced_by: str = "", message: str | None = None) -> str:
        return render_template("workflow/status.html", material=material, actions=actions, note=note,
                               others=others, replaced_by=replaced_by, message=message,
                               state=publication_state(material))

    if request.method == "GET":
        return page()
    action, note = request.form.get("action", ""), request.form.get("note", "")[:500]
    replaced_by = request.form.get("replaced_by", "")[:80]
    if not csrf.valid():
        return page(note, replaced_by, _("Formularen var for gammel. Prøv igen.")), 400
    if action not in actions:
        abort(403)
    author = Author(user.name, f"{user.name}@netkit.localhost")
    try:
        if action == "publish":
            bump = request.form.get("bump", "minor")
            if bump not in ("major", "minor", "patch"):
                raise Invalid("bump", [])
            edition = versioned.publish(slug, bump, note, author)  # type: ignore[arg-type]
            return redirect(url_for("reader.material", slug=slug, udgivet=edition.version))
        target, _permission = WORKFLOW[action]
        versioned.set_status(slug, target, author, note.strip() or None,
                             replaced_by=(replaced_by or None) if action == "retire" else None)
    except (Invalid, Forbidden) as exc:
        problems = getattr(exc, "problems", [])
        return page(note, replaced_by, "; ".join(p.message for p in problems) or str(exc)), 400
    except WriteFailed as exc:
        return page(note, replaced_by, not_saved(exc)), 503
    return redirect(url_for("reader.material", slug=slug))
