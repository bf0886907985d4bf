"""Small pieces of Word files that python-docx has no call for, shared by the material export and the
builders of the bundled templates: page-number fields, cell shading, fixed column widths."""

from __future__ import annotations

from collections.abc import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# The house style of every Word file Netkit writes (bundled templates and exported materials).
INK = RGBColor(0x1B, 0x2A, 0x3A)
ACCENT = RGBColor(0x0B, 0x4F, 0x71)
MUTED = RGBColor(0x5A, 0x64, 0x70)
HEADER_FILL = "DCE9F1"
SOFT_FILL = "F2F5F8"
BODY_FONT = "Calibri"


def house_styles(styles) -> None:
    """Body text, headings 1–3 and the title in the house style (fonts, sizes, colours, spacing)."""
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = INK
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        style = styles[f"Heading {level}"]
        style.font.name = BODY_FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = ACCENT
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name = BODY_FONT
    title.font.size = Pt(24)
    title.font.color.rgb = INK


def field(run: Run, instruction: str) -> None:
    """A Word field such as PAGE or NUMPAGES in `run`; Word and LibreOffice fill it in when laying out pages."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def shading(fill: str):
    """A <w:shd> element: a background colour (hex, e.g. DCE9F1) for a cell or a paragraph."""
    element = OxmlElement("w:shd")
    element.set(qn("w:val"), "clear")
    element.set(qn("w:color"), "auto")
    element.set(qn("w:fill"), fill)
    return element


def shade(cell: _Cell, fill: str) -> None:
    """A background colour for a table cell. Call before set_widths: Word wants the cell's properties in
    schema order, and set_widths adds the width after what is there."""
    cell._tc.get_or_add_tcPr().append(shading(fill))


def set_widths(table: Table, widths_cm: list[float]) -> None:
    """Fixed column widths in cm; Word and LibreOffice both need the grid and every cell set."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def add_field(paragraph: Paragraph, instruction: str, styled: Callable[[Run], Run]) -> None:
    """A Word field (PAGE, NUMPAGES …) as Word writes it: begin, instruction, separator, result and end, each in a
    run of its own styled by `styled` — LibreOffice draws the result of a field written in one run in the body's
    size, larger than the footer text around it."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), ("result", "1"),
                       ("end", None)):
        run = styled(paragraph.add_run())
        if kind == "result":
            run.text = text
        elif kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run._r.append(element)
