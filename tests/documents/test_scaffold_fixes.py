"""Scaffold never writes a package its own parser rejects: loops over plain values become lists, names become valid
ids (tags rewritten in the Word file) or are refused with the reason; generated documents keep the properties the
template's author set. Real .docx files built with python-docx, rendered by docxtpl and reopened."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate

from tests.helpers.docxmaker import make_docx, write_package
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import load_package
from toolkit.documents.scaffold import scaffold
from toolkit.documents.scaffoldnames import normalised
from toolkit.documents.templatelint import check_package
from toolkit.errors import Invalid
from toolkit.yamlfile import load_yaml


def texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_a_loop_over_plain_values_becomes_a_list_of_text(tmp_path):
    source = make_docx(tmp_path / "cv.docx", ["{% for s in skills %}{{ s }}, {% endfor %}",
                                              "{% for m in members %}{{ m.name }}{% endfor %}"])
    made = scaffold(source, "cv", tmp_path)
    questions = load_yaml(made.folder / "form.yaml", "form.yaml")["sections"][0]["questions"]
    assert [(q["id"], q["type"]) for q in questions] == [("skills", "list"), ("members", "group")]
    package = load_package(made.folder)
    assert check_package(package).ok
    generated = render_docx(package, {"skills": ["Python", "SQL"], "members": [{"name": "Ane"}]})
    assert texts(generated.data)[:2] == ["Python, SQL, ", "Ane"]
    plain = DocxTemplate(str(source))
    plain.render({"skills": ["Python", "SQL"], "members": [{"name": "Ane"}]})
    out = io.BytesIO()
    plain.save(out)
    assert texts(out.getvalue())[:2] == texts(generated.data)[:2]


@pytest.mark.parametrize(("name", "expected"), [
    ("Name", "name"), ("firstName", "first_name"), ("ProjectTitle", "project_title"),
    ("Projekt_Område", "projekt_omraade"), ("HTTPCode", "httpcode")])
def test_names_are_normalised_to_ids(name, expected):
    assert normalised(name) == expected


def test_names_that_cannot_be_ids_are_renamed_in_the_tags(tmp_path):
    source = make_docx(tmp_path / "brev.docx", ["Kære {{ Name }} ({{ 'Name' }})",
                                                "{% for m in Members %}{{ m.FullName }};{% endfor %}"],
                       runs=[["{{ Pro", "ject", "Title }}"]], header="{{ Name }}")
    made = scaffold(source, "brev", tmp_path)
    assert made.renamed == {"Name": "name", "Members": "members", "FullName": "full_name",
                            "ProjectTitle": "project_title"}
    package = load_package(made.folder)  # the parser accepts what scaffold wrote
    assert check_package(package).ok, check_package(package).problems
    template = Document(str(made.folder / "template.docx"))
    assert template.paragraphs[0].text == "Kære {{ name }} ({{ 'Name' }})"  # a quoted text is not a name
    assert template.sections[0].header.paragraphs[0].text == "{{ name }}"
    split = template.paragraphs[2]
    assert [run.text for run in split.runs] == ["{{ project_title", "", " }}"]  # the middle run lost its text
    assert split.runs[0].bold is not True and split.runs[2].bold is not True  # each piece keeps its formatting
    generated = render_docx(package, {"name": "Ane", "members": [{"full_name": "Bo"}], "project_title": "X"})
    assert texts(generated.data)[:3] == ["Kære Ane (Name)", "Bo;", "X"]


@pytest.mark.parametrize(("blocks", "message"), [
    (["{{ __class__ }}"], "'__class__' starts with _: the sandbox refuses such names"),
    (["{{ x._secret }}"], "'_secret' starts with _"),
    (["{{ Name }} {{ name }}"], "'Name' would become 'name', which the template already uses"),
    (["{{ Today }}"], "'Today' would become 'today'"),
])
def test_names_that_cannot_be_renamed_are_refused_with_the_reason_and_nothing_is_written(tmp_path, blocks, message):
    source = make_docx(tmp_path / "x.docx", blocks)
    with pytest.raises(Invalid) as caught:
        scaffold(source, "x", tmp_path / "out")
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.field and "paragraph 1" in p.field for p in caught.value.problems)
    assert not (tmp_path / "out").exists()


FORM = """\
title: Egenskaber
description: Beskrivelse fra formularen.
version: 1.2.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: navn, type: text, label: Navn}
"""


def _with_properties(folder, **properties):
    document = Document(str(folder / "template.docx"))
    for key, value in properties.items():
        setattr(document.core_properties, key, value)
    document.save(str(folder / "template.docx"))


def test_properties_the_template_sets_are_kept_and_empty_ones_filled(tmp_path):
    folder = write_package(tmp_path, "egenskaber", ["{{ navn }}"], FORM, "navn: A\n")
    _with_properties(folder, title="Forfatterens titel", subject="", keywords="", category="Notat",
                     comments="generated by python-docx")
    properties = Document(io.BytesIO(render_docx(load_package(folder), {"navn": "A"}).data)).core_properties
    assert properties.title == "Forfatterens titel" and properties.category == "Notat"
    assert properties.subject == "Beskrivelse fra formularen." and properties.keywords == "egenskaber"
    assert properties.comments == "Udfyldt med Netkit-skabelonen egenskaber 1.2.0"  # python-docx's stamp is empty
    assert properties.version == "1.2.0"


def test_the_forms_own_document_title_wins(tmp_path):
    folder = write_package(tmp_path, "egenskaber", ["{{ navn }}"],
                           FORM.replace("version:", "document_title: 'Notat om {{ navn }}'\nversion:"), "navn: A\n")
    _with_properties(folder, title="Forfatterens titel", subject="Forfatterens emne")
    properties = Document(io.BytesIO(render_docx(load_package(folder), {"navn": "Ane"}).data)).core_properties
    assert properties.title == "Notat om Ane" and properties.subject == "Forfatterens emne"


def test_scaffold_reads_docxtpl_table_tags_and_defaults(tmp_path):
    """{% colspan n %} asks for a number, {% cellbg c %} shows a colour in the example, and a name read only
    through |default(…) is optional."""
    import yaml

    data = Path(__file__).resolve().parent.parent / "data" / "docxtpl"
    tables = scaffold(data / "tables.docx", "tabeller", tmp_path)
    form = yaml.safe_load((tables.folder / "form.yaml").read_text(encoding="utf-8"))
    questions = {q["id"]: q for q in form["sections"][0]["questions"]}
    assert questions["span"]["type"] == "number"
    example = yaml.safe_load((tables.folder / "example.yaml").read_text(encoding="utf-8"))
    assert example["items"][0]["bg"] == "DCE9F1"
    words = scaffold(data / "vocabulary.docx", "ord", tmp_path)
    form = yaml.safe_load((words.folder / "form.yaml").read_text(encoding="utf-8"))
    status = next(q for q in form["sections"][0]["questions"] if q["id"] == "status")
    assert "required" not in status
