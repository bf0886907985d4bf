import logging
import re

import pytest

from toolkit.library.folder import Library
from webui import create_app
from webui.security import CONTENT_SECURITY_POLICY


def test_home_lists_materials_grouped_by_kind(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="da">' in page
    assert '<h3 id="type-playbook">Playbook</h3>' in page
    assert '<h3 id="type-guide">Vejledning</h3>' in page
    grouped = page[page.index("<h2>Alle materialer</h2>"):]
    assert grouped.index("Samtykke i praksis") < grouped.index("Adgang til data (testudgave)")
    assert 'href="/m/adgang-til-data/"' in page
    assert "En kort testvejledning om adgang til sundhedsdata." in page


def test_material_page_shows_text_metadata_toc_and_related(client):
    response = client.get("/m/adgang-til-data/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Adgang til data (testudgave)</h1>" in page
    assert '<h2 id="forskning">Forskning</h2>' in page
    assert '<a href="#forskning">Forskning</a>' in page  # table of contents
    assert "Udgivet 1.2.0" in page
    assert "15. januar 2026" in page
    assert "Dataadgang, Jura" in page and "Projektledere, Data scientists" in page
    assert '<h2 id="related-heading">Relaterede materialer</h2>' in page
    assert 'href="/m/samtykke-playbook/#trin-2"' in page


def test_unknown_material_is_a_friendly_404_with_a_suggestion(client):
    response = client.get("/m/adgang-til-date/")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Siden findes ikke" in page
    assert 'Mente du <a href="/m/adgang-til-data/">Adgang til data (testudgave)</a>?' in page


def test_unknown_page_is_404_in_the_layout(client):
    response = client.get("/findes/ikke")
    assert response.status_code == 404
    assert "Gå til oversigten over materialer" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/m/..%2Ftaxonomy/", "/m/../taxonomy.yaml", "/m/%2e%2e/", "/m/Adgang/",
                                  "/m/a_b/"])
def test_path_like_slugs_are_rejected(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    page = response.get_data(as_text=True)
    assert "kinds:" not in page  # the taxonomy file is never served
    assert '<html lang="da">' in page


def test_malformed_slug_gets_400(client):
    response = client.get("/m/Adgang/")
    assert response.status_code == 400
    assert "ugyldigt navn" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_or_styles(client):
    page = client.get("/m/adgang-til-data/").get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert scripts and all(body.strip() == "" for body in scripts)  # only external files (CSP: no inline)
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "style=" not in page and "<style" not in page


def test_static_files_carry_cache_headers(client):
    response = client.get("/static/netkit.css")
    assert response.status_code == 200
    assert "max-age=3600" in response.headers["Cache-Control"]
    response.close()


def test_broken_material_is_logged_and_the_rest_served(settings, write_material, caplog):
    write_material("broken", front="---\ntitle: [\n---\n")
    write_material("xss", "Hej <script>alert(1)</script> [x](javascript:alert(1))\n")
    with caplog.at_level(logging.WARNING):
        app = create_app(settings, {"TESTING": True})
    assert any("library/broken.md" in record.getMessage() for record in caplog.records)
    client = app.test_client()
    assert client.get("/m/broken/").status_code == 404
    assert client.get("/m/adgang-til-data/").status_code == 200
    page = client.get("/m/xss/").get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_material_page_is_rendered_once_then_cached(app, client):
    renderer = app.extensions["netkit.source"].library().renderer
    client.get("/m/samtykke-playbook/")
    misses = renderer.misses
    client.get("/m/samtykke-playbook/")
    assert renderer.misses == misses and renderer.hits >= 1


def test_every_bundled_material_page_renders(bundled_app):
    client = bundled_app.test_client()
    library: Library = bundled_app.extensions["netkit.source"].library()
    home = client.get("/").get_data(as_text=True)
    for material in library.materials():
        response = client.get(f"/m/{material.slug}/")
        assert response.status_code == 200, material.slug
        page = response.get_data(as_text=True)
        assert material.title.replace("&", "&amp;") in page
        assert 'class="wikilink-missing"' not in page, f"{material.slug} has a dead link"
        assert f'href="/m/{material.slug}/"' in home


def test_internal_error_is_a_friendly_500(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Der skete en fejl" in page and "kaboom" not in page


def test_home_has_entry_points_by_need_and_what_is_new(bundled_app):
    page = bundled_app.test_client().get("/").get_data(as_text=True)
    assert '<a href="/gennemse?topic=data-access">Adgang til data</a>' in page
    assert '<a href="/gennemse?topic=ce-marking">CE-mærkning</a>' in page
    assert '<h2 id="recent-heading">Nyt og opdateret</h2>' in page
    assert '<label for="home-q">' in page


def test_browse_combines_filters_with_counts(bundled_app):
    client = bundled_app.test_client()
    everything = client.get("/gennemse").get_data(as_text=True)
    assert "18 materialer" in everything
    page = client.get("/gennemse?topic=consent").get_data(as_text=True)
    total = int(re.search(r'id="results-heading">(\d+) materiale', page).group(1))
    assert 0 < total < 18
    assert 'aria-current="true" class="active">Samtykke' in page
    combined = client.get("/gennemse?topic=consent&kind=guide").get_data(as_text=True)
    shown = int(re.search(r'id="results-heading">(\d+) materiale', combined).group(1))
    assert shown <= total
    # the count beside a value is what choosing it would leave
    count = int(re.search(r'href="/gennemse\?topic=consent&amp;kind=guide"[^>]*>Vejledning\s*<span class="count">'
                          r'\((\d+)\)', page).group(1))
    assert count == shown
    assert client.get("/gennemse?kind=poem").status_code == 200  # unknown values are ignored


def test_material_downloads_as_word(bundled_app):
    import io

    from docx import Document

    client = bundled_app.test_client()
    page = client.get("/m/adgang-til-data/").get_data(as_text=True)
    assert 'href="/m/adgang-til-data/adgang-til-data.docx"' in page
    response = client.get("/m/adgang-til-data/adgang-til-data.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="adgang-til-data.docx"'
    document = Document(io.BytesIO(response.data))
    assert document.core_properties.title.startswith("Adgang til sundhedsdata")
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)
    assert client.get("/m/adgang-til-data/noget-andet.docx").status_code == 404
    assert client.get("/m/findes-ikke/findes-ikke.docx").status_code == 404


def test_material_pdf_when_libreoffice_is_there(bundled_app, monkeypatch):
    import os

    from toolkit.documents.pdf import pdf_available

    client = bundled_app.test_client()
    if not pdf_available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing under CI")
        assert client.get("/m/adgang-til-data/adgang-til-data.pdf").status_code == 503
        return
    response = client.get("/m/adgang-til-data/adgang-til-data.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    monkeypatch.setenv("NETKIT_SOFFICE", "/nonexistent/soffice")
    missing = client.get("/m/samtykkemodeller/samtykkemodeller.pdf")
    assert missing.status_code == 503 and "LibreOffice" in missing.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/m/%3Cscript%3Ealert(1)%3C%2Fscript%3E/", "/skabeloner/%3Cimg%20src=x%3E/",
                                  "/gennemse?kind=%3Cscript%3E", "/m/%22%3E%3Cb%3E/"])
def test_hostile_addresses_are_refused_without_echoing_them(bundled_app, path):
    response = bundled_app.test_client().get(path)
    assert response.status_code in (200, 400, 404)
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "<img src=x>" not in page and '"><b>' not in page


def test_the_site_has_an_icon_and_favicon_ico_finds_it(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<script" not in icon.data
    icon.close()
