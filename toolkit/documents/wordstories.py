"""Every story of a Word file where docxtpl finds tags, read from the XML itself.

docxtpl renders the raw XML of the body, each header and footer, and the footnotes: whatever sits in a
paragraph's text runs there is template text, including text boxes (w:txbxContent), content controls (w:sdt),
tracked insertions (w:ins) and deletions (w:delText), hyperlinks and fields. python-docx's paragraph and cell API
skips most of these (and raises on some irregular merged tables), so this walk reads the elements directly.
Endnotes are listed too: docxtpl leaves them untouched, so template lint can refuse tags there.

A text box is stored twice by Word (mc:Choice and the mc:Fallback for old readers); the fallback copy is
skipped when describing places, but `all_paragraphs` includes it, so a repair reaches both copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocumentObject
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = (qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt"),
                                                qn("w:sdtContent"))
W_T, W_DELTEXT, W_TXBX, W_CUSTOMXML = qn("w:t"), qn("w:delText"), qn("w:txbxContent"), qn("w:customXml")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"


@dataclass
class Story:
    """One part of the file: its name in messages, its kind, the XML root, and the python-docx part holding it."""

    name: str           # "body", "header", "first-page footer 2", "footnotes", "endnotes"
    kind: str           # "body", "header", "footer", "footnotes", "endnotes"
    element: Any
    part: Any

    def save(self) -> None:
        """Write a changed element back into a part python-docx keeps only as bytes (footnotes, endnotes)."""
        if not isinstance(self.part, XmlPart):
            from lxml import etree

            self.part._blob = etree.tostring(self.element, xml_declaration=True, encoding="UTF-8", standalone=True)


def stories(document: DocumentObject) -> list[Story]:
    """Body, then headers and footers (named by section, as Word shows them), then footnotes and endnotes."""
    found = [Story("body", "body", document.element.body, document.part)]
    seen: set[int] = set()
    several = len(document.sections) > 1
    for number, section in enumerate(document.sections, start=1):
        for label, kind, hf in (("header", "header", section.header), ("footer", "footer", section.footer),
                                ("first-page header", "header", section.first_page_header),
                                ("first-page footer", "footer", section.first_page_footer),
                                ("even-page header", "header", section.even_page_header),
                                ("even-page footer", "footer", section.even_page_footer)):
            if hf.is_linked_to_previous or id(hf.part) in seen:
                continue
            seen.add(id(hf.part))
            found.append(Story(f"{label} {number}" if several else label, kind, hf.part.element, hf.part))
    for rel in document.part.rels.values():  # headers no section refers to: docxtpl still renders them
        if rel.is_external or rel.reltype not in (HEADER_REL, FOOTER_REL) or id(rel.target_part) in seen:
            continue
        seen.add(id(rel.target_part))
        kind = "header" if rel.reltype == HEADER_REL else "footer"
        found.append(Story(f"{kind} ({rel.target_part.partname})", kind, rel.target_part.element, rel.target_part))
    for part in document.part.package.iter_parts():
        kind = {FOOTNOTES_TYPE: "footnotes", ENDNOTES_TYPE: "endnotes"}.get(part.content_type)
        if kind:
            element = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
            found.append(Story(kind, kind, element, part))
    return found


@dataclass(frozen=True)
class Spot:
    """One paragraph element of a story and where it is, in words."""

    story: Story
    where: str
    element: Any


def spots(story: Story) -> Iterator[Spot]:
    """Every paragraph of a story in document order, each with a description of where it is."""
    if story.kind in ("footnotes", "endnotes"):
        note = "footnote" if story.kind == "footnotes" else "endnote"
        for child in story.element:
            if child.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            yield from _blocks(story, child, f"{note} {child.get(qn('w:id'))}, ")
        return
    yield from _blocks(story, story.element, "")


def _blocks(story: Story, container: Any, prefix: str) -> Iterator[Spot]:
    counters = {"paragraph": 0, "table": 0, "control": 0}
    for child in container:
        if child.tag == W_P:
            counters["paragraph"] += 1
            yield Spot(story, f"{prefix}paragraph {counters['paragraph']}", child)
            yield from _text_boxes(story, child, f"{prefix}paragraph {counters['paragraph']}, ")
        elif child.tag == W_TBL:
            counters["table"] += 1
            yield from _table(story, child, f"{prefix}table {counters['table']}")
        elif child.tag in (W_SDT, W_CUSTOMXML):
            counters["control"] += 1
            content = child.find(W_SDT_CONTENT) if child.tag == W_SDT else child
            if content is not None:
                yield from _blocks(story, content, f"{prefix}content control {counters['control']}, ")


def _table(story: Story, table: Any, name: str) -> Iterator[Spot]:
    rows = [child for child in _unwrapped(table) if child.tag == W_TR]
    for r, row in enumerate(rows, start=1):
        cells = [child for child in _unwrapped(row) if child.tag == W_TC]
        for c, cell in enumerate(cells, start=1):
            yield from _blocks(story, cell, f"{name}, row {r}, cell {c}, ")


def _unwrapped(element: Any) -> Iterator[Any]:
    """Children, looking through row- and cell-level content controls and custom XML."""
    for child in element:
        if child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _unwrapped(content)
        elif child.tag == W_CUSTOMXML:
            yield from _unwrapped(child)
        else:
            yield child


def _text_boxes(story: Story, paragraph: Any, prefix: str) -> Iterator[Spot]:
    for number, box in enumerate(_own_boxes(paragraph), start=1):
        yield from _blocks(story, box, f"{prefix}text box {number}, ")


def _own_boxes(paragraph: Any) -> list[Any]:
    """The text boxes anchored in this paragraph (not their fallback copies, not boxes inside boxes)."""
    boxes = []
    for box in paragraph.iter(W_TXBX):
        ancestor = box.getparent()
        nested = False
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag == MC_FALLBACK or ancestor.tag == W_TXBX:
                nested = True
                break
            ancestor = ancestor.getparent()
        if not nested:
            boxes.append(box)
    return boxes


def text_elements(paragraph: Any) -> list[Any]:
    """The w:t and w:delText elements of this paragraph's own runs, in order: the text Jinja sees (docxtpl joins
    them and drops the XML between); text of text boxes anchored here belongs to their own paragraphs."""
    found = []

    def walk(element: Any) -> None:
        for child in element:
            if child.tag in (W_TXBX, MC_FALLBACK) or not isinstance(child.tag, str):
                continue
            if child.tag in (W_T, W_DELTEXT):
                found.append(child)
            else:
                walk(child)

    walk(paragraph)
    return found


def paragraph_text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in text_elements(paragraph))


def all_paragraphs(story: Story) -> Iterator[Any]:
    """Every paragraph element of a story, text-box fallback copies included (for repairs)."""
    return story.element.iter(W_P)
