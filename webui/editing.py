"""Editing and creating materials in the browser: title, summary, kind, topics, audience, working group and
the Markdown text, a server-rendered preview, and saving with a message on top of the revision the editor
started from. New materials start from their kind's starting text (toolkit.library.starters).

Nothing typed is lost: a stale base merges three-way (the page says so); overlapping changes give a
conflict page with the other text, the conflicting parts and the editor's own text kept in the form; a
validation failure keeps the text; an expired session carries the text through signing in again
(webui.auth), after which the editor opens with it. Permissions come from toolkit.people.permissions.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from toolkit.errors import Conflict, Invalid, InvalidSlug, Problem, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.library.editing import compose, split
from toolkit.library.materials import validate_slug
from toolkit.library.recommendation import KIND as RECOMMENDATION
from toolkit.library.recommendation import signatories_from_lines, signatories_to_lines
from toolkit.library.starters import kinds_with_starters, new_material, slug_from_title, starting_body
from toolkit.network.groups import working_groups
from toolkit.people.permissions import can
from webui import csrf
from webui.auth import ACCOUNTS_KEY, current_user, resumed_form, sign_in_again
from webui.context import instance, library
from webui.errors import not_saved

bp = Blueprint("editing", __name__)

FIELDS = ("title", "summary", "kind", "body", "message", "base", "working_group", "slug",
          "recipients", "decision_requested", "key_points", "signatories")  # the last four: recommendations
LISTS = ("topics", "audience")
RESUMED = _l("Du er logget ind igen. Din tekst er bevaret – gem den nu.")


def _posted(data: MultiDict | None = None) -> dict:
    """The form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "") for key in FIELDS}
    form.update({key: data.getlist(key) for key in LISTS})
    return form


def _front_fields(form: dict) -> dict:
    """The front-matter fields of a posted form, as toolkit.library.editing.compose takes them; a recommendation's
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
    """The answers that come before a save — an expired form, a preview — or None to go on and save. Each
    keeps everything typed."""
    if not csrf.valid():
        return page(form, 400, message=_("Formularen var for gammel (eller din session udløb). Din tekst er "
                                          "bevaret – gem igen."))
    action = request.form.get("action")
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


def _unknown_choices(form: dict, choices: dict, *, kind: str | None = None, group: str | None = None) -> list[Problem]:
    """A kind or working group the form did not offer (a forged or stale form); the material's own current
    kind and group always stay allowed. (Topics and audiences are checked against the taxonomy by the core.)"""
    offered = {"kind": [*choices["kinds"], kind], "working_group": ["", *choices["groups"], group or ""]}
    return [Problem.at("form", _("Vælg en af mulighederne i listen."), field=name)
            for name, allowed in offered.items() if form[name] not in allowed]


def _preview(form: dict) -> Markup:
    return Markup(library().renderer.render(form["body"], library().targets, cache=False).html)  # not kept


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

    if request.method == "GET" and (kept := resumed_form()) is not None:  # typed before the session ended
        form = _posted(kept)
        if not choices["assign_group"]:
            form["working_group"] = material.working_group or ""
        return page(form, message=str(RESUMED))
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
    if problems := _unknown_choices(form, choices, kind=material.kind, group=material.working_group):
        return page(form, 400, problems=problems)
    try:
        text = compose(versioned.read(slug, form["base"] or None), _front_fields(form), form["body"],
                       where=material.path)
        result = versioned.save(slug, text, _author(user), form["message"] or _("Redigeret i browseren"),
                                form["base"] or None)
    except Conflict as exc:
        return page(form, 409, conflict=exc)
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
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

    if request.method == "GET" and (kept := resumed_form()) is not None:
        form = _posted(kept)
        form["kind"] = kind
        if not choices["assign_group"] and form["working_group"] not in user.groups:
            form["working_group"] = user.groups[0] if user.groups else ""
        return page(form, message=str(RESUMED))
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
    if problems := _unknown_choices(form, choices):
        return page(form, 400, problems=problems)
    try:
        text = new_material(title=form["title"], kind=kind, summary=form["summary"], topics=form["topics"],
                            audience=form["audience"], author=user.name,
                            working_group=form["working_group"] or None, body=form["body"])
        text = compose(text, _front_fields(form), form["body"])  # a recommendation's own fields, when given
        versioned.save(slug, text, _author(user), form["message"] or _("Nyt materiale"), None)
    except Conflict:
        form["slug"] = slug
        return page(form, 409, problems=[Problem.at("slug", _("Der findes allerede et materiale med filnavnet "
                                                             "%(slug)s. Vælg et andet.", slug=slug), field="slug")])
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    return redirect(url_for("reader.material", slug=slug, gemt="gemt"))
