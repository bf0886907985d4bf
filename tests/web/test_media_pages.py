"""A material's images and attachments on the web: the page points at them, the two routes serve them with the
page's own visibility (a draft's files never reach a reader), a sniffed type, nosniff and an ETag."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.library.media import inspect_media
from webui import create_app

SLUG = "samtykkemodeller"
ANNA = Author("Anna Jensen", "anna@rm.dk")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(colour: tuple[int, int, int], size: tuple[int, int] = (120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


RED, BLUE = png((200, 30, 30)), png((30, 30, 200))


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"))


@pytest.fixture
def published(app):
    """SLUG published as 1.1.0 with an image and an attachment."""
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG).rstrip("\n") + ("\n\n![Rødt diagram over samtykket](media:diagram.png)\n\n"
                                               "Læs [skemaet](media:skema.pdf).\n")
    instance.save(SLUG, text, ANNA, "Diagram og skema", instance.latest_revision(SLUG),
                  media=[inspect_media("diagram.png", RED), inspect_media("skema.pdf", PDF_BYTES)])
    instance.publish(SLUG, "minor", "Med diagram", ANNA)
    return instance


def test_the_page_and_the_edition_page_point_at_their_own_files(app, published):
    reader = app.test_client()
    page = reader.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert f'<img src="/m/{SLUG}/media/diagram.png" alt="Rødt diagram over samtykket"' in page
    assert f'href="/m/{SLUG}/media/skema.pdf"' in page and "media:" not in page
    edition = reader.get(f"/m/{SLUG}/v/1.1.0/").get_data(as_text=True)
    assert f'<img src="/m/{SLUG}/v/1.1.0/media/diagram.png"' in edition


def test_an_image_is_served_inline_with_its_sniffed_type_and_an_etag(app, published):
    reader = app.test_client()
    response = reader.get(f"/m/{SLUG}/media/diagram.png")
    assert response.status_code == 200 and response.data == RED
    assert response.mimetype == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'inline; filename="diagram.png"'
    assert response.headers["Cache-Control"] == "public, max-age=300" and response.headers["ETag"]
    again = reader.get(f"/m/{SLUG}/media/diagram.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    edition = reader.get(f"/m/{SLUG}/v/1.1.0/media/diagram.png")
    assert edition.status_code == 200 and edition.data == RED and "max-age=86400" in edition.headers["Cache-Control"]


def test_an_attachment_is_downloaded(app, published):
    response = app.test_client().get(f"/m/{SLUG}/media/skema.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="skema.pdf"'


@pytest.mark.parametrize("name", ["findes-ikke.png", "..%2Fsamtykkemodeller.md", "..", "diagram.svg",
                                  "Diagram.png", "%2Fetc%2Fpasswd"])
def test_unknown_and_malformed_names_are_not_found(app, published, name):
    reader = app.test_client()
    assert reader.get(f"/m/{SLUG}/media/{name}").status_code == 404
    assert reader.get(f"/m/{SLUG}/v/1.1.0/media/{name}").status_code == 404


def test_a_file_of_another_edition_or_material_is_not_found(app, published):
    reader = app.test_client()
    assert reader.get(f"/m/{SLUG}/v/1.0.0/media/diagram.png").status_code == 404  # not in that edition yet
    assert reader.get(f"/m/{SLUG}/v/9.9.9/media/diagram.png").status_code == 404
    assert reader.get("/m/adgang-til-data/media/diagram.png").status_code == 404


def test_a_reader_gets_the_last_editions_files_while_a_draft_is_in_progress(app, published):
    instance = published
    text = instance.read(SLUG) + "\n![Hemmeligt kladdebillede](media:kladde.png)\n"
    instance.save(SLUG, text, ANNA, "Kladde", instance.latest_revision(SLUG),
                  media=[inspect_media("kladde.png", BLUE)])
    (instance.library_dir / "media" / SLUG / "diagram.png").write_bytes(BLUE)  # the draft's diagram is redrawn
    instance.refresh()

    reader = app.test_client()
    assert reader.get(f"/m/{SLUG}/media/kladde.png").status_code == 404
    assert reader.get(f"/m/{SLUG}/media/diagram.png").data == RED  # the edition's, as on the page they read
    assert "Hemmeligt kladdebillede" not in reader.get(f"/m/{SLUG}/").get_data(as_text=True)

    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    own = frida.get(f"/m/{SLUG}/media/kladde.png")
    assert own.status_code == 200 and own.data == BLUE and own.headers["Cache-Control"].startswith("private")
    assert frida.get(f"/m/{SLUG}/media/diagram.png").data == BLUE
    assert frida.get(f"/m/{SLUG}/v/1.1.0/media/diagram.png").data == RED


def test_a_never_published_materials_files_are_refused_like_its_page(app):
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG).replace("status: published", "status: draft", 1)
    front = text.split("\n---\n", 1)[0]
    new_text = front.replace("title: ", "title: Hemmelig ", 1) + "\n---\n" + \
        "Kladde.\n\n![Et hemmeligt billede](media:hemmelig.png)\n"
    instance.save("hemmelig-vejledning", new_text, ANNA, "Ny", None, media=[inspect_media("hemmelig.png", RED)])
    reader = app.test_client()
    assert reader.get("/m/hemmelig-vejledning/").status_code == 404
    assert reader.get("/m/hemmelig-vejledning/media/hemmelig.png").status_code == 404
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    assert frida.get("/m/hemmelig-vejledning/media/hemmelig.png").data == RED


def test_the_word_files_carry_the_picture(app, published):
    reader = app.test_client()
    for address in (f"/m/{SLUG}/{SLUG}.docx", f"/m/{SLUG}/v/1.1.0/{SLUG}.docx"):
        document = docx.Document(io.BytesIO(reader.get(address).data))
        described = [e.get("descr") for e in document.element.body.iter(qn("wp:docPr"))]
        assert described == ["Rødt diagram over samtykket"], address
        assert any("Læs skemaet (vedhæftet fil: skema.pdf)." in p.text for p in document.paragraphs)


def test_a_plain_folder_serves_its_files(settings, library_path, write_material):
    write_material("med-billede", "![Et blåt felt](media:felt.png)\n")
    (library_path / "media" / "med-billede").mkdir(parents=True)
    (library_path / "media" / "med-billede" / "felt.png").write_bytes(BLUE)
    client = create_app(settings, {"TESTING": True}).test_client()  # a folder without history: no editions
    page = client.get("/m/med-billede/").get_data(as_text=True)
    assert re.search(r'<img src="/m/med-billede/media/felt.png" alt="Et blåt felt"', page)
    assert client.get("/m/med-billede/media/felt.png").data == BLUE
