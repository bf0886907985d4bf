"""Word files as Netkit reads them: refuse what is not a safe .docx, and see the text where tags live.

`check_docx(data)` refuses files that are not Word documents, are encrypted (Office wraps those in an OLE
container), or would unpack to far more than they weigh (a zip bomb), before python-docx touches them.
`text_view(document)` lists every paragraph with a human description of where it is ("table 2, row 3,
cell 1"), body first and then headers and footers: template lint reports problems against it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table
from docx.text.paragraph import Paragraph

from toolkit.errors import Invalid, Problem

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# docxtpl's paragraph/row/cell/run tag prefixes ({%tr for …%}) are plain Jinja once the prefix is dropped.
DOCXTPL_PREFIX = re.compile(r"([{][%{]-?)(?:p|tr|tc|r)(?=\s)")
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def check_docx(data: bytes, display: str) -> None:
    """Raise Invalid unless `data` is a plausible, unencrypted, reasonably sized .docx."""

    def refuse(message: str) -> Invalid:
        return Invalid(f"{display} cannot be used", [Problem.at(display, message)])

    if len(data) > MAX_DOCX_BYTES:
        raise refuse(f"is {len(data) // (1024 * 1024)} MB; Word templates may be at most "
                     f"{MAX_DOCX_BYTES // (1024 * 1024)} MB")
    if data.startswith(OLE_SIGNATURE):
        raise refuse("is encrypted (password-protected) or an old .doc file; save it in Word as an "
                     "unprotected .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse("is not a Word (.docx) file; save it from Word as .docx") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise refuse(f"holds {len(entries)} parts; that is not a normal Word file")
        unpacked = sum(e.file_size for e in entries)
        if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1) + 10 * 1024 * 1024:
            raise refuse(f"would unpack to {unpacked // (1024 * 1024)} MB from {len(data) // 1024} kB "
                         "(a zip bomb?); refused")
        names = {e.filename for e in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise refuse("is a zip file but not a Word document (no word/document.xml)")
        if "EncryptionInfo" in names:
            raise refuse("is encrypted; remove the password in Word and save again")


def open_docx(data: bytes, display: str) -> DocumentObject:
    """check_docx, then python-docx; anything python-docx cannot read becomes Invalid too."""
    check_docx(data, display)
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        raise Invalid(f"{display} cannot be opened", [Problem.at(display, f"Word file is damaged: {exc}")]) \
            from None


@dataclass(frozen=True)
class Place:
    """One paragraph of a Word file: which part it is in, where, and its text."""

    part: str          # "body", "header 1", "footer 1"
    where: str         # "paragraph 4", "table 1, row 2, cell 3"
    text: str
    paragraph: Paragraph

    def describe(self) -> str:
        location = self.where if self.part == "body" else f"{self.part}, {self.where}"
        snippet = self.text.strip()
        snippet = snippet if len(snippet) <= 70 else snippet[:67] + "…"
        return f"{location}: “{snippet}”"


def text_view(document: DocumentObject) -> list[Place]:
    """Every paragraph in document order (body, then each header and footer), tables included."""
    places = list(_story(document, "body"))
    seen: set[int] = set()
    for number, section in enumerate(document.sections, start=1):
        for kind, part in (("header", section.header), ("footer", section.footer),
                           ("first-page header", section.first_page_header),
                           ("first-page footer", section.first_page_footer)):
            if part.is_linked_to_previous or id(part.part) in seen:
                continue
            seen.add(id(part.part))
            places.extend(_story(part, f"{kind} {number}" if len(document.sections) > 1 else kind))
    return places


def _story(container, part: str) -> Iterator[Place]:
    counters = {"paragraph": 0, "table": 0}
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            counters["paragraph"] += 1
            yield Place(part, f"paragraph {counters['paragraph']}", _text(block), block)
        elif isinstance(block, Table):
            counters["table"] += 1
            yield from _table(block, part, f"table {counters['table']}")


def _table(table: Table, part: str, name: str) -> Iterator[Place]:
    for r, row in enumerate(table.rows, start=1):
        seen_cells: set[int] = set()
        for c, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen_cells:  # merged cells repeat
                continue
            seen_cells.add(id(cell._tc))
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    yield Place(part, f"{name}, row {r}, cell {c}", _text(block), block)
                else:
                    yield from _table(block, part, f"{name}, row {r}, cell {c}, inner table")


def _text(paragraph: Paragraph) -> str:
    return paragraph.text.replace("\n", " ")


def jinja_source(places: list[Place]) -> str:
    """The Jinja text of a part: one line per paragraph, docxtpl's prefixes dropped, so line N is places[N-1]."""
    return "\n".join(DOCXTPL_PREFIX.sub(r"\1", place.text) for place in places)


def parts(places: list[Place]) -> dict[str, list[Place]]:
    """Places grouped by part, in order; docxtpl renders each part as its own Jinja template."""
    grouped: dict[str, list[Place]] = {}
    for place in places:
        grouped.setdefault(place.part, []).append(place)
    return grouped
