"""Atom feeds of publications: all of them, one per kind and one per topic (toolkit.feeds builds them).

A feed is the same for every visitor (editions are public), so it may be cached by anyone for five minutes
and carries an ETag for conditional requests. The feeds are Danish, like the materials, whatever language
the visitor chose for the site.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from toolkit.errors import NotFound
from toolkit.feeds import TAG, atom_feed, current_publications, publications
from toolkit.instance import Instance
from webui.context import library, source

bp = Blueprint("feeds", __name__)
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
SITE = "Netkit"


@bp.get("/feed.atom")
def feed() -> Response:
    """Every publication, newest first."""
    return _feed(feed_id=f"{TAG}feed", title=f"{SITE}: nye udgaver", self_url=url_for("feeds.feed", _external=True),
                 alternate_url=url_for("reader.home", _external=True))


@bp.get("/feed/type/<kind>.atom")
def kind(kind: str) -> Response:
    """Publications of one kind of material; 404 for a kind the taxonomy does not know."""
    label = _label("kinds", kind)
    return _feed(kind=kind, feed_id=f"{TAG}feed/type/{kind}", title=f"{SITE}: nye udgaver · {label}",
                 self_url=url_for("feeds.kind", kind=kind, _external=True),
                 alternate_url=url_for("reader.browse", kind=kind, _external=True))


@bp.get("/feed/emne/<topic>.atom")
def topic(topic: str) -> Response:
    """Publications about one topic; 404 for a topic the taxonomy does not know."""
    label = _label("topics", topic)
    return _feed(topic=topic, feed_id=f"{TAG}feed/emne/{topic}", title=f"{SITE}: nye udgaver · {label}",
                 self_url=url_for("feeds.topic", topic=topic, _external=True),
                 alternate_url=url_for("reader.browse", topic=topic, _external=True))


def _label(vocabulary: str, term: str) -> str:
    taxonomy = library().taxonomy
    if term not in taxonomy.ids(vocabulary):
        raise NotFound(f"no {vocabulary[:-1]} '{term[:40]}' in the taxonomy")
    return taxonomy.label(vocabulary, term, "da")


def _feed(*, kind: str | None = None, topic: str | None = None, **head: str) -> Response:
    current = source()
    if isinstance(current, Instance):
        entries = publications(current, base_url=request.url_root, kind=kind, topic=topic)
    else:  # a plain folder has no editions: its published materials by date
        entries = current_publications(library(), base_url=request.url_root, kind=kind, topic=topic)
    response = Response(atom_feed(entries, **head), content_type=MEDIA_TYPE)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)
