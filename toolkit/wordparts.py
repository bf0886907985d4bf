"""Small pieces of Word files that python-docx has no call for, shared by the material export and the
builders of the bundled templates: page-number fields, cell shading, fixed column widths."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table, _Cell
from docx.text.run import Run


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
