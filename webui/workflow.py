"""The review workflow in the browser: a member asks for review (with a note); a facilitator returns it
with a comment, publishes it as a new edition (major/minor/patch and the changelog line) or retires it.

The allowed status changes come from toolkit.instance.TRANSITIONS, who may make them from
toolkit.permissions; the page offers only what this user may do now.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.accounts import User
from toolkit.errors import Forbidden, Invalid
from toolkit.gitstore import Author
from toolkit.instance import TRANSITIONS, Instance
from toolkit.materials import Material
from toolkit.permissions import can
from webui import csrf
from webui.auth import current_user
from webui.context import library, source

bp = Blueprint("workflow", __name__)

# action → (target status or None for publish, the permission it needs)
ACTIONS = {
    "request_review": ("review", "edit"),
    "return": ("draft", "review"),
    "publish": (None, "publish"),
    "retire": ("retired", "retire"),
    "reopen": ("draft", "edit"),
}


def allowed_actions(user: User | None, material: Material) -> list[str]:
    """What this user may do with the material in its current status."""
    possible = TRANSITIONS.get(material.status, set())
    actions = []
    for action, (target, permission) in ACTIONS.items():
        if not can(user, permission, material):
            continue
        if action == "publish":
            offered = material.status in ("draft", "review")
        elif action == "reopen":  # a material in review goes back to draft by "return" instead
            offered = target in possible and material.status != "review"
        else:
            offered = target in possible
        if offered:
            actions.append(action)
    return actions


@bp.route("/m/<slug>/status", methods=["GET", "POST"])
def status(slug: str):
    instance = source()
    if not isinstance(instance, Instance):
        abort(404)
    material = library().get(slug)
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    actions = allowed_actions(user, material)
    if request.method == "GET":
        return render_template("workflow/status.html", material=material, actions=actions, note="")
    action, note = request.form.get("action", ""), request.form.get("note", "")[:500]
    if not csrf.valid():
        return render_template("workflow/status.html", material=material, actions=actions, note=note,
                               message=_("Formularen var for gammel. Prøv igen.")), 400
    if action not in actions:
        abort(403)
    author = Author(user.name, f"{user.name}@netkit.localhost")
    try:
        if action == "publish":
            bump = request.form.get("bump", "minor")
            if bump not in ("major", "minor", "patch"):
                raise Invalid("bump", [])
            edition = instance.publish(slug, bump, note, author)  # type: ignore[arg-type]
            return redirect(url_for("reader.material", slug=slug, udgivet=edition.version))
        target, _permission = ACTIONS[action]
        instance.set_status(slug, target, author, note.strip() or None)
    except (Invalid, Forbidden) as exc:
        problems = getattr(exc, "problems", [])
        text = "; ".join(p.message for p in problems) or str(exc)
        return render_template("workflow/status.html", material=material, actions=actions, note=note,
                               message=text), 400
    return redirect(url_for("reader.material", slug=slug))
