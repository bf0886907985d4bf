"""Images and PDFs added in the editor: checked, kept until the save, committed with the text in one revision,
shown on the page; refusals name the file and keep the text."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in

SLUG = "adgang-til-data"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("andet-udvalg",)))


def png(width: int = 40, height: int = 30, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def editor(client, slug: str = SLUG) -> tuple[dict, str]:
    page = client.get(f"/m/{slug}/rediger").get_data(as_text=True)
    return form_data(page, f"/m/{slug}/rediger"), page


def upload_url(page: str) -> str:
    """The "Tilføj fil" button's formaction (it carries the CSRF token)."""
    found = re.search(r'formaction="([^"]*fil=billede[^"]*)"', page)
    assert found, "the editor has no file upload button"
    return found.group(1).replace("&amp;", "&")


def multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart body built in memory (the test client spools a large one to a file it never closes)."""
    values = MultiDict()
    for key, value in fields.items():
        for each in value if isinstance(value, list) else [value]:
            values.add(key, each)
    for key, (name, data) in files.items():
        values.add(key, FileStorage(io.BytesIO(data), filename=name))
    boundary, body = encode_multipart(values)
    return body, f"multipart/form-data; boundary={boundary}"


def add_file(client, form: dict, page: str, name: str, data: bytes, alt: str = "", url: str | None = None):
    body, content_type = multipart({**form, "alt": alt}, {"fil": (name, data)})
    return client.post(url or upload_url(page), data=body, content_type=content_type)


def test_an_image_is_kept_until_the_save_and_then_committed_with_the_text(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    form["body"] += "\nMin egen nye linje.\n"
    answer = add_file(client, form, page, "Dataflow (ny).PNG", png(), alt="Diagram over dataflowet")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Min egen nye linje." in html  # what was typed is kept
    assert "![Diagram over dataflowet](media:dataflow-ny.png)" in html
    token = re.search(r'name="uploads" value="([^"]+)"', html).group(1)
    assert re.search(rf'<img src="/opload/{token}/dataflow-ny.png" alt="Diagram over dataflowet"', html)
    assert client.get(f"/opload/{token}/dataflow-ny.png").headers["Content-Type"] == "image/png"
    instance = app.extensions["netkit.source"]
    before = instance.head()
    assert not (instance.library_dir / "media").exists()  # nothing in the library before the save

    form, _ = form_data(html, f"/m/{SLUG}/rediger"), None
    saved = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save", "message": "Med diagram"})
    assert saved.status_code == 302
    files = instance.store.run("show", "--name-only", "--format=", "HEAD").stdout.split()
    assert files == ["library/adgang-til-data.md", "library/media/adgang-til-data/dataflow-ny.png"]
    assert instance.store.run("rev-parse", "HEAD~1").stdout.strip() == before  # one revision for both
    assert (instance.library_dir / "media" / SLUG / "dataflow-ny.png").read_bytes() == png()
    assert client.get(f"/opload/{token}/dataflow-ny.png").status_code == 404  # the waiting copy is gone


def test_an_image_without_alt_text_is_refused_and_the_text_kept(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    form["body"] += "\nTekst jeg ikke vil miste.\n"
    answer = add_file(client, form, page, "figur.png", png())
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Skriv, hvad billedet viser" in html and "Tekst jeg ikke vil miste." in html
    assert "Filen blev ikke taget med" in html


@pytest.mark.parametrize(("name", "data", "said"), [
    ("billede.png", b"<html><script>alert(1)</script></html>", "er ikke et billede eller en PDF"),
    ("tegning.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG-filer modtages"),
    ("stort.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (11 * 1024 * 1024), "højst 10 MB"),
    ("halv.png", png()[:60], "kan ikke læses som billede"),
])
def test_hostile_or_broken_files_are_refused_by_their_bytes(app, name, data, said):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    answer = add_file(client, form, page, name, data, alt="Noget")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and said in html
    assert 'name="uploads" value=""' in html  # nothing kept for the save


def test_an_upload_without_the_token_in_its_address_is_refused_before_it_is_read(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    form["body"] += "\nBeholdt.\n"
    answer = add_file(client, form, page, "a.png", png(), alt="x", url=f"/m/{SLUG}/rediger?fil=billede")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Formularen var for gammel" in html and "Beholdt." in html


def test_a_pdf_becomes_a_download_link(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    html = add_file(client, form, page, "Bilag 1.pdf", pdf, alt="Skabelon til aftale").get_data(as_text=True)
    assert "[Skabelon til aftale](media:bilag-1.pdf)" in html


def test_a_member_of_another_group_cannot_upload(app):
    client = sign_in(app, "mette", "mette-kodeord-1")[0]
    assert client.post(f"/m/{SLUG}/rediger?fil=billede").status_code == 403
    assert client.get(f"/m/{SLUG}/kommentering.docx").status_code == 403


def test_the_pages_that_show_the_text_point_its_images_at_the_material(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    form, page = editor(client)
    html = add_file(client, form, page, "flow.png", png(), alt="Dataflow").get_data(as_text=True)
    client.post(f"/m/{SLUG}/rediger", data={**form_data(html, f"/m/{SLUG}/rediger"), "action": "save"})
    instance = app.extensions["netkit.source"]
    revision = instance.latest_revision(SLUG)
    wanted = f'<img src="/m/{SLUG}/media/flow.png" alt="Dataflow"'
    for path in (f"/m/{SLUG}/", f"/m/{SLUG}/forskel?visning=gengivet", f"/m/{SLUG}/historik/{revision}",
                 f"/m/{SLUG}/kommentarer"):
        shown = client.get(path).get_data(as_text=True)
        assert wanted in shown and 'src="media:' not in shown, path
    assert client.get(f"/api/materials/{SLUG}").get_json()["html"].count(f'src="/m/{SLUG}/media/flow.png"') == 1
    assert client.get(f"/m/{SLUG}/media/flow.png").data == png()
