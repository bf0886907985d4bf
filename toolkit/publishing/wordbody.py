"""The body of a material's Word export: its Markdown, parsed with the same markdown-it configuration as the web
pages (toolkit.library.render), walked token by token straight into Word paragraphs, lists, block quotes,
footnotes, code blocks and tables; no HTML is rendered and read back. The text inside each block is wordinline's.
Odd Markdown never raises: a block token this module does not know is written as plain text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from toolkit.documents.wordparts import HEADER_FILL, set_widths, shade
from toolkit.library.folder import Library
from toolkit.library.render import _make_markdown
from toolkit.publishing.wordinline import InlineWriter, html_text
from toolkit.publishing.wordmedia import MediaReader
from toolkit.publishing.wordpage import TEXT_WIDTH_CM, add_to_ppr, clean

CHAR_WIDTH_CM, CELL_PADDING_CM = 0.2, 0.4  # a generous average letter of 9.5 pt bold text, and a cell's margins
LIST_INDENT_CM = 0.635  # the default template's indent per list level
LIST_STYLES = {"bullet": "List Bullet", "number": "List Number", "continue": "List Continue"}
MAX_LIST_LEVEL = 3  # the default template has list styles for three levels
NOTES_HEADING = "Noter"


def write_body(document: DocumentObject, library: Library, body: str, media: MediaReader | None = None) -> None:
    """Append the Markdown `body` to the document; `media` reads the material's images by name (none: each image
    is its alt text in brackets)."""
    tokens = _markdown().parse(body, {})
    BodyWriter(document, library, tokens, media).write(tokens)


@functools.cache
def _markdown() -> MarkdownIt:
    # The web renderer's own factory, so Word and web read every material alike (plugins, [[links]]).
    return _make_markdown()


@dataclass
class _Frame:
    """An open container (list, block quote or note) that decides how the paragraphs inside it look."""

    kind: str                   # "bullet", "number", "quote" or "note"
    num_id: int | None = None   # a numbered list's own numbering, so each list starts from its own number
    pending: bool = False       # the current list item or note has not got its first paragraph yet
    task: bool = False          # the current list item is a task ("- [ ] …"): a checkbox instead of a bullet
    number: int = 0             # a note's number


class BodyWriter:
    """Writes block tokens as Word paragraphs and tables; a stack of open containers picks each style."""

    def __init__(self, document: DocumentObject, library: Library, tokens: list[Token],
                 media: MediaReader | None = None):
        self.document = document
        self.library = library
        self.media = media
        self.paragraph: Paragraph | None = None
        self.frames: list[_Frame] = []
        self.bookmark_ids = 0
        # The body's highest heading level becomes Heading 1 (the material's title is the document's Title),
        # so Word's navigation pane and table of contents start at the body's sections, usually "##".
        levels = [_heading_level(t) for t in tokens if t.type == "heading_open"]
        self.top_level = min(levels, default=1)
        # Heading ids (toolkit.library.render's own rule) become bookmarks, so [text](#anchor) links work in Word.
        anchors = [str(t.attrGet("id")) for t in tokens if t.type == "heading_open" and t.attrGet("id")]
        self.bookmarks = {anchor: f"_h{index}" for index, anchor in enumerate(dict.fromkeys(anchors), 1)}
        self.style_ids: dict[str, str] = {}

    def write(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "table_open":
                index = self.table(tokens, index)
                continue
            handler = _BLOCK_HANDLERS.get(token.type)
            if handler is not None:
                handler(self, token)
            elif token.type == "inline":
                self.inline(token)
            elif not token.type.endswith(("_open", "_close")) and token.content.strip():
                self.plain(token.content)  # an unknown block token: keep its text
            index += 1

    # -- containers --

    def open_list(self, token: Token) -> None:
        self.start_block()
        ordered = token.type == "ordered_list_open"
        frame = _Frame("number" if ordered else "bullet")
        if ordered:
            start = str(token.attrGet("start"))  # "1." lists have none
            style = self.list_style("number", self.list_level() + 1)
            frame.num_id = _restart_numbering(self.document, style, int(start) if start.isdigit() else 1)
        self.frames.append(frame)

    def close(self, *kinds: str) -> None:
        while self.frames:
            if self.frames.pop().kind in kinds:
                return

    def open_item(self, token: Token) -> None:
        frame = self.innermost(("bullet", "number"))
        if frame is not None:
            frame.pending = True
            frame.task = "task-list-item" in str(token.attrGet("class") or "")

    def close_item(self, token: Token) -> None:
        frame = self.innermost(("bullet", "number"))
        if frame is not None and frame.pending and self.frames[-1] is frame:
            self.new_paragraph()  # an empty item still shows its bullet or number

    def open_quote(self, token: Token) -> None:
        self.start_block()
        self.frames.append(_Frame("quote"))

    def open_notes(self, token: Token) -> None:
        self.frames.clear()
        self.add_paragraph("Heading 1").add_run(NOTES_HEADING)

    def open_note(self, token: Token) -> None:
        note_id = (token.meta or {}).get("id")
        self.frames.append(_Frame("note", pending=True, number=note_id + 1 if isinstance(note_id, int) else 0))

    def innermost(self, kinds: tuple[str, ...]) -> _Frame | None:
        return next((frame for frame in reversed(self.frames) if frame.kind in kinds), None)

    def list_level(self) -> int:
        return sum(frame.kind in ("bullet", "number") for frame in self.frames)

    @staticmethod
    def list_style(kind: str, level: int) -> str:
        level = min(max(level, 1), MAX_LIST_LEVEL)
        return LIST_STYLES[kind] + ("" if level == 1 else f" {level}")

    # -- paragraphs --

    def style_id(self, name: str) -> str:
        # python-docx looks a style name up by scanning every style; once per name keeps an export fast.
        if name not in self.style_ids:
            self.style_ids[name] = str(self.document.styles[name].style_id)
        return self.style_ids[name]

    def add_paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if style is not None:
            paragraph._p.style = self.style_id(style)
        return paragraph

    def start_block(self) -> None:
        """Before a block that is not a paragraph: an item or note that has no paragraph yet gets one, so
        its bullet, number or note number is not lost."""
        if self.frames and self.frames[-1].pending:
            self.new_paragraph()

    def new_paragraph(self) -> Paragraph:
        frame = self.frames[-1] if self.frames else None
        if frame is None:
            paragraph = self.add_paragraph()
        elif frame.kind == "quote":
            paragraph = self.add_paragraph("Quote")
        elif frame.kind == "note":
            paragraph = self.note_paragraph(frame)
        else:
            paragraph = self.item_paragraph(frame)
        self.paragraph = paragraph
        return paragraph

    def item_paragraph(self, frame: _Frame) -> Paragraph:
        level = self.list_level()
        if not frame.pending or frame.task:  # later paragraphs, and tasks (the checkbox is their bullet)
            paragraph = self.add_paragraph(self.list_style("continue", level))
            if frame.pending:  # the checkbox hangs where a bullet would, the text lines up after it
                paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM * min(level, MAX_LIST_LEVEL))
                paragraph.paragraph_format.first_line_indent = Cm(-LIST_INDENT_CM)
            frame.pending = False
            return paragraph
        frame.pending = False
        paragraph = self.add_paragraph(self.list_style(frame.kind, level))
        if frame.num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = frame.num_id
        return paragraph

    def note_paragraph(self, frame: _Frame) -> Paragraph:
        paragraph = self.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.7)
        if frame.pending:
            frame.pending = False
            paragraph.paragraph_format.first_line_indent = Cm(-0.7)
            self.bookmark(paragraph, f"_fn{frame.number}")
            paragraph.add_run(f"{frame.number}.\t").font.size = Pt(9)
        return paragraph

    def heading(self, token: Token) -> None:
        self.start_block()
        level = min(max(_heading_level(token) - self.top_level + 1, 1), 3)
        self.paragraph = self.add_paragraph(f"Heading {level}")
        anchor = token.attrGet("id")
        if anchor and str(anchor) in self.bookmarks:
            self.bookmark(self.paragraph, self.bookmarks[str(anchor)])

    def open_paragraph(self, token: Token) -> None:
        self.new_paragraph()

    def end_paragraph(self, token: Token) -> None:
        self.paragraph = None

    def inline(self, token: Token) -> None:
        paragraph = self.paragraph if self.paragraph is not None else self.new_paragraph()
        small = bool(self.frames) and self.frames[-1].kind == "note"
        InlineWriter(self, paragraph, size=Pt(9) if small else None).write(token.children or [])

    def plain(self, text: str) -> None:
        self.start_block()
        self.new_paragraph().add_run(clean(text.strip()))
        self.paragraph = None

    def html_block(self, token: Token) -> None:
        text = html_text(token.content).strip()
        if text:
            self.plain(text)

    def code(self, token: Token) -> None:
        self.start_block()
        paragraph = self.add_paragraph("Code")
        if level := min(self.list_level(), MAX_LIST_LEVEL):  # code in a list item lines up with its text
            paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM * level + 0.3)
        paragraph.add_run(clean(token.content.rstrip("\n")))

    def rule(self, token: Token) -> None:
        self.start_block()
        paragraph = self.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "A0AAB4")):
            bottom.set(qn(f"w:{name}"), value)
        borders.append(bottom)
        add_to_ppr(paragraph._p.get_or_add_pPr(), borders)

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        self.bookmark_ids += 1
        for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
            element = OxmlElement(tag)
            element.set(qn("w:id"), str(self.bookmark_ids))
            if tag == "w:bookmarkStart":
                element.set(qn("w:name"), name)
            paragraph._p.append(element)

    # -- tables --

    def table(self, tokens: list[Token], start: int) -> int:
        """Write the table that opens at `start`; return the index after it."""
        self.start_block()
        rows: list[tuple[bool, list[tuple[str, Token | None]]]] = []
        in_head = False
        index = start + 1
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                rows.append((in_head, []))
            elif token.type in ("th_open", "td_open") and rows:
                rows[-1][1].append((str(token.attrGet("style") or ""), None))
            elif token.type == "inline" and rows and rows[-1][1]:
                rows[-1][1][-1] = (rows[-1][1][-1][0], token)
            index += 1
        self.build_table(rows)
        return index + 1

    def build_table(self, rows: list[tuple[bool, list[tuple[str, Token | None]]]]) -> None:
        columns = max((len(cells) for _, cells in rows), default=0)
        if not columns:
            return
        widths, fits = _column_widths(rows, columns)
        size = Pt(9.5 if fits else 8.5)  # a table whose longest words crowd the page gets smaller type
        table = self.document.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for is_head, cells in rows:
            row = table.add_row()
            if is_head:
                _repeat_header(row)
            for cell, width, (style, inline) in zip(row.cells, widths, cells, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.alignment = _ALIGNMENTS.get(style.removeprefix("text-align:"))
                if is_head:
                    shade(cell, HEADER_FILL)
                if inline is not None:
                    InlineWriter(self, paragraph, bold=is_head, size=size,
                                 max_width_cm=max(width - CELL_PADDING_CM, 1.0)).write(inline.children or [])
        set_widths(table, widths)
        self.add_paragraph()  # keeps two tables apart (Word would join them) and spaces the text


_ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
               "right": WD_ALIGN_PARAGRAPH.RIGHT}
_BLOCK_HANDLERS = {
    "heading_open": BodyWriter.heading,
    "heading_close": BodyWriter.end_paragraph,
    "paragraph_open": BodyWriter.open_paragraph,
    "paragraph_close": BodyWriter.end_paragraph,
    "bullet_list_open": BodyWriter.open_list,
    "ordered_list_open": BodyWriter.open_list,
    "bullet_list_close": lambda writer, token: writer.close("bullet"),
    "ordered_list_close": lambda writer, token: writer.close("number"),
    "list_item_open": BodyWriter.open_item,
    "list_item_close": BodyWriter.close_item,
    "blockquote_open": BodyWriter.open_quote,
    "blockquote_close": lambda writer, token: writer.close("quote"),
    "footnote_block_open": BodyWriter.open_notes,
    "footnote_open": BodyWriter.open_note,
    "footnote_close": lambda writer, token: writer.close("note"),
    "footnote_anchor": lambda writer, token: None,  # the ↩ back-link of the web page
    "fence": BodyWriter.code,
    "code_block": BodyWriter.code,
    "hr": BodyWriter.rule,
    "html_block": BodyWriter.html_block,
}


# -- small helpers ------------------------------------------------------------------------------------------


def _heading_level(token: Token) -> int:
    return int(token.tag[1]) if re.fullmatch(r"h[1-6]", token.tag) else 1


def _restart_numbering(document: DocumentObject, style_name: str, start: int) -> int | None:
    """A new numbering instance for one ordered list, so it counts from its own start (Word would otherwise
    continue every "List Number" list from the previous one)."""
    numbering = document.part.numbering_part.element
    p_pr = document.styles[style_name].element.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    try:
        base = numbering.num_having_numId(num_pr.numId.val)
    except KeyError:
        return None
    num = numbering.add_num(base.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(min(start, 2**31 - 1))
    return num.numId


def _column_widths(rows: list[tuple[bool, list[tuple[str, Token | None]]]], columns: int
                   ) -> tuple[list[float], bool]:
    """Column widths in cm, and whether every column's longest word fits: each column gets room for its longest
    word (no "Danma/rks" breaks), and the rest of the line is shared by how much text it holds on average."""
    words = [0] * columns
    totals = [0] * columns
    for _, cells in rows:
        for index, (_, inline) in enumerate(cells[:columns]):
            text = inline.content if inline is not None else ""
            words[index] = max([words[index], *(len(word) for word in text.split())])
            totals[index] += len(text)
    needed = [min(CHAR_WIDTH_CM * word + CELL_PADDING_CM, TEXT_WIDTH_CM / 2) for word in words]
    spare = TEXT_WIDTH_CM - sum(needed)
    if spare <= 0:
        return [TEXT_WIDTH_CM * need / sum(needed) for need in needed], False
    weights = [max(total / max(len(rows), 1), 1.0) for total in totals]
    return [need + spare * weight / sum(weights) for need, weight in zip(needed, weights, strict=True)], True


def _repeat_header(row) -> None:
    """The header row is repeated on each page a long table runs over."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)
