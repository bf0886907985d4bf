"""Template pages through Flask's test client: catalogue, one template, the example download, errors."""

from __future__ import annotations

import io

import pytest
from docx import Document


@pytest.fixture
def client(bundled_app):
    return bundled_app.test_client()


def test_catalogue_lists_every_bundled_template(client):
    page = client.get("/skabeloner/").get_data(as_text=True)
    assert "<h1>Skabeloner</h1>" in page
    assert page.count('class="card"') == 7
    assert 'href="/skabeloner/ce-maerkning-tjekliste/"' in page


def test_template_page_shows_questions_and_related_materials(client):
    response = client.get("/skabeloner/ce-maerkning-tjekliste/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>CE-mærkning – skræddersyet tjekliste for software</h1>" in page
    assert "Produktets navn" in page and "skal udfyldes" in page and "afhænger af et tidligere svar" in page
    assert 'href="/m/ce-maerkning-af-beslutningsstoette/"' in page
    assert 'href="/skabeloner/ce-maerkning-tjekliste/eksempel.docx"' in page


def test_example_download_is_a_real_word_file(client):
    response = client.get("/skabeloner/samtykkeerklaering/eksempel.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert 'attachment; filename="eksempel-' in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    assert any("Samtykkeerklæring" in p.text for p in document.paragraphs)


def test_material_page_links_its_templates(client):
    page = client.get("/m/samtykkemodeller/").get_data(as_text=True)
    assert '<h2 id="templates-heading">Skabeloner</h2>' in page
    assert 'href="/skabeloner/samtykkeerklaering/"' in page


def test_unknown_template_is_a_404_suggesting_a_template(client):
    response = client.get("/skabeloner/ce-maerkning/")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert 'Mente du <a href="/skabeloner/ce-maerkning-tjekliste/">' in page


def test_a_malformed_template_name_is_a_400(client):
    response = client.get("/skabeloner/Ikke_Gyldig/")
    assert response.status_code == 400
    assert "ugyldigt navn" in response.get_data(as_text=True)


def test_search_finds_the_consent_guide_and_the_consent_form(client):
    page = client.get("/sog?q=samtykke").get_data(as_text=True)
    assert 'href="/m/samtykkemodeller/"' in page and 'href="/skabeloner/samtykkeerklaering/"' in page
    assert "Skabelon" in page  # the kind label of a template hit


def test_the_rules_page_lays_out_facts_reasons_checks_and_items_for_review(client):
    page = client.get("/skabeloner/ce-maerkning-tjekliste/regler").get_data(as_text=True)
    assert "<h1>Regler: CE-mærkning" in page
    assert "Et ubesvaret spørgsmål tæller aldrig som et nej" in page
    assert '<h3 id="fact-device_class">Klasse <code>device_class</code></h3>' in page
    assert "Regel 22: aktivt terapeutisk udstyr" in page and "MDR bilag VIII, regel 22 og 3.5" in page
    assert "Svarene modsiger hinanden" in page  # the contradictions
    assert "(udelades, hvis det ikke kan afgøres)" in page  # the in-house conditions
    assert "<code>informs_decisions</code></dt><dd>Spørgsmål: Giver softwaren information" in page
    assert "function in [&#39;decision_support&#39;, &#39;monitoring&#39;, &#39;other&#39;]" in page  # version 1
    assert 'href="/skabeloner/ce-maerkning-tjekliste/regler"' in client.get(
        "/skabeloner/ce-maerkning-tjekliste/").get_data(as_text=True)
    assert client.get("/skabeloner/samtykkeerklaering/regler").status_code == 404
