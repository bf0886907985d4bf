"""Atom feeds of publications: all of them, one per kind and one per topic (toolkit.publishing.feeds builds them).

A feed is the same for every visitor (editions are public) and carries an ETag for conditional requests. Its
links are absolute, so where they point must not come from the request: with the site's public address
configured (NETKIT_BASE_URL) every link uses it, whatever Host a request names, and anyone may cache the feed
for five minutes. Without it the links are made from the address the request came to, so the feed is only
`private`ly cacheable: a shared cache must never hand a feed made for a forged Host to everyone else. The feeds
are Danish, like the materials, whatever language the visitor chose for the site.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, request
from flask_babel import force_locale

from toolkit.errors import NotFound
from toolkit.history.instance import Instance
from toolkit.publishing.feeds import TAG, atom_feed, current_publications, publications
from webui.addresses import absolute, configured_root, public_root
from webui.context import library, source
from webui.coremessages import core_message
from webui.names import person

bp = Blueprint("feeds", __name__)
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
SITE = "Netkit"


@bp.get("/feed.atom")
def feed() -> Response:
    """Every publication, newest first."""
    return _feed(feed_id=f"{TAG}feed", title=f"{SITE}: nye udgaver", self_url=absolute("feeds.feed"),
                 alternate_url=absolute("reader.home"))


@bp.get("/feed/type/<kind>.atom")
def kind(kind: str) -> Response:
    """Publications of one kind of material; 404 for a kind the taxonomy does not know."""
    label = _label("kinds", kind)
    return _feed(kind=kind, feed_id=f"{TAG}feed/type/{kind}", title=f"{SITE}: nye udgaver · {label}",
                 self_url=absolute("feeds.kind", kind=kind), alternate_url=absolute("reader.browse", kind=kind))


@bp.get("/feed/emne/<topic>.atom")
def topic(topic: str) -> Response:
    """Publications about one topic; 404 for a topic the taxonomy does not know."""
    label = _label("topics", topic)
    return _feed(topic=topic, feed_id=f"{TAG}feed/emne/{topic}", title=f"{SITE}: nye udgaver · {label}",
                 self_url=absolute("feeds.topic", topic=topic),
                 alternate_url=absolute("reader.browse", topic=topic))


def _label(vocabulary: str, term: str) -> str:
    taxonomy = library().taxonomy
    if term not in taxonomy.ids(vocabulary):
        raise NotFound(f"no {vocabulary[:-1]} '{term[:40]}' in the taxonomy")
    return taxonomy.label(vocabulary, term, "da")


def _feed(*, kind: str | None = None, topic: str | None = None, **head: str) -> Response:
    current = source()
    if isinstance(current, Instance):
        entries = publications(current, base_url=public_root(), kind=kind, topic=topic)
    else:  # a plain folder has no editions: its published materials by date
        entries = current_publications(library(), base_url=public_root(), kind=kind, topic=topic)
    with force_locale("da"):  # people by name, the core's edition messages in Danish, like the feed
        entries = [replace(e, authors=tuple(person(a) for a in e.authors), content=core_message(e.content))
                   for e in entries]
    response = Response(atom_feed(entries, **head), content_type=MEDIA_TYPE)
    # Links from the request's Host may be kept by the requester's own cache, never by a shared one.
    response.headers["Cache-Control"] = f"{'public' if configured_root() else 'private'}, max-age=300"
    response.add_etag()
    return response.make_conditional(request)
