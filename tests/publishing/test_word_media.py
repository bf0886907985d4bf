"""A material's images and attachments in its exports: Word (pictures with their alt text, scaled to the page),
PDF through LibreOffice, editions at their own revision, the Word file for comments, and the standalone HTML file."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from toolkit.cli import main
from toolkit.documents import pdf
from toolkit.history.gitstore import Author
from toolkit.library.folder import Library
from toolkit.library.media import inspect_media
from toolkit.publishing.editions import EditionFiles
from toolkit.publishing.htmlpage import material_html
from toolkit.publishing.word import material_docx, material_docx_for_comments
from toolkit.publishing.wordmedia import MAX_HEIGHT_CM
from toolkit.publishing.wordpage import TEXT_WIDTH_CM
from toolkit.publishing.wordprops import read_custom_properties, write_custom_properties

ANNA = Author("Anna Jensen", "anna@rm.dk")
SLUG = "billeder"
BODY = """\
Indledning.

![Diagram over dataflowet fra hospital til region](media:flow.png)

Se også [Bilag 1](media:bilag.pdf) og ![Et foto der mangler](media:mangler.png).

| Figur | Tekst |
|---|---|
| ![Lille figur i tabel](media:bred.png) | Forklaring |
"""
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image_bytes(width: int, height: int, fmt: str = "PNG", colour: tuple[int, int, int] = (200, 40, 40),
                dpi: int | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 7):  # a pattern, so a converted PDF keeps a real image and not a flat fill
        image.putpixel((x, x * height // width), (20, 20, 120))
    options = {"dpi": (dpi, dpi)} if dpi else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def media_folder(library_path, slug: str = SLUG):
    folder = library_path / "media" / slug
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def library(library_path, write_material) -> Library:
    write_material(SLUG, BODY)
    folder = media_folder(library_path)
    (folder / "flow.png").write_bytes(image_bytes(2400, 1200))  # wider than the page at 96 dpi
    (folder / "bred.png").write_bytes(image_bytes(1600, 400))
    (folder / "bilag.pdf").write_bytes(PDF_BYTES)
    return Library.load(library_path)


def export(library: Library, slug: str = SLUG, **options) -> DocumentObject:
    return docx.Document(io.BytesIO(material_docx(library.get(slug), library, **options)))


def pictures(document: DocumentObject) -> list:
    """Every inline picture in the body, tables included: (docPr element, width EMU, height EMU)."""
    found = []
    for inline in document.element.body.iter(qn("wp:inline")):
        extent = inline.find(qn("wp:extent"))
        found.append((inline.find(qn("wp:docPr")), int(extent.get("cx")), int(extent.get("cy"))))
    return found


def body_text(document: DocumentObject) -> str:
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


# -- Word ------------------------------------------------------------------------------------------------------


def test_an_image_becomes_a_picture_with_its_alt_text_within_the_text_width(library):
    document = export(library)
    found = pictures(document)
    described = {doc_pr.get("descr"): (width, height) for doc_pr, width, height in found}
    width, height = described["Diagram over dataflowet fra hospital til region"]
    assert width <= Cm(TEXT_WIDTH_CM) and width > Cm(TEXT_WIDTH_CM) * 0.99  # shrunk to the text width, not less
    assert abs(width / height - 2.0) < 0.01  # the aspect ratio kept
    pic = next(inline for inline in document.element.body.iter(qn("wp:inline"))
               if inline.find(qn("wp:docPr")).get("descr").startswith("Diagram"))
    assert pic.find(".//" + qn("pic:cNvPr")).get("descr") == "Diagram over dataflowet fra hospital til region"


def test_a_picture_in_a_table_fits_its_cell(library):
    document = export(library)
    width = next(w for doc_pr, w, _h in pictures(document) if doc_pr.get("descr") == "Lille figur i tabel")
    cell_width = document.tables[-1].rows[0].cells[0].width
    assert width <= cell_width


def test_a_tall_image_is_limited_in_height(library_path, write_material):
    write_material("hoej", "![En høj figur](media:hoej.png)\n")
    (media_folder(library_path, "hoej") / "hoej.png").write_bytes(image_bytes(300, 3000))
    (_doc_pr, width, height), = pictures(export(Library.load(library_path), "hoej"))
    assert height <= Cm(MAX_HEIGHT_CM) and abs(width / height - 0.1) < 0.01


def test_a_small_image_is_not_blown_up(library_path, write_material):
    write_material("lille", "![Et lille ikon](media:ikon.png)\n")
    (media_folder(library_path, "lille") / "ikon.png").write_bytes(image_bytes(96, 48, dpi=96))
    (_doc_pr, width, height), = pictures(export(Library.load(library_path), "lille"))
    assert width == pytest.approx(Cm(2.54), rel=0.01) and height == pytest.approx(Cm(1.27), rel=0.01)


def test_webp_and_jpeg_and_gif_are_carried(library_path, write_material):
    write_material("formater", "![WebP-figur](media:a.webp) ![JPEG-figur](media:b.jpg) ![GIF-figur](media:c.gif)\n")
    folder = media_folder(library_path, "formater")
    for name, fmt in (("a.webp", "WEBP"), ("b.jpg", "JPEG"), ("c.gif", "GIF")):
        (folder / name).write_bytes(image_bytes(300, 200, fmt))
    data = material_docx(Library.load(library_path).get("formater"), Library.load(library_path))
    document = docx.Document(io.BytesIO(data))
    assert sorted(doc_pr.get("descr") for doc_pr, _w, _h in pictures(document)) == \
        ["GIF-figur", "JPEG-figur", "WebP-figur"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert not any(name.endswith(".webp") for name in media)  # converted: Word and LibreOffice read PNG
        assert any(archive.read(name).startswith(b"\x89PNG") for name in media)


def test_a_photo_stored_sideways_is_turned_upright(library_path, write_material):
    write_material("foto", "![Et foto taget på højkant](media:foto.jpg)\n")
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, to be shown rotated 90° clockwise: portrait
    Image.new("RGB", (400, 200), (90, 140, 60)).save(buffer, format="JPEG", exif=exif)
    (media_folder(library_path, "foto") / "foto.jpg").write_bytes(buffer.getvalue())
    (_doc_pr, width, height), = pictures(export(Library.load(library_path), "foto"))
    assert abs(height / width - 2.0) < 0.01


def test_a_missing_or_broken_image_leaves_its_alt_text_in_brackets(library, library_path):
    (media_folder(library_path) / "bred.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"ikke et billede")
    document = export(library)
    text = body_text(document)
    assert "[Et foto der mangler]" in text and "[Lille figur i tabel]" in text
    assert [doc_pr.get("descr") for doc_pr, _w, _h in pictures(document)] == \
        ["Diagram over dataflowet fra hospital til region"]


def test_an_attachment_link_names_the_file_word_cannot_hold(library):
    document = export(library)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Se også"))
    assert "Bilag 1 (vedhæftet fil: bilag.pdf)" in paragraph.text
    assert not any("media:" in rel.target_ref for rel in document.part.rels.values() if rel.is_external)


def test_a_reader_given_by_the_caller_is_used_instead_of_the_folder(library):
    red, blue = image_bytes(200, 100), image_bytes(200, 100, colour=(10, 10, 200))
    asked = []

    def reader(name: str) -> bytes | None:
        asked.append(name)
        return blue if name == "flow.png" else None

    data = material_docx(library.get(SLUG), library, media=reader)
    assert "flow.png" in asked and "bilag.pdf" not in asked  # attachments are named, never read
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        stored = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert stored == [blue] and red not in stored


# -- editions: the files as they were tagged -------------------------------------------------------------------


def test_an_edition_carries_its_own_images_after_the_current_file_changed(instance, tmp_path):
    red, blue = image_bytes(400, 200), image_bytes(400, 200, colour=(10, 10, 200))
    slug = "adgang-til-data"
    text = instance.read(slug).replace("\n## ", "\n![Rødt diagram](media:diagram.png)\n\n## ", 1)
    instance.save(slug, text, ANNA, "Diagram", instance.latest_revision(slug),
                  media=[inspect_media("diagram.png", red)])
    edition = instance.publish(slug, "minor", "Med diagram", ANNA)
    assert instance.read_media(slug, "diagram.png", edition.revision) == red
    (instance.library_dir / "media" / slug / "diagram.png").write_bytes(blue)  # changed outside the app
    instance.refresh()
    assert instance.read_media(slug, "diagram.png") == blue
    assert instance.read_media(slug, "../diagram.png", edition.revision) is None

    files = EditionFiles(tmp_path / "cache")
    def stored(data: bytes) -> list[bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]

    assert stored(files.edition(instance, slug, edition.version, "docx")) == [red]
    assert stored(files.build(instance.library().get(slug), instance.library(), "docx")) == [blue]


def test_netkit_export_of_an_edition_carries_the_editions_image(instance, tmp_path, runner):
    red, blue = image_bytes(300, 150), image_bytes(300, 150, colour=(10, 10, 200))
    slug = "adgang-til-data"
    text = instance.read(slug).replace("\n## ", "\n![Rødt diagram](media:diagram.png)\n\n## ", 1)
    instance.save(slug, text, ANNA, "Diagram", instance.latest_revision(slug),
                  media=[inspect_media("diagram.png", red)])
    edition = instance.publish(slug, "minor", "Med diagram", ANNA)
    (instance.library_dir / "media" / slug / "diagram.png").write_bytes(blue)
    html_file, word_file = tmp_path / "udgave.html", tmp_path / "udgave.docx"
    for fmt, out in (("html", html_file), ("docx", word_file)):
        result = runner.invoke(main, ["--home", str(instance.home), "export", slug, "--format", fmt,
                                      "--version", edition.version, "-o", str(out)])
        assert result.exit_code == 0, result.output
    page = html_file.read_text(encoding="utf-8")
    assert base64.b64encode(red).decode() in page and base64.b64encode(blue).decode() not in page
    with zipfile.ZipFile(word_file) as archive:
        assert [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")] == [red]


# -- the Word file for comments --------------------------------------------------------------------------------


def test_the_word_file_for_comments_carries_slug_and_revision(library):
    revision = "0123456789abcdef0123456789abcdef01234567"
    data = material_docx_for_comments(library.get(SLUG), library, revision=revision)
    assert read_custom_properties(data) == {"netkit-slug": SLUG, "netkit-revision": revision}
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == library.get(SLUG).title
    assert re.fullmatch(r"Kladde til kommentering, hentet \d+\. \w+ \d{4}\. Skriv ændringer og kommentarer direkte i "
                        r"filen, og indlæs den igen under Rediger › Skriv i Word\.",
                        document.paragraphs[1].text)
    assert len(document.tables) == 1  # the body's table only: no facts table on this cover
    assert "Diagram over dataflowet fra hospital til region" in [d.get("descr") for d, _w, _h in pictures(document)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert 'PartName="/docProps/custom.xml"' in archive.read("[Content_Types].xml").decode()
        assert "relationships/custom-properties" in archive.read("_rels/.rels").decode()


def test_custom_properties_keep_the_others_and_replace_their_own(library):
    data = material_docx(library.get(SLUG), library)
    assert read_custom_properties(data) == {}
    once = write_custom_properties(data, {"andet": "beholdes", "netkit-revision": "a"})
    twice = write_custom_properties(once, {"netkit-revision": "b"})
    assert read_custom_properties(twice) == {"andet": "beholdes", "netkit-revision": "b"}
    with zipfile.ZipFile(io.BytesIO(twice)) as archive:
        assert archive.read("_rels/.rels").decode().count("custom-properties") == 1
    docx.Document(io.BytesIO(twice))  # still a Word file python-docx opens


def test_libreoffice_keeps_the_custom_properties_when_it_saves(library, tmp_path, require_libreoffice):
    data = material_docx_for_comments(library.get(SLUG), library, revision="abc1234")
    source = tmp_path / "ind" / "kommentar.docx"
    source.parent.mkdir()
    source.write_bytes(data)
    subprocess.run([pdf.office_binary(), "--headless", f"-env:UserInstallation=file://{tmp_path}/profil",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "ud"), str(source)],
                   check=True, capture_output=True, timeout=120)
    saved = (tmp_path / "ud" / "kommentar.docx").read_bytes()
    assert read_custom_properties(saved)["netkit-revision"] == "abc1234"


# -- PDF -------------------------------------------------------------------------------------------------------


def test_the_pdf_carries_the_pictures(library, tmp_path, require_libreoffice):
    if shutil.which("pdfimages") is None:  # poppler-utils: .ci/run installs it
        (pytest.fail if os.environ.get("CI") else pytest.skip)("pdfimages/pdfinfo (poppler-utils) are not installed")
    data = pdf.docx_to_pdf(material_docx(library.get(SLUG), library), SLUG)
    target = tmp_path / "billeder.pdf"
    target.write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(target)], check=True, capture_output=True, text=True).stdout
    # LibreOffice resamples to the printed size (300 dpi), so the shapes are compared, not the pixels
    shapes = sorted(round(int(line.split()[3]) / int(line.split()[4]), 1) for line in listing.splitlines()[2:])
    assert shapes == [2.0, 4.0]
    info = subprocess.run(["pdfinfo", str(target)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)  # structure and alt texts for screen readers
    raw = target.read_bytes()
    assert b"/Alt" in raw  # the pictures' alt texts reach the PDF


# -- the standalone HTML file ----------------------------------------------------------------------------------


def test_the_html_file_inlines_images_and_names_attachments(library):
    page = material_html(library.get(SLUG), library, network_name="Netværket")
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{100,}" alt="Diagram over dataflowet', page)
    assert "Bilag 1 (vedhæftet fil: bilag.pdf)" in page and "[Et foto der mangler]" in page
    assert "media:" not in page and "bilag.pdf\"" not in page and "mangler.png" not in page


def test_the_html_file_of_an_edition_reads_its_files_from_the_reader(library):
    blue = image_bytes(20, 10, colour=(10, 10, 200))
    page = material_html(library.get(SLUG), library, network_name="N",
                         media=lambda name: blue if name == "flow.png" else None)
    assert base64.b64encode(blue).decode() in page
