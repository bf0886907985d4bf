"""Hostile and wrong files given to the Word import: each refused by name with a clear Danish message at the field
"file", before any converter reads it, and nothing returned."""

from __future__ import annotations

import io
import os
import socket
import threading
import zipfile

import pytest

from tests.publishing.wordbuild import add_picture, new_document, part, png, rewrite, saved, zip_bomb
from toolkit.errors import Invalid
from toolkit.library.media import FILES_MAX
from toolkit.publishing.docxsafety import UNPACKED_MAX_BYTES, open_docx
from toolkit.publishing.wordimport import read_docx

IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def refusal(data: bytes, filename: str = "rapport.docx") -> str:
    """The message of the refusal; fails the test if the file was accepted."""
    with pytest.raises(Invalid) as caught:
        read_docx(data, filename)
    problems = caught.value.problems
    assert [(problem.path, problem.field) for problem in problems] == [(filename.split("/")[-1], "file")]
    assert str(caught.value.args[0]).startswith(filename.split("/")[-1] + " ")
    return str(caught.value.args[0])


def picture_docx() -> bytes:
    document = new_document()
    add_picture(document, png(), "Et billede")
    return saved(document)


def media_name(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return next(name for name in archive.namelist() if name.startswith("word/media/"))


def test_an_ordinary_file_is_accepted():
    package = open_docx(picture_docx(), "mapper/rapport.docx")
    assert package.filename == "rapport.docx"
    assert "word/document.xml" in package.parts


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = zip_bomb(200)  # 200 MB of zeros, deflated to about 200 kB
    assert len(data) < 1024 * 1024
    message = refusal(data)
    assert message == (f"rapport.docx ville fylde over {UNPACKED_MAX_BYTES // (1024 * 1024)} MB udpakket (en "
                       "zip-bombe?); den kan ikke indlæses — gem den igen fra Word, gerne med mindre billeder")


def test_a_part_that_packs_too_well_is_refused():
    data = rewrite(saved(new_document()), add={"word/nuller.xml": bytes(20 * 1024 * 1024)})
    assert "pakker sig 1" in refusal(data) and "zip-bombe" in refusal(data)


def test_a_part_larger_than_its_directory_says_is_refused():
    data = bytearray(rewrite(saved(new_document()), add={"word/ekstra.xml": b"<a>" + b"x" * 5000 + b"</a>"},
                             compression=zipfile.ZIP_STORED))
    # the central directory's uncompressed size of the last part, halved: the data itself is longer
    index = data.rfind(b"PK\x01\x02")
    size = int.from_bytes(data[index + 24:index + 28], "little")
    data[index + 24:index + 28] = (size // 2).to_bytes(4, "little")
    assert "er beskadiget" in refusal(bytes(data))


def test_an_encrypted_file_is_refused():
    from msoffcrypto.format.ooxml import OOXMLFile  # msoffcrypto-tool, in the test extras

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(picture_docx())).encrypt("hemmeligt", encrypted)
    assert encrypted.getvalue().startswith(b"\xd0\xcf\x11\xe0")
    assert refusal(encrypted.getvalue()) == (
        "rapport.docx er krypteret (beskyttet med adgangskode); fjern adgangskoden i Word (Filer › Oplysninger › "
        "Beskyt dokument), gem den og prøv igen")


def test_an_old_doc_file_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(1000)
    assert refusal(ole, "gammel.doc") == ("gammel.doc er i det gamle .doc-format; gem den som .docx (Word-dokument) "
                                          "og prøv igen")


@pytest.mark.parametrize(("data", "expected"), [
    (b"{\\rtf1\\ansi hej}", "er en RTF-fil"),
    (b"%PDF-1.7\n...", "er en PDF"),
    (b"<html><body>hej</body></html>", "er ikke et Word-dokument (.docx)"),
    (b"PK\x03\x04 ikke en rigtig zip", "er beskadiget (zip-pakken kan ikke læses)"),
])
def test_files_that_are_not_word_documents(data, expected):
    assert expected in refusal(data)


def test_an_opendocument_file_and_a_zip_without_a_document():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert "er et OpenDocument-dokument (.odt)" in refusal(output.getvalue(), "tekst.odt")
    assert "pakken har ingen word/document.xml" in refusal(rewrite(saved(new_document()),
                                                                   {"word/document.xml": None}))


def test_part_names_that_climb_out_and_duplicates_are_refused():
    assert "ugyldigt navn (../../etc/cron.d/x)" in refusal(rewrite(saved(new_document()),
                                                                   add={"../../etc/cron.d/x": b"x"}))
    deep = "/".join(["a"] * 12) + "/x.xml"
    assert "ugyldigt navn" in refusal(rewrite(saved(new_document()), add={deep: b"<x/>"}))
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name it is asked to write
        duplicate = rewrite(saved(new_document()), add={"word/document.xml": b"<x/>"})
    assert "findes to gange" in refusal(duplicate)


def test_xml_with_a_document_type_declaration_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b"<w:document>&lol2;</w:document>")
    assert "dokumenttypeerklæring (word/document.xml)" in refusal(rewrite(saved(new_document()),
                                                                          {"word/document.xml": bomb}))


