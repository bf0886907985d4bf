"""Word files built for the import tests with python-docx (and raw WordprocessingML where python-docx has no API),
independently of Netkit's own export, plus small helpers to rewrite a .docx package."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from PIL import Image

W_NS = nsdecls("w")
ALL_NS = nsdecls("w", "wp", "a", "pic", "r") + (
    ' xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def png(width: int = 40, height: int = 30, colour: tuple[int, int, int] = (11, 79, 113)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def saved(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_hyperlink(paragraph: Paragraph, text: str, url: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def add_picture(document: DocumentObject, data: bytes, description: str | None, paragraph: Paragraph | None = None):
    run = (paragraph or document.add_paragraph()).add_run()
    shape = run.add_picture(io.BytesIO(data))
    if description is None:
        shape._inline.docPr.attrib.pop("descr", None)
    else:
        shape._inline.docPr.set("descr", description)
    return shape


def append_xml(paragraph: Paragraph, xml: str) -> None:
    """Raw run-level WordprocessingML appended to a paragraph (all the usual namespaces declared)."""
    wrapper = parse_xml(f"<w:p {ALL_NS}>{xml}</w:p>")
    for child in list(wrapper):
        paragraph._p.append(child)


def rewrite(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The package with some parts replaced (None: removed) and others added."""
    replace = replace or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", compression) as target:
        for member in source.infolist():
            if member.filename in replace:
                if replace[member.filename] is not None:
                    target.writestr(member.filename, replace[member.filename])
                continue
            target.writestr(member.filename, source.read(member))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def new_document() -> DocumentObject:
    return Document()


def zip_bomb(megabytes: int = 200) -> bytes:
    """An ordinary document plus a part of `megabytes` MB of zeros, deflated to about a thousandth of that."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(new_document()))) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        with target.open("word/media/nuller.bin", "w", force_zip64=True) as stream:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                stream.write(zeros)
    return output.getvalue()
