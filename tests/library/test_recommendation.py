"""Recommendations as publications: recipients, signatories with dates, the decision requested and key
points are validated; a recommendation is published only with recipients and signatories; the Word edition
carries them on its cover."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid
from toolkit.history.gitstore import Author
from toolkit.library.folder import Library
from toolkit.library.materials import parse_material
from toolkit.library.taxonomy import Taxonomy
from toolkit.publishing.word import material_docx

TAXONOMY = Taxonomy.load(BUNDLED_LIBRARY / "taxonomy.yaml")
TODAY = dt.date(2026, 11, 26)
ANNA = Author("Anna Jensen", "anna@rm.dk")

HEAD = """---
title: Anbefaling om drift
kind: {kind}
summary: Netværkets anbefaling om drift af AI-værktøjer.
topics: [operations]
audience: [project-owners]
language: da
authors: [Netværket]
status: {status}
version: 1.0.0
updated: 2026-11-20
"""
FIELDS = """recipients: [Regionsrådet, Koncernledelsen]
decision_requested: At der afsættes midler til drift af værktøjer med dokumenteret værdi.
key_points:
  - Finansier drift, ikke kun projekter.
  - Én vej til data.
signatories:
  - organisation: Region Midtjylland
    person: Anne Hansen, direktør
    signed: 2026-11-20
  - {organisation: "MedTech Innovation Consortium", signed: "2026-11-21"}
"""


def parse(front_extra: str, *, kind: str = "recommendation", status: str = "draft"):
    text = HEAD.format(kind=kind, status=status) + front_extra + "---\n\nTekst.\n"
    return parse_material(Path("anbefaling.md"), text, TAXONOMY, today=TODAY)


def test_a_complete_recommendation_parses():
    material, problems = parse(FIELDS, status="published")
    assert problems == []
    assert material.recipients == ("Regionsrådet", "Koncernledelsen")
    assert [(s.organisation, s.person, s.signed) for s in material.signatories] == [
        ("Region Midtjylland", "Anne Hansen, direktør", dt.date(2026, 11, 20)),
        ("MedTech Innovation Consortium", None, dt.date(2026, 11, 21))]
    assert material.key_points[0] == "Finansier drift, ikke kun projekter."
    assert material.to_dict()["signatories"][1] == {"organisation": "MedTech Innovation Consortium",
                                                    "signed": "2026-11-21"}


@pytest.mark.parametrize(("extra", "field", "message"), [
    ("signatories:\n  - Region Midtjylland\n", "signatories", "mapping"),
    ("signatories:\n  - {organisation: RM}\n", "signatories", "needs the date"),
    ("signatories:\n  - {organisation: RM, signed: 2027-01-01}\n", "signatories", "in the future"),
    ("signatories:\n  - {organisation: RM, signed: igår}\n", "signatories", "not a date"),
    ("signatories:\n  - {organisation: RM, signed: 2026-11-01, rolle: x}\n", "signatories", "unknown key 'rolle'"),
    ("signatories:\n  - {person: Anne, signed: 2026-11-01}\n", "signatories", "organisation"),
    ("recipients: Regionsrådet\n", "recipients", "must be a list"),
    ("decision_requested: Kort\n", "decision_requested", "characters"),
    ("key_points: [" + ", ".join(f"punkt {n}" for n in range(9)) + "]\n", "key_points", "7 at most"),
])
def test_each_bad_field_is_named_with_its_line(extra, field, message):
    _material, problems = parse(extra)
    matching = [p for p in problems if p.field == field]
    assert matching and message in matching[0].message and matching[0].line is not None


def test_the_fields_belong_to_recommendations_only():
    _material, problems = parse("recipients: [Regionsrådet]\n", kind="guide")
    assert problems and problems[0].field == "recipients" and "only for recommendations" in problems[0].message


def test_a_published_recommendation_without_recipients_or_signatories_is_a_problem():
    _material, problems = parse("key_points: [Et punkt]\n", status="published")
    assert {p.field for p in problems} == {"recipients", "signatories"}


def test_publishing_needs_recipients_and_signatories_and_writes_nothing(tmp_path, library_path):
    from toolkit.history.instance import Instance

    (library_path / "anbefaling.md").write_text(HEAD.format(kind="recommendation", status="draft")
                                                + "---\n\nTekst.\n", encoding="utf-8")
    instance = Instance.create(tmp_path / "instance", library=library_path, templates=tmp_path / "none")
    before = instance.latest_revision("anbefaling")
    with pytest.raises(Invalid) as refused:
        instance.publish("anbefaling", "major", "Første udgave", ANNA)
    assert {p.field for p in refused.value.problems} == {"recipients", "signatories"}
    assert instance.latest_revision("anbefaling") == before and "anbefaling" not in instance.editions()
    text = instance.read("anbefaling").replace("updated: 2026-11-20\n", "updated: 2026-11-20\n" + FIELDS)
    instance.save("anbefaling", text, ANNA, "Modtagere og underskrivere", before)
    assert instance.publish("anbefaling", "major", "Første udgave", ANNA).version == "2.0.0"


def test_the_word_edition_carries_the_recommendation_on_its_cover():
    library = Library.load(BUNDLED_LIBRARY)
    material = library.get("anbefalinger-til-beslutningstagere")
    document = docx.Document(io.BytesIO(material_docx(material, library, published=dt.date(2026, 11, 26))))
    cover = [p.text for p in document.paragraphs[:40]]
    assert "Til" in cover and "Regionsrådet i Region Midtjylland" in cover
    assert "Beslutning der bedes om" in cover and "Hovedpunkter" in cover and "Bag anbefalingen" in cover
    assert any(text.startswith("Netværkets koordinationsgruppe – underskrevet 20. november 2026") for text in cover)
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Udgave"] == "1.0.0, udgivet 26. november 2026"
    assert document.core_properties.version == "1.0.0"


@pytest.mark.parametrize(("lines", "entries"), [
    ("Region Midtjylland; Anne Hansen, direktør; 2026-11-20",
     [{"organisation": "Region Midtjylland", "person": "Anne Hansen, direktør", "signed": "2026-11-20"}]),
    ("Danske Regioner; 2026-11-22\n\n  \nMTIC", [{"organisation": "Danske Regioner", "signed": "2026-11-22"},
                                             {"organisation": "MTIC"}]),
    ("RM; Anne; i går", [{"organisation": "RM", "person": "Anne; i går"}]),
])
def test_signatories_as_typed_one_per_line(lines, entries):
    from toolkit.library.recommendation import signatories_from_lines

    assert signatories_from_lines(lines) == entries
