"""Atom 1.0 feeds of publications: every published edition, newest first, so readers can follow what is new.

The feed lists editions (git tags `slug/X.Y.Z`), not materials: a material republished as 1.1.0 is a new
entry, with the changelog line as its content. Titles and summaries come from the text as it was published,
read once per edition and kept (an edition never changes). A plain library folder has no editions; its feed
lists the materials whose status is published, by their `updated` date.

The XML is built with ElementTree (every text and attribute escaped), and characters XML 1.0 cannot carry
are removed, so a stray control character in a title never makes the whole feed unreadable.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.errors import NetkitError
from toolkit.history.instance import Instance
from toolkit.history.revisions import Edition
from toolkit.library.folder import Library
from toolkit.library.materials import VERSION_RE, Material
from toolkit.library.taxonomy import Taxonomy

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:netkit,2026:"  # stable ids: the same edition keeps its id whatever host name serves it
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # `updated` of a feed without entries
LIMIT = 50
# Everything outside XML 1.0's Char production (C0 controls but tab/newline/return, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Category:
    """A category of an entry: a taxonomy id (`term`), its label and the vocabulary it comes from."""

    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class FeedEntry:
    """One Atom entry; `link` is absolute, `updated`/`published` are timezone-aware."""

    id: str
    title: str
    link: str
    updated: dt.datetime
    published: dt.datetime | None = None
    summary: str = ""
    content: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()


def rfc3339(moment: dt.datetime) -> str:
    """A moment as Atom wants it (RFC 3339, UTC, `Z`); a naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry (escaping is left to ElementTree)."""
    return _NOT_XML.sub("", value)


def atom_feed(entries: Iterable[FeedEntry], *, feed_id: str, title: str, self_url: str, alternate_url: str,
              updated: dt.datetime | None = None, subtitle: str | None = None, author: str = "Netkit",
              lang: str = "da") -> bytes:
    """The Atom 1.0 document (UTF-8 bytes). `updated` defaults to the newest entry's time (or the epoch), so
    an unchanged feed gives the same bytes and conditional requests work."""
    entries = list(entries)
    if updated is None:
        updated = max((e.updated for e in entries), default=EPOCH)
    # Unprefixed names under a default namespace declared by hand: the plainest Atom a reader can get.
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _text(feed, "id", feed_id)
    _text(feed, "title", title, type="text")
    if subtitle:
        _text(feed, "subtitle", subtitle, type="text")
    _text(feed, "updated", rfc3339(updated))
    _link(feed, "self", self_url, "application/atom+xml")
    _link(feed, "alternate", alternate_url, "text/html")
    _author(feed, author)  # the feed's author stands for entries that name none
    _text(feed, "generator", "Netkit")
    for entry in entries:
        _entry(feed, entry)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def publications(instance: Instance, *, base_url: str, kind: str | None = None, topic: str | None = None,
                 limit: int = LIMIT, lang: str = "da") -> list[FeedEntry]:
    """The newest published editions (of one kind, or with one topic), newest first, linked to their stable
    address `<base_url>m/<slug>/v/<version>/`. Materials no longer in the library are left out: their
    edition pages do not resolve any more."""
    lib = instance.library()
    cache = _cache_of(instance)
    found: list[Edition] = []
    for slug, versions in instance.editions().items():
        if slug in lib:
            found.extend(cache.editions(instance, slug, versions))
    found.sort(key=_newest_first)
    entries: list[FeedEntry] = []
    for edition in found:
        if len(entries) >= limit:
            break
        published = cache.material(instance, edition)
        if published is None or not _matches(published, kind, topic):
            continue
        entries.append(FeedEntry(
            id=f"{TAG}{edition.slug}/{edition.version}",
            title=f"{published.title} (udgave {edition.version})",
            link=f"{_base(base_url)}m/{edition.slug}/v/{edition.version}/",
            updated=edition.time, published=edition.time, summary=published.summary, content=edition.message,
            authors=(edition.author,) if edition.author else (),
            categories=_categories(published, lib.taxonomy, lang)))
    return entries


def current_publications(library: Library, *, base_url: str, kind: str | None = None, topic: str | None = None,
                         limit: int = LIMIT, lang: str = "da") -> list[FeedEntry]:
    """For a plain folder without history: the materials whose status is published, by their `updated` date
    (newest first), linked to their page; the id names the version, so a new version is a new entry."""
    chosen = [m for m in library.materials() if m.status == "published" and _matches(m, kind, topic)]
    chosen.sort(key=lambda m: (m.updated, m.title), reverse=True)
    return [FeedEntry(
        id=f"{TAG}{m.slug}/{m.version}", title=f"{m.title} (udgave {m.version})",
        link=f"{_base(base_url)}m/{m.slug}/",
        updated=dt.datetime.combine(m.updated, dt.time(), dt.UTC), summary=m.summary, authors=m.authors,
        categories=_categories(m, library.taxonomy, lang)) for m in chosen[:limit]]


# -- what is kept per edition ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Published:
    """The parts of an edition's text a feed shows (the whole Material is not kept)."""

    title: str
    summary: str
    kind: str
    topics: tuple[str, ...]


