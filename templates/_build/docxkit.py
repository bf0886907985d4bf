"""Building blocks for the bundled Word templates: one calm house style, written with python-docx.

Each bundled template has a builder (`templates/_build/<name>.py` with `build() -> Document`);
`python templates/_build/build.py` writes every `templates/<name>/template.docx`. Tags are written as
whole runs so docxtpl sees them intact; table loops use docxtpl's `{%tr … %}` rows.

Fit to print in Denmark: A4, columns at least as wide as their longest word (`build.py` checks the header
words), headings and table header rows kept with what follows, rows never split, no trailing empty paragraph.
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
from docx.shared import Cm, Pt
from docx.table import Table

from toolkit.documents.wordparts import ACCENT, HEADER_FILL, INK, MUTED, add_field, house_styles, set_widths, shade  # noqa: F401

NETWORK = "Netværket for AI på sundhedsdata · Region Midtjylland og MedTech Innovation Consortium"
A4_WIDTH_CM, A4_HEIGHT_CM = 21.0, 29.7
SIDE_MARGIN_CM = 2.2
CELL_PT = 9.5          # the type size in table cells
FOOTER_PT = 8          # header and footer text, page numbers included


def form_version(name: str) -> str:
    """The template's version, read from its form.yaml (the generated file's properties carry it)."""
    form = Path(__file__).resolve().parent.parent / name / "form.yaml"
    return str(yaml.safe_load(form.read_text(encoding="utf-8"))["version"])


def new_document(*, name: str, version: str, title: str, subject: str | None = None, footer: str = NETWORK,
                 landscape: bool = False) -> DocumentObject:
    """An A4 document with the house styles; the header names the document (its title, and `subject`, a tag
    such as "{{ project_title }}"), the footer the network (or `footer`) and the page numbers."""
    document = Document()
    section = document.sections[0]
    width, height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    house_styles(document.styles)
    title_style = document.styles["Title"]
    title_style.paragraph_format.keep_with_next = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(header.add_run(f"{title} · {subject}" if subject else title))
    page_footer(section.footer.paragraphs[0], footer)
    document.core_properties.title = title
    document.core_properties.author = "Netkit"
    document.core_properties.keywords = name
    document.core_properties.subject = f"Netkit-skabelon {name} {version}"
    return document


def page_footer(paragraph, text: str) -> None:
    """"<text> · Side 3 af 7", every part in the footer's size (a field in runs of its own, each sized, since
    LibreOffice draws a field result in the size of the run that ends the field)."""
    _small(paragraph.add_run(f"{text} · Side "))
    sized_field(paragraph, "PAGE")
    _small(paragraph.add_run(" af "))
    sized_field(paragraph, "NUMPAGES")


def sized_field(paragraph, instruction: str, size: float = FOOTER_PT) -> None:
    """A Word field (PAGE, NUMPAGES) in the footer's small muted type (wordparts.add_field: separate runs)."""
    add_field(paragraph, instruction, lambda run: _small(run, size))


def _small(run, size: float = FOOTER_PT):
    run.font.size = Pt(size)
    run.font.color.rgb = MUTED
    return run


def title(document: DocumentObject, text: str, subtitle: str | None = None) -> None:
    document.add_paragraph(text, style="Title")
    if subtitle:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(subtitle)
        run.font.size = Pt(12)
        run.font.color.rgb = MUTED


def heading(document: DocumentObject, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)  # the heading styles keep with next


def para(container, text: str = "", *, label: str | None = None, italic: bool = False, small: bool = False,
         style: str | None = None, keep: bool = False):
    """A paragraph; `label` is written in bold before the text (e.g. "Formål: {{ purpose }}"). A paragraph
    that introduces what follows (ends with a colon), or `keep`, stays on the page of the next one."""
    paragraph = container.add_paragraph(style=style)
    if label:
        paragraph.add_run(label).bold = True
        paragraph.add_run(" ")
    run = paragraph.add_run(text)
    run.italic = italic
    if small:
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    if keep or text.rstrip().endswith(":"):
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag such as `{%p if uses_ai %}` (removed when rendered)."""
    return container.add_paragraph(text)


def bullet(container, text: str, *, label: str | None = None, keep: bool = False):
    return para(container, text, label=label, style="List Bullet", keep=keep)


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
    set_widths(table, [usable_width_cm(document)])
    _keep_rows_whole(table)
    spacer(document)


def usable_width_cm(document: DocumentObject) -> float:
    section = document.sections[-1]
    return round((section.page_width - section.left_margin - section.right_margin) / 360000, 2)


def spacer(document: DocumentObject):
    """The small paragraph after a table: Word needs a paragraph between two tables, and a full-size empty one
    at the foot of a page is what pushed a blank page or a lone row onto the next."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    mark = paragraph._p.get_or_add_pPr()
    r_pr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "8")  # 4 pt: the paragraph mark's own size decides the empty line's height
    r_pr.append(size)
    mark.append(r_pr)
    return paragraph


