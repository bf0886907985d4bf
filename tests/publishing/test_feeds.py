"""Atom feeds in the core: well-formed, valid Atom 1.0 (read back by feedparser and ElementTree), every text
escaped, and the publications of an instance newest first with the text as it was published."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

from toolkit.config import Settings
from toolkit.errors import Invalid
from toolkit.history.gitstore import Author
from toolkit.library.folder import Library
from toolkit.library.frontmatter import set_fields
from toolkit.publishing.feeds import (
    ATOM,
    EPOCH,
    Category,
    FeedEntry,
    atom_feed,
    current_publications,
    publications,
    rfc3339,
)

ANNA = Author("Anna Jensen", "anna@rm.dk")
BASE = "https://netkit.example/"
NASTY = 'Data & "deling" <i> sundhed\x00\x0b — ærø'
NS = {"a": ATOM}


def feed_of(entries, **head):
    return atom_feed(entries, feed_id="tag:netkit,2026:feed", title=head.pop("title", "Netkit: nye udgaver"),
                     self_url=f"{BASE}feed.atom", alternate_url=BASE, **head)


def test_atom_feed_is_valid_atom_with_every_text_escaped():
    when = dt.datetime(2026, 3, 4, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    entry = FeedEntry(id="tag:netkit,2026:a/1.0.0", title=NASTY, link=f"{BASE}m/a/v/1.0.0/?x=1&y=<2>",
                      updated=when, published=when, summary="A < B & C", content="Rettet: \"x\" & 'y'",
                      authors=("Anna & Bo",),
                      categories=(Category("guide", 'Vejledning "&"', "tag:netkit,2026:kinds"),))
    data = feed_of([entry], title="Netkit & <venner>")

    root = ET.fromstring(data)  # well-formed XML, despite the control characters in the title
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.find("a:entry/a:title", NS).text == 'Data & "deling" <i> sundhed — ærø'

    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Netkit & <venner>" and parsed.feed.id == "tag:netkit,2026:feed"
    assert parsed.feed.updated == "2026-03-04T11:30:00Z"  # the newest entry, in UTC
    assert {link.rel: link.href for link in parsed.feed.links} == {"self": f"{BASE}feed.atom", "alternate": BASE}
    (item,) = parsed.entries
    assert item.title == 'Data & "deling" <i> sundhed — ærø'
    assert item.link == f"{BASE}m/a/v/1.0.0/?x=1&y=<2>"
    assert item.summary == "A < B & C" and item.content[0].value == "Rettet: \"x\" & 'y'"
    assert item.author == "Anna & Bo" and item.tags[0].term == "guide" and item.tags[0].label == 'Vejledning "&"'
    assert item.published == item.updated == "2026-03-04T11:30:00Z"


def test_an_empty_feed_is_valid_and_stable():
    first, again = feed_of([]), feed_of([])
    assert first == again
    parsed = feedparser.parse(first)
    assert parsed.bozo == 0 and parsed.version == "atom10" and parsed.entries == []
    assert parsed.feed.updated == rfc3339(EPOCH) == "1970-01-01T00:00:00Z"


def test_publications_of_an_instance_newest_first_as_published(instance):
    entries = publications(instance, base_url=BASE)
    # Tagged in the same second: the higher version counts as the newer one.
    assert [e.id for e in entries] == ["tag:netkit,2026:adgang-til-data/1.2.0",
                                       "tag:netkit,2026:samtykke-playbook/1.0.0"]
    assert [e.link for e in entries] == [f"{BASE}m/adgang-til-data/v/1.2.0/", f"{BASE}m/samtykke-playbook/v/1.0.0/"]

    text = set_fields(instance.read("adgang-til-data"), {"title": json.dumps("Data & deling <nu>")})
    instance.save("adgang-til-data", text, ANNA, "Ny titel", instance.latest_revision("adgang-til-data"))
    instance.publish("adgang-til-data", "minor", "Ny titel & nyt afsnit", ANNA)
    # A draft on top changes nothing in the feed: it shows what was published.
    draft = set_fields(instance.read("adgang-til-data"), {"title": json.dumps("Kladdetitel")})
    instance.save("adgang-til-data", draft, ANNA, "Kladde", instance.latest_revision("adgang-til-data"))

    newest, *rest = publications(instance, base_url="https://netkit.example")
    assert newest.title == "Data & deling <nu> (udgave 1.3.0)" and newest.content == "Ny titel & nyt afsnit"
    assert newest.link == f"{BASE}m/adgang-til-data/v/1.3.0/" and newest.authors == ("Anna Jensen",)
    assert newest.updated.tzinfo is not None
    assert newest.categories[0].term == "guide"
    assert len(rest) == 2 and not any("Kladdetitel" in e.title for e in rest)
    assert [e.id for e in publications(instance, base_url=BASE, limit=1)] == [newest.id]
    assert {e.id for e in publications(instance, base_url=BASE, kind="playbook")} == {
        "tag:netkit,2026:samtykke-playbook/1.0.0"}
    assert publications(instance, base_url=BASE, topic="no-such-topic") == []
    parsed = feedparser.parse(feed_of(publications(instance, base_url=BASE)))
    assert parsed.bozo == 0 and parsed.entries[0].title == "Data & deling <nu> (udgave 1.3.0)"


def test_a_plain_folder_lists_its_published_materials_by_date(library_path):
    entries = current_publications(Library.load(library_path), base_url=BASE)
    assert {e.link for e in entries} == {f"{BASE}m/adgang-til-data/", f"{BASE}m/samtykke-playbook/"}
    assert entries == sorted(entries, key=lambda e: e.updated, reverse=True)
    assert feedparser.parse(feed_of(entries)).bozo == 0


@pytest.mark.parametrize(("raw", "value"), [
    ("https://netkit.rm.dk", "https://netkit.rm.dk/"),
    ("https://example.org/netkit/", "https://example.org/netkit/"),
    ("http://localhost:8080", "http://localhost:8080/"),
])
def test_the_base_url_setting_is_read_as_an_address_ending_in_a_slash(raw, value):
    assert Settings.from_env({"NETKIT_BASE_URL": raw}).base_url == value
    assert Settings.from_env({}).base_url == ""  # not configured


@pytest.mark.parametrize("raw", ["netkit.rm.dk", "ftp://netkit.rm.dk/", "https://", "javascript:alert(1)",
                                 "https://netkit.rm.dk:port/", "https://user:secret@netkit.rm.dk/",
                                 "https://netkit.rm.dk/?next=evil"])
def test_a_base_url_that_is_not_an_http_address_with_a_host_is_refused(raw):
    with pytest.raises(Invalid) as caught:
        Settings.from_env({"NETKIT_BASE_URL": raw})
    problem = caught.value.problems[0]
    assert problem.path == "NETKIT_BASE_URL" and "http(s) address with a host" in problem.message
