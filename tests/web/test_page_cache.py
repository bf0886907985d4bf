"""Kept pages and search results (webui/pagecache.py) through real HTTP on a real instance (the bundled library,
a git repository): a kept page is served again only while nothing it shows has changed — a save, a publish, a new
project, a language switch and a sign-in each give a fresh page; a draft never reaches a reader from a page or
results kept for an editor; form tokens are never shared; the security headers stay. And the cache itself:
bounded (least recently used goes first) and safe under threads."""

from __future__ import annotations

import re
import threading

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from webui.context import SOURCE_KEY
from webui.pagecache import PAGES_KEY, RESULTS_KEY, PageCache
from webui.security import CONTENT_SECURITY_POLICY

GUIDE = "adgang-til-data"
DRAFT = "kvantekaffemaskine"  # a word only in the new material's draft
NEW_MATERIAL = f"""\
---
title: Kladde om {DRAFT}
kind: guide
summary: En ny vejledning om {DRAFT}, endnu ikke udgivet.
topics: [consent]
audience: [researchers]
language: da
authors: [Testgruppen]
status: draft
version: 0.1.0
updated: 2026-01-01
---
Teksten nævner {DRAFT} flere gange: {DRAFT}.
"""
FRIDA = Author("frida", "frida@example.org")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member"))


def counts(app) -> tuple[int, int]:
    cache: PageCache = app.extensions[PAGES_KEY]
    return cache.hits, cache.misses


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# -- kept, and fresh after every change ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/gennemse", "/gennemse?kind=guide&topic=data-access", "/sog?q=samtykke"])
def test_a_readers_page_is_rendered_once_then_kept_with_its_security_headers(app, path):
    reader = app.test_client()
    first = reader.get(path)
    hits, misses = counts(app)
    again = reader.get(path)
    assert counts(app) == (hits + 1, misses)  # the second came from the cache
    assert again.get_data() == first.get_data()
    for response in (first, again):
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_filters_and_query_strings_are_part_of_the_key(app):
    reader = app.test_client()
    everything = page(reader, "/gennemse")
    guides = page(reader, "/gennemse?kind=guide")
    assert everything != guides
    assert re.search(r'<h2 id="results-heading">(\d+)', guides).group(1) != \
        re.search(r'<h2 id="results-heading">(\d+)', everything).group(1)
    assert page(reader, "/sog?q=samtykke&side=2") != page(reader, "/sog?q=samtykke")


def test_a_save_and_a_publish_each_give_a_fresh_page(app):
    reader, instance = app.test_client(), app.extensions[SOURCE_KEY]
    before = page(reader, "/")
    assert "Adgang til data – ny titel" not in before
    text = instance.read(GUIDE)
    changed = re.sub(r"^title: .*$", "title: Adgang til data – ny titel", text, count=1, flags=re.M)
    instance.save(GUIDE, changed, FRIDA, "Ny titel", instance.latest_revision(GUIDE))
    _hits, misses = counts(app)
    page(reader, "/")  # the library changed: built again (what a reader sees of a draft is the reader page's rule)
    assert counts(app)[1] == misses + 1
    instance.publish(GUIDE, "minor", "Ny titel", FRIDA)
    published = page(reader, "/")
    assert "Adgang til data – ny titel" in published
    assert "Adgang til data – ny titel" in page(reader, "/gennemse?topic=data-access")
    assert "Adgang til data – ny titel" in page(reader, "/sog?q=adgang+til+data")


def test_a_draft_never_reaches_a_reader_from_pages_or_results_kept_for_an_editor(app):
    instance = app.extensions[SOURCE_KEY]
    instance.save("kvante-kladde", NEW_MATERIAL, FRIDA, "Ny kladde", None)
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    paths = ["/", "/gennemse", "/gennemse?topic=consent", f"/sog?q={DRAFT}", "/sog?q=vejledning&topic=consent"]
    for path in paths:  # the editor first: they see the draft, and whatever can be kept is kept
        assert f"Kladde om {DRAFT}" in page(frida, path), path
    results_before = app.extensions[RESULTS_KEY].hits
    reader = app.test_client()
    for path in paths:
        shown = page(reader, path)
        assert f"Kladde om {DRAFT}" not in shown and "/m/kvante-kladde/" not in shown, path
    assert page(frida, f"/sog?q={DRAFT}").count(f"Kladde om {DRAFT}") == 1  # the editor's results were kept …
    assert app.extensions[RESULTS_KEY].hits > results_before  # … and reused for them, not for the reader


def test_a_new_project_gives_fresh_search_results(app):
    from tests.web.test_project_pages import new_project_form

    reader = app.test_client()
    assert "Billedanalyse af hudforandringer" not in page(reader, "/sog?q=zebrafiskemønstre")
    mette, _token = sign_in(app, "mette", "mette-kodeord-1")
    assert mette.post("/projekter/ny", data=new_project_form(mette)).status_code == 302
    assert "Billedanalyse af hudforandringer" in page(reader, "/sog?q=zebrafiskemønstre")
    assert "Billedanalyse af hudforandringer" in page(mette, "/sog?q=zebrafiskemønstre")


