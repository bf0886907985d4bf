"""Export one material to a Word document (.docx) in the house style of the bundled templates.

The body is parsed with the same markdown-it configuration as the web pages (toolkit.library.render) and its tokens
are walked straight into Word paragraphs, lists, tables and hyperlinks; no HTML is rendered and read back.
Like the web pages, the export never renders raw HTML: tags are dropped and their text content is kept.
Odd Markdown never raises: a token this module does not know is written as plain text.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it import MarkdownIt
from markdown_it.token import Token

from toolkit.documents.sandbox import danish_date
from toolkit.documents.wordparts import (
    ACCENT,
    HEADER_FILL,
    MUTED,
    SOFT_FILL,
    field,
    house_styles,
    set_widths,
    shade,
    shading,
)
from toolkit.errors import Invalid, Problem
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.library.render import URL_SCHEMES, _make_markdown

CODE_FONT = "Consolas"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, SIDE_MARGIN_CM = 21.0, 29.7, 2.3  # A4: the paper Danish readers print on
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * SIDE_MARGIN_CM
CHAR_WIDTH_CM, CELL_PADDING_CM = 0.2, 0.4  # a generous average letter of 9.5 pt bold text, and a cell's margins
LIST_INDENT_CM = 0.635  # the default template's indent per list level
LOGO_WIDTH, LOGO_MAX_HEIGHT = Cm(4), Cm(2.5)
LOGO_MAX_BYTES = 1024 * 1024
CORE_PROPERTY_MAX = 255  # python-docx (and Office) refuse longer core-property text
DEFAULT_NETWORK = "Netværket for AI på sundhedsdata"
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
LIST_STYLES = {"bullet": "List Bullet", "number": "List Number", "continue": "List Continue"}
MAX_LIST_LEVEL = 3  # the default template has list styles for three levels
NOTES_HEADING = "Noter"
CHECKBOX = {True: "☒", False: "☐"}
# Characters XML 1.0 cannot hold; lxml refuses them, so they are dropped rather than failing the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A raw HTML tag the parser left as text (html is off, as on the web); comments are cut by _strip_raw_html.
_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w:.-]*"
                      r"(?:\s*=\s*(?:[^\"'=<>`\s]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>")
_SPACES = re.compile(r" {2,}")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def material_docx(material: Material, library: Library, *, network_name: str = DEFAULT_NETWORK,
                  logo: Path | None = None, published: dt.date | None = None) -> bytes:
    """The material as a Word file: a cover with its facts (and, for a recommendation, its recipients,
    decision, key points and signatories), then the body; `published` is the date of the edition exported.
    Raises Invalid for a bad logo."""
    logo_data = _read_logo(logo) if logo is not None else None
    document = _new_document(material, network_name)
    _cover(document, material, library, network_name, logo, logo_data, published)
    tokens = _markdown().parse(material.body, {})
    _Writer(document, library, tokens).write(tokens)
    _core_properties(document, material, library)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def _markdown() -> MarkdownIt:
    # The web renderer's own factory, so Word and web read every material alike (plugins, [[links]]).
    return _make_markdown()


# -- document, cover, header and footer --------------------------------------------------------------------


def _new_document(material: Material, network_name: str) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    _house_styles(document, LANGUAGE_TAGS.get(material.language, "da-DK"))
    # The cover carries the title in large type, so its page gets no running header, only the footer.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header of its own, not the running one
    _header(section.header.paragraphs[0], f"{material.title} · version {material.version}")
    _footer(section.footer.paragraphs[0], network_name)
    _footer(section.first_page_footer.paragraphs[0], network_name)
    return document


def _house_styles(document: DocumentObject, language: str) -> None:
    styles = document.styles
    house_styles(styles)
    normal = styles["Normal"]
    quote = styles["Quote"]
    quote.font.italic = True
    quote.font.color.rgb = MUTED
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.8)
    code = styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = normal
    code.font.name = CODE_FONT
    code.font.size = Pt(9)
    code.paragraph_format.line_spacing = 1.0
    code.paragraph_format.left_indent = Cm(0.3)
    _add_to_ppr(code.element.get_or_add_pPr(), shading(SOFT_FILL))
    inline_code = styles.add_style("Inline Code", WD_STYLE_TYPE.CHARACTER)
    inline_code.font.name = CODE_FONT
    inline_code.font.size = Pt(9.5)
    # Word's built-in link style, missing from python-docx's template; builtin, so Word does not rename it.
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.font.color.rgb = ACCENT
    link.font.underline = True
    _set_language(document, language)


def _set_language(document: DocumentObject, language: str) -> None:
    """The proofing language of every run, so Word spell-checks Danish text as Danish."""
    r_pr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is None:  # not in python-docx's own template, but a proofing language on Normal does as well
        r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def _header(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(paragraph.add_run(_clean(text)))


def _footer(paragraph: Paragraph, network_name: str) -> None:
    _small(paragraph.add_run(f"{_clean(network_name)} · Side "))
    _field(paragraph, "PAGE")
    _small(paragraph.add_run(" af "))
    _field(paragraph, "NUMPAGES")


def _small(run: Run) -> Run:
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    return run


def _field(paragraph: Paragraph, instruction: str) -> None:
    field(_small(paragraph.add_run()), instruction)


def _read_logo(logo: Path) -> bytes:
    """The logo's bytes, refused (Invalid, naming the file) unless it is a PNG or JPEG that can be read."""
    try:
        data = Path(logo).read_bytes()
    except OSError as exc:
        raise Invalid(f"{logo}: the logo cannot be read",
                      [Problem.at(logo, f"cannot be read: {exc.strerror or exc}")]) from None
    if len(data) > LOGO_MAX_BYTES:
        raise Invalid(f"{logo}: the logo is too large",
                      [Problem.at(logo, f"is {len(data) // 1024} KB; use an image under {LOGO_MAX_BYTES // 1024} KB")])
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise Invalid(f"{logo}: the logo is not a PNG or JPEG image",
                      [Problem.at(logo, "is not a PNG or JPEG image; give the logo as .png or .jpg")])
    return data


