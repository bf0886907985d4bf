"""Questionnaires: reading form.yaml (problems with lines) and validating answers (every problem by field)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.documents.formfile import parse_form
from toolkit.errors import Invalid
from toolkit.yamlfile import parse_yaml

FORM = """\
title: {da: Testskema, en: Test form}
description: Et skema til test.
version: 1.0.0
sections:
  - id: basics
    title: Grundlæggende
    questions:
      - {id: name, type: text, label: Navn, required: true, max_length: 20}
      - {id: notes, type: textarea, label: Noter}
      - {id: cvr, type: text, label: CVR, pattern: "[0-9]{8}", pattern_message: CVR-nummeret har 8 cifre}
      - {id: count, type: number, label: Antal, min: 1, max: 10}
      - {id: start, type: date, label: Start, min: "2020-01-01"}
      - {id: uses_ai, type: boolean, label: Bruger AI}
      - id: model
        type: choice
        label: Model
        show_if: uses_ai
        required: true
        options: [{value: ml, label: {da: Maskinlæring, en: Machine learning}}, rules]
      - {id: data, type: multichoice, label: Data, options: [journal, billeder, lab], max: 2}
  - id: team
    title: Team
    show_if: "count and count > 1"
    questions:
      - id: members
        type: group
        label: Medlemmer
        min: 1
        max: 3
        fields:
          - {id: name, type: text, label: Navn, required: true}
          - {id: lead, type: boolean, label: Leder}
          - {id: email, type: text, label: E-mail, show_if: lead, required: true}
      - id: contact
        type: group
        repeat: false
        label: Kontakt
        fields:
          - {id: phone, type: text, label: Telefon}
computed:
  - {id: team_size, value: "members|length"}
