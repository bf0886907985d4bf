"""Word files as Netkit reads them: refuse what is not a safe .docx, and see the text where tags live.

`check_docx(data)` refuses files that are not Word documents, are encrypted (Office wraps those in an OLE
container), or would unpack to far more than they weigh (a zip bomb), before python-docx touches them.
`text_view(document)` lists every paragraph with a human description of where it is ("table 2, row 3,
cell 1"), body first and then headers, footers, footnotes and endnotes: template lint reports problems against it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject

from toolkit.documents.wordstories import paragraph_text, spots, stories
from toolkit.errors import Invalid, Problem

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# docxtpl's paragraph/row/cell/run tag prefixes ({%tr for …%}) are plain Jinja once the prefix is dropped.
DOCXTPL_PREFIX = re.compile(r"([{][%{]-?)(?:p|tr|tc|r)(?=\s)")
# `{{r x}}`, `{{p x}}`, `{{tr x}}`, `{{tc x}}`: a value printed as a whole run, paragraph, row or cell.
PREFIXED_OUTPUT = re.compile(r"\{\{(-?)(p|tr|tc|r)\s+(.*?)\s*(-?)\}\}")
# docxtpl's table-cell tags, rewritten into the XML before Jinja runs (see docxtpl's DocxTemplate.patch_xml).
CELL_TAG = re.compile(r"\{%-?\s*(cellbg|colspan)\s+(.*?)\s*-?%\}")
MERGE_TAG = re.compile(r"\{%-?\s*(vm|hm)\s*-?%\}")
# The document properties docxtpl renders as templates (DocxTemplate.render_properties).
RENDERED_PROPERTIES = ("title", "subject", "author", "comments", "identifier", "language")
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
        document = Document(io.BytesIO(data))
        stories(document)  # footnotes and endnotes are parsed here first: python-docx keeps them as bytes
        return document
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        raise Invalid(f"{display} cannot be opened", [Problem.at(display, f"Word file is damaged: {exc}")]) \
            from None


@dataclass(frozen=True)
class Place:
    """One paragraph of a Word file: which part it is in, where, and its text (as Jinja sees it)."""

    part: str          # "body", "header 1", "footer 1", "footnotes"
    where: str         # "paragraph 4", "table 1, row 2, cell 3", "paragraph 2, text box 1, paragraph 1"
    text: str
    element: Any = field(compare=False, repr=False)   # the w:p element (None for a document property)
    kind: str = "body"  # the kind of part: body, header, footer, footnotes, endnotes, property

    def describe(self) -> str:
        location = self.where if self.part == "body" else f"{self.part}, {self.where}"
        snippet = self.text.strip()
        snippet = snippet if len(snippet) <= 70 else snippet[:67] + "…"
        return f"{location}: “{snippet}”"


def text_view(document: DocumentObject) -> list[Place]:
    """Every paragraph in document order: body (tables, text boxes and content controls included), then each
    header and footer, the footnotes and the endnotes (see toolkit.documents.wordstories)."""
    places = [Place(spot.story.name, spot.where, paragraph_text(spot.element).replace("\n", " "), spot.element,
                    spot.story.kind)
              for story in stories(document) for spot in spots(story)]
    core = document.core_properties
    for name in RENDERED_PROPERTIES:  # docxtpl renders each as a template of its own
        value = getattr(core, name) or ""
        if "{" in value:
            places.append(Place(f"document property '{name}'", "value", value.replace("\n", " "), None, "property"))
    return places


def jinja_source(places: list[Place]) -> str:
    """The Jinja text of a part: one line per paragraph, so line N is places[N-1]. docxtpl's own vocabulary becomes
    plain Jinja that reads the same names: `{%tr for …%}` drops its prefix, `{{r x}}` and `{{p x}}` become
    `{{ (x)|docxtpl_r }}` (a marker filter, so checks know where the value lands), `{% cellbg x %}` and
    `{% colspan x %}` print x, and `{% vm %}`/`{% hm %}` read the enclosing loop."""
    return "\n".join(docxtpl_as_jinja(place.text) for place in places)


def docxtpl_as_jinja(text: str) -> str:
    text = PREFIXED_OUTPUT.sub(lambda m: f"{{{{{m[1]} ({m[3]})|docxtpl_{m[2]} {m[4]}}}}}", text)
    text = DOCXTPL_PREFIX.sub(r"\1", text)
    text = CELL_TAG.sub(lambda m: f"{{{{ ({m[2]})|docxtpl_{m[1]} }}}}", text)
    return MERGE_TAG.sub(lambda m: f"{{{{ loop|docxtpl_{m[1]} }}}}", text)


def parts(places: list[Place]) -> dict[str, list[Place]]:
    """Places grouped by part, in order; docxtpl renders each part as its own Jinja template."""
    grouped: dict[str, list[Place]] = {}
    for place in places:
        grouped.setdefault(place.part, []).append(place)
    return grouped
