"""Template lint (`netkit templates check`) and scaffold, on Word files built independently in the tests."""

from __future__ import annotations

import io

import yaml
from docx import Document

from tests.helpers.docxmaker import make_docx, write_package
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import load_package
from toolkit.documents.scaffold import scaffold
from toolkit.documents.templatelint import check_package, fix_autocorrect

FORM = """\
title: {da: Referat, en: Minutes}
description: Et referat.
version: 1.0.0
sections:
  - id: main
    title: Mødet
    questions:
      - {id: meeting_title, type: text, label: Titel, required: true}
      - {id: held, type: boolean, label: Afholdt}
      - {id: secret, type: text, label: Hemmelig}
      - {id: gate, type: boolean, label: Port, used_in_template: false}
      - {id: later, type: text, label: Senere, show_if: gate}
      - id: attendees
        type: group
        label: Deltagere
        fields:
          - {id: name, type: text, label: Navn, required: true}
          - {id: organisation, type: text, label: Organisation}
"""
EXAMPLE = "meeting_title: Netværksmøde\nheld: true\nattendees: [{name: Ane, organisation: Region}]\n"
GOOD_BLOCKS = [
    "Referat: {{ meeting_title }}",
    "{%p if held %}", "Mødet blev afholdt. {{ secret }} {{ later }}", "{%p endif %}",
    [["Navn", "Organisation"], ["{%tr for a in attendees %}", ""], ["{{ a.name }}", "{{ a.organisation }}"],
     ["{%tr endfor %}", ""]],
]


def problems(folder):
    return check_package(load_package(folder)).problems


def test_a_good_package_passes_and_its_example_renders(tmp_path):
    result = check_package(load_package(write_package(tmp_path, "godt", GOOD_BLOCKS, FORM, EXAMPLE)))
    assert result.ok and result.rendered


def test_undeclared_names_and_missing_group_fields_are_found_with_their_place(tmp_path):
    blocks = [*GOOD_BLOCKS, "Ordstyrer: {{ chair }}", [["{%tr for a in attendees %}"], ["{{ a.role }}"],
                                                       ["{%tr endfor %}"]]]
    found = {p.message.split(";")[0]: p for p in problems(write_package(tmp_path, "navne", blocks, FORM, EXAMPLE))}
    chair = found["uses 'chair', which form.yaml does not declare"]
    assert chair.field.startswith("paragraph 5") and "{{ chair }}" in chair.field
    role = found["uses 'attendees.role', but the group 'attendees' has no field 'role'"]
    assert role.field.startswith("table 2, row 2, cell 1")


def test_unused_questions_and_fields_are_found_unless_marked(tmp_path):
    blocks = ["Referat: {{ meeting_title }} {{ later }}", "{%p if held %}", "x", "{%p endif %}",
              [["{%tr for a in attendees %}"], ["{{ a.name }}"], ["{%tr endfor %}"]]]
    found = {p.field: p for p in problems(write_package(tmp_path, "ubrugt", blocks, FORM, EXAMPLE))}
    assert "never used" in found["secret"].message and found["secret"].line == 10
    assert "never used" in found["attendees.organisation"].message
    assert "gate" not in found  # marked used_in_template: false


def test_a_question_read_only_by_conditions_gets_the_right_advice(tmp_path):
    form = FORM.replace("used_in_template: false", "required: false")
    found = {p.field: p for p in problems(write_package(tmp_path, "betingelse", GOOD_BLOCKS, form, EXAMPLE))}
    assert "read by conditions or rules" in found["gate"].message


def test_syntax_errors_are_reported_per_part_with_the_paragraph(tmp_path):
    blocks = [*GOOD_BLOCKS, "{%p if held %}", "no end"]
    found = problems(write_package(tmp_path, "syntaks", blocks, FORM, EXAMPLE))
    assert any("template syntax" in p.message and "endif" in p.message for p in found)


