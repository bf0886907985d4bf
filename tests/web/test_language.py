"""Danish by default, English by choice (remembered); the catalogues are complete and current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from webui.translations import build

TRANSLATIONS = Path(build.__file__).parent


@pytest.fixture
def client(bundled_app):
    return bundled_app.test_client()


def test_danish_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="da">' in page and ">Gennemse</a>" in page
    assert 'hreflang="en">English</a>' in page


def test_choosing_english_is_remembered_and_returns_to_the_page(client):
    response = client.get("/sprog/en?next=/m/adgang-til-data/")
    assert response.status_code == 302 and response.headers["Location"] == "/m/adgang-til-data/"
    assert "netkit_lang=en" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/m/adgang-til-data/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Browse</a>" in page and ">Download as Word</a>" in page
    assert '<article class="material" lang="da">' in page  # the text itself stays Danish, and says so
    assert "Data access" in page  # taxonomy labels in English
    assert "November 2026" in page or "2026" in page
    home = client.get("/").get_data(as_text=True)
    assert "Find help by need" in home and "Access to data" in home


def test_english_template_form_and_messages(client):
    client.get("/sprog/en")
    page = client.get("/skabeloner/ce-maerkning-tjekliste/udfyld").get_data(as_text=True)
    assert "Product name" in page and "(required)" in page and "See the result" in page
    assert "Answer if “Does the software monitor physiological processes?” is Yes" in page
    assert ">Yes</label>" in page and ">No</label>" in page and ">Don't know</label>" in page
    missing = client.get("/m/findes-ikke/")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)


def test_back_to_danish_and_no_open_redirect(client):
    client.get("/sprog/en")
    assert client.get("/sprog/da?next=/").status_code == 302
    assert '<html lang="da">' in client.get("/").get_data(as_text=True)
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get(f"/sprog/en?next={target}")
        assert response.headers["Location"] == "/"
    client.set_cookie("netkit_lang", "xx")
    assert '<html lang="da">' in client.get("/").get_data(as_text=True)


def test_every_text_has_both_languages_and_the_compiled_catalogues_are_current():
    messages = build.source_messages()
    assert len(messages) > 100
    assert build.missing_english(messages) == []
    for locale in ("da", "en"):
        with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
            on_disk = {_key(message.id): _key(message.string) for message in read_mo(handle) if message.id}
        expected = {_key(message.id): _key(message.string) for message in build.catalogue(locale, messages)
                    if message.id}
        assert on_disk == expected, f"run `make translations` ({locale} catalogue is out of date)"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value
