"""Building blocks for the bundled Word templates: one calm house style, written with python-docx.

Each bundled template has a builder (`templates/_build/<name>.py` with `build() -> Document`);
`python templates/_build/build.py` writes every `templates/<name>/template.docx`. Tags are written as
whole runs so docxtpl sees them intact; table loops use docxtpl's `{%tr … %}` rows.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from toolkit.documents.wordparts import ACCENT, HEADER_FILL, INK, MUTED, field, house_styles, set_widths, shade  # noqa: F401

NETWORK = "Netværket for AI på sundhedsdata · Region Midtjylland og MedTech Innovation Consortium"


def form_version(name: str) -> str:
    """The template's version, read from its form.yaml so the Word header never drifts from it."""
    form = Path(__file__).resolve().parent.parent / name / "form.yaml"
    return str(yaml.safe_load(form.read_text(encoding="utf-8"))["version"])


def new_document(*, name: str, version: str, title: str, landscape: bool = False) -> DocumentObject:
    """A document with the house styles, margins, and a header/footer naming the template and its version."""
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.3))
    section.top_margin = Cm(2.2)
    section.bottom_margin = Cm(2.0)
    house_styles(document.styles)
    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(f"{title} · Netkit-skabelon {name} {version}")
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.text = ""
    small = footer.add_run(f"{NETWORK} · Side ")
    small.font.size = Pt(8)
    small.font.color.rgb = MUTED
    _field(footer, "PAGE")
    tail = footer.add_run(" af ")
    tail.font.size = Pt(8)
    tail.font.color.rgb = MUTED
    _field(footer, "NUMPAGES")
    document.core_properties.title = title
    document.core_properties.author = "Netkit"
    document.core_properties.keywords = name
    return document


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    field(run, instruction)


def title(document: DocumentObject, text: str, subtitle: str | None = None) -> None:
    document.add_paragraph(text, style="Title")
    if subtitle:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(subtitle)
        run.font.size = Pt(12)
        run.font.color.rgb = MUTED


def heading(document: DocumentObject, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def para(container, text: str = "", *, label: str | None = None, italic: bool = False, small: bool = False,
         style: str | None = None):
    """A paragraph; `label` is written in bold before the text (e.g. "Formål: {{ purpose }}")."""
    paragraph = container.add_paragraph(style=style)
    if label:
        paragraph.add_run(label).bold = True
        paragraph.add_run(" ")
    run = paragraph.add_run(text)
    run.italic = italic
    if small:
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag such as `{%p if uses_ai %}` (removed when rendered)."""
    return container.add_paragraph(text)


def bullet(container, text: str, *, label: str | None = None):
    return para(container, text, label=label, style="List Bullet")


def note(document: DocumentObject, text: str) -> None:
    """A shaded one-cell box for guidance or a disclaimer."""
    table = document.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.rows[0].cells[0]
    shade(cell, "F2F5F8")
    cell.paragraphs[0].text = ""
    run = cell.paragraphs[0].add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = MUTED
    document.add_paragraph()


def table(document: DocumentObject, headers: list[str], rows: list[list[str]] | None = None, *,
          loop: str | None = None, widths: list[float] | None = None) -> Table:
    """A table with a shaded header row; `loop="item in items"` adds a docxtpl row loop around `rows[0]`."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        shade(cell, HEADER_FILL)
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9.5)
    _repeat_header(table.rows[0])
    body = list(rows or [])
    if loop:
        _tag_row(table, f"{{%tr for {loop} %}}")
    for values in body:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(9.5)
    if loop:
        _tag_row(table, "{%tr endfor %}")
    if widths:
        set_widths(table, widths)
    document.add_paragraph()
    return table


def fields(document: DocumentObject, rows: list[tuple[str, str]], *,
           widths: tuple[float, float] = (5.5, 11.0)) -> Table:
    """A two-column table of labels and values (tags)."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in rows:
        cells = table.add_row().cells
        shade(cells[0], "F2F5F8")
        cells[0].paragraphs[0].text = ""
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].text = value
    set_widths(table, list(widths))
    document.add_paragraph()
    return table


def signature_lines(document: DocumentObject, labels: list[str]) -> None:
    table = document.add_table(rows=2, cols=len(labels))
    for index, label in enumerate(labels):
        table.rows[0].cells[index].paragraphs[0].text = "\n\n" + "_" * (48 // max(len(labels), 1))
        table.rows[1].cells[index].paragraphs[0].text = label


def _tag_row(table: Table, text: str) -> None:
    cells = table.add_row().cells
    cells[0].paragraphs[0].text = text


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
