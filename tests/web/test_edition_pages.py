"""Editions on the web: the recommendation's facts, Word/PDF of an edition (built once per edition), and
what changed since the previous edition."""

from __future__ import annotations

import io
import re

import docx
import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author

RECOMMENDATION = "anbefalinger-til-beslutningstagere"
SLUG = "adgang-til-data"
ANNA = Author("Anna Jensen", "anna@rm.dk")


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"))


def publish_new_section(app) -> None:
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG).replace("\n## ", "\nEt nyt afsnit om <RKKP> & registre.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "RKKP", instance.latest_revision(SLUG))
    instance.publish(SLUG, "minor", "Nyt afsnit om RKKP & registre", ANNA)


def test_a_recommendation_shows_who_it_is_for_and_who_stands_behind_it(app):
    page = app.test_client().get(f"/m/{RECOMMENDATION}/").get_data(as_text=True)
    facts = re.search(r'<section class="recommendation-facts".*?</section>', page, re.S).group(0)
    assert "Anbefalingen kort" in facts and "Regionsrådet i Region Midtjylland" in facts
    assert "Beslutning der bedes om" in facts and "Hovedpunkter" in facts
    assert "Netværkets koordinationsgruppe – underskrevet 20. november 2026" in facts
    assert page.index("recommendation-facts") < page.index('class="material-body"')
    api = app.test_client().get(f"/api/materials/{RECOMMENDATION}").get_json()
    assert api["recipients"][0] == "Regionsrådet i Region Midtjylland" and api["signatories"][0]["signed"]


def test_word_file_of_an_edition_is_built_once(app):
    reader = app.test_client()
    response = reader.get(f"/m/{SLUG}/v/1.0.0/{SLUG}.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.data))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Udgave"].startswith("1.0.0, udgivet ")
    cache = app.config["NETKIT_SETTINGS"].home / "cache" / "editions" / SLUG
    cached = list(cache.glob("1.0.0-*.docx"))
    assert len(cached) == 1 and cached[0].read_bytes() == response.data
    assert reader.get(f"/m/{SLUG}/{SLUG}.docx").data == response.data  # the material's file is its edition
    assert reader.get(f"/m/{SLUG}/v/7.0.0/{SLUG}.docx").status_code == 404
    assert reader.get(f"/m/{SLUG}/v/1.0.0/andet.docx").status_code == 404


def test_pdf_of_an_edition_says_so_when_libreoffice_is_missing(app, monkeypatch, tmp_path):
    monkeypatch.setenv("NETKIT_SOFFICE", str(tmp_path / "no-soffice"))
    response = app.test_client().get(f"/m/{SLUG}/v/1.0.0/{SLUG}.pdf")
    assert response.status_code == 503 and "LibreOffice" in response.get_data(as_text=True)


def test_pdf_of_an_edition(app, require_libreoffice):
    response = app.test_client().get(f"/m/{SLUG}/v/1.0.0/{SLUG}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_what_changed_since_the_previous_edition(app):
    publish_new_section(app)
    reader = app.test_client()
    first = reader.get(f"/m/{SLUG}/v/1.0.0/aendringer").get_data(as_text=True)
    assert "Dette er den første udgave." in first
    page = reader.get(f"/m/{SLUG}/v/1.1.0/aendringer").get_data(as_text=True)
    assert "Nyt afsnit om RKKP &amp; registre" in page and "<ins>" in page
    assert "&lt;RKKP&gt;" in page and "<RKKP>" not in page
    assert f'href="/m/{SLUG}/v/1.0.0/"' in page
    material = reader.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert f'href="/m/{SLUG}/v/1.1.0/aendringer"' in material and f'href="/m/{SLUG}/v/1.0.0/"' in material
    assert reader.get(f"/m/{SLUG}/v/5.0.0/aendringer").status_code == 404


def test_a_signed_in_member_downloads_the_draft_and_readers_the_edition(app):
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG).replace("\n## ", "\nKLADDE-SÆTNING.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "Kladde", instance.latest_revision(SLUG))
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")

    def text_of(client) -> str:
        data = client.get(f"/m/{SLUG}/{SLUG}.docx").data
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)

    assert "KLADDE-SÆTNING." in text_of(frida) and "KLADDE-SÆTNING." not in text_of(app.test_client())


def test_a_recommendation_is_edited_in_the_browser_fields_and_all(app):
    from tests.helpers.forms import form_data

    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    address = f"/m/{RECOMMENDATION}/rediger"
    form = form_data(frida.get(address).get_data(as_text=True), address)
    assert form["kind"] == "recommendation" and "Regionsrådet i Region Midtjylland" in form["recipients"]
    assert form["signatories"].splitlines()[0] == "Netværkets koordinationsgruppe; 2026-11-20"
    unchanged = frida.post(address, data={**form, "action": "save"})
    assert "gemt=uaendret" in unchanged.headers["Location"]

    bad = {**form, "signatories": form["signatories"] + "\nDanske Regioner; Bo Jensen", "action": "save"}
    refused = frida.post(address, data=bad)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "entry 4: needs the date" in page
    assert form_data(page, address)["signatories"].endswith("Danske Regioner; Bo Jensen")  # kept as typed

    good = {**form, "signatories": form["signatories"] + "\nDanske Regioner; Bo Jensen; 2026-11-22",
            "key_points": "Ét samlet punkt", "action": "save"}
    assert frida.post(address, data=good).status_code == 302
    material = app.extensions["netkit.source"].library().get(RECOMMENDATION)
    assert material.key_points == ("Ét samlet punkt",)
    assert material.signatories[-1].person == "Bo Jensen" and len(material.signatories) == 4
    text = app.extensions["netkit.source"].read(RECOMMENDATION)
    assert "  - organisation: Danske Regioner\n    person: Bo Jensen\n    signed: 2026-11-22\n" in text


def test_an_old_editions_page_says_which_edition_it_is_not_the_latest_state(app):
    publish_new_section(app)  # 1.1.0 on top of the bundled 1.0.0
    reader = app.test_client()
    old = reader.get(f"/m/{SLUG}/v/1.0.0/").get_data(as_text=True)
    badges = re.search(r'<p class="badges">.*?</p>', old, re.S).group(0)
    assert "Tidligere udgave 1.0.0" in badges and "1.1.0" not in badges
    assert "Du læser udgave 1.0.0." in old and "Nyeste udgave er 1.1.0." in old
    latest = reader.get(f"/m/{SLUG}/v/1.1.0/").get_data(as_text=True)
    assert "Udgave 1.1.0" in re.search(r'<p class="badges">.*?</p>', latest, re.S).group(0)
    current = reader.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "Udgivet 1.1.0" in re.search(r'<p class="badges">.*?</p>', current, re.S).group(0)
