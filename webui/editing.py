"""Editing a material in the browser: title, summary, kind and the Markdown text, a server-rendered
preview, and saving with a message on top of the revision the editor started from.

A stale base merges three-way (the page says so); overlapping changes give a conflict page with the other
text, the conflicting parts and the editor's own text kept in the form; a validation failure keeps the
text too. Permission is decided by toolkit.permissions (members: their working groups' materials).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.editing import compose, split
from toolkit.errors import Conflict, Invalid
from toolkit.gitstore import Author
from toolkit.permissions import can
from webui import csrf
from webui.auth import current_user
from webui.context import instance, library

bp = Blueprint("editing", __name__)


@bp.route("/m/<slug>/rediger", methods=["GET", "POST"])
def edit(slug: str):
    versioned = instance()
    material = library().get(slug)
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "edit", material):
        abort(403)
    kinds = library().taxonomy.ids("kinds")
    if request.method == "GET":
        base = versioned.latest_revision(slug) or ""
        text = versioned.read(slug)
        _front, body = split(text)
        form = {"title": material.title, "summary": material.summary, "kind": material.kind, "body": body,
                "message": "", "base": base}
        return render_template("editing/edit.html", material=material, form=form, kinds=kinds)
    form = {key: request.form.get(key, "") for key in ("title", "summary", "kind", "body", "message", "base")}
    if not csrf.valid():
        return render_template("editing/edit.html", material=material, form=form, kinds=kinds,
                               message=_("Formularen var for gammel (eller din session udløb). Din tekst er "
                                         "bevaret – gem igen.")), 400
    base_text = versioned.read(slug, form["base"] or None)
    text = compose(base_text, {k: form[k] for k in ("title", "summary", "kind")}, form["body"])
    if request.form.get("action") == "preview":
        preview = Markup(library().renderer.render(form["body"], library().targets).html)
        return render_template("editing/edit.html", material=material, form=form, kinds=kinds, preview=preview)
    author = Author(user.name, f"{user.name}@netkit.localhost")
    try:
        result = versioned.save(slug, text, author, form["message"] or _("Redigeret i browseren"), form["base"] or None)
    except Conflict as exc:
        return render_template("editing/edit.html", material=material, form=form, kinds=kinds, conflict=exc), 409
    except Invalid as exc:
        return render_template("editing/edit.html", material=material, form=form, kinds=kinds,
                               problems=exc.problems), 400
    note = "flettet" if result.merged else ("gemt" if result.changed else "uaendret")
    return redirect(url_for("reader.material", slug=slug, gemt=note))
