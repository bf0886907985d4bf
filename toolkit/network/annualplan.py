"""The year's meetings as a Word document in the house style: a title, a table of the meetings (date, theme,
place, status, topic areas) and one short section per meeting (time, problem statement, facilitator, agenda),
then the year's application deadlines of the funding calls (toolkit.network.calls), when there are any.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from toolkit.documents.sandboxfilters import danish_date
from toolkit.documents.wordparts import HEADER_FILL, MUTED, house_styles, set_widths, shade
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.calls import Call, calls_of_year
from toolkit.network.meetings import STATUS_DA, Meeting

COLUMNS = (("Dato", 3.2), ("Tema", 4.6), ("Sted", 3.6), ("Status", 2.2), ("Emner", 3.4))
CALL_COLUMNS = (("Frist", 3.2), ("Opslag", 6.0), ("Støttegiver", 4.0), ("Beløb", 3.8))


def annual_plan_docx(meetings: Iterable[Meeting], year: int, taxonomy: Taxonomy, *,
                     network_name: str = "Netværket for AI på sundhedsdata", calls: Iterable[Call] = ()) -> bytes:
    chosen = sorted((m for m in meetings if m.year == year), key=lambda m: (m.date, m.start or dt.time(0)))
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    house_styles(document.styles)
    document.add_paragraph(f"Årsplan {year}", style="Title")
    lead = document.add_paragraph(f"{network_name}: netværkets møder i {year}.")
    lead.runs[0].font.color.rgb = MUTED
    if not chosen:
        document.add_paragraph(f"Der er endnu ingen møder i {year}.")
    else:
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, (title, _width) in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.paragraphs[0].add_run(title).bold = True
            shade(cell, HEADER_FILL)
        for meeting in chosen:
            values = (danish_date(meeting.date) + (f"\n{meeting.time_text}" if meeting.time_text else ""),
                      meeting.theme, meeting.place, STATUS_DA[meeting.status],
                      ", ".join(taxonomy.label("topics", t) for t in meeting.topics))
            for cell, value in zip(table.add_row().cells, values, strict=True):
                run = cell.paragraphs[0].add_run(value)
                run.font.size = Pt(9.5)
        set_widths(table, [width for _title, width in COLUMNS])
        for meeting in chosen:
            _meeting_section(document, meeting, taxonomy)
    deadlines = calls_of_year(calls, year)
    if deadlines:
        _deadlines(document, deadlines)
    properties = document.core_properties
    properties.title = f"Årsplan {year}"
    properties.author = properties.last_modified_by = "Netkit"
    properties.subject = network_name
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _meeting_section(document, meeting: Meeting, taxonomy: Taxonomy) -> None:
    document.add_heading(f"{danish_date(meeting.date)}: {meeting.theme}", level=2)
    facts = [("Tid og sted", ", ".join(p for p in (meeting.time_text, meeting.place) if p)),
             ("Status", STATUS_DA[meeting.status]), ("Facilitator", meeting.facilitator)]
    if meeting.invited_roles:
        facts.append(("Inviterede", ", ".join(taxonomy.label("audiences", r) for r in meeting.invited_roles)))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if meeting.problem:
        document.add_paragraph(meeting.problem)
    if meeting.agenda:
        document.add_paragraph().add_run("Dagsorden").bold = True
        for item in meeting.agenda:
            document.add_paragraph(item.topic + (f" ({item.presenter})" if item.presenter else ""),
                                   style=_style(document, "List Bullet"))


def _deadlines(document, calls: list[Call]) -> None:
    document.add_heading("Ansøgningsfrister", level=1)
    table = document.add_table(rows=1, cols=len(CALL_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (title, _width) in zip(table.rows[0].cells, CALL_COLUMNS, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
        shade(cell, HEADER_FILL)
    for call in calls:
        for cell, value in zip(table.add_row().cells, (danish_date(call.deadline), call.title, call.funder,
                                                       call.amount), strict=True):
            cell.paragraphs[0].add_run(value).font.size = Pt(9.5)
    set_widths(table, [width for _title, width in CALL_COLUMNS])


def _style(document, name: str):
    """A paragraph style looked up once per document (python-docx scans every style on each lookup by name)."""
    cache = document.__dict__.setdefault("_netkit_styles", {})
    if name not in cache:
        cache[name] = document.styles[name]
    return cache[name]
