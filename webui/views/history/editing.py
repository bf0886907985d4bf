"""Editing and creating materials in the browser: title, summary, kind, topics, audience, working group and
the Markdown text, a server-rendered preview, and saving with a message on top of the revision the editor
started from. New materials start from their kind's starting text (toolkit.library.starters).

Nothing typed is lost: a stale base merges three-way (the page says so); overlapping changes give a
conflict page with the other text, the conflicting parts and the editor's own text kept in the form; a
validation failure keeps the text; an expired session carries the text through signing in again
(webui/identity.py), after which the editor opens with it. Permissions come from toolkit.people.permissions.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from toolkit.errors import Conflict, Invalid, InvalidSlug, Problem, WriteFailed
from toolkit.history.conflicts import body_places, dropped_lines, field_places, marked_body, marked_places, unresolved
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.library.editing import compose, front_fields, split
from toolkit.library.materials import Material, validate_slug
from toolkit.library.recommendation import KIND as RECOMMENDATION
from toolkit.library.recommendation import signatories_from_lines, signatories_to_lines
from toolkit.library.starters import kinds_with_starters, new_material, slug_from_title, starting_body
from toolkit.network.groups import working_groups
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from webui import csrf
from webui.context import accounts, instance, library
from webui.errors import not_saved
from webui.guards import needs, signed_in
from webui.identity import resumed_form
from webui.refusals import refuse
from webui.views.history import importing
from webui.views.history.revisions import FIELD_LABELS, FIELD_VOCABULARIES

bp = Blueprint("editing", __name__)

FIELDS = ("title", "summary", "kind", "body", "message", "base", "working_group", "slug", "conflict_base", "overwrite",
          "uploads", "questions", "questions_en",
          "recipients", "decision_requested", "key_points", "signatories")  # recommendations only
LISTS = ("topics", "audience")
QUESTION_FIELDS = ("questions", "questions_en")
RESUMED = _l("Du er logget ind igen. Din tekst er bevaret – gem den nu.")
# A problem is shown by the label of its field in the form (never the field's id), linked when the field has one.
LABELS = {**FIELD_LABELS, "body": _l("Tekst (Markdown)"), "slug": _l("Filnavn"), "message": _l("Hvad har du ændret?"),
          "fil": _l("Billede eller PDF"), "alt": _l("Hvad viser billedet?"), "media": _l("Billeder og filer"),
          "word": _l("Word-fil")}
LINKED = ("title", "summary", "kind", "working_group", "body", "slug", "message", "questions", "questions_en",
          "recipients", "key_points", "decision_requested", "signatories", "fil", "alt", "word")


def _posted(data: MultiDict | None = None) -> dict:
    """The form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "") for key in FIELDS}
    form.update({key: data.getlist(key) for key in LISTS})
    # A post without the questions' boxes (a form kept from before they existed, a script) leaves them as they are.
    form.update({key: data.get(key) for key in QUESTION_FIELDS})
    return form


def _front_fields(form: dict) -> dict:
    """The front-matter fields of a posted form, as toolkit.library.editing.compose takes them; a recommendation's
    recipients and key points are typed one per line, its signatories as "Organisation; Person; date"; the
    questions a material answers one per line."""
    fields = {key: form[key] for key in ("title", "summary", "kind", "topics", "audience", "working_group")}
    fields.update({key: form[key].splitlines() for key in QUESTION_FIELDS if form.get(key) is not None})
    if form["kind"] == RECOMMENDATION:
        fields.update(recipients=form["recipients"].splitlines(), key_points=form["key_points"].splitlines(),
                      decision_requested=form["decision_requested"],
                      signatories=signatories_from_lines(form["signatories"]))
    return fields


