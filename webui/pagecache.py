"""Finished pages and search results kept in memory, per worker process, while what they show is unchanged.

An entry is kept under a key (what was asked: page, language, query string, who may read what) together with
its *anchors*: the objects the content was made from — the Library object (a new one after every save, status
change, import or edit on disk), the editions (a publish tags), the search sources' signatures. An entry whose
anchors are not the very same objects any more is stale and built again; holding them in the entry also keeps
their ids from being reused. Memory is bounded: a least-recently-used list with a cap on entries.

Only pages for visitors who are not signed in are kept whole (`shared_page`): their pages have no per-visitor
parts (no name, no form token, no notification count, no drafts). A signed-in member's page is rendered for
them every time; their searches still reuse the kept results (keyed on whether they read drafts).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, request, session

from webui.context import editions, has_history, library
from webui.csrf import FIELD as CSRF_FIELD
from webui.i18n import current_lang

T = TypeVar("T")

PAGE_LIMIT = 512  # entries; and at most PAGE_BYTES of pages (a home page lists every material: ~0.7 kB each)
RESULTS_LIMIT = 1024  # search results: a page of hits, facets and snippets each
PAGE_BYTES = 32 * 1024 * 1024  # per worker: any query string makes an entry, so a flood must not grow memory


class PageCache:
    """A thread-safe least-recently-used map of key → (anchors, value); a value counts only while its anchors
    are the same objects as the caller's."""

    def __init__(self, limit: int, max_bytes: int | None = None):
        self.limit = limit
        self.max_bytes = max_bytes  # counted for pages (text); None: entries only
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_build(self, key: Hashable, anchors: tuple, build: Callable[[], T],
                     keep: Callable[[T], bool] = lambda _value: True) -> T:
        """The kept value, or `build()` (outside the lock: two threads may build the same page once each, but
        no request waits for another's page). `keep` may refuse to store a value."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and _same(entry[0], anchors):
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]  # type: ignore[return-value]
            self.misses += 1
        value = build()
        if keep(value):
            with self._lock:
                replaced = self._entries.pop(key, None)
                if replaced is not None:
                    self._bytes -= _size(replaced[1])
                self._entries[key] = (anchors, value)
                self._bytes += _size(value)
                while self._entries and (len(self._entries) > self.limit or
                                         (self.max_bytes is not None and self._bytes > self.max_bytes)):
                    self._bytes -= _size(self._entries.popitem(last=False)[1][1])
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size_bytes(self) -> int:
        """The kept pages' text, in characters (results count 0)."""
        return self._bytes


def _size(value: object) -> int:
    text = value[0] if isinstance(value, tuple) and value else value
    return len(text) if isinstance(text, str) else 0


def _same(kept: tuple, now: tuple) -> bool:
    return len(kept) == len(now) and all(a is b or (_plain(a) and a == b) for a, b in zip(kept, now, strict=True))


def _plain(value: object) -> bool:
    """Values compared by equality (signatures; the editions, read again after every sign-in and commit); anything
    else (a Library) must be the very same object."""
    return value is None or isinstance(value, (str, int, float, tuple, frozenset, dict))


PAGES_KEY = "netkit.pagecache"
RESULTS_KEY = "netkit.resultcache"


def pages() -> PageCache:
    """This app's kept pages (one per app: a static-site export's app renders other pages than the live one)."""
    return _of_app(PAGES_KEY, PAGE_LIMIT, PAGE_BYTES)


def results() -> PageCache:
    """This app's kept search results."""
    return _of_app(RESULTS_KEY, RESULTS_LIMIT)


def _of_app(key: str, limit: int, max_bytes: int | None = None) -> PageCache:
    cache = current_app.extensions.get(key)
    if cache is None:
        # two first requests: one cache wins
        cache = current_app.extensions.setdefault(key, PageCache(limit, max_bytes))
    return cache


def library_anchors() -> tuple:
    """What a page listing materials is made from: the library version and the editions (a publish tags after its
    commit, so the editions can change while the Library object stays the same)."""
    return library(), editions() if has_history() else None


def signed_in() -> bool:
    """Whether the visitor's session names a user (also an expired one: such pages are never shared either)."""
    return bool(session.get("user"))


def request_key(*extra: Hashable) -> tuple:
    """The parts of the request a shared page depends on: its endpoint and path, the full query string (filters,
    page, sort — and the language link's `next`), the language, the prefix and host links are made with."""
    return (request.endpoint, request.path, request.query_string, current_lang(), request.script_root,
            request.host, *extra)


def shared_page(build: Callable[[], T], *anchors: object) -> T:
    """The page for a visitor who is not signed in, kept while `anchors` (default: the library's) are unchanged;
    for a signed-in member, `build()` every time. A page holding a form token is never kept (defence in depth:
    no anonymous page shows one today)."""
    if signed_in():
        return build()
    return pages().get_or_build(request_key(), anchors or library_anchors(), build, keep=_no_form_token)


def _no_form_token(page: object) -> bool:
    html = page[0] if isinstance(page, tuple) else page
    token = session.get(CSRF_FIELD)  # also a token put in an address (?csrf_token=) or an attribute
    return isinstance(html, str) and 'name="csrf_token"' not in html and not (token and token in html)
