"""The Atom feeds through real HTTP, read back by feedparser: every edition newest first with links that
resolve, a new edition on top with its changelog line, feeds per kind and per topic, 404 for unknown ones,
escaping, caching headers, autodiscovery, a plain folder without history, and links that a forged Host header
cannot redirect for everyone (NETKIT_BASE_URL, else a feed only the requester may cache)."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlsplit

import feedparser
import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, seen_revision, sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.library.frontmatter import set_fields
from webui import create_app
from webui.context import SOURCE_KEY

SLUG = "samtykkemodeller"
ANNA = Author("Anna Jensen", "anna@rm.dk")


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"))


def read_feed(client, address: str):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_the_feed_lists_every_edition_with_links_that_resolve(app):
    client = app.test_client()
    published = app.extensions[SOURCE_KEY].editions()
    parsed = read_feed(client, "/feed.atom")
    assert len(parsed.entries) == sum(len(v) for v in published.values()) >= 13  # one 1.0.0 per material
    assert parsed.feed.title == "Netkit: nye udgaver"
    assert path_of(next(link.href for link in parsed.feed.links if link.rel == "self")) == "/feed.atom"
    for entry in parsed.entries:
        assert entry.id.startswith("tag:netkit,2026:") and entry.title and entry.updated and entry.summary
        slug = entry.id.split(":")[-1].split("/")[0]
        assert entry.link == f"http://localhost/m/{slug}/v/1.0.0/" and entry.title.endswith("(udgave 1.0.0)")
        assert client.get(path_of(entry.link)).status_code == 200
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)


def test_a_new_edition_comes_first_with_its_changelog_line(app):
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    form = form_data(frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    form.update(body=form["body"] + "\nTilføjet i udgave 1.1.0.\n", message="Kladde", action="save")
    assert frida.post(f"/m/{SLUG}/rediger", data=form).status_code == 302
    assert frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                 "csrf_token": token, "action": "publish", "bump": "minor",
                                                  "note": "Nyt afsnit om samtykke"}).status_code == 302

    reader = app.test_client()
    first, *rest = read_feed(reader, "/feed.atom").entries
    assert first.id == f"tag:netkit,2026:{SLUG}/1.1.0" and first.title.endswith("(udgave 1.1.0)")
    assert first.content[0].value == "Nyt afsnit om samtykke" and first.author == "frida"
    assert path_of(first.link) == f"/m/{SLUG}/v/1.1.0/"
    assert "Tilføjet i udgave 1.1.0." in reader.get(path_of(first.link)).get_data(as_text=True)
    assert f"tag:netkit,2026:{SLUG}/1.0.0" in {entry.id for entry in rest}  # the old edition stays listed


def test_feeds_per_kind_and_per_topic(app):
    client = app.test_client()
    library = app.extensions[SOURCE_KEY].library()
    guides = read_feed(client, "/feed/type/guide.atom")
    expected = {m.slug for m in library.materials() if m.kind == "guide"}
    assert guides.entries and {e.id.split(":")[-1].split("/")[0] for e in guides.entries} == expected
    assert all(e.tags[0].term == "guide" and e.tags[0].scheme == "tag:netkit,2026:kinds" for e in guides.entries)
    assert guides.feed.title == "Netkit: nye udgaver · " + library.taxonomy.label("kinds", "guide")
    assert path_of(next(link.href for link in guides.feed.links if link.rel == "alternate")) == "/gennemse"

    consent = read_feed(client, "/feed/emne/consent.atom")
    expected = {m.slug for m in library.materials() if "consent" in m.topics}
    assert consent.entries and {e.id.split(":")[-1].split("/")[0] for e in consent.entries} == expected
    assert all("consent" in {tag.term for tag in e.tags} for e in consent.entries)
    assert len(consent.entries) < len(read_feed(client, "/feed.atom").entries)


@pytest.mark.parametrize("address", ["/feed/type/findes-ikke.atom", "/feed/emne/findes-ikke.atom",
                                     "/feed/type/consent.atom", "/feed/emne/guide.atom"])
def test_an_unknown_kind_or_topic_is_a_404_page(app, address):
    response = app.test_client().get(address)
    assert response.status_code == 404 and "Siden findes ikke" in response.get_data(as_text=True)


def test_a_title_with_markup_characters_survives(app):
    instance = app.extensions[SOURCE_KEY]
    text = set_fields(instance.read(SLUG), {"title": json.dumps('A & B <c> "d"')})
    instance.save(SLUG, text, ANNA, "Ny titel", instance.latest_revision(SLUG))
    instance.publish(SLUG, "minor", "Titel med & og <tegn>", ANNA)
    first = read_feed(app.test_client(), "/feed.atom").entries[0]
    assert first.title == 'A & B <c> "d" (udgave 1.1.0)'
    assert first.content[0].value == "Titel med & og <tegn>" and first.author == "Anna Jensen"


def test_caching_headers_and_conditional_requests(app):
    client = app.test_client()
    response = client.get("/feed.atom")
    assert response.headers["Cache-Control"] == "private, max-age=300" and response.headers["ETag"]
    again = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def links_of(parsed) -> list[str]:
    return [link.href for link in parsed.feed.links] + [entry.link for entry in parsed.entries]


def with_base_url(isolated_home, base_url: str):
    return create_app(replace(Settings.from_env(), base_url=base_url), {"TESTING": True})


@pytest.mark.parametrize("address", ["/feed.atom", "/feed/type/guide.atom", "/feed/emne/consent.atom"])
def test_a_forged_host_cannot_redirect_the_links_of_a_configured_site(isolated_home, address):
    client = with_base_url(isolated_home, "https://netkit.rm.dk/").test_client()
    response = client.get(address, headers={"Host": "evil.example"})
    assert response.status_code == 200 and b"evil.example" not in response.data
    parsed = feedparser.parse(response.data)
    assert parsed.entries and all(link.startswith("https://netkit.rm.dk/") for link in links_of(parsed))
    assert response.headers["Cache-Control"] == "public, max-age=300"  # the same feed for every Host


def test_a_configured_base_url_with_a_path_prefixes_every_link(isolated_home):
    client = with_base_url(isolated_home, "https://example.org/netkit/").test_client()
    parsed = feedparser.parse(client.get("/feed/type/guide.atom", headers={"Host": "evil.example"}).data)
    assert next(link.href for link in parsed.feed.links if link.rel == "self") == \
        "https://example.org/netkit/feed/type/guide.atom"
    assert next(link.href for link in parsed.feed.links if link.rel == "alternate") == \
        "https://example.org/netkit/gennemse?kind=guide"
    assert all(entry.link.startswith("https://example.org/netkit/m/") for entry in parsed.entries)


def test_without_a_base_url_a_feed_made_for_a_forged_host_is_not_shared(app):
    response = app.test_client().get("/feed.atom", headers={"Host": "evil.example"})
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "public" not in cache_control  # no shared cache may keep it
    assert b"evil.example" in response.data  # the links follow the request, which is why it stays private


def test_pages_point_to_the_feed(app):
    page = app.test_client().get("/").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" title="Netkit: nye udgaver" href="/feed.atom">' \
        in page
    assert 'href="/feed.atom" type="application/atom+xml">Nye udgaver (Atom-feed)</a>' in page


def test_a_plain_folder_lists_its_published_materials(library_path, isolated_home):
    app = create_app(Settings(library=library_path, home=isolated_home), {"TESTING": True})
    client = app.test_client()
    parsed = read_feed(client, "/feed.atom")
    assert {path_of(e.link) for e in parsed.entries} == {"/m/adgang-til-data/", "/m/samtykke-playbook/"}
    assert all(client.get(path_of(e.link)).status_code == 200 for e in parsed.entries)
    assert [path_of(e.link) for e in read_feed(client, "/feed/type/playbook.atom").entries] == [
        "/m/samtykke-playbook/"]
