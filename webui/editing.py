"""Editing and creating materials in the browser: title, summary, kind, topics, audience, working group and
the Markdown text, a server-rendered preview, and saving with a message on top of the revision the editor
started from. New materials start from their kind's starting text (toolkit.starters).

Nothing typed is lost: a stale base merges three-way (the page says so); overlapping changes give a
conflict page with the other text, the conflicting parts and the editor's own text kept in the form; a
validation failure keeps the text; an expired session carries the text through signing in again
(webui.auth), after which the editor opens with it. Permissions come from toolkit.permissions.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.editing import compose, split
from toolkit.errors import Conflict, Invalid, InvalidSlug, Problem
from toolkit.gitstore import Author
from toolkit.groups import working_groups
from toolkit.materials import validate_slug
from toolkit.permissions import can
from toolkit.recommendation import KIND as RECOMMENDATION
from toolkit.recommendation import signatories_from_lines, signatories_to_lines
from toolkit.starters import kinds_with_starters, new_material, slug_from_title, starting_body
from webui import csrf
from webui.auth import ACCOUNTS_KEY, current_user, sign_in_again
from webui.context import instance, library

bp = Blueprint("editing", __name__)

FIELDS = ("title", "summary", "kind", "body", "message", "base", "working_group", "slug",
          "recipients", "decision_requested", "key_points", "signatories")  # the last four: recommendations
LISTS = ("topics", "audience")
RESUMED = "resume"  # the action of the form that brings a carried text back after signing in again


def _posted() -> dict:
    form = {key: request.form.get(key, "") for key in FIELDS}
    form.update({key: request.form.getlist(key) for key in LISTS})
    return form


def _front_fields(form: dict) -> dict:
    """The front-matter fields of a posted form, as toolkit.editing.compose takes them; a recommendation's
    recipients and key points are typed one per line, its signatories as "Organisation; Person; date"."""
    fields = {key: form[key] for key in ("title", "summary", "kind", "topics", "audience", "working_group")}
    if form["kind"] == RECOMMENDATION:
        fields.update(recipients=form["recipients"].splitlines(), key_points=form["key_points"].splitlines(),
                      decision_requested=form["decision_requested"],
                      signatories=signatories_from_lines(form["signatories"]))
    return fields


def _recommendation_form(material) -> dict:
    return {"recipients": "\n".join(material.recipients), "key_points": "\n".join(material.key_points),
            "decision_requested": material.decision_requested or "",
            "signatories": signatories_to_lines(material.signatories)}


def _before_saving(form: dict, page):
    """The answers that come before a save — an expired form, the text back after signing in again, a
    preview — or None to go on and save. Each keeps everything typed."""
    if not csrf.valid():
        return page(form, 400, message=_("Formularen var for gammel (eller din session udløb). Din tekst er "
                                          "bevaret – gem igen."))
    action = request.form.get("action")
    if action == RESUMED:
        return page(form, message=_("Du er logget ind igen. Din tekst er bevaret – gem den nu."))
    if action == "preview":
        return page(form, preview=_preview(form))
    return None


def _author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


def _choices(user) -> dict:
    """The options the form offers: taxonomy vocabularies, and the groups this user may assign."""
    taxonomy = library().taxonomy
    if can(user, "manage_groups"):
        groups = [g.name for g in working_groups(current_app.extensions[ACCOUNTS_KEY], library())]
    else:
        groups = list(user.groups)
    records = ("template", "meeting", "project")  # kinds of other search documents, not of materials
    return {"kinds": [k for k in taxonomy.ids("kinds") if k not in records], "topics": taxonomy.ids("topics"),
            "audiences": taxonomy.ids("audiences"), "groups": groups,
            "assign_group": can(user, "manage_groups")}


def _preview(form: dict) -> Markup:
    return Markup(library().renderer.render(form["body"], library().targets).html)


@bp.route("/m/<slug>/rediger", methods=["GET", "POST"])
def edit(slug: str):
    versioned = instance()
    material = library().get(slug)
    user = current_user()
    if user is None:
        if request.method == "POST":
            return sign_in_again(request.path)
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "edit", material):
        abort(403)
    choices = _choices(user)

    def page(form: dict, status: int = 200, **extra):
        return render_template("editing/edit.html", material=material, form=form, **choices, **extra), status

    if request.method == "GET":
        _front, body = split(versioned.read(slug))
        return page({"title": material.title, "summary": material.summary, "kind": material.kind, "body": body,
                     "topics": list(material.topics), "audience": list(material.audience),
                     "working_group": material.working_group or "", "message": "",
                     "base": versioned.latest_revision(slug) or "", **_recommendation_form(material)})
    form = _posted()
    if not choices["assign_group"]:  # members keep the group the material belongs to
        form["working_group"] = material.working_group or ""
    if (answered := _before_saving(form, page)) is not None:
        return answered
    text = compose(versioned.read(slug, form["base"] or None), _front_fields(form), form["body"])
    try:
        result = versioned.save(slug, text, _author(user), form["message"] or _("Redigeret i browseren"),
                                form["base"] or None)
    except Conflict as exc:
        return page(form, 409, conflict=exc)
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    note = "flettet" if result.merged else ("gemt" if result.changed else "uaendret")
    return redirect(url_for("reader.material", slug=slug, gemt=note))


@bp.get("/ny")
def choose_kind():
    """Step one of a new material: which kind (each has its own starting text)."""
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "create"):
        abort(403)
    return render_template("editing/choose.html", kinds=kinds_with_starters(library().taxonomy))


@bp.route("/ny/<kind>", methods=["GET", "POST"])
def create(kind: str):
    """A new material of one kind: the form starts from the kind's starting text; saved as a draft."""
    user = current_user()
    if user is None:
        if request.method == "POST":
            return sign_in_again(request.path)
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "create"):
        abort(403)
    if kind not in kinds_with_starters(library().taxonomy):
        abort(404)
    versioned = instance()
    choices = _choices(user)

    def page(form: dict, status: int = 200, **extra):
        return render_template("editing/new.html", kind=kind, form=form, **choices, **extra), status

    if request.method == "GET":
        return page({"title": "", "slug": "", "summary": "", "kind": kind, "body": starting_body(kind),
                     "topics": [], "audience": [], "message": "", "base": "", "recipients": "", "key_points": "",
                     "decision_requested": "", "signatories": "",
                     "working_group": user.groups[0] if user.groups and not choices["assign_group"] else ""})
    form = _posted()
    form["kind"] = kind
    if not choices["assign_group"] and form["working_group"] not in user.groups:
        form["working_group"] = user.groups[0] if user.groups else ""
    if (answered := _before_saving(form, page)) is not None:
        return answered
    slug = form["slug"].strip() or slug_from_title(form["title"])
    try:
        validate_slug(slug)
    except InvalidSlug:
        return page(form, 400, problems=[Problem.at("slug", _("Skriv en titel, eller et filnavn med små bogstaver, "
                                                             "tal og bindestreger."), field="slug")])
    text = new_material(title=form["title"], kind=kind, summary=form["summary"], topics=form["topics"],
                        audience=form["audience"], author=user.name, working_group=form["working_group"] or None,
                        body=form["body"])
    text = compose(text, _front_fields(form), form["body"])  # a recommendation's own fields, when given
    try:
        versioned.save(slug, text, _author(user), form["message"] or _("Nyt materiale"), None)
    except Conflict:
        form["slug"] = slug
        return page(form, 409, problems=[Problem.at("slug", _("Der findes allerede et materiale med filnavnet "
                                                             "%(slug)s. Vælg et andet.", slug=slug), field="slug")])
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    return redirect(url_for("reader.material", slug=slug, gemt="gemt"))
