"""Files into the editor: an image or PDF added while editing, a Word document imported as a new material (/ny),
and a Word file sent back by a co-author ("Indlæs ændringer fra Word") — plus the Word file to send out.

An upload is its own submit button inside the editor's form (so nothing typed is lost): its address carries the
CSRF token, checked before the upload is read; the file is checked by the core (toolkit.library.media,
toolkit.publishing.docxsafety / wordimport) and kept in the instance's waiting area (toolkit.history.uploads)
until the text that uses it is saved — then both are one revision. A Word file from "Hent som Word til
kommentering" carries the revision it came from, so saving its text merges with what others saved since.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.errors import Invalid, NotFound, Problem, WriteFailed
from toolkit.history.comments import block_quoting
from toolkit.history.gitstore import Author
from toolkit.history.uploads import TOKEN_RE
from toolkit.library.media import TYPES, MediaFile, inspect_media, sniff
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from toolkit.publishing.importing import summary_from
from toolkit.publishing.roundtrip import changes_from_word, rename_media
from webui import csrf
from webui.addresses import page_html
from webui.context import instance, library
from webui.guards import signed_in

bp = Blueprint("importing", __name__)

UPLOAD_MAX_BYTES = 32 * 1024 * 1024  # the largest upload read at all (the core's own limits are lower per type)


def upload_kind() -> str | None:
    """"billede" (an image or PDF for the text), "word" (a Word file) or None: what this POST brings."""
    kind = request.args.get("fil")
    return kind if request.method == "POST" and kind in ("billede", "word") else None


def open_upload() -> str | None:
    """Check the token in the address before the body is read; then allow a large body. Returns an error text,
    or None when the upload may be read."""
    if not csrf.valid_in_query():
        return _("Formularen var for gammel (eller din session udløb). Vælg filen igen, og prøv igen.")
    request.max_content_length = UPLOAD_MAX_BYTES
    return None


def uploaded_file(field: str) -> tuple[str, bytes] | None:
    file = request.files.get(field)
    if file is None or not file.filename:
        return None
    try:
        return file.filename, file.read(UPLOAD_MAX_BYTES + 1)
    finally:
        for each in request.files.values():  # a large upload is spooled to a temporary file: close it now
            each.close()


def add_media(form: dict, slug: str | None) -> tuple[dict, str | None, list[Problem]]:
    """Keep an uploaded image/PDF for this editing session and put its reference at the end of the text.
    Returns (form, message, problems)."""
    got = uploaded_file("fil")
    if got is None:
        return form, None, [Problem.at("fil", _("Vælg en fil."), field="fil")]
    alt = " ".join(request.form.get("alt", "").split())[:300]
    try:
        file = inspect_media(*got)
    except Invalid as exc:
        return form, None, [Problem.at("fil", exc.problems[0].message if exc.problems else str(exc), field="fil")]
    if file.is_image and not alt:
        return form, None, [Problem.at("alt", _("Skriv, hvad billedet viser (alternativ tekst til dem, der ikke kan "
                                               "se det), og vælg filen igen."), field="alt")]
    uploads = instance().uploads
    token = form.get("uploads") if TOKEN_RE.match(form.get("uploads") or "") else uploads.new_token()
    if not form.get("uploads"):
        uploads.clean()
    try:
        kept = uploads.add(token, file, library().media_names(slug) if slug else set())
    except Invalid as exc:
        return form, None, [Problem.at("fil", str(exc.args[0]), field="fil")]
    reference = f"![{_escape(alt)}]({'media:' + kept.name})" if kept.is_image else \
        f"[{_escape(alt or got[0].rsplit('/', 1)[-1])}](media:{kept.name})"
    form = {**form, "uploads": token, "body": form["body"].rstrip("\n") + f"\n\n{reference}\n"}
    return form, _("%(name)s er sat ind nederst i teksten som %(reference)s. Flyt linjen derhen, hvor den skal stå, "
                   "og gem – filen gemmes sammen med teksten.", name=kept.name, reference=reference), []


def read_word(form: dict, *, slug: str | None) -> tuple[dict, list[str], list[Problem], object | None]:
    """Convert an uploaded Word file into the form (body, and for a new material the title). With `slug` (an
    existing material) the file must be Netkit's "til kommentering" file of this material; its revision becomes
    the base of the save. Returns (form, notes, problems, the imported document)."""
    got = uploaded_file("word")
    if got is None:
        return form, [], [Problem.at("word", _("Vælg en Word-fil (.docx)."), field="word")], None
    from toolkit.publishing.wordimport import read_docx  # mammoth and friends only for an import

    try:
        imported = read_docx(got[1], got[0])
    except Invalid as exc:
        return form, [], [Problem.at("word", exc.problems[0].message if exc.problems else str(exc), field="word")], None
    body, media = imported.body, imported.media
    if slug is not None:
        try:
            changes = changes_from_word(instance(), slug, imported)
        except Invalid:
            return form, [], [Problem.at("word", _("Filen er ikke hentet med „Hent som Word til kommentering“ fra "
                                                  "dette materiale, så det kan ikke ses, hvilken udgave den bygger på. "
                                                  "Hent filen her, skriv dine ændringer i den, og indlæs den igen."),
                                         field="word")], None
        except NotFound:
            return form, [], [Problem.at("word", _("Den udgave, filen bygger på, findes ikke her."),
                                         field="word")], None
        body, media = changes.body, changes.new_media
    uploads = instance().uploads
    token = form.get("uploads") if TOKEN_RE.match(form.get("uploads") or "") else uploads.new_token()
    uploads.clean()
    taken = library().media_names(slug) if slug else set()
    kept = {file.name: uploads.add(token, file, taken).name for file in media}  # unique within the session too
    body = rename_media(body, kept)
    comments = [{"author": c.author, "text": c.text, "quoted": c.quoted} for c in imported.comments]
    uploads.keep_notes(token, {"comments": comments})
    form = {**form, "body": body, "uploads": token}
    if slug is None:
        form["title"] = form.get("title") or imported.title
        form["summary"] = form.get("summary") or summary_from(body)
    else:
        form["base"] = changes.base
        form["conflict_base"] = ""
    return form, list(imported.notes), [], imported


def word_message(notes: list[str], comments: int, *, round_trip: bool) -> str:
    said = _("Word-filen er læst ind. Se teksten igennem, og gem, når den er, som den skal være.") if not round_trip \
        else _("Ændringerne fra Word er læst ind. Når du gemmer, flettes de med det, andre har gemt siden, du hentede "
               "filen.")
    return said


def staged_media(form: dict) -> list[MediaFile]:
    return instance().uploads.files(form.get("uploads"))


def after_save(form: dict, slug: str, author: Author) -> None:
    """Word comments of an imported file become review comments on the saved text; the waiting files go."""
    uploads = instance().uploads
    comments = uploads.notes(form.get("uploads")).get("comments", [])
    if comments:
        from webui.views.history.comments import comments as comment_store

        store = comment_store()
        blocks = store.blocks(slug)
        for comment in comments[:50]:
            index = block_quoting(blocks, str(comment.get("quoted", "")))
            text = f"{comment.get('author') or _('Ukendt')} (Word): {comment.get('text', '')}".strip()[:2000]
            try:
                store.start(slug, index, text, author)
            except (Invalid, WriteFailed, NotFound):
                current_app.logger.warning("a Word comment on %s could not be kept: %s", slug, text[:80])
    uploads.discard(form.get("uploads"))


def preview_html(html: str, form: dict, slug: str | None) -> Markup:
    """The editor's preview with its images: those waiting for this save from the waiting area, the stored ones
    from the material."""
    token = form.get("uploads") or ""
    inline = {name: url_for("importing.waiting", token=token, name=name) for name in instance().uploads.names(token)}
    return Markup(page_html(html, url_for("reader.material", slug=slug) + "media/" if slug else None, inline))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


@bp.get("/opload/<token>/<name>")
@signed_in
def waiting(token: str, name: str, user: User):
    """A file waiting for its save, for the editor's preview (the token is the editing session's secret)."""
    data = instance().uploads.read(token, name)
    kind = sniff(data) if data is not None else None
    if data is None or kind is None:
        abort(404)
    response = Response(data, mimetype=TYPES[kind][1])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if TYPES[kind][2] == "attachment":
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/m/<slug>/kommentering.docx")
@signed_in
def for_comments(slug: str, user: User):
    """The material's current text as Word, to comment and change in Word and load back."""
    material = library().get(slug)
    if not can(user, "edit", material):
        from webui.refusals import refuse
        refuse("edit", material)
    from toolkit.publishing.word import material_docx_for_comments

    versioned = instance()
    revision = versioned.latest_revision(slug) or versioned.head()
    data = material_docx_for_comments(material, library(), revision=revision)
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    stamp = dt.date.today().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-til-kommentering-{stamp}.docx"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