def _cover(document: DocumentObject, material: Material, library: Library, network_name: str,
           logo: Path | None, logo_data: bytes | None, published: dt.date | None) -> None:
    if logo is not None and logo_data is not None:
        _logo(document.add_paragraph(), logo, logo_data)
    _small(document.add_paragraph().add_run(_clean(network_name))).font.size = Pt(10)
    document.add_paragraph(_clean(material.title), style="Title")
    summary = document.add_paragraph().add_run(_clean(material.summary))
    summary.font.size = Pt(12)
    summary.font.color.rgb = MUTED
    _facts_table(document, _facts(material, library, published))
    _recommendation(document, material)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _recommendation(document: DocumentObject, material: Material) -> None:
    """A recommendation's cover: who it is for, the decision asked for, its key points, who stands behind it."""
    if material.recipients:
        _cover_label(document, "Til")
        for recipient in material.recipients:
            document.add_paragraph(_clean(recipient), style="List Bullet")
    if material.decision_requested:
        _cover_label(document, "Beslutning der bedes om")
        document.add_paragraph(_clean(material.decision_requested))
    if material.key_points:
        _cover_label(document, "Hovedpunkter")
        for point in material.key_points:
            document.add_paragraph(_clean(point), style="List Number")
    if material.signatories:
        _cover_label(document, "Bag anbefalingen")
        for signatory in material.signatories:
            who = signatory.organisation + (f", {signatory.person}" if signatory.person else "")
            document.add_paragraph(_clean(f"{who} – underskrevet {danish_date(signatory.signed)}"),
                                   style="List Bullet")


