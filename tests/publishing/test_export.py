"""Word export of one material (toolkit.publishing.word): structure, links, cover, header, properties, robustness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import struct
import zlib

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from toolkit.config import BUNDLED_LIBRARY
from toolkit.documents import pdf
from toolkit.documents.sandboxfilters import danish_date
from toolkit.errors import Invalid
from toolkit.library.folder import Library
from toolkit.library.render import _make_markdown
from toolkit.publishing.word import material_docx

DATA_LIBRARY = DATA / "library"

RICH_BODY = """\
Indledning med **fed**, *kursiv*, `kode` og ~~slettet~~ samt [Datatilsynet](https://www.datatilsynet.dk/).[^1]

## Første afsnit

Se [[samtykke-playbook]], [[adgang-til-data|vejledningen]], [[adgang-til-data#forskning]] og [[findes-ikke]].

- punkt a
- punkt b
  - under b
    1. dybt

1. et
2. to

Mellemtekst.

3. tre
4. fire

- [ ] åben opgave
- [x] lukket opgave

### Tabel

| Rute | Godkender | Tid |
|:--|:-:|--:|
| Forskning | **Komité** | Lang |
| Drift | Regionen | Kort |

#### Fjerde niveau

> Et citat med **fed**.

```python
def f(x):
    return x
```

---

Tilbage til [afsnittet](#første-afsnit). <b>Rå</b> HTML <!-- skjult --> og [ring](tel:12345678).

[^1]: En note med [kilde](https://example.org/kilde).
"""


# -- helpers ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Library:
    return Library.load(BUNDLED_LIBRARY)


@pytest.fixture
def rich(library_path, write_material) -> tuple[Library, DocumentObject]:
    write_material("alt-i-et", RICH_BODY)
    library = Library.load(library_path)
    return library, export(library, "alt-i-et")


def export(library: Library, slug: str, **options) -> DocumentObject:
    return Document(io.BytesIO(material_docx(library.get(slug), library, **options)))


def all_paragraphs(document: DocumentObject) -> list[Paragraph]:
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    return paragraphs


def paragraph(document: DocumentObject, starts: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def links(document: DocumentObject) -> dict[str, str]:
    """Hyperlink text → its target (URL, or "#bookmark" for a link inside the document)."""
    return {link.text: link.address or f"#{link.fragment}"
            for p in all_paragraphs(document) for link in p.hyperlinks}


def hyperlink_targets(document: DocumentObject) -> set[str]:
    return {rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK}


def body_headings(document: DocumentObject) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x0b\x4f\x71" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# -- the body -----------------------------------------------------------------------------------------------


def test_headings_use_heading_styles_from_the_top_level_down(rich):
    _, document = rich
    # The body's highest level (##) is Word's Heading 1: the material title is the document's Title.
    assert body_headings(document) == [("Heading 1", "Første afsnit"), ("Heading 2", "Tabel"),
                                       ("Heading 3", "Fjerde niveau"), ("Heading 1", "Noter")]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Titel alt-i-et"]


def test_inline_formatting_becomes_run_formatting(rich):
    _, document = rich
    runs = {run.text: run for run in paragraph(document, "Indledning").runs}
    assert runs["fed"].bold and runs["kursiv"].italic and runs["slettet"].font.strike
    assert runs["kode"].style.name == "Inline Code"
    assert not runs["Indledning med "].bold


def test_lists_use_list_styles_by_level(rich):
    _, document = rich
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["punkt a"] == styles["punkt b"] == "List Bullet"
    assert styles["under b"] == "List Bullet 2"
    assert styles["dybt"] == "List Number 3"
    assert styles["et"] == styles["tre"] == "List Number"


def test_each_numbered_list_counts_from_its_own_start(rich):
    _, document = rich
    numbering = document.part.numbering_part.element

    def num_id(text: str) -> int:
        return paragraph(document, text)._p.pPr.numPr.numId.val

    def start(text: str) -> int:
        return numbering.num_having_numId(num_id(text)).lvlOverride_lst[0].startOverride.val

    assert num_id("et") == num_id("to") != num_id("tre") == num_id("fire")
    assert (start("et"), start("tre")) == (1, 3)


def test_task_items_show_checkboxes(rich):
    _, document = rich
    assert paragraph(document, "☐").text == "☐\tåben opgave"
    assert paragraph(document, "☒").text == "☒\tlukket opgave"
    assert paragraph(document, "☐").style.name == "List Continue"


def test_table_has_header_row_cells_and_alignment(rich):
    _, document = rich
    table = document.tables[1]  # tables[0] is the cover's facts
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Rute", "Godkender", "Tid"], ["Forskning", "Komité", "Lang"], ["Drift", "Regionen", "Kort"]]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold  # **Komité**
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.size == Pt(9.5)
    alignments = [str(cell.paragraphs[0].alignment) for cell in table.rows[2].cells]
    assert alignments == ["LEFT (0)", "CENTER (1)", "RIGHT (2)"]


def test_external_links_are_real_hyperlinks(rich):
    _, document = rich
    assert "https://www.datatilsynet.dk/" in hyperlink_targets(document)
    assert links(document)["Datatilsynet"] == "https://www.datatilsynet.dk/"
    assert links(document)["kilde"] == "https://example.org/kilde"  # inside a note
    assert all(run.style.name == "Hyperlink" for p in document.paragraphs for link in p.hyperlinks
               for run in link.runs)


def test_wiki_links_point_to_material_pages_with_titles(rich):
    _, document = rich
    found = links(document)
    assert found["Samtykke i praksis"] == "/m/samtykke-playbook/"  # no label: the target's title
    assert found["vejledningen"] == "/m/adgang-til-data/"
    assert found["Adgang til data (testudgave)"] == "/m/adgang-til-data/#forskning"
    assert {"/m/samtykke-playbook/", "/m/adgang-til-data/"} <= hyperlink_targets(document)
    assert "findes-ikke" in paragraph(document, "Se ").text and "findes-ikke" not in found  # dead: plain text


def test_links_inside_the_document_jump_to_bookmarks(rich):
    _, document = rich
    target = links(document)["afsnittet"]
    heading = paragraph(document, "Første afsnit")
    names = [b.get(qn("w:name")) for b in heading._p.iter(qn("w:bookmarkStart"))]
    assert target == f"#{names[0]}"


def test_raw_html_and_unsafe_links_stay_plain_text(rich):
    _, document = rich
    text = paragraph(document, "Tilbage").text
    assert text == "Tilbage til afsnittet. Rå HTML og ring."
    assert "ring" not in links(document)  # the web page drops tel: links too (render.URL_SCHEMES)
    assert not any(target.startswith("tel:") for target in hyperlink_targets(document))


def test_quotes_code_rules_and_notes(rich):
    _, document = rich
    assert paragraph(document, "Et citat").style.name == "Quote"
    code = paragraph(document, "def f")
    assert code.style.name == "Code" and code.text == "def f(x):\n    return x"
    assert code.style.font.name == "Consolas"
    assert any(p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None for p in document.paragraphs)  # ---
    note = paragraph(document, "1.\t")
    assert note.text == "1.\tEn note med kilde."
    mark = next(link for link in paragraph(document, "Indledning").hyperlinks if link.text == "1")
    assert mark.runs[0].font.superscript
    assert mark.fragment == "_fn1"  # the mark jumps to its note
    assert "_fn1" in [b.get(qn("w:name")) for b in note._p.iter(qn("w:bookmarkStart"))]


# -- cover, header, footer, properties ----------------------------------------------------------------------


def test_cover_has_title_summary_and_facts(rich):
    _, document = rich
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["Netværket for AI på sundhedsdata", "Titel alt-i-et", "En vejledning til test."]
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts == {"Type": "Vejledning", "Status og version": "Udgivet, version 1.0.0",
                     "Opdateret": "1. januar 2026", "Forfattere": "Testgruppen", "Emner": "Samtykke"}


def test_bundled_material_facts_use_taxonomy_labels(bundled):
    document = export(bundled, "adgang-til-data")
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Type"] == "Vejledning"
    assert facts["Opdateret"] == danish_date(bundled.get("adgang-til-data").updated)  # e.g. 6. december 2026
    assert facts["Emner"] == "Dataadgang, Jura, Forskning, Samtykke"
    assert facts["Forfattere"] == "Arbejdsgruppen for dataadgang"


def test_header_and_footer(rich, library_path):
    library, document = rich
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Titel alt-i-et · version 1.0.0"
    assert section.different_first_page_header_footer and section.first_page_header.paragraphs[0].text == ""
    footer = section.footer.paragraphs[0]
    instructions = [element.text.strip() for element in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Netværket for AI på sundhedsdata · Side ") and " af " in footer.text
    other = export(library, "alt-i-et", network_name="Et andet netværk")
    assert other.sections[0].footer.paragraphs[0].text.startswith("Et andet netværk · Side ")
    assert other.paragraphs[0].text == "Et andet netværk"


def test_core_properties(library_path, write_material):
    write_material("egenskaber", "Tekst.\n")
    library = Library.load(library_path)
    long_summary = "Et langt resumé. " * 30  # over Office's 255 characters
    material = dataclasses.replace(library.get("egenskaber"), summary=long_summary.strip(),
                                   authors=("Anne", "Bo"), topics=("consent", "law"), version="2.3.4")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties = Document(io.BytesIO(material_docx(material, library))).core_properties
    assert properties.title == "Titel egenskaber"
    assert properties.author == "Anne, Bo"
    assert properties.subject.startswith("Et langt resumé.") and len(properties.subject) == 255
    assert properties.keywords == "Samtykke, Jura"
    assert properties.version == "2.3.4"
    assert properties.language == "da-DK"
    assert properties.created >= before and properties.modified >= before


def test_logo_on_the_cover(rich, tmp_path):
    library, _ = rich
    wide, tall = tmp_path / "wide.png", tmp_path / "tall.png"
    wide.write_bytes(png(40, 10))
    tall.write_bytes(png(10, 100))
    document = export(library, "alt-i-et", logo=wide)
    assert len(document.inline_shapes) == 1 and document.inline_shapes[0].width == Cm(4)
    assert document.inline_shapes[0].height <= Cm(2.5)
    assert export(library, "alt-i-et", logo=tall).inline_shapes[0].height == Cm(2.5)


@pytest.mark.parametrize("content", [None, b"not an image", b"\x89PNG\r\n\x1a\ncut short", b"\xff\xd8\xffjunk"])
def test_a_bad_logo_is_invalid_and_names_the_file(rich, tmp_path, content):
    library, _ = rich
    logo = tmp_path / "logo.png"
    if content is not None:
        logo.write_bytes(content)
    with pytest.raises(Invalid) as caught:
        material_docx(library.get("alt-i-et"), library, logo=logo)
    assert caught.value.problems[0].path == str(logo)


def test_danish_date():
    assert danish_date(dt.date(2026, 11, 26)) == "26. november 2026"
    assert danish_date(dt.date(2027, 1, 1)) == "1. januar 2027"


# -- every bundled material, and odd Markdown ---------------------------------------------------------------


def test_a_table_too_wide_for_its_words_gets_smaller_type(library_path, write_material):
    words = " | ".join(["Sundhedsdatastyrelsen"] * 6)
    write_material("bred", f"| {' | '.join('abcdef')} |\n|{'---|' * 6}\n| {words} |\n")
    table = export(Library.load(library_path), "bred").tables[1]
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.size == Pt(8.5)
    assert sum(column.width for column in table.columns) <= Cm(16.45)


def test_every_bundled_material_exports(bundled):
    markdown = _make_markdown()
    assert len(bundled) > 0
    for material in bundled.materials():
        document = export(bundled, material.slug)
        tokens = markdown.parse(material.body, {})
        headings = sum(token.type == "heading_open" for token in tokens)
        notes = any(token.type == "footnote_block_open" for token in tokens)
        assert len(body_headings(document)) == headings + notes, material.slug
        assert len(document.tables) == 1 + sum(token.type == "table_open" for token in tokens), material.slug
        assert document.sections[0].header.paragraphs[0].text.startswith(material.title), material.slug
        for target in hyperlink_targets(document):
            local = target.startswith("/m/") and target.split("/")[2] in bundled
            assert local or target.startswith(("https://", "http://", "mailto:")), (material.slug, target)


ODD_BODIES = [
    "",
    "   \n\n",
    "```\nnever closed",
    ">" * 60 + " deep",
    "".join("  " * level + "- level\n" for level in range(12)),
    "999999999. huge start\n",
    "- \n- \n",
    "- ```\n  code first\n  ```\n",
    "- | a |\n  |---|\n  | 1 |\n",
    "| a |\n|---|\n",
    "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| only |\n",
    "control \x01\x02\x0b\x0c\x1f characters and \ufffe",
    "[[]] [[a|]] [[|b]] [[adgang-til-data#]] [[Invalid Slug]] [x]( ) [](https://e.org) [[adgang-til-data]]",
    "[a [[adgang-til-data]] b](https://e.org) [^nope] [^1]\n\n[^1]:\n",
    "<!--" * 200 + "<a b='x'" * 50,
    "# H1\n###### H6\n## H2",
    "![alt *em*](x.png) ![](y.png)\n***\n___\n",
    "\\*not em\\* &amp; &#x26; &copy; `` ` `` ``` ``",
    "[^1]\n\n[^1]: - list in note\n\n    > quote in note\n",
]


@pytest.mark.parametrize("body", ODD_BODIES)
def test_odd_markdown_never_raises(body):
    library = Library.load(DATA_LIBRARY)
    material = dataclasses.replace(library.get("adgang-til-data"), body=body)
    Document(io.BytesIO(material_docx(material, library)))


_PIECES = st.sampled_from(["# ", "## ", "- ", "1. ", "> ", "```", "~~~", "|", "---", "[^1]", "[^1]: ", "[[",
                           "]]", "[[samtykke-playbook]]", "[", "](", ")", "**", "*", "_", "`", "<b>", "</b>",
                           "<!--", "-->", "\n", "\n\n", "    ", "- [ ] ", "- [x] ", "![", "\\", "^[", "]", "#x",
                           "\t", "\x0b", "æ", "https://e.org", "| a | b |\n|---|---|\n"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=6), max_size=40).map("".join))
def test_generated_markdown_never_raises(body):
    library = _data_library()
    material = dataclasses.replace(library.get("adgang-til-data"), body=body)
    Document(io.BytesIO(material_docx(material, library)))


_LIBRARIES: dict[str, Library] = {}


def _data_library() -> Library:
    # Loaded once for every generated example (hypothesis does not mix with function-scoped fixtures).
    if "data" not in _LIBRARIES:
        _LIBRARIES["data"] = Library.load(DATA_LIBRARY)
    return _LIBRARIES["data"]


# -- LibreOffice ----------------------------------------------------------------------------------------------


def test_libreoffice_converts_an_export_to_pdf(rich, tmp_path, require_libreoffice):
    library, _ = rich
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(40, 10))
    data = pdf.docx_to_pdf(material_docx(library.get("alt-i-et"), library, logo=logo), "alt-i-et")
    assert data.startswith(b"%PDF-") and len(data) > 5000
