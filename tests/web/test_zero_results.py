"""The search page when nothing is found, and "Mente du" only when it helps (issue 21), through Flask's test client
on the bundled library (a real index under the test's home folder)."""

import re

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.config import BUNDLED_LIBRARY


def zero_block(page: str) -> str:
    found = re.search(r'<div class="zero-results">(.*?)\n</div>', page, re.S)
    assert found, "no zero-result block"
    return found.group(1)


@pytest.mark.parametrize("query", ["Azure", "ChatGPT", "LLM", "sprogmodel"])
def test_unknown_terms_get_ways_on_not_a_rewrite_or_a_bare_zero(bundled_app, query):
    page = bundled_app.test_client().get("/sog", query_string={"q": query}).get_data(as_text=True)
    assert 'class="suggestion"' not in page and "Viser resultater for" not in page
    block = zero_block(page)
    assert f"Vi fandt ikke noget, der matcher »{query}«" in block
    assert '<a href="/gennemse?kind=guide">Vejledning</a>' in block
    assert '<a href="/gennemse?topic=data-access">Dataadgang</a>' in block
    assert '<a href="/log-ind?next=/emner/">Log ind for at foreslå et emne</a>' in block


def test_cloud_is_found_through_its_danish_synonym_not_rewritten(bundled_app):
    """"cloud" is in the synonym list with "skyløsning", which the data-access guide uses (library/synonyms.yaml)."""
    page = bundled_app.test_client().get("/sog", query_string={"q": "cloud"}).get_data(as_text=True)
    assert 'class="suggestion"' not in page and "Viser resultater for" not in page
    assert 'class="zero-results"' not in page
    assert 'href="/m/adgang-til-data/"' in page


def test_browse_links_are_only_kinds_and_topics_with_materials(bundled_app):
    block = zero_block(bundled_app.test_client().get("/sog?q=sprogmodel").get_data(as_text=True))
    assert "kind=template" not in block and "kind=meeting" not in block and "kind=minutes" not in block
    for href in re.findall(r'href="(/gennemse\?[^"]+)"', block):
        assert "<h2" in bundled_app.test_client().get(href.replace("&amp;", "&")).get_data(as_text=True)


def test_the_nearest_topics_come_first(bundled_app):
    page = bundled_app.test_client().get("/sog", query_string={"q": "etikudvalget"}).get_data(as_text=True)
    block = zero_block(page)
    nearest = re.search(r'<h3 id="zero-nearest">Emner tæt på din søgning</h3>\s*<ul[^>]*>(.*?)</ul>', block, re.S)
    assert nearest and re.findall(r">([^<]+)</a>", nearest.group(1)) == ["Etik"]


def test_members_get_the_proposal_page_itself(isolated_home, monkeypatch):
    monkeypatch.setenv("NETKIT_LIBRARY", str(BUNDLED_LIBRARY))
    app = app_with_users(isolated_home, ("mette", "member"))
    client, _token = sign_in(app, "mette", "mette-kodeord-1")
    block = zero_block(client.get("/sog?q=sprogmodel").get_data(as_text=True))
    assert '<a href="/emner/">Foreslå et emne</a>' in block and "Log ind" not in block
    assert client.get("/emner/").status_code == 200


def test_a_typo_still_shows_the_corrected_results_and_no_zero_block(bundled_app):
    page = bundled_app.test_client().get("/sog?q=samtykkke").get_data(as_text=True)
    assert "Ingen resultater for samtykkke. Viser resultater for" in page
    assert '<a href="/sog?q=samtykke">samtykke</a>' in page
    assert 'class="zero-results"' not in page and 'href="/m/samtykkemodeller/"' in page


def test_did_you_mean_only_when_it_finds_more(bundled_app):
    client = bundled_app.test_client()
    helps = client.get("/sog", query_string={"q": "klinsk evaluering"}).get_data(as_text=True)
    assert re.search(r'Mente du\s*<a href="[^"]+">klinisk evaluering</a>\?', helps)
    searched = client.get("/sog", query_string={"q": "hvordan får jeg samtykkke"}).get_data(as_text=True)
    assert "Søgte også efter <strong>samtykke</strong>." in searched and "Mente du" not in searched
    found = client.get("/sog", query_string={"q": "samtyke"}).get_data(as_text=True)  # found by its stem already
    assert 'class="suggestion"' not in found and 'class="zero-results"' not in found


def test_the_empty_query_gets_no_zero_block(bundled_app):
    assert 'class="zero-results"' not in bundled_app.test_client().get("/sog?q=*").get_data(as_text=True)
    assert 'class="zero-results"' not in bundled_app.test_client().get("/sog").get_data(as_text=True)


def test_the_echoed_query_is_escaped_in_the_zero_block(bundled_app):
    page = bundled_app.test_client().get("/sog", query_string={"q": "<b>xqzy</b>"}).get_data(as_text=True)
    assert "»&lt;b&gt;xqzy&lt;/b&gt;«" in zero_block(page)
