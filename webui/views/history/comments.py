"""Comments on a material's text in the browser: the review view shows the current text block by block, each
heading and paragraph with a "Kommentér" control (a <details> with a form: no JavaScript needed) and the threads
found at it (toolkit.history.comments, anchoring); threads are answered, resolved and reopened with forms.
Threads whose passage is gone are listed last as outdated ("forældet"), with the passage they were made on.

Everyone signed in comments (permission "comment"); resolving and reopening is for the one who started the
thread, the material's working group and facilitators (toolkit.people.permissions.can_resolve). Anonymous
visitors are sent to sign in to read, and refused (403) when they post.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.errors import Conflict, Invalid, NotFound, WriteFailed
from toolkit.history.comments import TEXT_MAX, THREAD_ID, CommentRecord, Comments, Thread
from toolkit.history.gitstore import Author
from toolkit.library.materials import Material
from toolkit.people.accounts import User
from toolkit.people.permissions import can, can_resolve
from webui import csrf
from webui.addresses import page_html
from webui.context import has_history, instance, library
from webui.errors import not_saved
from webui.guards import to_sign_in
from webui.identity import current_user
from webui.refusals import refuse

bp = Blueprint("comments", __name__)
COMMENTS_KEY = "netkit.comments"


def comments() -> Comments:
    """The instance's comment threads (one reader of the comment records per app)."""
    found = current_app.extensions.get(COMMENTS_KEY)
    if found is None:
        found = current_app.extensions.setdefault(COMMENTS_KEY, Comments(instance()))
    return found


def status_threads(material: Material) -> list[tuple[Thread, bool]]:
    """The material's open threads, read now (the status page decides on them), each with whether it is outdated
    (its passage is gone from the current text)."""
    store = comments()
    threads = [thread for thread in store.of(material.slug, fresh=True).threads if thread.is_open]
    if not threads:
        return []
    placement = store.place(CommentRecord(material.slug, tuple(threads)), store.parser.blocks(material.body))
    return [(thread, thread in placement.outdated) for thread in threads]


@bp.app_template_global()
def open_comment_count(slug: str) -> int:
    """For the material page's tools: how many of its threads are open (0 without history)."""
    return comments().open_count(slug) if has_history() else 0


