"""A material's images and attachments at the page's own address: `/m/<slug>/media/<name>` for the text a visitor
reads there (a member: the current files; a reader of a material whose draft is in progress: the files of its
last edition), `/m/<slug>/v/<version>/media/<name>` for an edition's files as they were tagged. Visibility is the
page's own (webui.visibility.readable), so a draft's pictures are never shown to someone who may not see the draft.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, request, session

from toolkit.errors import NotFound
from toolkit.library.media import NAME_RE, TYPES, sniff
from webui.context import has_history, instance, library
from webui.visibility import readable, reads_drafts

bp = Blueprint("media", __name__)

CURRENT_MAX_AGE, EDITION_MAX_AGE = 300, 86400  # an edition's file never changes; the current one may


@bp.get("/m/<slug>/media/<name>")
def current(slug: str, name: str) -> Response:
    _valid(name)
    item, state = readable(slug)  # NotFound for a material this visitor may not see
    if has_history() and state.shows_edition and not reads_drafts():  # readable gave the last edition: its files
        return _edition_media(slug, item.version, name)
    path = library().media_file(slug, name)
    if path is None:
        raise NotFound(f"'{slug}' has no file {name}")
    return _file(name, path.read_bytes(), CURRENT_MAX_AGE)


@bp.get("/m/<slug>/v/<version>/media/<name>")
def edition(slug: str, version: str, name: str) -> Response:
    _valid(name)
    readable(slug)  # the same visibility as the material itself
    return _edition_media(slug, version, name)


def _edition_media(slug: str, version: str, name: str) -> Response:
    found = next((e for e in instance().versions(slug) if e.version == version), None)
    data = instance().read_media(slug, name, found.revision) if found is not None else None
    if data is None:
        raise NotFound(f"'{slug}' has no file {name} in version {version[:20]}")
    return _file(name, data, EDITION_MAX_AGE)


def _valid(name: str) -> None:
    if not NAME_RE.match(name):  # never a path: no "..", no slash, no other extension
        raise NotFound(f"no file {name[:80]}")


def _file(name: str, data: bytes, max_age: int) -> Response:
    """The bytes with the type they are (sniffed, not the name's), shown inline when an image and downloaded
    otherwise; private for signed-in members (their drafts), cacheable with an ETag for everyone else."""
    kind = sniff(data)
    mimetype = TYPES[kind][1] if kind else "application/octet-stream"
    disposition = "inline" if kind and TYPES[kind][2] == "image" else "attachment"
    response = Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": f"{'private' if session.get('user') else 'public'}, max-age={max_age}",
    })
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    return response.make_conditional(request)
