"""Accessible PDFs (webtilgængelighedsloven): a material's Word export converted by LibreOffice is a tagged PDF with
the material's title, the Danish language, headings as H1/H2 and the picture's alt text — checked with poppler's
`pdfinfo` and in the PDF's structure tree. The Word export itself carries Danish as the proofing language of its
styles (heading styles and alt texts in Word are tested in test_export.py and test_word_media.py)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from tests.conftest import VALID_FRONT
from toolkit.config import BUNDLED_LIBRARY
from toolkit.documents import pdf
from toolkit.library.folder import Library
from toolkit.publishing.word import material_docx

ALT = "Diagram over dataflowet fra hospital til region"
BODY = f"""\
## Første afsnit

Tekst om data.

![{ALT}](media:flow.png)

### Underafsnit

Mere tekst.
"""


@pytest.fixture(scope="module")
def require_pdfinfo() -> None:
    """pdfinfo comes with poppler-utils: skipped where it is missing, a failure under CI (which installs it)."""
    if shutil.which("pdfinfo") is None:
        if os.environ.get("CI"):
            pytest.fail("pdfinfo is missing; .ci/run installs poppler-utils")
        pytest.skip("pdfinfo (poppler-utils) is not installed here")


@pytest.fixture
def pictured(library_path) -> Library:
    (library_path / "billeder.md").write_text(VALID_FRONT.format(title="Billeder og overskrifter") + BODY,
                                              encoding="utf-8")
    folder = library_path / "media" / "billeder"
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    image = Image.new("RGB", (400, 200), (200, 40, 40))
    for x in range(0, 400, 7):  # a pattern, so the PDF keeps a real picture
        image.putpixel((x, x // 2), (20, 20, 120))
    image.save(buffer, format="PNG")
    (folder / "flow.png").write_bytes(buffer.getvalue())
    return Library.load(library_path)


def pdfinfo(data: bytes, tmp_path) -> dict[str, str]:
    target = tmp_path / "document.pdf"
    target.write_bytes(data)
    output = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())}


def alt_texts(data: bytes) -> list[str]:
    """The /Alt entries of the structure tree (LibreOffice writes them as UTF-16 hex strings, or literal ones)."""
    found = [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Alt\s*<([0-9A-Fa-f\s]+)>", data)]
    return found + [s.decode("latin-1") for s in re.findall(rb"/Alt\s*\(([^)]*)\)", data)]


def test_a_bundled_materials_pdf_is_tagged_with_its_title_and_danish(tmp_path, require_libreoffice,
                                                                       require_pdfinfo):
    library = Library.load(BUNDLED_LIBRARY)
    material = library.get("adgang-til-data")
    data = pdf.docx_to_pdf(material_docx(material, library), "adgang-til-data")
    info = pdfinfo(data, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == material.title
    assert b"/Lang(da-DK)" in data


def test_headings_and_the_pictures_alt_text_reach_the_pdfs_structure(pictured, tmp_path, require_libreoffice,
                                                                      require_pdfinfo):
    data = pdf.docx_to_pdf(material_docx(pictured.get("billeder"), pictured), "billeder")
    info = pdfinfo(data, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "Billeder og overskrifter"
    roles = re.findall(rb"/S\s*/(\w+)", data)
    assert b"H1" in roles and b"H2" in roles and b"Figure" in roles
    assert ALT in alt_texts(data)


def test_the_word_exports_styles_are_danish(pictured):
    document = docx.Document(io.BytesIO(material_docx(pictured.get("billeder"), pictured)))
    languages = {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"da-DK"}
    assert document.core_properties.language == "da-DK"
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Første afsnit"), ("Heading 2", "Underafsnit")]
    described = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert described == [ALT]