def _cover_label(document: DocumentObject, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = ACCENT


def _logo(paragraph: Paragraph, logo: Path, data: bytes) -> None:
    try:
        picture = paragraph.add_run().add_picture(io.BytesIO(data), width=LOGO_WIDTH)
    except Exception as exc:  # python-docx raises several kinds on a damaged image header
        raise Invalid(f"{logo}: the logo cannot be read as an image",
                      [Problem.at(logo, f"is a damaged PNG or JPEG image ({type(exc).__name__})")]) from None
    if picture.height > LOGO_MAX_HEIGHT:  # a tall logo would push the title down the page
        picture.width = int(picture.width * LOGO_MAX_HEIGHT / picture.height)
        picture.height = LOGO_MAX_HEIGHT


def _facts(material: Material, library: Library, published: dt.date | None = None) -> list[tuple[str, str]]:
    taxonomy = library.taxonomy
    status = taxonomy.label("statuses", material.status)
    edition = (("Udgave", f"{material.version}, udgivet {danish_date(published)}") if published
               else ("Status og version", f"{status}, version {material.version}"))
    return [
        ("Type", taxonomy.label("kinds", material.kind)),
        edition,
        ("Opdateret", danish_date(material.updated)),
        ("Forfattere", ", ".join(material.authors)),
        ("Emner", ", ".join(taxonomy.label("topics", topic) for topic in material.topics)),
    ]


def _facts_table(document: DocumentObject, facts: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in facts:
        cells = table.add_row().cells
        shade(cells[0], SOFT_FILL)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(_clean(value))
    set_widths(table, [4.5, TEXT_WIDTH_CM - 4.5])


def _core_properties(document: DocumentObject, material: Material, library: Library) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # python-docx writes the value as UTC ("…Z")
    properties = document.core_properties
    properties.title = _fit(material.title)
    properties.author = _fit(", ".join(material.authors))
    properties.subject = _fit(material.summary)
    properties.keywords = _fit(", ".join(library.taxonomy.label("topics", t) for t in material.topics))
    properties.category = _fit(library.taxonomy.label("kinds", material.kind))
    properties.content_status = _fit(library.taxonomy.label("statuses", material.status))
    properties.version = _fit(material.version)
    properties.identifier = _fit(material.slug)
    properties.language = LANGUAGE_TAGS.get(material.language, material.language)
    properties.last_modified_by = "Netkit"
    properties.revision = 1
    properties.created = now
    properties.modified = now


def _fit(text: str) -> str:
    text = _clean(text)
    return text if len(text) <= CORE_PROPERTY_MAX else text[:CORE_PROPERTY_MAX - 1] + "…"


# -- the body -----------------------------------------------------------------------------------------------


@dataclass
class _Frame:
    """An open container (list, block quote or note) that decides how the paragraphs inside it look."""

    kind: str                   # "bullet", "number", "quote" or "note"
    num_id: int | None = None   # a numbered list's own numbering, so each list starts from its own number
    pending: bool = False       # the current list item or note has not got its first paragraph yet
    task: bool = False          # the current list item is a task ("- [ ] …"): a checkbox instead of a bullet
    number: int = 0             # a note's number


class _Writer:
    """Writes block tokens as Word paragraphs and tables; a stack of open containers picks each style."""

    def __init__(self, document: DocumentObject, library: Library, tokens: list[Token]):
        self.document = document
        self.library = library
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
        _Inline(self, paragraph, size=Pt(9) if small else None).write(token.children or [])

    def plain(self, text: str) -> None:
        self.start_block()
        self.new_paragraph().add_run(_clean(text.strip()))
        self.paragraph = None

    def html_block(self, token: Token) -> None:
        text = _html_text(token.content).strip()
        if text:
            self.plain(text)

    def code(self, token: Token) -> None:
        self.start_block()
        paragraph = self.add_paragraph("Code")
        if level := min(self.list_level(), MAX_LIST_LEVEL):  # code in a list item lines up with its text
            paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM * level + 0.3)
        paragraph.add_run(_clean(token.content.rstrip("\n")))

    def rule(self, token: Token) -> None:
        self.start_block()
        paragraph = self.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "A0AAB4")):
            bottom.set(qn(f"w:{name}"), value)
        borders.append(bottom)
        _add_to_ppr(paragraph._p.get_or_add_pPr(), borders)

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
            for cell, (style, inline) in zip(row.cells, cells, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.alignment = _ALIGNMENTS.get(style.removeprefix("text-align:"))
                if is_head:
                    shade(cell, HEADER_FILL)
                if inline is not None:
                    _Inline(self, paragraph, bold=is_head, size=size).write(inline.children or [])
        set_widths(table, widths)
        self.add_paragraph()  # keeps two tables apart (Word would join them) and spaces the text


class _Inline:
    """Writes the inline tokens of one paragraph as runs, hyperlinks and footnote marks."""

    def __init__(self, writer: _Writer, paragraph: Paragraph, *, bold: bool = False, size: Pt | None = None):
        self.writer = writer
        self.paragraph = paragraph
        self.size = size
        self.marks = {"bold": int(bold), "italic": 0, "strike": 0}
        self.link: BaseOxmlElement | None = None
        self.link_fallback = ""
        self.after_checkbox = False

    def write(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind in _MARKS:
                name, step = _MARKS[kind]
                self.marks[name] = max(self.marks[name] + step, 0)
            elif kind == "text":
                self.text(token.content)
            elif kind == "softbreak":
                self.run(" ")
            elif kind == "hardbreak":
                self.run("").add_break()
            elif kind == "code_inline":
                self.run(token.content, style="Inline Code")
            elif kind == "link_open":
                self.open_link(str(token.attrGet("href") or ""))
            elif kind == "link_close":
                self.close_link()
            elif kind == "wikilink":
                self.wikilink(token.meta or {})
            elif kind == "footnote_ref":
                self.footnote_ref(token.meta or {})
            elif kind == "html_inline":
                self.html(token.content)
            elif token.children:
                self.write(token.children)  # images (their alt text) and unknown containers
            elif token.content:
                self.run(token.content)

    def text(self, text: str) -> None:
        # As a browser shows it: without raw HTML, and spaces run together (Word would show every one).
        text = _SPACES.sub(" ", _strip_raw_html(text))
        if self.after_checkbox:  # the tab after the checkbox already parts it from the text
            text = text.lstrip()
            self.after_checkbox = not text
        if text:
            self.run(text)

    def run(self, text: str, *, style: str | None = None) -> Run:
        run = self.paragraph.add_run(_clean(text))
        if style is not None or self.link is not None:
            run._r.style = self.writer.style_id(style or "Hyperlink")
        # Only what is on: python-docx adds run properties for every value set, even None.
        if self.marks["bold"]:
            run.bold = True
        if self.marks["italic"]:
            run.italic = True
        if self.marks["strike"]:
            run.font.strike = True
        if self.size is not None:
            run.font.size = self.size
        if self.link is not None:
            self.link.append(run._r)  # moved from the paragraph into the hyperlink
        return run

    def open_link(self, href: str) -> None:
        if self.link is not None:
            return  # Word cannot nest hyperlinks; the inner text joins the outer link
        if href.startswith("#"):
            name = self.writer.bookmarks.get(urllib.parse.unquote(href[1:]))
            self.link = self.hyperlink(anchor=name) if name else None
        elif _allowed_url(href):
            self.link = self.hyperlink(url=href)
        self.link_fallback = href

    def close_link(self) -> None:
        if self.link is not None and self.link.find(qn("w:r")) is None:
            self.run(self.link_fallback)  # [](url): show the address rather than an invisible link
        self.link = None

    def hyperlink(self, *, url: str | None = None, anchor: str | None = None) -> BaseOxmlElement:
        element = OxmlElement("w:hyperlink")
        if url is not None:
            part = self.paragraph.part
            element.set(qn("r:id"), part.relate_to(_safe_url(url), RT.HYPERLINK, is_external=True))
        if anchor is not None:
            element.set(qn("w:anchor"), anchor)
        element.set(qn("w:history"), "1")
        self.paragraph._p.append(element)
        return element

    def wikilink(self, meta: dict) -> None:
        """[[slug]], [[slug#anchor]], [[slug|text]] as render.py shows them: the target's title, or plain
        text when the target is no material."""
        targets = self.writer.library.targets
        target = str(meta.get("target") or "")
        title = targets.titles.get(target)
        label = str(meta.get("label") or title or target)
        if title is None or self.link is not None:
            self.run(label)
            return
        anchor = meta.get("anchor")
        self.link = self.hyperlink(url=targets.href(target) + (f"#{anchor}" if anchor else ""))
        self.run(label)
        self.link = None

    def footnote_ref(self, meta: dict) -> None:
        note_id = meta.get("id")
        number = note_id + 1 if isinstance(note_id, int) else 0
        if self.link is None:
            self.link = self.hyperlink(anchor=f"_fn{number}")
            self.run(str(number)).font.superscript = True
            self.link = None
        else:
            self.run(str(number)).font.superscript = True

    def html(self, content: str) -> None:
        if "task-list-item-checkbox" in content:  # the tasklists plugin's checkbox, the only HTML we keep
            self.run(CHECKBOX["checked" in content] + "\t")
            self.after_checkbox = True
        elif text := _html_text(content):
            self.run(text)


_MARKS = {
    "strong_open": ("bold", 1), "strong_close": ("bold", -1),
    "em_open": ("italic", 1), "em_close": ("italic", -1),
    "s_open": ("strike", 1), "s_close": ("strike", -1),
}
_ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
               "right": WD_ALIGN_PARAGRAPH.RIGHT}
# The children of <w:pPr> in schema order, from the paragraph border on.
_PPR_ORDER = ("pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
              "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
              "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_BLOCK_HANDLERS = {
    "heading_open": _Writer.heading,
    "heading_close": _Writer.end_paragraph,
    "paragraph_open": _Writer.open_paragraph,
    "paragraph_close": _Writer.end_paragraph,
    "bullet_list_open": _Writer.open_list,
    "ordered_list_open": _Writer.open_list,
    "bullet_list_close": lambda writer, token: writer.close("bullet"),
    "ordered_list_close": lambda writer, token: writer.close("number"),
    "list_item_open": _Writer.open_item,
    "list_item_close": _Writer.close_item,
    "blockquote_open": _Writer.open_quote,
    "blockquote_close": lambda writer, token: writer.close("quote"),
    "footnote_block_open": _Writer.open_notes,
    "footnote_open": _Writer.open_note,
    "footnote_close": lambda writer, token: writer.close("note"),
    "footnote_anchor": lambda writer, token: None,  # the ↩ back-link of the web page
    "fence": _Writer.code,
    "code_block": _Writer.code,
    "hr": _Writer.rule,
    "html_block": _Writer.html_block,
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


def _add_to_ppr(p_pr: BaseOxmlElement, element: BaseOxmlElement) -> None:
    """Insert a border or shading where the schema wants it in <w:pPr>; Word rejects elements out of order."""
    tag = element.tag.split("}")[1]
    successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]
    p_pr.insert_element_before(element, *(f"w:{name}" for name in successors))


def _repeat_header(row) -> None:
    """The header row is repeated on each page a long table runs over."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _allowed_url(href: str) -> bool:
    """Links the web page would keep (render.URL_SCHEMES, or relative addresses); others stay text."""
    scheme = _SCHEME.match(href)
    return bool(href) and (scheme is None or scheme[1].lower() in URL_SCHEMES)


def _safe_url(url: str) -> str:
    # Word refuses to open a file whose hyperlink target is not a valid URI (spaces, non-ASCII letters).
    return urllib.parse.quote(_clean(url), safe=":/?#[]@!$&'()*+,;=%~")


def _strip_raw_html(text: str) -> str:
    """Text without HTML tags and comments, keeping what is between the tags."""
    if "<" not in text:
        return text
    kept, position = [], 0
    # Comments by str.find, not a regular expression: many unclosed "<!--" would make one quadratic.
    while (start := text.find("<!--", position)) != -1 and (end := text.find("-->", start + 4)) != -1:
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return _RAW_TAG.sub("", "".join(kept))


def _html_text(fragment: str) -> str:
    return _clean(html.unescape(_strip_raw_html(fragment)))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
