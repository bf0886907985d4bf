"""A list question on the web form (one value per line, no JavaScript), numbers and control characters: real HTTP
through Flask's test client against a real template package, the Word file reopened with python-docx."""

from __future__ import annotations

import html
import io
import re

import pytest
from docx import Document
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers.docxmaker import write_package
from toolkit.documents.packages import TemplateCatalogue
from webui.context import TEMPLATES_KEY

FORM = """\
title: Kompetencer
description: En liste af værdier.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - id: skills
        type: list
        label: Kompetencer
        required: true
      - id: scores
        type: list
        items: number
        label: Point
      - id: count
        type: number
        integer: true
        label: Antal
"""
PAGE = "/skabeloner/kompetencer/udfyld"


@pytest.fixture
def client(app, tmp_path):
    write_package(tmp_path / "templates", "kompetencer", ["{% for s in skills %}{{ s }};{% endfor %}",
                                                          "{% for p in scores %}{{ p + 1 }};{% endfor %}"],
                  FORM, "skills: [Python]\n")
    app.extensions[TEMPLATES_KEY] = TemplateCatalogue(tmp_path / "templates")
    return app.test_client()


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).get_data(as_text=True)).group(1)


def test_a_list_is_a_labelled_textarea_with_one_value_per_line(client):
    page = client.get(PAGE).get_data(as_text=True)
    assert '<label for="q.skills">Kompetencer' in page
    assert re.search(r'<textarea id="q.skills" name="q.skills" rows="4" aria-describedby="q.skills-lines"', page)
    assert '<p class="hint" id="q.skills-lines">Skriv én værdi pr. linje.</p>' in page
    assert '<p class="hint" id="q.scores-lines">Skriv ét tal pr. linje.</p>' in page


def test_mistakes_come_back_in_danish_at_the_field_with_everything_typed(client):
    response = client.post(PAGE, data={"csrf_token": token(client), "q.skills": "Python\r\nSQL\x0b",
                                       "q.scores": "1\r\nto", "q.count": "2,5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = dict(re.findall(r'<p class="field-error" id="(q\.[a-z]+)-error">([^<]+)</p>', page))
    assert errors["q.skills"].startswith("Linje 2: Indeholder et kontroltegn (U+000B)")
    assert errors["q.scores"] == "Linje 2: Skal være et tal, ikke »to«."
    assert errors["q.count"] == "Skal være et helt tal, ikke »2,5«."
    assert "1\r\nto</textarea>" in page or "1\nto</textarea>" in page  # nothing typed is lost


def test_the_values_reach_the_document_as_plain_texts_and_numbers(client):
    summary = client.post(PAGE, data={"csrf_token": token(client), "q.skills": "Python\r\n\r\nSQL\r\n",
                                      "q.scores": "1\r\n2,5", "q.count": "3"})
    assert summary.status_code == 200, summary.get_data(as_text=True)[-2000:]
    page = summary.get_data(as_text=True)
    hidden = re.findall(r'<input type="hidden" name="(q\.[^"]+)" value="([^"]*)"', page)
    download = client.post("/skabeloner/kompetencer/hent",
                           data={"csrf_token": token(client), **{k: html.unescape(v) for k, v in hidden}})
    assert download.status_code == 200
    text = [p.text for p in Document(io.BytesIO(download.data)).paragraphs]
    assert text[:2] == ["Python;SQL;", "2;3.5;"]


GROUP_FORM = """\
title: Medlemmer
description: En liste i en gruppe.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - id: members
        type: group
        label: Medlemmer
        item_label: Medlem
        fields:
          - {id: name, type: text, label: Navn, required: true}
          - {id: tags, type: list, label: Emner}
"""


def test_a_list_inside_a_group_row_keeps_its_lines_when_a_row_is_added(app, tmp_path):
    write_package(tmp_path / "templates", "medlemmer",
                  ["{% for m in members %}{{ m.name }}: {% for t in m.tags %}{{ t }},{% endfor %} {% endfor %}"],
                  GROUP_FORM, "members: [{name: A}]\n")
    app.extensions[TEMPLATES_KEY] = TemplateCatalogue(tmp_path / "templates")
    client = app.test_client()
    page_url = "/skabeloner/medlemmer/udfyld"
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page_url).get_data(as_text=True)).group(1)
    data = {"csrf_token": csrf_token, "q.members.0.name": "Ane", "q.members.0.tags": "data\r\netik"}
    added = client.post(page_url, data={**data, "action": "add:members"}).get_data(as_text=True)
    assert re.search(r'<textarea id="q.members.0.tags" name="q.members.0.tags"[^>]*>\n(data\r?\netik)</textarea>',
                     added)
    assert 'id="q.members.1.tags"' in added  # the new row has its own list
    summary = client.post(page_url, data=data)
    assert summary.status_code == 200
    hidden = re.findall(r'<input type="hidden" name="(q\.[^"]+)" value="([^"]*)"', summary.get_data(as_text=True))
    download = client.post("/skabeloner/medlemmer/hent",
                           data={"csrf_token": csrf_token, **{k: html.unescape(v) for k, v in hidden}})
    assert Document(io.BytesIO(download.data)).paragraphs[0].text == "Ane: data,etik, "


