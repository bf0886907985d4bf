"""Build the small Word files that exercise docxtpl's features (tests/documents/test_docxtpl_features.py).

Run from the repository root to rebuild them: .venv/bin/python tests/data/docxtpl/build.py
python-docx makes the documents; the parts it has no API for (text boxes, content controls, tracked changes,
footnotes, endnotes) are written as raw WordprocessingML. Nothing is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

HERE = Path(__file__).parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
NOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"


def body_xml(document, xml: str) -> None:
    """Insert raw block-level XML (paragraphs, content controls) at the end of the body."""
    element = parse_xml(f"<w:wrap {NS}>{xml}</w:wrap>")
    sect = document.element.body.sectPr
    for child in list(element):
        if sect is not None:
            sect.addprevious(child)
        else:
            document.element.body.append(child)


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def text_box(text: str, number: int) -> str:
    """A run holding a text box as Word writes it: a DrawingML shape, and a VML copy for old readers."""
    content = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    return (f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:inline>"
            f'<wp:extent cx="1828800" cy="457200"/><wp:docPr id="{number}" name="Tekstfelt {number}"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>")


def notes(document, kind: str, texts: list[str]) -> None:
    """A footnotes or endnotes part with one note per text, each referenced from a new body paragraph."""
    tag = kind[:-1]  # footnote / endnote
    separators = (f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
                  f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                  f"</w:p></w:{tag}>")
    items = "".join(f'<w:{tag} w:id="{n}"><w:p>{run(text)}</w:p></w:{tag}>' for n, text in enumerate(texts, 1))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} {NS}>{separators}{items}</w:{kind}>'
    part = Part(PackURI(f"/word/{kind}.xml"), NOTES_CT.format(kind), xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)
    refs = "".join(f'<w:r><w:{tag}Reference w:id="{n}"/></w:r>' for n in range(1, len(texts) + 1))
    body_xml(document, f"<w:p>{run(kind.capitalize() + ':')}{refs}</w:p>")


def table(document, rows: list[list[str]]) -> None:
    grid = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.paragraphs[0].text = text


def richtext() -> Document:
    document = Document()
    document.add_paragraph("Ansvarlig: {{r name}} (kontakt)")
    document.add_paragraph("{{p summary}}")
    document.add_paragraph("Efter resuméet.")
    quote = document.add_paragraph(style="Quote")
    quote.add_run("{{p quote}}").italic = True
    label = document.add_paragraph("Vigtigt: ")
    important = label.add_run("{{r name}}")
    important.bold = True
    important.font.size = Pt(14)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Projekt {{r name}}"
    section.footer.paragraphs[0].text = "{{p footer_note}}"
    table(document, [["Opgave", "Beskrivelse"], ["{%tr for a in tasks %}", ""],
                     ["{{ a.title }}", "{{r a.desc}}"], ["{%tr endfor %}", ""]])
    return document


def headers_footers() -> Document:
    document = Document()
    document.add_paragraph("Brødtekst om {{ project }}.")
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Sidehoved: {{ project }}"
    section.footer.paragraphs[0].text = "Sidefod: {{ owner }}"
    section.first_page_header.paragraphs[0].text = "Forside for {{ project }}"
    section.first_page_footer.paragraphs[0].text = "Første sidefod {{ owner }}"
    return document


def stories() -> Document:
    """Footnotes, text boxes, content controls (block and inline) and tracked insertions."""
    document = Document()
    document.add_paragraph("Indledning om {{ project }}.")
    body_xml(document, f"<w:p>{run('Boks: ')}{text_box('I boksen: {{ boxed }}', 1)}</w:p>")
    body_xml(document, f'<w:sdt><w:sdtPr><w:alias w:val="Ejer"/></w:sdtPr><w:sdtContent><w:p>'
                       f"{run('Ejer: {{ controlled }}')}</w:p></w:sdtContent></w:sdt>")
    body_xml(document, f"<w:p>{run('Inline: ')}<w:sdt><w:sdtPr/><w:sdtContent>{run('{{ inline_control }}')}"
                       "</w:sdtContent></w:sdt></w:p>")
    body_xml(document, f'<w:p>{run("Ændret: ")}<w:ins w:id="7" w:author="Ane" w:date="2026-01-01T00:00:00Z">'
                       f"{run('{{ inserted }}')}</w:ins>"
                       '<w:del w:id="8" w:author="Ane" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>gammel tekst'
                       "</w:delText></w:r></w:del></w:p>")
    notes(document, "footnotes", ["Kilde: {{ source }}", "Anden note uden tags"])
    return document


def tables() -> Document:
    """docxtpl's table tags: cellbg, colspan, vm (vertical merge) in a row loop, hm (horizontal merge)."""
    document = Document()
    document.add_paragraph("Tabeller")
    table(document, [["Navn", "Note"], ["{%tr for a in items %}", ""],
                     ["{% cellbg a.bg %}{{ a.name }}", "{{ a.note }}"], ["{%tr endfor %}", ""]])
    table(document, [["{% colspan span %}Fælles overskrift", ""], ["A", "B"]])
    table(document, [["{%tr for p in people %}", ""], ["{% vm %}{{ team }}", "{{ p }}"], ["{%tr endfor %}", ""]])
    table(document, [["{%tc for y in years %}", "{% hm %}Årstal", "{%tc endfor %}"],
                     ["{%tc for y in years %}", "{{ y }}", "{%tc endfor %}"]])
    return document


def vocabulary() -> Document:
    """Comments, literals, defaults and docxtpl's paragraph and run tags."""
    document = Document()
    document.add_paragraph("Skriv {_{ navn }_} for at indsætte et navn.{# en note til forfatteren #}")
    document.add_paragraph("Status: {{ status|default('ikke angivet') }}")
    document.add_paragraph("{%p if show %}")
    document.add_paragraph("Vises kun når show er sand: {{ detail }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Før {%r if show %}midt{%r endif %} efter")
    document.add_paragraph("{#p en hel kommentarlinje #}")
    return document


def refused() -> Document:
    """What Netkit cannot fill: custom filters, tests and functions, sub-documents in rows, endnotes, hm alone."""
    document = Document()
    document.add_paragraph("{{ name|shout }}")
    document.add_paragraph("Logo: {{ InlineImage(tpl, 'logo.png') }}")
    document.add_paragraph("{% if name is shouty %}høj{% endif %}")
    document.add_paragraph("{% hm %}uden løkke")
    table(document, [["{{tc sub}}", "x"]])
    notes(document, "endnotes", ["Slutnote: {{ name }}"])
    return document


def damaged_quotes() -> Document:
    """Word autocorrect damage inside tags, in a text box, a content control and a footnote."""
    document = Document()
    document.add_paragraph("{{ status|default(“ukendt”) }}")
    body_xml(document, f"<w:p>{text_box('{{ place|default(‘her’) }}', 2)}</w:p>")
    body_xml(document, f"<w:sdt><w:sdtPr/><w:sdtContent><w:p>{run('{{ owner|default(“ingen”) }}')}</w:p>"
                       "</w:sdtContent></w:sdt>")
    notes(document, "footnotes", ["{{ source|default(“ingen kilde”) }}"])
    return document


FIXTURES = {"richtext": richtext, "headers_footers": headers_footers, "stories": stories, "tables": tables,
            "vocabulary": vocabulary, "refused": refused, "damaged_quotes": damaged_quotes}


def build(into: Path = HERE) -> list[Path]:
    written = []
    for name, make in FIXTURES.items():
        path = into / f"{name}.docx"
        make().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
