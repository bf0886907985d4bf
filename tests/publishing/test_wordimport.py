"""Word → Markdown (toolkit.publishing.wordimport) on real files: built with python-docx, saved by LibreOffice, and
written by Netkit's own Word export; the Markdown asserted exactly where it matters and rendered by the web
renderer."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.conftest import VALID_FRONT
from tests.publishing.test_export import RICH_BODY
from tests.publishing.wordbuild import add_hyperlink, add_picture, append_xml, new_document, part, png, rewrite, saved
from toolkit.documents import pdf
from toolkit.errors import Invalid
from toolkit.library.folder import Library
from toolkit.library.media import reference_problems
from toolkit.library.render import LinkTargets, Renderer
from toolkit.publishing.htmlmarkdown import escape_line_start, escape_text, to_markdown
from toolkit.publishing.word import material_docx, material_docx_for_comments
from toolkit.publishing.wordimport import ImportedDocument, read_docx
from toolkit.publishing.wordprops import read_custom_properties, write_custom_properties

FIXTURES = Path(__file__).parent / "fixtures"


def render(body: str, titles: dict[str, str] | None = None) -> str:
    return Renderer().render(body, LinkTargets(titles or {}), cache=False).html


# -- python-docx ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built() -> tuple[bytes, ImportedDocument]:
    """A document as a person would write it in Word: core title, headings, nested lists, a table, a link,
    bold and italic, a picture with a description and one without."""
    document = new_document()
    document.core_properties.title = "Adgang til sundhedsdata"
    document.add_heading("Formål", 1)
    paragraph = document.add_paragraph("Data må kun bruges med ")
    paragraph.add_run("samtykke").bold = True
    paragraph.add_run(" eller ")
    paragraph.add_run("hjemmel").italic = True
    paragraph.add_run(", se ")
    add_hyperlink(paragraph, "Datatilsynet", "https://www.datatilsynet.dk/")
    paragraph.add_run(" (side 3-4, 5 * 2 = 10, snake_case).")
    document.add_paragraph("1. januar træder reglerne i kraft.")
    document.add_heading("Trin", 2)
    document.add_paragraph("Ansøg", style="List Bullet")
    document.add_paragraph("Udfyld skemaet", style="List Bullet 2")
    document.add_paragraph("Vedlæg protokol", style="List Bullet 2")
    document.add_paragraph("Vent på svar", style="List Bullet")
    document.add_paragraph("Første", style="List Number")
    document.add_paragraph("Anden", style="List Number")
    document.add_heading("Oversigt", 3)
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [["Rute", "Tid"], ["Forskning", "Lang | meget"], ["Drift", "Kort"]],
                          strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.rows[2].cells[1].add_paragraph("Anden linje")
    document.add_heading("Et dybt niveau", 4)
    add_picture(document, png(), "Diagram over dataflowet")
    add_picture(document, png(colour=(200, 30, 30)), None)
    document.add_paragraph("Et citat.", style="Quote")
    data = saved(document)
    return data, read_docx(data, "adgang.docx")


def test_title_comes_from_the_core_property(built):
    _, imported = built
    assert imported.title == "Adgang til sundhedsdata"


def test_headings_become_atx_headings_from_level_two(built):
    _, imported = built
    assert re.findall(r"^#+ .*$", imported.body, re.MULTILINE) == [
        "## Formål", "### Trin", "#### Oversigt", "##### Et dybt niveau"]


def test_inline_formatting_and_links(built):
    _, imported = built
    assert ("Data må kun bruges med **samtykke** eller *hjemmel*, se [Datatilsynet](https://www.datatilsynet.dk/) "
            "(side 3-4, 5 \\* 2 = 10, snake_case).") in imported.body
    assert "\n1\\. januar træder reglerne i kraft.\n" in imported.body  # not a numbered list


def test_nested_lists_are_indented_for_commonmark(built):
    _, imported = built
    assert "- Ansøg\n  - Udfyld skemaet\n  - Vedlæg protokol\n- Vent på svar\n\n1. Første\n2. Anden" in imported.body


def test_table_has_a_header_row_escaped_pipes_and_joined_paragraphs(built):
    _, imported = built
    assert ("| Rute | Tid |\n| --- | --- |\n| Forskning | Lang \\| meget |\n| Drift | Kort Anden linje |"
            in imported.body)


def test_pictures_become_media_files_with_their_description(built):
    _, imported = built
    assert [(file.name, file.type, file.width) for file in imported.media] == [
        ("billede-1.png", "png", 40), ("billede-2.png", "png", 40)]
    assert "![Diagram over dataflowet](media:billede-1.png)" in imported.body
    assert "![](media:billede-2.png)" in imported.body
    assert "1 billede uden alternativ tekst — skriv, hvad det viser" in imported.notes
    # the missing alt text is what `netkit check` then points at, so the user writes it before saving
    problems = reference_problems(imported.body, "ny.md", 1, {file.name for file in imported.media})
    assert [problem.message.split(";")[0] for problem in problems] == [
        "the image media:billede-2.png has no alternative text"]


def test_quote_style_becomes_a_block_quote(built):
    _, imported = built
    assert "\n> Et citat.\n" in imported.body


def test_the_markdown_renders_with_the_expected_tags(built):
    _, imported = built
    html = render(imported.body)
    assert re.findall(r"<(h[1-6])", html) == ["h2", "h3", "h4", "h5"]
    assert re.search(r"<ul>\s*<li>Ansøg\s*<ul>\s*<li>Udfyld skemaet</li>", html)
    assert "<ol>" in html and "<li>Første</li>" in html
    assert "<th>Rute</th>" in html and "<td>Lang | meget</td>" in html
    assert '<a href="https://www.datatilsynet.dk/" rel="noopener noreferrer">Datatilsynet</a>' in html
    assert '<img src="media:billede-1.png" alt="Diagram over dataflowet"' in html
    assert "<p>1. januar træder reglerne i kraft.</p>" in html
    assert "<blockquote>" in html and "<strong>samtykke</strong>" in html


def test_the_same_picture_twice_is_stored_once():
    document = new_document()
    picture = png()
    add_picture(document, picture, "Logo")
    add_picture(document, picture, "Logo igen")
    imported = read_docx(saved(document), "to.docx")
    assert [file.name for file in imported.media] == ["billede-1.png"]
    assert imported.body == "![Logo](media:billede-1.png)\n\n![Logo igen](media:billede-1.png)\n"


def test_title_paragraph_then_first_heading_then_file_name():
    document = new_document()
    document.add_paragraph("Min vejledning", style="Title")
    document.add_paragraph("Tekst.")
    imported = read_docx(saved(document), "x.docx")
    assert (imported.title, imported.body) == ("Min vejledning", "Tekst.\n")

    document = new_document()
    document.add_heading("Overskriften", 1)
    document.add_paragraph("Tekst.")
    imported = read_docx(saved(document), "x.docx")
    assert (imported.title, imported.body) == ("Overskriften", "Tekst.\n")

    document = new_document()
    document.add_paragraph("Kun tekst.")
    assert read_docx(saved(document), "C:\\Dokumenter\\mit_udkast.docx").title == "mit udkast"


def test_danish_style_names_are_mapped():
    document = new_document()
    for name, base in (("Overskrift 1", "Heading 1"), ("Citat", "Quote"), ("Kode", "Normal")):
        document.styles.add_style(name, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles[base]
    document.add_paragraph("Indledning", style="Overskrift 1")
    document.add_paragraph("Sagt af nogen.", style="Citat")
    document.add_paragraph("print('hej')", style="Kode")
    document.add_paragraph("for x in y:", style="Kode")
    imported = read_docx(saved(document), "dansk.docx")
    assert imported.title == "Indledning"
    assert imported.body == "> Sagt af nogen.\n\n```\nprint('hej')\nfor x in y:\n```\n"


def test_what_is_not_carried_over_is_noted_and_comments_are_read():
    document = new_document()
    document.add_paragraph("Før boksen.")
    append_xml(document.paragraphs[-1], '<w:r><w:pict><v:shape id="s1" style="width:100pt;height:50pt"><v:textbox>'
               '<w:txbxContent><w:p><w:r><w:t>I boksen</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
               '</w:pict></w:r>')
    append_xml(document.add_paragraph("Formel: "), "<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>")
    append_xml(document.add_paragraph("Tekst "), '<w:ins w:id="1" w:author="A"><w:r><w:t>ny</w:t></w:r></w:ins>'
               '<w:del w:id="2" w:author="A"><w:r><w:delText>gammel</w:delText></w:r></w:del>')
    for number in (1, 2):
        append_xml(document.add_paragraph("Diagram: "), f'<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/>'
                   f'<wp:docPr id="{number + 8}" name="D"/><a:graphic><a:graphicData '
                   'uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"/></a:graphic></wp:inline>'
                   "</w:drawing></w:r>")
    toc = document.add_paragraph()
    append_xml(toc, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText>'
               '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    run = document.add_paragraph("Kommenteret tekst her").runs[0]
    document.add_comment(run, text="Er det rigtigt?", author="Anna Jensen", initials="AJ")
    document.add_comment(document.add_paragraph("Og her").runs[0], text="Ja.\nHelt sikkert.", author="Bo")
    document.sections[0].header.paragraphs[0].text = "Fortroligt"
    imported = read_docx(saved(document), "noter.docx")
    assert imported.notes == (
        "1 tekstboks (teksten står som almindelige afsnit)", "sidehoved og sidefod",
        "indholdsfortegnelse (laves automatisk på siden)", "1 formel", "2 diagrammer (SmartArt/diagram)",
        "sporede ændringer: indsættelser er taget med, sletninger er udeladt")
    assert [dataclasses.astuple(comment) for comment in imported.comments] == [
        ("Anna Jensen", "Er det rigtigt?", "Kommenteret tekst her"), ("Bo", "Ja.\nHelt sikkert.", "Og her")]
    assert "I boksen" in imported.body and "Tekst ny" in imported.body and "gammel" not in imported.body


def test_word_list_levels_from_numbering_nest_too():
    """Word itself writes a list as "List Paragraph" with a multilevel numbering (w:numPr/w:ilvl), not a style
    per level: here level 0 is numbered and levels 1–2 are bullets, as in Word's own multilevel lists."""
    document = new_document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for level, kind, text in ((0, "decimal", "%1."), (1, "bullet", "•"), (2, "bullet", "o")))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in (("Et", 0), ("Under et", 1), ("Dybere", 2), ("To", 0)):
        paragraph = document.add_paragraph(text, style="List Paragraph")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = 90
    body = read_docx(saved(document), "niveauer.docx").body
    assert body == "1. Et\n   - Under et\n     - Dybere\n2. To\n"
    assert re.search(r"<ol>\s*<li>Et\s*<ul>\s*<li>Under et\s*<ul>\s*<li>Dybere</li>", render(body))