def test_too_large_an_upload_is_refused():
    assert refusal(b"PK\x03\x04" + bytes(31 * 1024 * 1024)) == (
        "rapport.docx fylder 31 MB; højst 30 MB kan indlæses — gør billederne i den mindre (Word: Komprimer "
        "billeder) eller del dokumentet op")


def linked_image_docx(target: str) -> bytes:
    """A document whose picture is linked from outside the file (Word: Indsæt › Billede › Sammenkæd med fil)."""
    data = picture_docx()
    rels = part(data, "word/_rels/document.xml.rels").decode()
    image_rel = next(line for line in rels.split("<Relationship ") if IMAGE_TYPE in line)
    rel_id = image_rel.split('Id="')[1].split('"')[0]
    rels = rels.replace(f'<Relationship {image_rel}',
                        f'<Relationship Id="{rel_id}" Type="{IMAGE_TYPE}" Target="{target}" TargetMode="External"/>'
                        + ("</Relationships>" if image_rel.rstrip().endswith("</Relationships>") else ""))
    document = part(data, "word/document.xml").decode().replace(f'r:embed="{rel_id}"', f'r:link="{rel_id}"')
    return rewrite(data, {"word/_rels/document.xml.rels": rels.encode(), "word/document.xml": document.encode(),
                          media_name(data): None})


def test_an_image_linked_from_a_file_outside_is_never_opened(tmp_path):
    # A named pipe: whoever opens it for reading waits for a writer that never comes, so an import that
    # tried to read the linked file would hang here instead of answering.
    fifo = tmp_path / "billede.png"
    os.mkfifo(fifo)
    data = linked_image_docx(fifo.as_uri())
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(refusal(data)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the import opened the linked file"
    assert outcome == [f"rapport.docx viser et billede, der ligger uden for filen ({fifo.as_uri()}); det hentes "
                       "ikke — indsæt billedet i dokumentet (Word: Indsæt › Billeder › Dette apparat, ikke "
                       "»Sammenkæd med fil«), gem og prøv igen"]
    with pytest.raises(OSError):  # nobody holds the pipe open for reading
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_an_image_linked_from_a_web_address_is_never_fetched():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/spor.png"
        assert "ligger uden for filen (http://127.0.0.1:" in refusal(linked_image_docx(url))
        with pytest.raises(BlockingIOError):
            server.accept()  # no connection was ever made


def test_a_50_mb_image_inside_is_refused():
    # 50 MB that packs about 40 times: under the upload and zip-bomb limits, over the image limit
    block = b"".join(os.urandom(24) + bytes(1000) for _ in range(1024))
    big = b"\x89PNG\r\n\x1a\n" + block * 50
    data = picture_docx()
    data = rewrite(data, {media_name(data): big})
    assert len(data) < 30 * 1024 * 1024
    message = refusal(data)
    assert message.startswith("rapport.docx indeholder et billede på 50 MB (word/media/image1.png); højst 10 MB "
                              "pr. billede er tilladt")


def test_a_polyglot_html_named_png_is_refused():
    data = picture_docx()
    data = rewrite(data, {media_name(data): b"<html><body><script>alert(1)</script></body></html>"})
    assert refusal(data) == (
        "rapport.docx indeholder et billede (nr. 1, image/png), der ikke kan bruges: det er ikke et billede eller en "
        "PDF, vi kan vise (indholdet er ikke PNG, JPEG, GIF, WebP eller PDF, hvad end filnavnet siger) — sæt "
        "billedet ind igen som PNG eller JPEG (Word: Indsæt › Billeder), gem og prøv igen")


def test_a_png_that_is_not_a_picture_is_refused():
    data = picture_docx()
    data = rewrite(data, {media_name(data): b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"})
    assert refusal(data).startswith("rapport.docx indeholder et billede (nr. 1, image/png), der ikke kan bruges: "
                                    "det kan ikke læses som billede (filen er beskadiget")


def test_an_svg_image_with_a_script_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    data = picture_docx()
    data = rewrite(data, {media_name(data): svg})
    assert refusal(data) == (
        "rapport.docx indeholder en SVG-tegning (billede nr. 1); SVG modtages ikke, fordi den kan indeholde "
        "programkode — gem tegningen som PNG, sæt den ind i Word i stedet, gem og prøv igen")


@pytest.mark.parametrize("metafile", [b"\xd7\xcd\xc6\x9a" + bytes(200),                     # WMF
                                      b"\x01\x00\x00\x00" + bytes(36) + b" EMF" + bytes(200)])  # EMF
def test_a_windows_metafile_is_left_out_and_noted(metafile):
    data = picture_docx()
    data = rewrite(data, {media_name(data): metafile})
    imported = read_docx(data, "rapport.docx")
    assert imported.media == () and imported.body == ""
    assert imported.notes == ("1 billede i et format, siden ikke kan vise (WMF/EMF/TIFF/BMP) — gem det som PNG og "
                              "indsæt det igen",)


def test_more_pictures_than_a_material_may_hold_are_refused():
    document = new_document()
    for number in range(FILES_MAX + 1):
        add_picture(document, png(4, 4, (number, 0, 0)), f"Billede {number}")
    assert refusal(saved(document)) == (
        f"rapport.docx har over {FILES_MAX} forskellige billeder; højst {FILES_MAX} pr. materiale er tilladt — del "
        "dokumentet op i flere materialer og prøv igen")
