"""A material's history and the side-by-side comparison of two revisions (signed-in members and up).

History includes draft revisions, so it is shown to those who may read drafts. Only an instance has a
history; a plain --library folder answers 404 here.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Conflict
from toolkit.history.gitstore import Author
from toolkit.people.permissions import can
from webui import csrf
from webui.context import instance
from webui.guards import needs

bp = Blueprint("history", __name__)


@bp.get("/m/<slug>/historik")
@needs("read_drafts")
def history(slug: str, user):
    versioned = instance()
    material = versioned.library().get(slug)
    return render_template("history/history.html", material=material, revisions=versioned.history(slug),
                           can_restore=can(user, "restore", material))


@bp.get("/m/<slug>/forskel")
@needs("read_drafts")
def compare(slug: str, user):
    versioned = instance()
    material = versioned.library().get(slug)
    old, new = request.args.get("fra") or None, request.args.get("til") or None
    diff = versioned.diff(slug, old, new)
    return render_template("history/diff.html", material=material, diff=diff)


@bp.route("/m/<slug>/gendan/<revision>", methods=["GET", "POST"])
@needs("read_drafts")
def restore(slug: str, revision: str, user):
    """Restore an old revision as the newest one, after a confirmation that shows what will change."""
    versioned = instance()
    material = versioned.library().get(slug)
    if not can(user, "restore", material):
        abort(403)
    latest = versioned.latest_revision(slug) or ""
    diff = versioned.diff(slug, latest or "HEAD", revision)

    def confirm(message: str | None = None, status: int = 200):
        return render_template("history/restore.html", material=material, diff=diff, revision=revision,
                               latest=latest, message=message), status

    if request.method == "GET":
        return confirm()
    if not csrf.valid():
        return confirm(_("Formularen var for gammel. Prøv igen."), 400)
    try:
        versioned.restore(slug, revision, Author(user.name, f"{user.name}@netkit.localhost"),
                          expected=request.form.get("latest", ""))
    except Conflict:  # someone saved since the confirmation was shown: show what restoring changes now
        return confirm(_("Teksten er ændret, siden du så den. Se ændringerne igen, og bekræft."), 409)
    return redirect(url_for("reader.material", slug=slug, gemt="gemt"))