def test_a_damaged_or_absurdly_deep_document_is_refused_clearly():
    data = saved(new_document())
    with pytest.raises(Invalid) as caught:
        read_docx(rewrite(data, {"word/document.xml": b"<w:document><w:body><w:p>"}), "skadet.docx")
    assert str(caught.value.args[0]).startswith("skadet.docx kan ikke læses som Word-dokument")
    deep = "<w:tbl><w:tr><w:tc>" * 400 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 400
    document = part(data, "word/document.xml").decode().replace("<w:body>", "<w:body>" + deep)
    with pytest.raises(Invalid) as caught:
        read_docx(rewrite(data, {"word/document.xml": document.encode()}), "dyb.docx")
    assert caught.value.problems[0].field == "file"
    assert str(caught.value.args[0]).startswith("dyb.docx er bygget for dybt (tabeller eller lister inden i hinanden")


def test_only_web_and_mail_links_are_kept():
    document = new_document()
    paragraph = document.add_paragraph("Se ")
    add_hyperlink(paragraph, "filen", "file:///etc/passwd")
    paragraph.add_run(", ")
    add_hyperlink(paragraph, "skriv", "mailto:data@rm.dk")
    paragraph.add_run(" og ")
    add_hyperlink(paragraph, "https://example.org/a b", "https://example.org/a b")
    assert read_docx(saved(document), "l.docx").body == (
        "Se filen, [skriv](mailto:data@rm.dk) og <https://example.org/a%20b>\n")


