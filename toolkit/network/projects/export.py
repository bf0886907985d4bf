"""The project overview (usually filtered) as a CSV file and as an Excel spreadsheet (.xlsx, openpyxl).

Both have the same columns, Danish headers and values (the registry's language): one row per project, lists
(contacts, data sources, links …) one entry per line inside their cell.

CSV: UTF-8 with a byte-order mark (so Excel reads æ, ø and å), **semicolon**-separated (Danish Excel uses the
comma as decimal separator and expects `;` between columns), CRLF line ends, quoted where needed.
.xlsx: a real spreadsheet with one sheet "Projekter", bold frozen header, filter buttons, dates as date cells.
Text that a spreadsheet would take as a formula (starting with = + - @) stays text: in the .xlsx the cell type
is text; in the CSV such a value gets a leading apostrophe, as spreadsheet programs themselves write it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any

from toolkit.network.projects.model import PARTNER_KINDS, PHASES, REGULATORY, Need, Project, label
from toolkit.network.projects.organisations import Organisations

CSV_DELIMITER = ";"
SHEET_TITLE = "Projekter"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def _needs(needs: Iterable[Need]) -> str:
    return _lines(label(PARTNER_KINDS, n.kind) + (f": {n.text}" if n.text else "") for n in needs)


# (header, value of a project, column width in the spreadsheet)
COLUMNS: tuple[tuple[str, Callable[[Project, Organisations], Any], int], ...] = (
    ("Id", lambda p, o: p.slug, 24),
    ("Titel", lambda p, o: p.title, 40),
    ("Resumé", lambda p, o: p.summary, 60),
    ("Eksempel", lambda p, o: "ja" if p.example else "nej", 10),
    ("Organisation", lambda p, o: o.label(p.owner), 28),
    ("Afdeling", lambda p, o: p.department, 28),
    ("Kontaktpersoner", lambda p, o: _lines(f"{c.name} <{c.email}>" + (f" ({c.role})" if c.role else "")
                                            for c in p.contacts), 40),
    ("Klinisk område", lambda p, o: p.clinical_area, 20),
    ("Problem", lambda p, o: p.problem, 60),
    ("Fase", lambda p, o: label(PHASES, p.phase), 18),
    ("Datakilder", lambda p, o: _lines(p.data_sources), 40),
    ("AI-metode", lambda p, o: p.ai_method, 40),
    ("Regulatorisk status", lambda p, o: label(REGULATORY, p.regulatory_status), 28),
    ("CE-klasse", lambda p, o: p.regulatory_class or "", 10),
    ("Start", lambda p, o: p.start, 12),
    ("Slut", lambda p, o: p.end, 12),
    ("Links", lambda p, o: _lines(f"{link.title} <{link.url}>" for link in p.links), 40),
    ("Relaterede materialer", lambda p, o: _lines(p.related_materials), 32),
    ("Arbejdsgrupper", lambda p, o: _lines(p.working_groups), 20),
    ("Søger", lambda p, o: _needs(p.seeks), 40),
    ("Tilbyder", lambda p, o: _needs(p.offers), 40),
    ("Søger støtte fra", lambda p, o: _lines(p.seeks_funding_from), 32),
)
HEADERS = tuple(header for header, _value, _width in COLUMNS)


def rows(projects: Iterable[Project], organisations: Organisations) -> list[list[Any]]:
    """The overview as values: text, or a date (None when a date is not given)."""
    return [[value(project, organisations) for _header, value, _width in COLUMNS] for project in projects]


def to_csv(projects: Iterable[Project], organisations: Organisations) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows(projects, organisations):
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_xlsx(projects: Iterable[Project], organisations: Organisations, *, title: str = "Netkit: projekter") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    data = rows(projects, organisations)
    wrapped = Alignment(wrap_text=True, vertical="top")  # one style object: openpyxl compares each it is given
    for number, row in enumerate(data, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif value not in (None, ""):
                cell.value = str(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.alignment = wrapped
    for column, (_header, _value, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(data) + 1, 1)}"
    book.properties.title = title
    book.properties.creator = "Netkit"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