def test_autocorrect_damage_is_found_and_fixed_keeping_formatting(tmp_path):
    folder = write_package(tmp_path, "citat", GOOD_BLOCKS, FORM, EXAMPLE)
    make_docx(folder / "template.docx", GOOD_BLOCKS, runs=[["{{ meeting_title|default(“intet”) }}", " fed tekst ",
                                                            "{{ held|ja_nej }}"]])
    found = problems(folder)
    damaged = [p for p in found if "autocorrect" in p.message]
    assert len(damaged) == 1 and "“" in damaged[0].message
    assert fix_autocorrect(folder / "template.docx") == 2
    assert problems(folder) == []
    paragraph = Document(str(folder / "template.docx")).paragraphs[-1]
    assert paragraph.runs[0].text == '{{ meeting_title|default("intet") }}'
    assert paragraph.runs[1].bold  # the run between the tags keeps its formatting
    assert fix_autocorrect(folder / "template.docx") == 0


def test_dashes_inside_string_literals_are_not_damage(tmp_path):
    blocks = [*GOOD_BLOCKS, "{{ secret or '—' }}"]
    assert problems(write_package(tmp_path, "streg", blocks, FORM, EXAMPLE)) == []


def test_example_answers_that_fail_are_reported_against_example_yaml(tmp_path):
    found = problems(write_package(tmp_path, "eksempel", GOOD_BLOCKS, FORM, "held: maybe\n"))
    fields = {p.field: p for p in found}
    assert fields["meeting_title"].path.endswith("example.yaml")
    assert "yes or no" in fields["held"].message


# --- scaffold ------------------------------------------------------------------------------------------------

def test_scaffold_infers_a_questionnaire_from_a_foreign_word_file(tmp_path):
    source = make_docx(tmp_path / "fremmed.docx", [
        "Projekt: {{ project.title }} ({{ project.owner }})",
        "Dato: {{ start_date|dato }}",
        "{%p if has_budget %}", "Budget: {{ budget }}", "{%p endif %}",
        "{%p if status == 'approved' %}", "Godkendt", "{%p elif status == 'rejected' %}", "Afvist", "{%p endif %}",
        [["Kilde", "Ejer", "Felter"], ["{%tr for s in sources %}", "", ""],
         ["{{ s.name }}", "{{ s.owner }}", "{% for f in s.fields %}{{ f.label }} {% endfor %}"],
         ["{%tr endfor %}", "", ""]],
        "{% if count > 3 %}Mange{% endif %}",
    ], header="{{ project.title }}")
    made = scaffold(source, "fremmed-skema", tmp_path / "out")
    form = yaml.safe_load((made.folder / "form.yaml").read_text(encoding="utf-8"))
    questions = {q["id"]: q for q in form["sections"][0]["questions"]}
    assert list(questions)[:2] == ["project", "start_date"]  # document order
    assert questions["project"]["type"] == "group" and questions["project"]["repeat"] is False
    assert [f["id"] for f in questions["project"]["fields"]] == ["title", "owner"]
    assert questions["start_date"]["type"] == "date"
    assert questions["has_budget"]["type"] == "boolean"
    assert questions["budget"]["type"] == "text"
    assert questions["status"]["type"] == "choice" and questions["status"]["options"] == ["approved", "rejected"]
    assert questions["count"]["type"] == "number"
    sources = questions["sources"]
    assert sources["type"] == "group" and "repeat" not in sources
    fields = {f["id"]: f for f in sources["fields"]}
    assert set(fields) == {"name", "owner", "fields"}
    assert fields["fields"]["type"] == "group" and fields["fields"]["fields"][0]["id"] == "label"
    package = load_package(made.folder)
    result = check_package(package)
    assert result.ok, result.problems
    rendered = render_docx(package, package.example()).data
    assert "Eksempel: title" in Document(io.BytesIO(rendered)).paragraphs[0].text


def test_scaffold_refuses_a_file_without_tags_or_with_errors(tmp_path):
    import pytest

    from toolkit.errors import Invalid, InvalidSlug

    with pytest.raises(Invalid, match="no docxtpl tags"):
        scaffold(make_docx(tmp_path / "tom.docx", ["Bare tekst"]), "tom", tmp_path / "out")
    with pytest.raises(Invalid, match="template errors"):
        scaffold(make_docx(tmp_path / "fejl.docx", ["{% if x %}"]), "fejl", tmp_path / "out")
    with pytest.raises(InvalidSlug, match="not a template name"):
        scaffold(make_docx(tmp_path / "ok.docx", ["{{ x }}"]), "../ud", tmp_path / "out")
