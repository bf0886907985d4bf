"""What a Word document holds that its Markdown will not: counted straight from the package's XML, so the import
can tell the user instead of dropping it silently (text boxes, comments, headers and footers, a table of
contents, formulas, SmartArt and charts, embedded objects, tracked changes), and the comments themselves with
the text each is attached to. Also the core title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from toolkit.publishing.docxsafety import DOCUMENT_PART, DocxPackage

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DC = "http://purl.org/dc/elements/1.1/"
COMMENT_TEXT_MAX = 10_000


@dataclass(frozen=True)
class WordComment:
    """A comment from the Word file: who wrote it, what it says, and the text it is attached to."""

    author: str
    text: str
    quoted: str


@dataclass
class Scan:
    textboxes: int = 0
    formulas: int = 0
    diagrams: int = 0
    objects: int = 0
    toc: bool = False
    tracked_changes: bool = False
    headers_footers: bool = False
    comments: list[WordComment] = field(default_factory=list)
    core_title: str = ""


def scan(package: DocxPackage) -> Scan:
    """Count what the Markdown will not hold; read the comments and the core title."""
    found = Scan()
    document = package.xml(DOCUMENT_PART)
    if document is not None:
        _count(document, found)
        found.comments = _comments(package, document)
    for name in package.parts:
        if name.startswith(("word/header", "word/footer")) and name.endswith(".xml"):
            part = package.xml(name)
            # a page number alone is not content the reader would miss
            if part is not None and "".join(part.itertext()).strip(" \t\r\n0123456789"):
                found.headers_footers = True
    core = package.xml("docProps/core.xml")
    if core is not None:
        title = core.find(f"{{{DC}}}title")
        found.core_title = " ".join((title.text or "").split()) if title is not None else ""
    return found


def _count(document: etree._Element, found: Scan) -> None:
    for element in document.iter(f"{{{W}}}txbxContent", f"{{{M}}}oMath", f"{{{A}}}graphicData", f"{{{W}}}object",
                                 f"{{{W}}}docPartGallery", f"{{{W}}}instrText", f"{{{W}}}fldSimple",
                                 f"{{{W}}}del", f"{{{W}}}ins", f"{{{W}}}moveFrom"):
        tag = etree.QName(element).localname
        if _in_fallback(element):
            continue  # the same drawing again, for older Word versions
        if tag == "txbxContent":
            found.textboxes += 1
        elif tag == "oMath":
            found.formulas += 1
        elif tag == "graphicData":
            uri = element.get("uri", "")
            found.diagrams += uri.endswith(("/diagram", "/chart")) or "chartex" in uri
        elif tag == "object":
            found.objects += 1
        elif tag == "docPartGallery":
            found.toc |= element.get(f"{{{W}}}val", "") == "Table of Contents"
        elif tag == "instrText":
            found.toc |= (element.text or "").strip().startswith("TOC")
        elif tag == "fldSimple":
            found.toc |= element.get(f"{{{W}}}instr", "").strip().startswith("TOC")
        else:
            found.tracked_changes = True


def _in_fallback(element: etree._Element) -> bool:
    return any(etree.QName(ancestor).localname == "Fallback" and etree.QName(ancestor).namespace == MC
               for ancestor in element.iterancestors())


def _comments(package: DocxPackage, document: etree._Element) -> list[WordComment]:
    comments = package.xml("word/comments.xml")
    if comments is None:
        return []
    quoted = _quoted(document)
    found = []
    for comment in comments.iter(f"{{{W}}}comment"):
        paragraphs = [_text(paragraph) for paragraph in comment.iter(f"{{{W}}}p")]
        text = "\n".join(paragraph for paragraph in paragraphs if paragraph)[:COMMENT_TEXT_MAX]
        author = " ".join(comment.get(f"{{{W}}}author", "").split())
        found.append(WordComment(author, text, quoted.get(comment.get(f"{{{W}}}id", ""), "")))
    return found


def _quoted(document: etree._Element) -> dict[str, str]:
    """Comment id → the text between its commentRangeStart and commentRangeEnd (deleted text left out)."""
    open_ranges: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    deleted = 0
    for event, element in etree.iterwalk(document, events=("start", "end")):
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if tag in ("del", "moveFrom"):
            deleted += 1 if event == "start" else -1
        elif event == "end":
            if tag == "p":
                for parts in open_ranges.values():
                    parts.append(" ")
        elif tag == "commentRangeStart":
            key = element.get(f"{{{W}}}id", "")
            open_ranges[key] = texts.setdefault(key, [])
        elif tag == "commentRangeEnd":
            open_ranges.pop(element.get(f"{{{W}}}id", ""), None)
        elif tag in ("t", "tab") and not deleted and open_ranges:
            piece = element.text or "" if tag == "t" else " "
            for parts in open_ranges.values():
                parts.append(piece)
    return {key: " ".join("".join(parts).split())[:COMMENT_TEXT_MAX] for key, parts in texts.items()}


def _text(paragraph: etree._Element) -> str:
    parts = []
    for element in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
        parts.append(element.text or "" if etree.QName(element).localname == "t" else " ")
    return " ".join("".join(parts).split())
