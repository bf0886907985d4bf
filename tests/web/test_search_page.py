"""The search page through Flask's test client (real Whoosh index under the test's home folder)."""

import re

import pytest


def result_links(page: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)"', page)


def test_a_question_lands_on_the_right_material(bundled_app):
    page = bundled_app.test_client().get("/sog?q=hvordan+får+jeg+adgang+til+data?").get_data(as_text=True)
    assert result_links(page)[0] == "/m/adgang-til-data/"
    assert "<mark>" in page


def test_facets_with_counts_filter_and_unfilter(client):
    page = client.get("/sog?q=data").get_data(as_text=True)
    assert re.search(r'href="/sog\?q=data&amp;kind=guide">Vejledning\s*<span class="count">\(1\)</span>', page)
    filtered = client.get("/sog?q=data&kind=guide").get_data(as_text=True)
    assert result_links(filtered) == ["/m/adgang-til-data/"]
    assert 'aria-current="true"' in filtered and 'href="/sog?q=data"' in filtered


def test_did_you_mean_and_corrected_results(client):
    page = client.get("/sog?q=samtykeerklæringen").get_data(as_text=True)
    assert "samtykkeerklæringen" in page
    assert result_links(page) == ["/m/samtykke-playbook/", "/skabeloner/samtykkeerklaering/"]


def test_empty_and_wildcard_queries_explain(client):
    assert "Skriv et eller flere ord" in client.get("/sog").get_data(as_text=True)
    assert "Skriv et eller flere ord" in client.get("/sog?q=*").get_data(as_text=True)


def test_drafts_are_not_found_by_readers(client):
    assert result_links(client.get("/sog?q=nyhedsbrev").get_data(as_text=True)) == []


@pytest.mark.parametrize("query", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                                   "javascript:alert(1)", "x" * 5000])
def test_echoed_query_is_escaped(client, query):
    response = client.get("/sog", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_unknown_filter_values_and_bad_pages_are_ignored(client):
    assert client.get("/sog?q=data&kind=../../etc&side=abc").status_code == 200
    assert client.get("/sog?q=data&side=99999").status_code == 200


def test_pagination_links(bundled_app):
    page = bundled_app.test_client().get("/sog?q=data").get_data(as_text=True)
    assert 'rel="next"' in page and "side 1 af" in page
    second = bundled_app.test_client().get("/sog?q=data&side=2").get_data(as_text=True)
    assert 'rel="prev"' in second


def test_every_page_has_the_header_search_box(client):
    page = client.get("/m/adgang-til-data/").get_data(as_text=True)
    assert '<form class="header-search" action="/sog"' in page
    assert '<label for="header-q"' in page


def test_title_suggestions_as_you_type(client):
    response = client.get("/sog/forslag?q=sam")
    assert response.status_code == 200 and response.mimetype == "application/json"
    titles = [item["title"] for item in response.get_json()]
    assert "Samtykke i praksis" in titles
    assert client.get("/sog/forslag?q=s").get_json() == []
    assert client.get("/sog/forslag?q=" + "x" * 5000).status_code == 200