class _EditionCache:
    """Editions and their published texts of one Instance. Both are immutable once tagged, so nothing is
    ever invalidated: a new edition is simply a key not seen before."""

    def __init__(self) -> None:
        self._editions: dict[str, dict[str, Edition]] = {}
        self._published: dict[tuple[str, str], _Published] = {}
        self._lock = threading.Lock()

    def editions(self, instance: Instance, slug: str, versions: list[str]) -> list[Edition]:
        """The Edition (time, author, changelog line) of each version: one git call per slug with a new tag."""
        known = self._editions.get(slug, {})
        if any(v not in known for v in versions):
            known = {e.version: e for e in instance.versions(slug) if VERSION_RE.match(e.version)}
            with self._lock:
                self._editions[slug] = known
        return [known[v] for v in versions if v in known]

    def material(self, instance: Instance, edition: Edition) -> _Published | None:
        """Title, summary, kind and topics as published; None (not kept) for an edition that cannot be read
        with today's taxonomy, so it appears again once the taxonomy is fixed."""
        key = (edition.slug, edition.version)
        published = self._published.get(key)
        if published is None:
            try:
                material = instance.read_version(edition.slug, edition.version)
            except NetkitError:
                return None
            published = _Published(material.title, material.summary, material.kind, material.topics)
            with self._lock:
                self._published[key] = published
        return published


_CACHES: weakref.WeakKeyDictionary[Instance, _EditionCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache_of(instance: Instance) -> _EditionCache:
    with _CACHES_LOCK:
        cache = _CACHES.get(instance)
        if cache is None:
            cache = _CACHES[instance] = _EditionCache()
        return cache


# -- helpers --------------------------------------------------------------------------------------------------


def _newest_first(edition: Edition) -> tuple:
    """Newest first; tags are stamped to the second, so within one second a higher version counts as newer
    (a republication right after the bundled 1.0.0 editions still comes first), then by slug."""
    version = tuple(-int(part) for part in edition.version.split("."))
    return -edition.time.timestamp(), version, edition.slug


def _matches(material: Material | _Published, kind: str | None, topic: str | None) -> bool:
    return (kind is None or material.kind == kind) and (topic is None or topic in material.topics)


def _categories(material: Material | _Published, taxonomy: Taxonomy, lang: str) -> tuple[Category, ...]:
    kind = Category(material.kind, taxonomy.label("kinds", material.kind, lang), f"{TAG}kinds")
    return (kind, *(Category(t, taxonomy.label("topics", t, lang), f"{TAG}topics") for t in material.topics))


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _text(parent: ET.Element, name: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    element.text = xml_text(value)
    return element


def _link(parent: ET.Element, rel: str, href: str, media_type: str | None = None) -> None:
    attributes = {"rel": rel, "href": xml_text(href)}
    if media_type:
        attributes["type"] = media_type
    ET.SubElement(parent, "link", attributes)


def _author(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)


def _entry(feed: ET.Element, entry: FeedEntry) -> None:
    element = ET.SubElement(feed, "entry")
    _text(element, "id", entry.id)
    _text(element, "title", entry.title, type="text")
    _link(element, "alternate", entry.link, "text/html")
    _text(element, "updated", rfc3339(entry.updated))
    if entry.published is not None:
        _text(element, "published", rfc3339(entry.published))
    for name in entry.authors:
        _author(element, name)
    for category in entry.categories:
        ET.SubElement(element, "category", {"term": xml_text(category.term), "label": xml_text(
            category.label), "scheme": category.scheme})
    if entry.summary:
        _text(element, "summary", entry.summary, type="text")
    if entry.content:
        _text(element, "content", entry.content, type="text")
