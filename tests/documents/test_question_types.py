"""Lists of plain values and numbers that stay numbers: form.yaml, validation, real docxtpl rendering (compared with
plain docxtpl on the same data), whitespace that means something, and control characters refused by field."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docxtpl import DocxTemplate

from tests.helpers.docxmaker import write_package
from toolkit.documents.formfile import parse_form
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import load_package
from toolkit.errors import Invalid
from toolkit.yamlfile import parse_yaml

FORM = """\
title: Typer
description: Lister og tal.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - id: skills
        type: list
        label: Kompetencer
        required: true
        max_length: 20
      - id: scores
        type: list
        items: number
        label: Point
      - id: count
        type: number
        integer: true
        min: 1
        max: 10
        label: Antal
      - id: share
        type: number
        label: Andel
      - id: note
        type: textarea
        label: Note
      - id: spacer
        type: text
        label: Luft
"""
BLOCKS = ["{% for s in skills %}{{ s }};{% endfor %}",
          "{% for p in scores %}{{ p * 2 }};{% endfor %}",
          "Antal: {{ count + 1 }} {% if count == 3 %}tre{% endif %}",
          "Andel: {{ share }}",
          "[{{ note }}]",
          "[{{ spacer }}]"]
EXAMPLE = "skills: [Python]\ncount: 3\n"


def form(text: str = FORM):
    return parse_form(parse_yaml(text, "form.yaml"), "form.yaml")


@pytest.fixture
def package(tmp_path):
    return load_package(write_package(tmp_path, "typer", BLOCKS, FORM, EXAMPLE))


def body(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def plain_docxtpl(package, context) -> list[str]:
    template = DocxTemplate(str(package.docx_path))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return body(out.getvalue())


# --- form.yaml --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "message", "line"), [
    ("      - {id: x, type: list, items: date, label: X}", "items must be one of text, number, not 'date'", 8),
    ("      - {id: x, type: text, items: number, label: X}", "only a list question has items", 8),
    ("      - {id: x, type: text, integer: true, label: X}", "only a number (or a list of numbers) can be integer",
     8),
    ("      - {id: x, type: number, min: 5, max: 2, label: X}", "min (5) is larger than max (2)", 8),
    ("      - {id: x, type: number, min: fem, label: X}", "min must be a number, not 'fem'", 8),
    ("      - {id: x, type: list, max: -1, label: X}", "max counts the entries", 8),
    ("      - {id: x, type: number, integer: true, max: 2.5, label: X}", "max must be a whole number", 8),
])
def test_form_yaml_problems_with_the_new_types_name_the_line(question, message, line):
    text = FORM.split("      - id: skills")[0] + question + "\n"
    with pytest.raises(Invalid) as caught:
        form(text)
    problems = [p for p in caught.value.problems if message in p.message]
    assert problems, caught.value.problems
    assert problems[0].line == line and problems[0].field.startswith("x")


def test_a_list_question_parses_with_its_items():
    parsed = form()
    assert parsed.question("skills").type == "list" and parsed.question("skills").items == "text"
    assert parsed.question("scores").items == "number" and parsed.question("count").integer
    assert parsed.question("skills").empty_value() == []


# --- validation -------------------------------------------------------------------------------------------------

def test_a_list_is_read_from_yaml_or_from_lines_and_keeps_plain_values():
    parsed = form()
    clean = parsed.validate({"skills": ["Python", " SQL ", ""], "scores": "1\n\n2,5\n28.000", "count": "4"})
    assert clean["skills"] == ["Python", "SQL"]
    assert clean["scores"] == [1, 2.5, 28000] and isinstance(clean["scores"][0], int)
    assert clean["count"] == 4 and isinstance(clean["count"], int)
    assert parsed.validate({"skills": "Python\nSQL\n", "count": "2,0"})["count"] == 2


@pytest.mark.parametrize(("answers", "field", "message"), [
    ({"skills": []}, "skills", "is required"),
    ({"skills": "ok\n" + "x" * 30}, "skills", "entry 2: must be at most 20 characters"),
    ({"skills": "ok", "scores": "1\nto"}, "scores", "entry 2: must be a number, not 'to'"),
    ({"skills": "ok", "scores": [True]}, "scores", "entry 1: must be a number"),
    ({"skills": "ok", "count": "2,5"}, "count", "must be a whole number, not '2,5'"),
    ({"skills": "ok", "count": 11}, "count", "must be at most 10"),
    ({"skills": {"a": 1}}, "skills", "must be a list of values (one per line)"),
    ({"skills": "ok\nmed\x0blodret tab"}, "skills", "entry 2: contains a control character (U+000B)"),
    ({"skills": "ok", "note": "a\x01b"}, "note", "contains a control character (U+0001)"),
    ({"skills": "ok", "spacer": "x\x1f"}, "spacer", "contains a control character (U+001F)"),
])
def test_bad_answers_are_refused_at_their_field(answers, field, message):
    with pytest.raises(Invalid) as caught:
        form().validate(answers)
    assert any(p.field == field and p.message.startswith(message) for p in caught.value.problems), \
        caught.value.problems


def test_meaningful_whitespace_is_kept_and_stray_whitespace_is_not():
    clean = form().validate({"skills": "ok", "note": "\n  indrykket\nlinje  \n\n", "spacer": "   "})
    assert clean["note"] == "\n  indrykket\nlinje"  # leading newline and indentation are layout; the end is not
    assert clean["spacer"] == "   "  # an optional answer of only spaces is deliberate (room to write by hand)
    assert form().validate({"skills": "ok", "note": "\r\nen\r\nto"})["note"] == "\nen\nto"  # a browser's CRLF
    assert form().validate({"skills": "ok", "spacer": "  Navn \t"})["spacer"] == "Navn"  # stray spaces in a line
    with pytest.raises(Invalid) as caught:
        form().validate({"skills": "  \n "})  # a required answer is not given by blanks
    assert caught.value.problems[0].field == "skills"


# --- real rendering -----------------------------------------------------------------------------------------------

def test_lists_and_numbers_render_as_plain_docxtpl_renders_them(package):
    answers = {"skills": "Python\nSQL", "scores": ["1", "2,5"], "count": "3", "share": "0,25",
               "note": "\nefter en tom linje", "spacer": "   "}
    generated = render_docx(package, answers)
    netkit = body(generated.data)
    assert netkit[:4] == ["Python;SQL;", "2;5.0;", "Antal: 4 tre", "Andel: 0.25"]
    assert "{'value'" not in "\n".join(netkit)
    assert netkit[4] == "[\nefter en tom linje]" and netkit[5] == "[   ]"
    context = {key: generated.context[key] for key in ("skills", "scores", "count", "share", "note", "spacer")}
    assert plain_docxtpl(package, context) == netkit


def test_a_control_character_never_reaches_the_document(package):
    with pytest.raises(Invalid) as caught:
        render_docx(package, {"skills": "a\x0bb", "note": "<b> & </b>", "count": 1})
    assert [p.field for p in caught.value.problems] == ["skills"]
    assert body(render_docx(package, {"skills": "ok", "note": "<b> & </b>", "count": 1}).data)[4] == "[<b> & </b>]"