def test_text_is_escaped_only_where_markdown_would_read_it():
    assert escape_text("side 3-4, snake_case og 2 < 3") == "side 3-4, snake_case og 2 < 3"
    assert escape_text("*vigtigt* _ikke_ [[link]] `kode` <b> &amp; ~~x~~") == \
        "\\*vigtigt\\* \\_ikke\\_ \\[\\[link]] \\`kode\\` \\<b> \\&amp; \\~\\~x\\~\\~"
    assert [escape_line_start(text) for text in ("1. januar", "# ikke", "- ikke", "> ikke", "---", "12 mænd")] == [
        "1\\. januar", "\\# ikke", "\\- ikke", "\\> ikke", "\\---", "12 mænd"]
    document = new_document()
    document.core_properties.title = "Escaping"
    document.add_heading("1. Indledning", 1)  # after "## " a number is no list: no backslash needed
    for text in ("# Ikke en overskrift", "- ikke et punkt", "2) heller ikke", "*stjerne* og [klamme]"):
        document.add_paragraph(text)
    body = read_docx(saved(document), "e.docx").body
    assert body.startswith("## 1. Indledning\n\n\\# Ikke en overskrift\n\n\\- ikke et punkt\n\n2\\) heller ikke\n")
    assert render(body).count("<p>") == 4 and "<h1" not in render(body) and "<li>" not in render(body)
    assert "<p>*stjerne* og [klamme]</p>" in render(body)


