"""Generating Word files: every bundled template, the sandbox, escaping, hostile files, PDF by LibreOffice."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from tests.helpers.docxmaker import make_docx, write_package
from toolkit.config import BUNDLED_TEMPLATES
from toolkit.documents.generate import TemplateProblem, render_docx
from toolkit.documents.packages import TemplateCatalogue, load_package
from toolkit.documents.pdf import PdfUnavailable, docx_to_pdf_many
from toolkit.documents.templatelint import check_package
from toolkit.errors import Invalid

BUNDLED = ["anbefaling-til-beslutningstagere", "beslutningsreferat", "ce-maerkning-tjekliste", "dataadgang-tjekliste",
           "kommissorium-arbejdsgruppe", "konsekvensanalyse-dpia", "samtykkeerklaering"]
SIMPLE_FORM = """\
title: {da: Enkel, en: Simple}
description: En enkel skabelon.
version: 1.2.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: project_title, type: text, label: Titel, required: true}
      - {id: members, type: group, label: Medlemmer, fields: [{id: name, type: text, label: Navn}]}
"""
SIMPLE_EXAMPLE = "project_title: Projekt\nmembers: [{name: Ane}]\n"


def document_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def catalogue():
    return TemplateCatalogue(BUNDLED_TEMPLATES)


def test_the_bundled_catalogue_is_complete(catalogue):
    assert catalogue.names() == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_template_passes_check_and_renders_its_example(catalogue, name):
    package = catalogue.get(name)
    result = check_package(package)
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.rendered
    generated = render_docx(package, package.example())
    text = document_text(generated.data)
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert package.form.title.en and package.form.description.en
    document = Document(io.BytesIO(generated.data))
    assert document.core_properties.title
    assert document.core_properties.keywords == name
    header = document.sections[0].header.paragraphs[0].text
    # the header names the document (issue 19), not the template; the version stays in the properties
    assert header and "Netkit-skabelon" not in header and name not in header
    assert package.version in document.core_properties.comments
    assert generated.filename.endswith(".docx") and "/" not in generated.filename


def test_answers_appear_in_the_document_and_are_escaped(tmp_path):
    folder = write_package(tmp_path, "enkel", ["Titel: {{ project_title }}", [["Navn"], ["{%tr for m in members %}"],
                                                                              ["{{ m.name }}"], ["{%tr endfor %}"]]],
                           SIMPLE_FORM, SIMPLE_EXAMPLE)
    package = load_package(folder)
    generated = render_docx(package, {"project_title": "<b>Tom & Jerry</b> \"x\"",
                                      "members": [{"name": "Ane"}, {"name": "Bo"}]})
    text = document_text(generated.data)
    assert "Titel: <b>Tom & Jerry</b> \"x\"" in text
    table = Document(io.BytesIO(generated.data)).tables[0]
    assert [row.cells[0].text for row in table.rows] == ["Navn", "Ane", "Bo"]


@pytest.mark.parametrize("tag", ["{{ ''.__class__.__mro__ }}", "{{ project_title.__class__ }}",
                                 "{{ members.__init__.__globals__ }}", "{{ cycler.__init__.__globals__.os }}"])
def test_the_sandbox_refuses_python_internals(tmp_path, tag):
    folder = write_package(tmp_path, "ond", ["Titel: {{ project_title }}", "{{ members }}", tag],
                           SIMPLE_FORM, SIMPLE_EXAMPLE)
    with pytest.raises(TemplateProblem) as caught:
        render_docx(load_package(folder), {"project_title": "x"})
    problem = caught.value.problems[0]
    assert "sandbox" in problem.message or "undefined" in problem.message
    assert problem.field and "paragraph 3" in problem.field


def test_a_syntax_error_names_the_paragraph_not_an_xml_offset(tmp_path):
    folder = write_package(tmp_path, "brudt", ["Intro", [["Navn", "{{ project_title }"]], "{{ members }}"],
                           SIMPLE_FORM, SIMPLE_EXAMPLE)
    with pytest.raises(TemplateProblem) as caught:
        render_docx(load_package(folder), {"project_title": "x"})
    problem = caught.value.problems[0]
    assert problem.field.startswith("table 1, row 1, cell 2")
    assert "{{ project_title }" in problem.field
    assert "w:t" not in str(problem)


@pytest.mark.parametrize(("content", "message"), [
    (b"just some text, not a Word file", "not a Word (.docx) file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
])
def test_files_that_are_not_word_documents_are_refused(tmp_path, content, message):
    folder = write_package(tmp_path, "skidt", ["{{ project_title }}", "{{ members }}"], SIMPLE_FORM, SIMPLE_EXAMPLE)
    (folder / "template.docx").write_bytes(content)
    with pytest.raises(Invalid) as caught:
        render_docx(load_package(folder), {"project_title": "x"})
    assert message in str(caught.value)
    assert "template.docx" in caught.value.problems[0].path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    folder = write_package(tmp_path, "bombe", ["{{ project_title }}", "{{ members }}"], SIMPLE_FORM, SIMPLE_EXAMPLE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    (folder / "template.docx").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(Invalid, match="zip bomb"):
        render_docx(load_package(folder), {"project_title": "x"})


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    folder = write_package(tmp_path, "zip", ["{{ project_title }}", "{{ members }}"], SIMPLE_FORM, SIMPLE_EXAMPLE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (folder / "template.docx").write_bytes(buffer.getvalue())
    with pytest.raises(Invalid, match="not a Word document"):
        render_docx(load_package(folder), {"project_title": "x"})


def test_unanswered_optional_values_print_as_nothing(tmp_path):
    form = SIMPLE_FORM + "      - {id: note, type: text, label: Note}\n"
    folder = write_package(tmp_path, "tom", ["{{ project_title }}|{{ note }}|", "{{ members }}"], form,
                           SIMPLE_EXAMPLE)
    assert "Projekt||" in document_text(render_docx(load_package(folder), {"project_title": "Projekt"}).data)


def test_make_docx_helper_builds_real_files(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["x", [["a", "b"]]], header="H")
    document = Document(str(path))
    assert document.paragraphs[0].text == "x" and document.tables[0].rows[0].cells[1].text == "b"


def test_libreoffice_converts_every_bundled_template_to_pdf(catalogue, require_libreoffice):
    documents = {name: render_docx(catalogue.get(name), catalogue.get(name).example()).data for name in BUNDLED}
    pdfs = docx_to_pdf_many(documents)
    assert set(pdfs) == set(BUNDLED)
    for name, data in pdfs.items():
        assert data.startswith(b"%PDF-"), name
        assert len(data) > 5000, name


def test_pdf_without_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("NETKIT_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        docx_to_pdf_many({"x": b"irrelevant"})