IMAGE_FORM = """\
title: Logo
description: Et billede.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: logo, type: image, label: Logo, required: true}
      - {id: firm, type: text, label: Firma, required: true}
"""


def picture(kind: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (30, 10), (200, 30, 30)).save(out, kind)
    return out.getvalue()


@pytest.fixture
def image_client(app, tmp_path):
    folder = write_package(tmp_path / "templates", "logo", ["{{ firm }} {{ logo }}"], IMAGE_FORM,
                           "firm: X\nlogo: logo.png\n")
    (folder / "logo.png").write_bytes(picture())
    app.extensions[TEMPLATES_KEY] = TemplateCatalogue(tmp_path / "templates")
    return app.test_client()


def test_an_uploaded_picture_survives_a_mistake_and_reaches_the_document(image_client):
    client, url = image_client, "/skabeloner/logo/udfyld"
    page = client.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and '<label for="q.logo">Logo' in page
    assert '<input id="q.logo" name="q.logo.upload" type="file" accept="image/png,image/jpeg"' in page
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = client.post(url, data={"csrf_token": csrf_token, "q.firm": "",
                                   "q.logo.upload": (io.BytesIO(picture("JPEG")), "logo.jpg")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert "Valgt: Billede (JPEG, 1 kB)" in page  # the picture is kept while the firm is fixed
    carried = re.search(r'<input type="hidden" name="q.logo" value="([^"]+)"', page).group(1)
    summary = client.post(url, data={"csrf_token": csrf_token, "q.firm": "Firma ApS", "q.logo": carried},
                          content_type="multipart/form-data")
    assert summary.status_code == 200
    text = summary.get_data(as_text=True)
    assert "Billede (JPEG, 1 kB)" in text
    hidden = re.findall(r'<input type="hidden" name="(q\.[^"]+)" value="([^"]*)"', text)
    download = client.post("/skabeloner/logo/hent",
                           data={"csrf_token": csrf_token, **{k: html.unescape(v) for k, v in hidden}})
    document = Document(io.BytesIO(download.data))
    assert len(document.inline_shapes) == 1 and document.paragraphs[0].text.startswith("Firma ApS")


@pytest.mark.parametrize(("upload", "message"), [
    ((b"GIF89a" + bytes(50), "logo.png"), "Skal være et billede i PNG eller JPEG."),
    ((b"\x89PNG\r\n\x1a\n" + bytes(600 * 1024), "stor.png"), "Billedet er for stort; højst 320 kB."),
])
def test_what_is_not_a_picture_is_refused_in_danish_at_the_field(image_client, upload, message):
    client, url = image_client, "/skabeloner/logo/udfyld"
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    # encoded here, in memory: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart({"csrf_token": csrf_token, "q.firm": "F",
                                       "q.logo.upload": FileStorage(io.BytesIO(upload[0]), upload[1])})
    response = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="field-error" id="q.logo-error">{message}</p>' in page
    assert 'name="q.logo" value="data:' not in page  # what is not a picture is not carried on


def test_a_carried_picture_can_be_removed(image_client):
    client, url = image_client, "/skabeloner/logo/udfyld"
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    carried = "data:image/png;base64," + __import__("base64").b64encode(picture()).decode()
    response = client.post(url, data={"csrf_token": csrf_token, "q.firm": "F", "q.logo": carried,
                                      "q.logo._remove": "ja"})
    assert response.status_code == 400
    assert '<p class="field-error" id="q.logo-error">Skal udfyldes.</p>' in response.get_data(as_text=True)


def test_replacing_a_carried_picture_of_the_largest_size_fits_in_one_post(image_client):
    from toolkit.documents.images import IMAGE_MAX

    client, url = image_client, "/skabeloner/logo/udfyld"
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    largest = b"\x89PNG\r\n\x1a\n" + bytes(IMAGE_MAX - 8)
    carried = "data:image/png;base64," + __import__("base64").b64encode(largest).decode()
    boundary, body = encode_multipart({"csrf_token": csrf_token, "q.firm": "", "q.logo": carried,
                                       "q.logo.upload": FileStorage(io.BytesIO(largest), "ny.png")})
    response = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400  # the firm is missing; not 413: nothing typed is lost
    assert "Valgt: Billede (PNG, 320 kB)" in response.get_data(as_text=True)
