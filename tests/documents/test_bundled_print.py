"""The bundled templates are fit to print in Denmark: every example rendered, laid out by LibreOffice (one start
for all seven) and read back — A4, no blank page, no table column narrower than its longest word, a header with
the document's own title, a footer in one size, and the fixes to the consent form, mandate, checklists and
minutes."""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt

from toolkit.config import BUNDLED_TEMPLATES
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import TemplateCatalogue

BUNDLED = ["anbefaling-til-beslutningstagere", "beslutningsreferat", "ce-maerkning-tjekliste", "dataadgang-tjekliste",
           "kommissorium-arbejdsgruppe", "konsekvensanalyse-dpia", "samtykkeerklaering"]
LANDSCAPE = {"ce-maerkning-tjekliste"}  # its checklist has six columns, two of them to write in
A4_PT = (595.0, 842.0)
MIN_LINES = 3  # of body text on a page  # pdfinfo's page size, in points (1/72 inch)
CARLITO = Path("/usr/share/fonts/truetype/crosextra")  # metric-compatible with Calibri, the house font
CELL_MARGINS_CM = 2 * 0.19  # Word's and LibreOffice's default left + right cell margin (108 twips each)
SLACK = 1.08  # borders, kerning and rounding: a word measured exactly as wide as its cell still broke in LibreOffice


@pytest.fixture(scope="module")
def catalogue():
    return TemplateCatalogue(BUNDLED_TEMPLATES)


@pytest.fixture(scope="module")
def examples(catalogue) -> dict[str, bytes]:
    return {name: render_docx(catalogue.get(name), catalogue.get(name).example()).data for name in BUNDLED}


@pytest.fixture(scope="module")
def pdfs(examples, tmp_path_factory, require_libreoffice) -> dict[str, Path]:
    from toolkit.documents.pdf import docx_to_pdf_many

    folder = tmp_path_factory.mktemp("bundled-pdf")
    paths = {}
    for name, data in docx_to_pdf_many(examples).items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths


# -- measuring ----------------------------------------------------------------------------------------------------


@cache
def _font(bold: bool):
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(CARLITO / ("Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf")), 1000)
    except (ImportError, OSError):
        return None