def _typed_lists(material, text: str) -> dict:
    """The front-matter lists the form shows one entry per line (the questions; a recommendation's fields). The
    questions as the file holds them (`text`), not as read: an entry the check refused (a repeat, the 41st) stays
    in the box, so a save that did not mean to touch them refuses with the problem instead of dropping it."""
    raw = front_fields(text)
    questions = {key: "\n".join(" ".join(str(item).split()) for item in raw[key]) if isinstance(raw.get(key), list)
                 else "\n".join(getattr(material, key)) for key in QUESTION_FIELDS}
    return {**questions,
            "recipients": "\n".join(material.recipients), "key_points": "\n".join(material.key_points),
            "decision_requested": material.decision_requested or "",
            "signatories": signatories_to_lines(material.signatories)}


def _before_saving(form: dict, page, slug: str | None = None):
    """The answers that come before a save — an expired form, a preview — or None to go on and save. Each
    keeps everything typed."""
    if not csrf.valid():
        return page(form, 400, message=_("Formularen var for gammel (eller din session udløb). Din tekst er "
                                          "bevaret – gem igen."))
    action = request.form.get("action")
    if action == "preview":
        return page(form, preview=_preview(form, slug))
    return None


def _author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


def _choices(user) -> dict:
    """The options the form offers: taxonomy vocabularies, and the groups this user may assign."""
    taxonomy = library().taxonomy
    if can(user, "manage_groups"):
        groups = [g.name for g in working_groups(accounts(), library())]
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


def _preview(form: dict, slug: str | None) -> Markup:
    html = library().renderer.render(form["body"], library().targets, cache=False).html  # not kept
    return importing.preview_html(html, form, slug)


def _with_file(kind: str, page, shape: Callable[[dict], dict], slug: str | None):
    """An image, PDF or Word file posted from the editor: kept for the save, the form as it was plus the file's
    reference (or the Word text), with the preview."""
    if (error := importing.open_upload()) is not None:
        return page(shape(_posted()), 400, message=error)
    form = shape(_posted())
    notes: list[str] = []
    imported = None
    if kind == "billede":
        form, message, problems = importing.add_media(form, slug)
    else:
        form, notes, problems, imported = importing.read_word(form, slug=slug)
        message = importing.word_message(notes, len(imported.comments), round_trip=slug is not None) \
            if imported is not None else None
    return page(form, 400 if problems else 200, problems=problems, message=message, import_notes=notes,
                import_comments=imported.comments if kind == "word" and imported is not None else (),
                problems_title=_("Filen blev ikke taget med") if problems else None,
                preview=_preview(form, slug) if not problems else None)


def _page(template: str, **context) -> Callable[..., tuple[str, int]]:
    """The editor page with this form, a status and whatever else it should show (problems, a conflict …)."""

    def page(form: dict, status: int = 200, **extra) -> tuple[str, int]:
        return render_template(template, form=form, field_labels=LABELS, linked_fields=LINKED,
                               field_vocabularies=FIELD_VOCABULARIES, **context, **extra), status

    return page


@bp.route("/m/<slug>/rediger", methods=["GET", "POST"])
@signed_in
def edit(slug: str, user: User):
    versioned, material = instance(), library().get(slug)
    if not can(user, "edit", material):
        refuse("edit", material)
    choices = _choices(user)
    page = _page("editing/edit.html", material=material, **choices)
    if request.method == "GET":
        return _open_editor(versioned, material, choices, page)
    def shape(form: dict) -> dict:
        return _with_group(form, material.working_group or "", choices)

    if (kind := importing.upload_kind()) is not None:
        return _with_file(kind, page, shape, material.slug)
    form = shape(_posted())
    return _before_saving(form, page, material.slug) or _save_edit(versioned, material, form, choices, user, page)


def _open_editor(versioned: Instance, material: Material, choices: dict, page):
    """The editor with what was typed before the session ended, else with the material as it is now."""
    if (kept := resumed_form()) is not None:
        return page(_with_group(_posted(kept), material.working_group or "", choices), message=str(RESUMED))
    text = versioned.read(material.slug)
    _front, body = split(text)
    return page({"title": material.title, "summary": material.summary, "kind": material.kind, "body": body,
                 "topics": list(material.topics), "audience": list(material.audience),
                 "working_group": material.working_group or "", "message": "",
                 "base": versioned.latest_revision(material.slug) or "", **_typed_lists(material, text)})