def table(document: DocumentObject, headers: list[str], rows: list[list[str]] | None = None, *,
          loop: str | None = None, widths: list[float] | None = None) -> Table:
    """A table with a shaded header row, repeated on every page and kept with the first row;
    `loop="item in items"` adds a docxtpl row loop around `rows[0]`."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        shade(cell, HEADER_FILL)
        cell.paragraphs[0].text = ""
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(CELL_PT)
    _repeat_header(table.rows[0])
    if loop:
        _tag_row(table, f"{{%tr for {loop} %}}")
    for values in rows or []:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(CELL_PT)
    if loop:
        _tag_row(table, "{%tr endfor %}")
    table.looped_rows = [row for row in table.rows[1:] if not row.cells[0].text.startswith("{%tr")]
    set_widths(table, widths or [usable_width_cm(document) / len(headers)] * len(headers))
    _keep_rows_whole(table)
    spacer(document)
    return table


def each_looped_row(table: Table, write) -> None:
    """Call `write(row)` for the row(s) between a table's `{%tr for %}` and `{%tr endfor %}`."""
    for row in table.looped_rows:
        write(row)


def fields(document: DocumentObject, rows: list[tuple[str, str]], *,
           widths: tuple[float, float] = (5.6, 11.0)) -> Table:
    """A two-column table of labels and values (tags)."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        shade(cells[0], "F2F5F8")
        cells[0].paragraphs[0].text = ""
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].text = value
    for row in table.rows[:-1]:  # Word keeps the rows on one page (LibreOffice 7.4 ignores it in tables)
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    set_widths(table, list(widths))
    _keep_rows_whole(table)
    spacer(document)
    return table


def signature_lines(document: DocumentObject, labels: list[str], *, widths: list[float] | None = None) -> Table:
    """Lines to sign on, side by side, with their labels below; the two rows stay together on one page."""
    table = document.add_table(rows=2, cols=len(labels))
    widths = widths or [usable_width_cm(document) / len(labels)] * len(labels)
    for index, (label, width) in enumerate(zip(labels, widths, strict=True)):
        line = table.rows[0].cells[index].paragraphs[0]
        line.text = "\n\n" + "_" * int(width * 4.2)  # an underscore is about 0.2 cm wide at 10.5 pt
        line.paragraph_format.keep_with_next = True
        run = table.rows[1].cells[index].paragraphs[0].add_run(label)
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    set_widths(table, widths)
    _keep_rows_whole(table)
    return table


def finish(document: DocumentObject) -> DocumentObject:
    """Drop empty paragraphs at the end of the body; where it ends with a table, leave the one tiny paragraph
    Word needs after it."""
    body = document.element.body
    while True:
        last = [child for child in body if child.tag != qn("w:sectPr")][-1]
        if last.tag == qn("w:p") and not "".join(last.itertext()).strip() and _is_plain_empty(last):
            previous = last.getprevious()
            if previous is not None and previous.tag == qn("w:tbl"):
                break  # keep: it is the spacer a table needs
            body.remove(last)
            continue
        break
    return document


def _is_plain_empty(paragraph) -> bool:
    return paragraph.find(f".//{qn('w:br')}") is None and paragraph.find(f".//{qn('w:drawing')}") is None


def _tag_row(table: Table, text: str) -> None:
    cells = table.add_row().cells
    cells[0].paragraphs[0].text = text


def _keep_rows_whole(table: Table) -> None:
    """No row split across two pages (a half row at a page foot reads as an orphan)."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        properties.insert(0, element)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
