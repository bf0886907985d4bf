import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import DATA
from toolkit.errors import InvalidSlug
from toolkit.library.materials import Material, parse_material, validate_slug
from toolkit.library.taxonomy import Taxonomy

TAXONOMY = Taxonomy.load(DATA / "library" / "taxonomy.yaml")
TODAY = dt.date(2026, 11, 26)

GOOD = """\
---
title: Adgang til data
kind: guide
summary: Sådan får du adgang til data.
topics: [data-access, law]
audience:
  - project-leads
language: da
authors: [Testgruppen]
working_group: dataadgang
status: published
version: 1.2.0
updated: 2026-01-15
related: [samtykkemodeller]
---
Brødtekst her.
"""


def parse(text: str, name: str = "adgang-til-data.md"):
    return parse_material(Path(name), text, TAXONOMY, today=TODAY)


def replace_line(prefix: str, new: str) -> str:
    lines = [new if line.startswith(prefix) else line for line in GOOD.splitlines()]
    return "\n".join(line for line in lines if line is not None) + "\n"


def test_a_valid_material_becomes_typed_fields():
    material, problems = parse(GOOD)
    assert problems == []
    assert isinstance(material, Material)
    assert material.slug == "adgang-til-data"
    assert material.topics == ("data-access", "law")
    assert material.audience == ("project-leads",)
    assert material.updated == dt.date(2026, 1, 15)
    assert material.working_group == "dataadgang"
    assert material.body.strip() == "Brødtekst her."
    assert material.body_line == 16
    assert material.line_of("version") == 12
    assert material.to_dict()["updated"] == "2026-01-15"


def test_an_updated_date_ahead_of_the_clock_is_reported_but_the_material_stays_readable():
    """L13: a date a day ahead (a clock ahead on the machine that wrote it) made the material disappear."""
    material, problems = parse(replace_line("updated:", "updated: 2027-01-01"))
    assert material is not None and material.updated.isoformat() == "2027-01-01"
    assert [(p.field, p.line) for p in problems] == [("updated", 13)] and "in the future" in problems[0].message


@pytest.mark.parametrize(("prefix", "new", "field", "line", "words"), [
    ("kind:", "kind: guidee", "kind", 3, "allowed: playbook, guide"),
    ("topics:", "topics: [data-acess]", "topics", 5, "did you mean 'data-access'"),
    ("  - project-leads", "  - patients", "audience", 7, "not in the vocabulary"),
    ("language:", "language: de", "language", 8, "allowed: da, en"),
    ("status:", "status: done", "status", 11, "allowed: draft, review, approved, published, retired"),
    ("version:", "version: 1.0", "version", 12, "MAJOR.MINOR.PATCH"),
    ("updated:", "updated: 15-01-2026", "updated", 13, "YYYY-MM-DD"),
    ("title:", "title: A", "title", 2, "write 3–150"),
    ("summary:", "summary: " + "x" * 601, "summary", 4, "write 10–600"),
    ("authors:", "authors: Testgruppen", "authors", 9, "must be a list"),
])
def test_each_bad_required_field_is_named_with_its_line(prefix, new, field, line, words):
    material, problems = parse(replace_line(prefix, new))
    assert material is None, "a broken required field must keep the material out"
    matching = [p for p in problems if p.field == field]
    assert matching, problems
    assert matching[0].line == line
    assert words in matching[0].message
    assert str(matching[0]).startswith(f"adgang-til-data.md:{line}: {field}: ")


def test_missing_required_field_is_reported():
    material, problems = parse(replace_line("summary:", ""))
    assert material is None
    assert [p.field for p in problems] == ["summary"]
    assert "required" in problems[0].message


def test_unknown_field_is_reported_with_a_hint_but_the_material_is_kept():
    material, problems = parse(GOOD.replace("related:", "relatd:"))
    assert material is not None
    assert problems[0].field == "relatd"
    assert "did you mean 'related'" in problems[0].message
    assert problems[0].line == 14


def test_optional_fields_with_bad_values_are_reported():
    text = GOOD.replace("working_group: dataadgang", "working_group: Data Adgang").replace(
        "related: [samtykkemodeller]", "related: [Samtykke/../x]")
    material, problems = parse(text)
    assert {p.field for p in problems} == {"working_group", "related"}
    assert material is not None


def test_bad_file_name_is_reported():
    material, problems = parse(GOOD, name="Adgang til data.md")
    assert material is None
    assert "not a valid slug" in problems[0].message


def test_several_problems_are_all_reported_at_once():
    text = GOOD.replace("kind: guide", "kind: x").replace("language: da", "language: y")
    _, problems = parse(text)
    assert {p.field for p in problems} == {"kind", "language"}


@pytest.mark.parametrize("slug", ["../x", "x/..", "Adgang", "", "a--b", "-a", "a_b", "æble", "a" * 81, "a.md"])
def test_malformed_slugs_are_refused(slug):
    with pytest.raises(InvalidSlug):
        validate_slug(slug)


@pytest.mark.parametrize("slug", ["a", "adgang-til-data", "iso-13485", "2026-plan"])
def test_good_slugs_pass(slug):
    assert validate_slug(slug) == slug


def with_questions(block: str) -> str:
    return GOOD.replace("related: [samtykkemodeller]\n", "related: [samtykkemodeller]\n" + block)


def test_questions_are_read_as_single_lines_without_repeats():
    material, problems = parse(with_questions(
        "questions:\n  - hvordan får vi\n    adgang til journaldata\n  - må en virksomhed få data\n"))
    assert problems == []
    assert material.questions == ("hvordan får vi adgang til journaldata", "må en virksomhed få data")
    assert material.to_dict()["questions"] == list(material.questions)


@pytest.mark.parametrize(("block", "words", "line"), [
    ("questions: hvordan får vi data\n", "must be a list", 15),
    ("questions:\n  - ja\n", "question 1 is 2 characters", 16),
    ("questions:\n  - " + "data " * 40 + "\n", "question 1 is 199 characters", 16),
    ("questions:\n  - hvem giver lov\n  - Hvem giver  lov\n", "question 2 repeats an earlier one", 17),
    ("questions:\n  - [en, liste]\n", "question 1 must be text, not list", 16),
    ('questions:\n  - "hvem \\a melder fejlen"\n', "question 1 contains a control character", 16),  # a YAML escape
    ("questions:\n" + "".join(f"  - spørgsmål nummer {n}\n" for n in range(41)), "has 41 questions", 15),
])
def test_bad_questions_are_named_with_their_line(block, words, line):
    material, problems = parse(with_questions(block))
    assert material is not None  # an optional field: the material is still served
    assert [p.field for p in problems] == ["questions"]
    assert words in problems[0].message and problems[0].line == line
