"""The review workflow in the browser: a member asks for review (with a note); a facilitator approves it or
returns it with a comment, publishes it as a new edition (major/minor/patch and the changelog line), or
retires it with a pointer to the material that replaces it.

What is offered comes from toolkit.people.permissions.workflow_actions (the status rules and the roles).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Forbidden, Invalid, Problem, WriteFailed
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
    form = {"action": request.form.get("action", ""), "note": request.form.get("note", "")[:500],
            "replaced_by": request.form.get("replaced_by", "")[:80], "bump": request.form.get("bump", "minor")}

    def page(message: str | None = None, errors: dict[str, str] | None = None) -> str:
        others = [m for m in library().materials() if m.slug != slug and m.status != "retired"]
        return render_template("workflow/status.html", material=material, actions=actions, form=form,
                               others=others, message=message, errors=errors or {},
                               state=publication_state(material))

    if request.method == "GET":
        return page()
    if not csrf.valid():
        return page(_("Formularen var for gammel. Prøv igen.")), 400
    if form["action"] not in actions:
        abort(403)
    try:
        return _carry_out(versioned, slug, form, user)
    except (Invalid, Forbidden) as exc:
        return page(*_refusal(exc)), 400
    except WriteFailed as exc:
        return page(not_saved(exc)), 503


def _refusal(exc: Invalid | Forbidden) -> tuple[str, dict[str, str]]:
    """(what the page says on top, the errors at their fields) for a refused status change, in Danish."""
    problems = getattr(exc, "problems", [])
    errors = {}
    for problem in problems:
        if problem.field == "message":
            errors["note"] = _("Skriv en note om, hvad der er ændret: den bliver ændringsloggen for den nye udgave.")
        elif problem.field == "bump":
            errors["bump"] = _("Vælg, hvor stor ændringen er.")
    rest = [p.message for p in problems if p.field not in ("message", "bump")]
    if errors and not rest:
        return _("Status blev ikke ændret. Ret det markerede, og prøv igen."), errors
    return _("Status blev ikke ændret: %(reason)s", reason="; ".join(rest) or str(exc)), errors


def _carry_out(versioned: Instance, slug: str, form: dict, user: User):
    """Publish (with the bump chosen) or change the status; the material page then says what happened."""
    author = Author(user.name, f"{user.name}@netkit.localhost")
    if form["action"] == "publish":
        if form["bump"] not in ("major", "minor", "patch"):
            raise Invalid("bump", [Problem.at(slug, "choose major, minor or patch", field="bump")])
        edition = versioned.publish(slug, form["bump"], form["note"], author)  # type: ignore[arg-type]
        return redirect(url_for("reader.material", slug=slug, udgivet=edition.version))
    target, _permission = WORKFLOW[form["action"]]
    versioned.set_status(slug, target, author, form["note"].strip() or None,
                         replaced_by=(form["replaced_by"] or None) if form["action"] == "retire" else None)
    return redirect(url_for("reader.material", slug=slug, status=target))
