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
from webui.i18n import current_lang

T = TypeVar("T")

PAGE_LIMIT = 512  # pages of ~20-80 kB each: at most some tens of MB per worker
RESULTS_LIMIT = 1024  # search results: a page of hits, facets and snippets each


class PageCache:
    """A thread-safe least-recently-used map of key → (anchors, value); a value counts only while its anchors
    are the same objects as the caller's."""

    def __init__(self, limit: int):
        self.limit = limit
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
                self._entries[key] = (anchors, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.limit:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


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
    return _of_app(PAGES_KEY, PAGE_LIMIT)


def results() -> PageCache:
    """This app's kept search results."""
    return _of_app(RESULTS_KEY, RESULTS_LIMIT)


def _of_app(key: str, limit: int) -> PageCache:
    cache = current_app.extensions.get(key)
    if cache is None:
        cache = current_app.extensions.setdefault(key, PageCache(limit))  # two first requests: one cache wins
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
    return isinstance(html, str) and 'name="csrf_token"' not in html