def commenter(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in with the permission "comment": a visitor who is not is sent to sign in (reading) or refused
    (posting: there is nothing to keep for someone who cannot comment)."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None and request.method == "GET":
            return to_sign_in()
        if not can(user, "comment"):
            refuse("comment")
        return view(*args, user=user, **kwargs)

    return guarded


@bp.route("/m/<slug>/kommentarer", methods=["GET", "POST"])
@commenter
def review(slug: str, user: User):
    """The text with its threads; a POST starts a thread on one block (of the revision the reviewer saw)."""
    material = library().get(slug)
    if request.method == "GET":
        return _page(material, user)
    form = {"block": request.form.get("block", ""), "revision": request.form.get("revision", "")[:64],
            "text": request.form.get("text", "")}
    field = f"block-{form['block']}" if form["block"].isdigit() else "block"
    if not csrf.valid():
        return _page(material, user, form=form, field=field,
                     message=_("Formularen var for gammel. Din kommentar er bevaret – send den igen.")), 400
    error = _text_error(form["text"])
    if error or not form["block"].isdigit():
        return _page(material, user, form=form, field=field, error=error or _("Vælg et afsnit af teksten.")), 400
    try:
        thread = comments().start(slug, int(form["block"]), form["text"], _author(user),
                                  revision=form["revision"] or None)
    except Invalid as exc:
        return _page(material, user, form=form, field=field, error=_refusal(exc)), 400
    except NotFound:  # the revision the form came from is unknown here
        return _page(material, user, form=form, field=field,
                     error=_("Teksten er ændret, så afsnittet ikke kan findes. Kopiér din kommentar, og skriv "
                             "den ved afsnittet igen.")), 409
    except WriteFailed as exc:
        return _page(material, user, form=form, field=field, message=not_saved(exc)), 503
    return redirect(url_for("comments.review", slug=slug, gemt="kommentar", _anchor=f"traad-{thread.id}"))


@bp.post("/m/<slug>/kommentarer/<thread_id>")
@commenter
def thread(slug: str, thread_id: str, user: User):
    """Answer, resolve or reopen a thread."""
    material = library().get(slug)
    if not THREAD_ID.match(thread_id):
        abort(404)
    action = request.form.get("action", "")
    form = {"text": request.form.get("text", ""), "thread": thread_id}
    field = f"thread-{thread_id}"
    if action not in ("reply", "resolve", "reopen"):
        abort(400)
    if not csrf.valid():
        return _page(material, user, form=form, field=field,
                     message=_("Formularen var for gammel. Din tekst er bevaret – send den igen.")), 400
    record = comments().of(slug, fresh=True)
    started_by = record.get(thread_id).first.author  # NotFound: a 404 page
    if action != "reply" and not can_resolve(user, material, started_by):
        refuse("resolve", material)
    if action == "reply" and (error := _text_error(form["text"])):
        return _page(material, user, form=form, field=field, error=error), 400
    try:
        if action == "reply":
            comments().reply(slug, thread_id, form["text"], _author(user))
        else:
            seen = request.form.get("seen", "")
            comments().set_open(slug, thread_id, action == "reopen", _author(user),
                                seen=int(seen) if seen.isdigit() else None)
    except Invalid as exc:
        return _page(material, user, form=form, field=field, error=_refusal(exc)), 400
    except Conflict:
        return _page(material, user, form=form, field=field,
                     error=_("Der er kommet et nyt svar i tråden, siden du åbnede siden. Læs det, og prøv igen.")), 409
    except WriteFailed as exc:
        return _page(material, user, form=form, field=field, message=not_saved(exc)), 503
    done = {"reply": "svar", "resolve": "loest", "reopen": "genaabnet"}[action]
    return redirect(url_for("comments.review", slug=slug, gemt=done, _anchor=f"traad-{thread_id}"))


def _page(material: Material, user: User, *, form: dict | None = None, field: str = "", error: str = "",
          message: str = "") -> str:
    """The review view: the current text in blocks with their threads, the outdated threads, and the form that
    was posted (open, with its text and its error) when it comes back."""
    store = comments()
    record: CommentRecord = store.of(material.slug, fresh=True)
    rendered = store.parser.render(material.body, library().targets)
    placement = store.place(record, [block for block, _html in rendered])
    media = url_for("reader.material", slug=material.slug) + "media/"
    blocks = [(block, Markup(page_html(html, media))) for block, html in rendered]  # sanitised by the renderer (nh3)
    may_resolve = {t.id: can_resolve(user, material, t.first.author) for t in record.threads}
    return render_template("comments/review.html", material=material, blocks=blocks, placement=placement,
                           record=record, revision=instance().latest_revision(material.slug) or "",
                           may_resolve=may_resolve, form=form or {}, field=field, error=error, message=message,
                           just=request.args.get("gemt", ""), text_max=TEXT_MAX)


def _text_error(text: str) -> str:
    """The Danish error at a comment's field, or "" when the text may be saved (counted as the core counts it: a
    browser sends a line break as two characters, the textarea's maxlength counts one)."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return _("Skriv en kommentar, før du sender.")
    if len(text) > TEXT_MAX:
        return _("Kommentaren er %(count)s tegn; højst %(max)s er tilladt. Del den i flere.", count=len(text),
                 max=TEXT_MAX)
    return ""


def _refusal(exc: Invalid) -> str:
    """What a refused comment says at its field, in Danish."""
    fields = {problem.field for problem in exc.problems}
    if "threads" in fields:
        return _("Materialet har nået det største antal kommentartråde. Løs eller saml nogle af dem først.")
    if "entries" in fields:
        return _("Tråden har nået det største antal indlæg. Start en ny tråd ved afsnittet.")
    if "block" in fields:
        return _("Vælg et afsnit af teksten.")
    if any("control character" in problem.message for problem in exc.problems):
        return _("Kommentaren indeholder et usynligt specialtegn (ofte fra kopiering). Fjern det, og send igen.")
    return _("Kommentaren blev ikke gemt. Ret teksten, og prøv igen.")


def _author(user: User) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")
