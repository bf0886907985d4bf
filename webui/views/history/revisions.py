"""A material's history, one old revision read-only, and the comparison of two revisions (signed-in members).

History includes draft revisions, so it is shown to those who may read drafts. Only an instance has a
history; a plain --library folder answers 404 here. The comparison is toolkit.history.reviewdiff's (changed
fields, hunks); `?visning=` picks side by side, inline, or rendered (toolkit.history.rendereddiff): plain links,
so switching works without JavaScript. Revisions are named by their time and author, never by a commit id.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from toolkit.errors import Conflict, NotFound
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.rendereddiff import RenderedDiff, rendered_diff
from toolkit.history.reviewdiff import ReviewDiff
from toolkit.history.revisions import Revision
from toolkit.library.blocks import BlockParser
from toolkit.library.frontmatter import FrontMatterError, parse
from toolkit.people.permissions import can
from webui import csrf
from webui.addresses import page_html
from webui.context import instance
from webui.guards import needs
from webui.refusals import refuse

bp = Blueprint("history", __name__)
_BLOCKS = BlockParser()  # one markdown-it instance, shared by the threads

VIEWS = ("side", "inline", "gengivet")  # ?visning=: side by side (the default), inline, as the reader sees it
# The front-matter fields by the names the edit form and the material page give them.
FIELD_LABELS = {
    "title": _l("Titel"), "kind": _l("Type"), "summary": _l("Resumé"), "topics": _l("Emner"),
    "audience": _l("Målgruppe"), "language": _l("Sprog"), "authors": _l("Forfattere"), "status": _l("Status"),
    "version": _l("Version"), "updated": _l("Opdateret"), "working_group": _l("Arbejdsgruppe"),
    "related": _l("Relaterede materialer"), "replaced_by": _l("Afløst af"), "reviewed": _l("Fagligt gennemgået"),
    "review_by": _l("Næste faglige gennemgang"), "recipients": _l("Modtagere"), "signatories": _l("Underskrivere"),
    "decision_requested": _l("Beslutning der bedes om"), "key_points": _l("Hovedpunkter"),
    "questions": _l("Spørgsmål, materialet besvarer"), "questions_en": _l("Spørgsmål på engelsk"),
}
# Fields whose values are terms of the taxonomy, shown by their labels (the `label` filter's vocabularies).
FIELD_VOCABULARIES = {"kind": "kinds", "topics": "topics", "audience": "audiences", "status": "statuses"}


@bp.get("/m/<slug>/historik")
@needs("read_drafts")
def history(slug: str, user):
    versioned = instance()
    material = versioned.library().get(slug)
    return render_template("history/history.html", material=material, revisions=versioned.history(slug),
                           can_restore=can(user, "restore", material))


@bp.get("/m/<slug>/historik/<revision>")
@needs("read_drafts")
def revision(slug: str, revision: str, user):
    """The material's text as it was at one of its revisions: read-only, marked as an old revision."""
    versioned = instance()
    library = versioned.library()
    material = library.get(slug)
    revisions = versioned.history(slug)
    shown = _find(versioned, revisions, revision)
    text = versioned.read(slug, shown.id)
    try:
        matter = parse(text)
        fields, body = matter.data, matter.body
    except FrontMatterError:  # an old text that cannot be read as a material is shown as it is
        fields, body = {}, None
    # Block by block (as the comments page does), so a wide table can scroll in its own focusable box.
    media = url_for("reader.material", slug=slug) + "media/"
    blocks = [(block, Markup(page_html(html, media))) for block, html in _BLOCKS.render(body, library.targets)] \
        if body is not None else None
    return render_template("history/revision.html", material=material, shown=shown, newest=revisions[0],
                           fields=fields, blocks=blocks, text=text,
                           can_restore=can(user, "restore", material) and shown.id != revisions[0].id)


@bp.get("/m/<slug>/forskel")
@needs("read_drafts")
def compare(slug: str, user):
    versioned = instance()
    material = versioned.library().get(slug)
    old, new = request.args.get("fra") or None, request.args.get("til") or None
    review = versioned.revisions.review(slug, old, new)
    view = _view()
    known = _by_short(versioned.history(slug))
    return render_template("history/diff.html", material=material, review=review, view=view,
                           rendered=_rendered(review, view),
                           old_revision=known.get(review.old_label.rpartition("@")[2]),
                           new_revision=known.get(review.new_label.rpartition("@")[2]), **_labels())


@bp.route("/m/<slug>/gendan/<revision>", methods=["GET", "POST"])
@needs("read_drafts")
def restore(slug: str, revision: str, user):
    """Restore an old revision as the newest one, after a confirmation that shows what will change."""
    versioned = instance()
    material = versioned.library().get(slug)
    if not can(user, "restore", material):
        refuse("restore", material)
    latest = versioned.latest_revision(slug) or ""
    review = versioned.revisions.review_restore(slug, revision, latest or "HEAD")
    view = _view()
    shown = _by_short(versioned.history(slug)).get(review.new_label.rpartition("@")[2])

    def confirm(message: str | None = None, status: int = 200):
        return render_template("history/restore.html", material=material, review=review, revision=revision,
                               latest=latest, message=message, view=view, rendered=_rendered(review, view),
                               shown=shown, **_labels()), status

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


def _view() -> str:
    chosen = request.args.get("visning", "")
    return chosen if chosen in VIEWS else VIEWS[0]


def _rendered(review: ReviewDiff, view: str) -> RenderedDiff | None:
    """The bodies as the reader sees them, marked (rendered only when that view is asked for)."""
    if view != "gengivet":
        return None
    library = instance().library()
    return rendered_diff(review.old_body, review.new_body, library.renderer, library.targets)


def _find(versioned: Instance, revisions: list[Revision], revision: str) -> Revision:
    """The revision of the material's history that `revision` names (a full or short commit id); 404 if none."""
    wanted = versioned.revisions.store.resolve(revision)  # NotFound (404) for no such revision
    found = next((r for r in revisions if r.id == wanted), None)
    if found is None:
        raise NotFound(f"no revision '{revision[:12]}' in the material's history")
    return found


def _by_short(revisions: list[Revision]) -> dict[str, Revision]:
    """The history by the short ids the comparison's labels carry."""
    return {r.short: r for r in revisions}


def _labels() -> dict:
    return {"field_labels": FIELD_LABELS, "field_vocabularies": FIELD_VOCABULARIES}