def _with_group(form: dict, group: str, choices: dict) -> dict:
    """Members keep the group the material belongs to; those who assign groups choose it."""
    if not choices["assign_group"]:
        form["working_group"] = group
    return form


def _save_edit(versioned: Instance, material: Material, form: dict, choices: dict, user: User, page):
    """Save on top of the revision the editor started from: merged, or a conflict page with everything kept."""
    if problems := _unknown_choices(form, choices, kind=material.kind, group=material.working_group):
        return page(form, 400, problems=problems)
    try:
        text = compose(versioned.read(material.slug, form["base"] or None), _front_fields(form), form["body"],
                       where=material.path)
        if (refused := _after_conflict(versioned, material, form, text, page)) is not None:
            return refused
        result = versioned.save(material.slug, text, _author(user), form["message"] or _("Redigeret i browseren"),
                                form["base"] or None, media=importing.staged_media(form))
    except Conflict as exc:
        return _conflict_page(versioned, material, form, exc, page)
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    importing.after_save(form, material.slug, _author(user))
    note = "flettet" if result.merged else ("gemt" if result.changed else "uaendret")
    again = material.status == "approved" and result.material.status == "review"  # workflow.after_edit moved it
    return redirect(url_for("reader.material", slug=material.slug, gemt=note, review="igen" if again else None))


def _conflict_page(versioned: Instance, material: Material, form: dict, exc: Conflict, page):
    """Both versions of every overlapping change, marked in the text to choose from; the next save is checked
    against the other writer's lines (`conflict_base` remembers where this writer started)."""
    marked = marked_body(exc.merged) if exc.merged else None
    form = {**form, "conflict_base": form.get("conflict_base") or form["base"],
            "base": exc.theirs_revision or form["base"], "overwrite": ""}
    if marked is not None:
        form["body"] = marked
        places = marked_places(marked)
    else:  # a field both changed: the form keeps this writer's fields and body, the table names the field
        places = field_places(exc.base, exc.theirs, exc.mine) + body_places(exc.mine, exc.parts)
    latest = versioned.history(material.slug)[:1]
    return page(form, 409, conflict=exc, marked=marked is not None, places=places,
                other=latest[0] if latest else None)


def _after_conflict(versioned: Instance, material: Material, form: dict, text: str, page):
    """A save after a conflict: refused while markers are left, and while it drops the other writer's lines
    unless "Overskriv den andens ændring" is ticked."""
    if not form.get("conflict_base"):
        return None
    if lines := unresolved(form["body"]):
        return page(form, 400, problems=[Problem.at("body", _markers_left(form["body"], lines), field="body")])
    dropped = dropped_lines(versioned.read(material.slug, form["conflict_base"]),
                            versioned.read(material.slug, form["base"]), text)
    if dropped and not form.get("overwrite"):
        return page(form, 409, dropped=dropped)
    return None


def _markers_left(body: str, lines: list[int]) -> str:
    """The refusal to save with markers left, naming the places by the textarea's line numbers — each marked
    place as "2–6", a marker left alone by its line."""
    places = marked_places(body)
    inside = {n for p in places for n in (p.first, p.last)}
    where = [f"{p.first}–{p.last}" for p in places] + [str(n) for n in lines if n not in inside]
    return ngettext("Der er stadig et markeret modstridende sted (linje %(lines)s). Vælg, hvad der skal stå, og "
                    "fjern markeringerne DIN TEKST, ======= og DEN ANDENS TEKST.",
                    "Der er stadig %(num)s markerede modstridende steder (linje %(lines)s). Vælg, hvad der skal "
                    "stå, og fjern markeringerne DIN TEKST, ======= og DEN ANDENS TEKST.",
                    len(where), lines=", ".join(where[:5]) + (" …" if len(where) > 5 else ""))