def test_a_language_switch_gives_the_page_in_the_other_language(app):
    reader = app.test_client()
    for path in ("/", "/gennemse", "/sog?q=samtykke"):
        danish = page(reader, path)
        assert '<html lang="da">' in danish and ">English</a>" in danish
        reader.get(f"/sprog/en?next={path}")
        english = page(reader, path)
        assert '<html lang="en">' in english and ">Dansk</a>" in english
        assert "Spring til indholdet" not in english
        reader.get(f"/sprog/da?next={path}")
        assert page(reader, path) == danish


def test_signing_in_gives_a_page_of_ones_own(app):
    client = app.test_client()
    for path in ("/", "/gennemse", "/sog?q=samtykke"):
        assert "Log ud" not in page(client, path)
    page(client, "/")  # kept now
    mette, _token = sign_in(app, "mette", "mette-kodeord-1")
    for path in ("/", "/gennemse", "/sog?q=samtykke"):
        own = page(mette, path)
        assert "Log ud" in own and "Mit arbejde" in own, path
        assert "Log ud" not in page(client, path)  # and the reader's kept page stays a reader's page


def test_form_tokens_are_never_shared_between_sessions(app):
    frida, frida_token = sign_in(app, "frida", "frida-kodeord-1")
    mette, mette_token = sign_in(app, "mette", "mette-kodeord-1")
    assert frida_token != mette_token
    for path in ("/", "/gennemse", "/gennemse?topic=consent", "/sog?q=samtykke"):
        for _ in range(2):  # also the second time, when anything kept would be served
            assert set(TOKEN.findall(page(frida, path))) == {frida_token}, path
            assert set(TOKEN.findall(page(mette, path))) == {mette_token}, path
            assert TOKEN.findall(page(app.test_client(), path)) == [], path  # a reader's page holds none


# -- the cache itself ---------------------------------------------------------------------------------------------

def test_the_cache_is_bounded_and_the_least_recently_used_goes_first():
    cache, anchor = PageCache(3), object()
    for key in "abc":
        cache.get_or_build(key, (anchor,), lambda key=key: key.upper())
    assert cache.get_or_build("a", (anchor,), lambda: "new") == "A"  # used: now the most recent
    cache.get_or_build("d", (anchor,), lambda: "D")
    assert len(cache) == 3
    assert cache.get_or_build("b", (anchor,), lambda: "rebuilt") == "rebuilt"  # "b" was the oldest
    assert cache.get_or_build("a", (anchor,), lambda: "new") == "A"


def test_the_cache_is_bounded_by_bytes_too_so_a_flood_of_query_strings_cannot_grow_memory():
    cache, anchor = PageCache(1000, max_bytes=10_000), object()
    for number in range(100):  # /?x=0 … /?x=99: each a whole page of 1,000 characters
        cache.get_or_build(("/", f"x={number}"), (anchor,), lambda: "p" * 1000)
    assert len(cache) == 10 and cache.size_bytes == 10_000
    assert cache.get_or_build(("/", "x=99"), (anchor,), lambda: "rebuilt") == "p" * 1000  # the newest stay
    assert cache.get_or_build(("/", "x=0"), (anchor,), lambda: "rebuilt") == "rebuilt"
    cache.get_or_build(("/", "x=0"), (object(),), lambda: ("q" * 500, 400))  # replaced: counted once
    assert cache.size_bytes <= 10_000 and len(cache) <= 10


def test_a_page_holding_the_sessions_form_token_anywhere_is_not_kept(app):
    from flask import session

    from webui.pagecache import _no_form_token

    with app.test_request_context("/"):
        session["csrf_token"] = "token-of-this-visitor-123"
        assert not _no_form_token('<form action="/upload?csrf_token=token-of-this-visitor-123">')
        assert not _no_form_token(('<div data-token="token-of-this-visitor-123">', 200))
        assert _no_form_token("<p>Materialer</p>")


def test_an_entry_counts_only_while_its_anchors_are_the_same_objects():
    cache, first, second = PageCache(8), object(), object()
    assert cache.get_or_build("k", (first, ("sig", 1)), lambda: 1) == 1
    assert cache.get_or_build("k", (first, ("sig", 1)), lambda: 2) == 1  # an equal signature is the same
    assert cache.get_or_build("k", (second, ("sig", 1)), lambda: 3) == 3  # another library object
    assert cache.get_or_build("k", (second, ("sig", 2)), lambda: 4) == 4  # another signature
    assert cache.get_or_build("x", (first,), lambda: "no", keep=lambda _v: False) == "no"
    assert cache.get_or_build("x", (first,), lambda: "built again") == "built again"  # refused ones are not kept


def test_the_cache_is_safe_under_threads():
    cache, anchor, errors = PageCache(50), object(), []

    def work(offset: int) -> None:
        for i in range(2000):
            key = (i * 7 + offset) % 120
            if cache.get_or_build(key, (anchor,), lambda key=key: f"page {key}") != f"page {key}":
                errors.append(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(cache) == 50
    assert cache.hits + cache.misses == 8 * 2000
