"""A material's history and the side-by-side comparison of two revisions (signed-in members and up).

History includes draft revisions, so it is shown to those who may read drafts. Only an instance has a
history; a plain --library folder answers 404 here.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from toolkit.gitstore import Author
from toolkit.permissions import can
from webui import csrf
from webui.auth import current_user
from webui.context import instance

bp = Blueprint("history", __name__)


def _sign_in_first() -> Response | None:
    if not can(current_user(), "read_drafts"):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


@bp.get("/m/<slug>/historik")
def history(slug: str):
    if (response := _sign_in_first()) is not None:
        return response
    versioned = instance()
    material = versioned.library().get(slug)
    revisions = versioned.history(slug)
    return render_template("history/history.html", material=material, revisions=revisions,
                           can_restore=can(current_user(), "restore", material))


@bp.get("/m/<slug>/forskel")
def compare(slug: str):
    if (response := _sign_in_first()) is not None:
        return response
    versioned = instance()
    material = versioned.library().get(slug)
    old, new = request.args.get("fra") or None, request.args.get("til") or None
    diff = versioned.diff(slug, old, new)
    return render_template("history/diff.html", material=material, diff=diff)


@bp.route("/m/<slug>/gendan/<revision>", methods=["GET", "POST"])
def restore(slug: str, revision: str):
    """Restore an old revision as the newest one, after a confirmation that shows what will change."""
    if (response := _sign_in_first()) is not None:
        return response
    versioned = instance()
    material = versioned.library().get(slug)
    user = current_user()
    if not can(user, "restore", material):
        abort(403)
    diff = versioned.diff(slug, "HEAD", revision)
    if request.method == "GET":
        return render_template("history/restore.html", material=material, diff=diff, revision=revision)
    if not csrf.valid():
        return render_template("history/restore.html", material=material, diff=diff, revision=revision,
                               message=_("Formularen var for gammel. Prøv igen.")), 400
    versioned.restore(slug, revision, Author(user.name, f"{user.name}@netkit.localhost"))
    return redirect(url_for("reader.material", slug=slug, gemt="gemt"))