# -- LibreOffice ----------------------------------------------------------------------------------------------


def libreoffice_docx(source: Path, tmp_path: Path) -> bytes:
    subprocess.run([pdf.office_binary(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "out" / f"{source.stem}.docx").read_bytes()


def test_a_file_saved_by_libreoffice_with_footnotes_endnotes_and_a_picture(tmp_path, require_libreoffice):
    imported = read_docx(libreoffice_docx(FIXTURES / "vejledning.fodt", tmp_path), "vejledning.docx")
    assert imported.title == "Vejledning fra LibreOffice"
    assert imported.body == """\
## Formål

Data må kun bruges med **samtykke** eller *hjemmel*.[^1] Læs [Datatilsynets vejledning](https://www.datatilsynet.dk/).

### Trin

- Ansøg
  - Udfyld skemaet
- Vent på svar[^2] og læs[^3]

| Rute | Tid |
| --- | --- |
| Forskning | Lang \\| meget |

![Kort over regionens hospitaler](media:billede-1.png)

[^1]: Se databeskyttelsesforordningen art. 6.

[^2]: En slutnote.

[^3]: Typisk 30 dage.
"""
    assert [(file.name, file.width, file.height) for file in imported.media] == [("billede-1.png", 8, 6)]
    assert imported.notes == ()
    html = render(imported.body)
    assert html.count('class="footnote-ref"') == 3 and 'class="footnotes"' in html
    assert "Typisk 30 dage." in html and '<img src="media:billede-1.png" alt="Kort over regionens hospitaler"' in html


# -- Netkit's own Word export ---------------------------------------------------------------------------------


@pytest.fixture
def library(library_path) -> Library:
    (library_path / "alt-i-et.md").write_text(VALID_FRONT.format(title="Alt i et") + RICH_BODY, encoding="utf-8")
    (library_path / "rundtur.md").write_text(VALID_FRONT.format(title="Rundtur") + ROUND_TRIP, encoding="utf-8")
    return Library.load(library_path)


ROUND_TRIP = """\
Indledning med **fed**, *kursiv*, `kode` og ~~slettet~~ samt [Datatilsynet](https://www.datatilsynet.dk/).[^1]

## Første afsnit

- punkt a
- punkt b
  - under b
    - dybt

1. et
2. to

### Tabel

| Rute | Godkender | Tid |
| --- | --- | --- |
| Forskning | **Komité** | Lang |
| Drift | Regionen | Kort |

#### Fjerde niveau

> Et citat med **fed**.

```
def f(x):
    return x
```

Se [[samtykke-playbook|Samtykke i praksis]] og 1. januar.[^2]

- [ ] åben opgave
- [x] lukket opgave

[^1]: En note med [kilde](https://example.org/kilde).

[^2]: Den anden note.
"""


def test_netkit_export_comes_back_as_the_same_markdown(library):
    material = library.get("rundtur")
    imported = read_docx(material_docx(material, library), "rundtur.docx")
    assert imported.title == "Rundtur"
    assert imported.body == ROUND_TRIP
    assert imported.notes == ()  # the export's header, footer and cover are its own, not the author's


def test_netkit_export_with_everything(library):
    imported = read_docx(material_docx(library.get("alt-i-et"), library), "alt-i-et.docx")
    body = imported.body
    assert body.startswith("Indledning med **fed**, *kursiv*, `kode` og ~~slettet~~ samt "
                           "[Datatilsynet](https://www.datatilsynet.dk/).[^1]\n\n## Første afsnit\n")
    assert "Vejledning" not in body and "Testgruppen" not in body  # the cover's facts table
    assert "| Rute | Godkender | Tid |\n| --- | --- | --- |\n| Forskning | **Komité** | Lang |" in body
    assert "Tilbage til afsnittet." in body  # an internal anchor keeps its words
    assert body.endswith("[^1]: En note med [kilde](https://example.org/kilde).\n")
    assert "Noter" not in body


def test_the_word_file_for_comments_carries_its_revision_and_slug(library):
    revision = "0123456789abcdef0123456789abcdef01234567"
    data = material_docx_for_comments(library.get("rundtur"), library, revision=revision)
    imported = read_docx(data, "rundtur-kommentering.docx")
    assert (imported.revision, imported.slug, imported.title) == (revision, "rundtur", "Rundtur")
    assert imported.body == ROUND_TRIP  # the "Kladde til kommentering" line is the cover's, not the text


def test_a_co_author_edits_in_word_and_comments(library):
    data = material_docx_for_comments(library.get("rundtur"), library, revision="abc")
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Indledning"))
    paragraph.add_run(" Tilføjet i Word.")
    document.add_comment(paragraph.runs[0], text="Kilde?", author="Carl")
    imported = read_docx(saved(document), "retur.docx")
    assert imported.revision == "abc"
    assert "samt [Datatilsynet](https://www.datatilsynet.dk/).[^1] Tilføjet i Word.\n" in imported.body
    assert [(c.author, c.text, c.quoted) for c in imported.comments] == [("Carl", "Kilde?", "Indledning med")]


def test_custom_properties_round_trip_through_the_writer():
    data = write_custom_properties(saved(new_document()), {"netkit-revision": "r1", "netkit-slug": "s"})
    assert read_custom_properties(data) == {"netkit-revision": "r1", "netkit-slug": "s"}
    imported = read_docx(data, "p.docx")
    assert (imported.revision, imported.slug) == ("r1", "s")
    assert read_docx(saved(new_document()), "q.docx").revision is None



def test_pictures_in_the_netkit_export_come_back_byte_for_byte(library_path, write_material):
    write_material("figurer", "Indledning.\n\n![Diagram over dataflowet](media:flow.png)\n\n"
                              "| Figur | Tekst |\n| --- | --- |\n| ![Lille figur](media:lille.png) | Forklaring |\n")
    folder = library_path / "media" / "figurer"
    folder.mkdir(parents=True)
    flow, small = png(1200, 600), png(300, 100, (200, 40, 40))
    (folder / "flow.png").write_bytes(flow)
    (folder / "lille.png").write_bytes(small)
    library = Library.load(library_path)
    imported = read_docx(material_docx_for_comments(library.get("figurer"), library, revision="r"), "figurer.docx")
    assert imported.body == ("Indledning.\n\n![Diagram over dataflowet](media:billede-1.png)\n\n| Figur | Tekst |\n"
                             "| --- | --- |\n| ![Lille figur](media:billede-2.png) | Forklaring |\n")
    assert [(file.name, file.data) for file in imported.media] == [("billede-1.png", flow), ("billede-2.png", small)]


def test_merged_cells_keep_the_columns_in_line():
    document = new_document()
    table = document.add_table(rows=3, cols=3)
    for row, texts in zip(table.rows, [["Emne", "", "Frist"], ["A", "B", "Lang"], ["C", "D", ""]], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    assert read_docx(saved(document), "flettet.docx").body == (
        "| Emne |  | Frist |\n| --- | --- | --- |\n| A | B | Lang |\n| C | D |  |\n")


def test_html_and_scripts_typed_in_word_stay_text():
    document = new_document()
    document.add_paragraph("<script>alert(1)</script> og <img src=x onerror=alert(1)> & &amp;")
    add_hyperlink(document.add_paragraph(), "klik", "javascript:alert(1)")
    body = read_docx(saved(document), "fjendtlig.docx").body
    assert body == "\\<script>alert(1)\\</script> og \\<img src=x onerror=alert(1)> & \\&amp;\n\nklik\n"
    html = render(body)
    assert "<script" not in html and "<img" not in html and "javascript" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; og &lt;img src=x onerror=alert(1)&gt; &amp; &amp;amp;" in html


def test_a_footer_with_only_a_page_number_is_not_worth_a_note():
    document = new_document()
    document.add_paragraph("Tekst.")
    document.sections[0].footer.paragraphs[0].text = " 3 "
    assert read_docx(saved(document), "side.docx").notes == ()
    document.sections[0].footer.paragraphs[0].text = "Region Midtjylland, side 3"
    assert read_docx(saved(document), "side.docx").notes == ("sidehoved og sidefod",)


def test_brackets_in_link_text_and_hashes_ending_a_heading_survive():
    markdown = to_markdown(BeautifulSoup('<h2>Pris i #</h2><p><a href="https://x.dk/">a]b</a> og '
                                         '<a href="https://x.dk/"><img src="media:a.png" alt="Logo"/></a></p>',
                                         "html.parser"))
    assert markdown == "## Pris i \\#\n\n[a\\]b](https://x.dk/) og [![Logo](media:a.png)](https://x.dk/)"
    html = render(markdown)
    assert '<h2 id="pris-i-">Pris i #</h2>' in html
    assert '<a href="https://x.dk/" rel="noopener noreferrer">a]b</a>' in html
    assert '<img src="media:a.png" alt="Logo"' in html


def test_a_document_that_spent_its_heading_1_on_the_title_keeps_its_sections_at_level_two():
    document = new_document()
    document.add_heading("Playbook for dataadgang", 1)
    document.add_heading("Før I går i gang", 2)
    document.add_paragraph("Tekst.")
    document.add_heading("Detaljer", 3)
    imported = read_docx(saved(document), "playbook.docx")
    assert imported.title == "Playbook for dataadgang"
    assert imported.body == "## Før I går i gang\n\nTekst.\n\n### Detaljer\n"