def word_width_cm(word: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of `word` in Calibri/Carlito; without the font, a generous 0.62 em a character."""
    font = _font(bold)
    em = font.getlength(word) / 1000 if font else 0.62 * len(word)
    return em * size_pt / 72 * 2.54


def words(text: str) -> list[str]:
    """The pieces a line may not break inside: split at spaces, and after a hyphen (Danish breaks there)."""
    return [piece for token in text.split() for piece in re.split(r"(?<=-)", token) if piece]


def cell_runs(cell, default_pt: float):
    for paragraph in cell.paragraphs:
        style_size = paragraph.style.font.size.pt if paragraph.style.font.size else default_pt
        for run in paragraph.runs:
            yield run.text, run.font.size.pt if run.font.size else style_size, bool(run.bold)


def pdf_pages(path: Path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))
    return [_run("pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-") for page in
            range(1, count + 1)]


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def body_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# -- the Word files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLED)
def test_every_section_is_a4(examples, name):
    for section in Document(io.BytesIO(examples[name])).sections:
        size = sorted((round(section.page_width.cm, 1), round(section.page_height.cm, 1)))
        assert size == [21.0, 29.7], f"{name}: {size} cm is not A4"
        landscape = section.page_width > section.page_height
        assert landscape == (name in LANDSCAPE)
        for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
            assert Cm(1.9) <= margin <= Cm(2.5)


@pytest.mark.parametrize("name", BUNDLED)
def test_no_table_column_is_narrower_than_its_longest_word(examples, name):
    document = Document(io.BytesIO(examples[name]))
    default_pt = document.styles["Normal"].font.size.pt
    usable = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    too_narrow = []
    for number, table in enumerate(document.tables, 1):
        assert sum(cell.width for cell in table.rows[0].cells) <= usable + Cm(0.05), f"table {number} too wide"
        for row in table.rows:
            for cell in row.cells:
                assert cell.width, f"table {number}: a cell without a width"
                room = cell.width.cm - CELL_MARGINS_CM
                for text, size, bold in cell_runs(cell, default_pt):
                    for word in words(text):
                        if word_width_cm(word, size, bold) * SLACK > room:
                            too_narrow.append(f"table {number}: »{word}« ({size} pt) in {cell.width.cm:.2f} cm")
    assert not too_narrow, "\n".join(too_narrow)


def test_the_estimate_measures_real_words():
    assert 3.2 < word_width_cm("Databeskyttelsesrådgiver", 9.5) < 3.7  # the word the issue saw split in 3.7 cm
    assert word_width_cm("Nr.", 9.5, bold=True) < 0.8
    assert words("EU/EØS-land og Sundhedsdatastyrelsen") == ["EU/EØS-", "land", "og", "Sundhedsdatastyrelsen"]


@pytest.mark.parametrize("name", BUNDLED)
def test_the_header_names_the_document_and_the_footer_is_one_size(catalogue, examples, name):
    document = Document(io.BytesIO(examples[name]))
    for section in document.sections:
        header = section.header.paragraphs[0].text
        assert header and "Netkit-skabelon" not in header and name not in header
        assert "{{" not in header
        sizes = {run.font.size for paragraph in section.footer.paragraphs for run in paragraph.runs}
        assert sizes == {Pt(8)}, f"{name}: footer runs in {sizes}"
    assert catalogue.get(name).version in document.core_properties.comments  # the version is still on record


def test_material_exports_number_their_pages_in_the_footer_size(tmp_path):
    from docx.text.paragraph import Paragraph

    from toolkit.publishing.wordpage import _footer

    document = Document()
    _footer(document.sections[0].footer.paragraphs[0], "Netværket")
    paragraph: Paragraph = document.sections[0].footer.paragraphs[0]
    assert paragraph.text.startswith("Netværket · Side ")
    assert {run.font.size for run in paragraph.runs} == {Pt(8)}
    assert len(paragraph.runs) > 4  # the fields in runs of their own, as Word writes them


# -- the fixes named in the issue ---------------------------------------------------------------------------------


def test_the_consent_form_has_no_instruction_for_the_project(examples):
    text = body_text(examples["samtykkeerklaering"])
    assert "Fjern denne boks" not in text and "Vejledning til projektet" not in text
    assert "Deltagerens underskrift" in text


def test_the_mandate_names_the_group_without_its_id(examples, catalogue):
    answers = catalogue.get("kommissorium-arbejdsgruppe").example()
    text = body_text(examples["kommissorium-arbejdsgruppe"])
    assert answers["group_name"] in text
    if answers.get("short_id"):
        assert f"({answers['short_id']})" not in text


def test_the_data_access_checklist_never_claims_done_beside_an_empty_box(examples):
    lines = body_text(examples["dataadgang-tjekliste"]).splitlines()
    assert any(line.startswith("☐") for line in lines)
    for line in lines:
        if line.startswith("☐"):
            assert not re.search(r"\b(Udført|Godkendt|På plads|DPO er inddraget)\b", line.split(".")[0]), line


def test_minutes_of_a_meeting_not_yet_held_are_a_blank_form(catalogue):
    package = catalogue.get("beslutningsreferat")
    answers = {key: value for key, value in package.example().items()
               if key not in ("action_items", "previous_actions", "approved_by", "approved_date")}
    text = body_text(render_docx(package, answers).data)
    assert "Der blev ikke aftalt nye handlingspunkter" not in text
    assert "Referatet er ikke godkendt endnu" in text and "Godkendt af (navn og rolle)" in text
    assert "Godkendt af:" not in text
    blank = [t for t in Document(io.BytesIO(render_docx(package, answers).data)).tables
             if [cell.text for cell in t.rows[0].cells][1:2] == ["Handling"]]
    assert blank and [row.cells[1].text for row in blank[0].rows[1:]] == ["", "", ""]  # lines to fill in
    held = body_text(render_docx(package, {**answers, "action_items": [], "no_action_items": True,
                                           "approved_by": "Mette Holm, mødeleder"}).data)
    assert "Der blev ikke aftalt nye handlingspunkter" in held and "Godkendt af: Mette Holm" in held


# -- the PDFs LibreOffice lays out --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLED)
def test_the_pdf_is_a4_with_text_on_every_page(pdfs, name):
    info = _run("pdfinfo", str(pdfs[name]))
    width, height = (float(n) for n in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert sorted((round(width), round(height))) == [round(A4_PT[0]), round(A4_PT[1])], info
    pages = pdf_pages(pdfs[name])
    body = [_without_header_and_footer(page) for page in pages]
    blank = [number for number, text in enumerate(body, 1) if not text.strip()]
    assert not blank, f"{name}: pages {blank} of {len(pages)} have no text but header and footer"
    # A page with a line or two (a lone row, the last line of a paragraph) is an orphan page.
    orphans = [number for number, text in enumerate(body, 1) if len(text.splitlines()) < MIN_LINES]
    assert not orphans, f"{name}: pages {orphans} hold fewer than {MIN_LINES} lines"
    assert all(f"Side {n} af {len(pages)}" in page for n, page in enumerate(pages, 1))


def test_the_page_numbers_print_in_the_footer_size(pdfs):
    for name, path in pdfs.items():
        boxes = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>',
                           _run("pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"))
        footer_top = max(float(top) for top, _bottom, _word in boxes)
        footer = {word: round(float(bottom) - float(top), 1) for top, bottom, word in boxes
                  if abs(float(top) - footer_top) < 3}
        assert "Side" in footer and "1" in footer, (name, footer)
        assert len(set(footer.values())) == 1, f"{name}: footer words in different sizes {footer}"


def _without_header_and_footer(page: str) -> str:
    lines = [line for line in page.splitlines() if line.strip()]
    return "\n".join(line for line in lines[1:] if "Side " not in line or "af" not in line)


def test_the_consent_text_and_the_signature_lines_share_a_page(pdfs):
    pages = pdf_pages(pdfs["samtykkeerklaering"])
    (page,) = [page for page in pages if "Samtykke fra deltageren" in page]
    assert "Deltagerens underskrift" in page and "Jeg giver samtykke" in page