"""


@pytest.fixture
def form():
    return parse_form(parse_yaml(FORM, "form.yaml"), "form.yaml")


def problems_of(form, answers) -> dict[str, str]:
    with pytest.raises(Invalid) as caught:
        form.validate(answers)
    return {p.field: p.message for p in caught.value.problems}


def test_valid_answers_are_cleaned_and_typed(form):
    clean = form.validate({
        "name": "  Ane ", "cvr": "12345678", "count": "2", "start": "2026-03-01", "uses_ai": "ja", "model": "ml",
        "data": ["lab", "journal"], "members": [{"name": "Bo", "lead": True, "email": "bo@example.dk"}],
        "contact": {"phone": "12"},
    })
    assert clean["name"] == "Ane"
    assert clean["count"] == 2
    assert clean["start"] == dt.date(2026, 3, 1)
    assert clean["uses_ai"] is True
    assert clean["data"] == ["journal", "lab"]  # the form's order
    assert clean["members"] == [{"name": "Bo", "lead": True, "email": "bo@example.dk"}]
    assert clean["notes"] is None


def test_every_problem_is_reported_at_once_by_field(form):
    problems = problems_of(form, {
        "nam": "x", "cvr": "12", "count": "mange", "start": "1. marts", "uses_ai": True, "data": ["lab", "x"],
    })
    assert "did you mean 'name'" in problems["nam"]
    assert problems["name"] == "is required"
    assert problems["cvr"] == "CVR-nummeret har 8 cifre"
    assert "must be a number" in problems["count"]
    assert "YYYY-MM-DD" in problems["start"]
    assert problems["model"] == "is required"
    assert "x: not among the choices" in problems["data"]


def test_ranges_lengths_and_counts(form):
    problems = problems_of(form, {"name": "x" * 21, "count": 11, "start": "2019-12-31",
                                  "data": ["journal", "billeder", "lab"]})
    assert "at most 20 characters" in problems["name"]
    assert "at most 10" in problems["count"]
    assert "on or after 2020-01-01" in problems["start"]
    assert "at most 2 choices" in problems["data"]


def test_answers_to_questions_that_do_not_apply_are_refused(form):
    problems = problems_of(form, {"name": "A", "uses_ai": False, "model": "ml", "count": 1,
                                  "members": [{"name": "Bo"}]})
    assert "does not apply" in problems["model"] and "uses_ai" in problems["model"]
    assert "does not apply" in problems["members"]


def test_group_records_are_validated_field_by_field(form):
    problems = problems_of(form, {"name": "A", "count": 3, "members": [
        {"name": "Bo", "lead": True}, {"nme": "x"}, {"name": "C", "email": "c@example.dk"}]})
    assert problems["members[1].email"] == "is required"
    assert "did you mean 'name'" in problems["members[2].nme"]
    assert problems["members[2].name"] == "is required"
    assert "does not apply" in problems["members[3].email"]


def test_group_counts_and_non_repeating_group(form):
    problems = problems_of(form, {"name": "A", "count": 2, "members": [{"name": str(i)} for i in range(4)],
                                  "contact": ["not", "a", "mapping"]})
    assert "at most 3 entries" in problems["members"]
    assert "mapping" in problems["contact"]


def test_applicable_follows_show_if(form):
    assert form.applicable({"uses_ai": True})["model"] is True
    assert form.applicable({"uses_ai": False})["model"] is False
    assert form.applicable({"count": 1})["members"] is False


@pytest.mark.parametrize(("snippet", "field", "message"), [
    ("      - {id: x, type: txt, label: X}", "x", "did you mean 'text'"),
    ("      - {id: x, type: text, label: X, requird: true}", "x.requird", "did you mean 'required'"),
    ("      - {id: x, type: text, label: X, show_if: later_one}", "x.show_if", "asked later"),
    ("      - {id: x, type: text, label: X, show_if: nothing_here}", "x.show_if", "not a question"),
    ("      - {id: x, type: text, label: X, show_if: 'a and'}", "x.show_if", "does not parse"),
    ("      - {id: x, type: text, label: X, pattern: '[unclosed'}", "x.pattern", "not a valid regular expression"),
    ("      - {id: x, type: choice, label: X}", "x", "needs a list of options"),
    ("      - {id: x, type: number, label: X, default: many}", "x", "default must be a number"),
    ("      - {id: Bad-Id, type: text, label: X}", "sections.basics", "must be lowercase"),
    ("      - {id: name, type: text, label: Igen}", "name", "ids must be unique"),
])
def test_form_problems_name_the_field_and_line(snippet, field, message):
    text = FORM.replace("      - {id: notes, type: textarea, label: Noter}\n",
                        snippet + "\n      - {id: later_one, type: text, label: L}\n")
    with pytest.raises(Invalid) as caught:
        parse_form(parse_yaml(text, "form.yaml"), "form.yaml")
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.field == field
    assert problem.line == 9  # the line of the offending question
    assert str(problem).startswith("form.yaml:9:")


def test_yaml_errors_and_duplicate_keys_point_at_the_line():
    with pytest.raises(Invalid) as caught:
        parse_yaml("title: a\ntitle: b\n", "form.yaml")
    assert caught.value.problems[0].line == 2 and "duplicate key 'title'" in caught.value.problems[0].message
    with pytest.raises(Invalid) as caught:
        parse_yaml("a: [1, 2\nb: c\n", "answers.yaml")
    assert caught.value.problems[0].path == "answers.yaml" and caught.value.problems[0].line is not None


def test_sandboxed_show_if_cannot_reach_python_internals():
    text = FORM.replace("show_if: uses_ai", "show_if: \"uses_ai.__class__.__mro__\"")
    form = parse_form(parse_yaml(text, "form.yaml"), "form.yaml")
    problems = problems_of(form, {"name": "A", "uses_ai": True})
    assert "refused by the sandbox" in problems["model"]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "count", "start", "uses_ai", "model", "data", "members",
                                        "contact", "zzz"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                                    lambda inner: st.lists(inner, max_size=3)
                                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)))
def test_any_answers_give_clean_values_or_invalid_never_a_crash(answers):
    form = parse_form(parse_yaml(FORM, "form.yaml"), "form.yaml")
    try:
        clean = form.validate(answers)
    except Invalid as exc:
        assert exc.problems and all(p.field for p in exc.problems)
    else:
        assert set(clean) == set(form.ids)


@pytest.mark.parametrize(("text", "number"), [("28.000", 28000), ("1.234,5", 1234.5), ("2,5", 2.5), ("-3", -3),
                                              ("1 000", 1000), ("0.25", 0.25)])
def test_numbers_are_read_the_danish_way_too(text, number):
    from toolkit.documents.answers import parse_number

    assert parse_number(text) == number


def test_numbers_that_are_not_numbers():
    from toolkit.documents.answers import parse_number

    assert parse_number("nan") is None and parse_number("1.2.3") is None and parse_number(True) is None


def test_what_readers_ask_for_is_read_per_language():
    text = FORM.replace("version: 1.0.0\n", "version: 1.0.0\nasked:\n  da:\n    - har I en skabelon\n"
                                            "    - tjekliste   til data\n  en: [a template for this]\n")
    form = parse_form(parse_yaml(text, "form.yaml"), "form.yaml")
    assert form.asked == ("har I en skabelon", "tjekliste til data") and form.asked_en == ("a template for this",)


@pytest.mark.parametrize(("block", "field", "line"), [
    ("asked: [en liste]\n", "asked", 4),
    ("asked:\n  de: [Vorlage]\n", "asked", 4),
    ("asked:\n  da: ja\n", "asked.da", 5),
    ("asked:\n  da: [ja]\n", "asked.da", 5),
    ("asked:\n  da: [skabelon her, Skabelon  her]\n", "asked.da", 5),
    ("asked:\n  en: [" + "word " * 40 + "]\n", "asked.en", 5),
    ('asked:\n  da: ["skabelon \\0 her"]\n', "asked.da", 5),  # a control character as a YAML escape
])
def test_bad_asked_entries_name_the_field_and_line(block, field, line):
    text = FORM.replace("version: 1.0.0\n", "version: 1.0.0\n" + block)
    with pytest.raises(Invalid) as caught:
        parse_form(parse_yaml(text, "form.yaml"), "form.yaml")
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.line == line, problem