@bp.get("/ny")
@needs("create")
def choose_kind(user: User):
    """Step one of a new material: which kind (each has its own starting text)."""
    return render_template("editing/choose.html", kinds=kinds_with_starters(library().taxonomy))


@bp.post("/ny/word")
@needs("create")
def import_word(user: User):
    """A Word document as a new material: converted, then shown in the new material's editor to look through
    before it is saved (nothing is saved yet)."""
    kinds = kinds_with_starters(library().taxonomy)
    if (error := importing.open_upload()) is not None:
        return render_template("editing/choose.html", kinds=kinds, message=error), 400
    kind = request.form.get("kind", "")
    if kind not in kinds:
        return render_template("editing/choose.html", kinds=kinds, problems=[
            Problem.at("kind", _("Vælg en af mulighederne i listen."), field="kind")], field_labels=LABELS,
            linked_fields=LINKED, problems_alone=True, problems_title=_("Word-filen blev ikke indlæst")), 400
    choices = _choices(user)
    page = _page("editing/new.html", kind=kind, **choices)
    form = _own_group(_blank(kind, user, choices), user, choices)
    form, notes, problems, imported = importing.read_word(form, slug=None)
    if problems:
        return render_template("editing/choose.html", kinds=kinds, problems=problems, field_labels=LABELS,
                               linked_fields=LINKED, chosen=kind, problems_alone=True,
                               problems_title=_("Word-filen blev ikke indlæst")), 400
    return page(form, message=importing.word_message(notes, len(imported.comments), round_trip=False),
                import_notes=notes, import_comments=imported.comments, preview=_preview(form, None))


def _blank(kind: str, user: User, choices: dict) -> dict:
    return {"title": "", "slug": "", "summary": "", "kind": kind, "body": starting_body(kind), "uploads": "",
            "topics": [], "audience": [], "message": "", "base": "", "questions": "", "questions_en": "",
            "recipients": "", "key_points": "", "decision_requested": "", "signatories": "",
            "working_group": user.groups[0] if user.groups and not choices["assign_group"] else ""}


@bp.route("/ny/<kind>", methods=["GET", "POST"])
@needs("create")
def create(kind: str, user: User):
    """A new material of one kind: the form starts from the kind's starting text; saved as a draft."""
    if kind not in kinds_with_starters(library().taxonomy):
        abort(404)
    choices = _choices(user)
    page = _page("editing/new.html", kind=kind, **choices)
    if request.method == "GET" and (kept := resumed_form()) is not None:
        return page(_own_group(_posted(kept) | {"kind": kind}, user, choices), message=str(RESUMED))
    if request.method == "GET":
        return page(_blank(kind, user, choices))
    if (upload := importing.upload_kind()) is not None:
        return _with_file(upload, page, lambda form: _own_group(form | {"kind": kind}, user, choices), None)
    form = _own_group(_posted() | {"kind": kind}, user, choices)
    return _before_saving(form, page) or _save_new(instance(), kind, form, choices, user, page)


def _own_group(form: dict, user: User, choices: dict) -> dict:
    """A member's new material belongs to one of their own groups."""
    if not choices["assign_group"] and form["working_group"] not in user.groups:
        form["working_group"] = user.groups[0] if user.groups else ""
    return form


def _save_new(versioned: Instance, kind: str, form: dict, choices: dict, user: User, page):
    """Save a new draft under the file name typed, or the one the title gives."""
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
        versioned.save(slug, text, _author(user), form["message"] or _("Nyt materiale"), None,
                       media=importing.staged_media(form))
    except Conflict:
        form["slug"] = slug
        return page(form, 409, problems=[Problem.at("slug", _("Der findes allerede et materiale med filnavnet "
                                                             "%(slug)s. Vælg et andet.", slug=slug), field="slug")])
    except Invalid as exc:
        return page(form, 400, problems=exc.problems)
    except WriteFailed as exc:
        return page(form, 503, message=not_saved(exc))
    importing.after_save(form, slug, _author(user))
    return redirect(url_for("reader.material", slug=slug, gemt="gemt"))
