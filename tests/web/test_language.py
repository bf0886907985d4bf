"""Danish by default, English by choice (remembered); the catalogues are complete and current."""

from __future__ import annotations

import io
from pathlib import Path

import babel
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webui" / "translations"


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


@pytest.fixture(scope="module")
def source_texts():
    """The texts `make translations` extracts from the code: babel.cfg's mapping and keywords, as pybabel reads it."""
    assert tuple(int(part) for part in babel.__version__.split(".")[:2]) >= (2, 18), \
        "babel.cfg's keywords need Babel >= 2.18 (older versions ignore them and miss the _l texts)"
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(ROOT), method_map, options_map)}


def test_the_template_lists_every_text_of_the_code(source_texts):
    assert len(source_texts) > 100
    assert _difference(_ids(_read_po(TRANSLATIONS / "messages.pot")), source_texts) == ([], []), \
        "run `make translations` (messages.pot is out of date: texts missing, texts no longer used)"


@pytest.mark.parametrize("locale", ["da", "en"])
def test_every_text_has_both_languages_and_the_compiled_catalogues_are_current(source_texts, locale):
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    catalog = _read_po(po, locale)
    obsolete = {message.id for message in catalog.obsolete.values()}
    assert not sorted(map(str, obsolete & source_texts)), f"{locale}: texts in use are marked obsolete (#~)"
    assert _difference(_ids(catalog), source_texts) == ([], []) and not obsolete, \
        f"run `make translations` ({locale} catalogue is out of date: texts missing, texts no longer used)"
    assert not catalog.fuzzy and not [message.id for message in catalog if message.id and message.fuzzy], \
        f"{locale}: fuzzy entries (a changed source text): check the translation and remove the fuzzy flag"
    assert not [(message.id, errors) for message, errors in catalog.check()]  # placeholders, plural forms
    if locale == "en":
        assert not [message.id for message in catalog if message.id and not all(_forms(message.string))], \
            "texts without their English version in en/LC_MESSAGES/messages.po"
    else:
        assert not [message.id for message in catalog if message.id and any(_forms(message.string))], \
            "da is the source language: leave its msgstr empty (the msgid is the Danish text, and gettext shows it)"
    with po.with_suffix(".mo").open("rb") as handle:
        on_disk = read_mo(handle)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # what pybabel compile writes
    compiled.seek(0)
    expected = read_mo(compiled)
    assert (_strings(on_disk), on_disk.plural_forms) == (_strings(expected), expected.plural_forms), \
        f"run `make translations` ({locale} catalogue is not compiled)"


def _read_po(path, locale=None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog):
    return {message.id for message in catalog if message.id}


def _difference(found, expected):
    return sorted(map(str, expected - found)), sorted(map(str, found - expected))


def _forms(string):
    return list(string) if isinstance(string, list | tuple) else [string]


def _strings(catalog):
    return {tuple(_forms(message.id)): tuple(_forms(message.string)) for message in catalog if message.id}
