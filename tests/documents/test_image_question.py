"""The image question: PNG/JPEG sniffed from the bytes, size-limited, rendered with docxtpl's InlineImage at the
form's width — on its own and inside a group — and refused by field when it is not a picture or too large."""

from __future__ import annotations

import base64
import io

import pytest
from docx import Document
from PIL import Image

from tests.helpers.docxmaker import write_package
from toolkit.documents.generate import render_docx
from toolkit.documents.images import IMAGE_MAX, ImageAnswer, read_image
from toolkit.documents.packages import load_package
from toolkit.documents.templatelint import check_package
from toolkit.errors import Invalid

FORM = """\
title: Logo
description: Et billede.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: logo, type: image, label: Logo, width_mm: 30, required: true}
      - id: people
        type: group
        label: Personer
        fields:
          - {id: name, type: text, label: Navn}
          - {id: signature, type: image, label: Underskrift}
"""
BLOCKS = ["Logo: {{ logo }}", "{% for p in people %}{{ p.name }}: {{ p.signature }}{% endfor %}"]


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 120)).save(out, kind)
    return out.getvalue()


@pytest.fixture
def package(tmp_path):
    folder = write_package(tmp_path, "logo", BLOCKS, FORM, "logo: logo.png\n")
    (folder / "logo.png").write_bytes(picture())
    return load_package(folder)


def test_pictures_are_placed_at_the_forms_width_also_inside_a_group(package):
    generated = render_docx(package, {"logo": picture(), "people": [{"name": "Ane", "signature": picture("JPEG")}]})
    document = Document(io.BytesIO(generated.data))
    assert [round(shape.width.mm) for shape in document.inline_shapes] == [30, 40]  # form width; default 40 mm
    assert [p.text for p in document.paragraphs][:2] == ["Logo: ", "Ane: "]
    kinds = {part.content_type for part in document.part.package.parts if part.content_type.startswith("image/")}
    assert kinds == {"image/png", "image/jpeg"}


def test_a_data_url_is_read_as_the_web_form_carries_it():
    data = picture("JPEG")
    image, problem = read_image("data:application/octet-stream;base64," + base64.b64encode(data).decode(), 25)
    assert problem is None and image == ImageAnswer(data, "jpeg", 25.0)
    assert image.describe() == "Billede (JPEG, 1 kB)" and image.data_url().startswith("data:image/jpeg;base64,")


@pytest.mark.parametrize(("value", "message"), [
    (b"GIF89a" + bytes(100), "must be a PNG or JPEG image"),
    (b"%PDF-1.7 ...", "must be a PNG or JPEG image"),
    (b"\x89PNG\r\n\x1a\n" + bytes(IMAGE_MAX), "is too large; an image may be at most 320 kB"),
    ("logo.png", "must be a PNG or JPEG image (in an answers file: the file's path)"),
    ("data:image/png;base64,@@@", "must be a PNG or JPEG image (the data is damaged)"),
    (["x"], "must be a PNG or JPEG image"),
])
def test_what_is_not_a_picture_is_refused_at_its_field(package, value, message):
    with pytest.raises(Invalid) as caught:
        render_docx(package, {"logo": picture(), "people": [{"name": "Ane", "signature": value}]})
    assert [(p.field, p.message[:len(message)]) for p in caught.value.problems] == [("people[1].signature", message)]


def test_a_required_picture_must_be_given(package):
    with pytest.raises(Invalid) as caught:
        render_docx(package, {})
    assert [(p.field, p.message) for p in caught.value.problems] == [("logo", "is required")]


def test_a_template_with_an_image_question_checks(package):
    assert check_package(package).ok  # {{ logo }} prints the picture; no InlineImage call in the template


def test_width_mm_belongs_to_image_questions_and_is_bounded(tmp_path):
    bad = FORM.replace("width_mm: 30", "width_mm: 400").replace("label: Navn}", "label: Navn, width_mm: 20}")
    with pytest.raises(Invalid) as caught:
        load_package(write_package(tmp_path, "logo", BLOCKS, bad, "{}\n"))
    messages = {(p.field, p.line): p.message for p in caught.value.problems}
    assert messages[("logo.width_mm", 8)].startswith("width_mm must be a number of millimetres from 5 to 170")
    assert messages[("people.name.width_mm", 13)] == "only an image question has a width"
