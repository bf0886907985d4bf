"""New materials from kind-specific starting texts: every starter makes a valid draft of its kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid
from toolkit.library.materials import parse_material
from toolkit.library.starters import kinds_with_starters, new_material, slug_from_title, starting_body
from toolkit.library.taxonomy import Taxonomy

TAXONOMY = Taxonomy.load(BUNDLED_LIBRARY / "taxonomy.yaml")


def test_every_kind_of_material_has_a_starting_text():
    kinds = kinds_with_starters(TAXONOMY)
    assert set(kinds) == set(TAXONOMY.ids("kinds")) - {"template", "meeting", "project"}  # search-only kinds
    assert "## Kort fortalt" in starting_body("guide") and "## Beslutninger" in starting_body("minutes")


@pytest.mark.parametrize("kind", kinds_with_starters(TAXONOMY))
def test_each_starter_is_a_valid_draft(kind):
    text = new_material(title="Et nyt materiale: æ, ø og å", kind=kind, summary="Et resumé på mindst ti tegn.",
                        topics=["consent"], audience=["researchers"], author="mette", working_group="dataadgang",
                        today=dt.date(2026, 11, 26))
    material, problems = parse_material(Path("ny.md"), text, TAXONOMY, today=dt.date(2026, 11, 26))
    assert problems == [] and material is not None
    assert (material.kind, material.status, material.version, material.working_group) == (
        kind, "draft", "0.1.0", "dataadgang")
    assert material.title == "Et nyt materiale: æ, ø og å" and material.authors == ("mette",)


def test_a_title_with_quotes_and_colons_stays_valid_yaml():
    text = new_material(title='Hvad er "AI": en #vejledning', kind="guide", summary="Resumé: med kolon og #.",
                        topics=["law"], audience=["researchers"], author="mette", body="Tekst.")
    material, problems = parse_material(Path("x.md"), text, TAXONOMY)
    assert problems == [] and material.title == 'Hvad er "AI": en #vejledning' and material.body.strip() == "Tekst."


def test_empty_fields_are_reported_not_hidden():
    text = new_material(title="", kind="guide", summary="", topics=[], audience=[], author="mette")
    _material, problems = parse_material(Path("x.md"), text, TAXONOMY)
    assert {"title", "summary", "topics", "audience"} <= {p.field for p in problems}


@pytest.mark.parametrize(("title", "slug"), [
    ("Adgang til sundhedsdata", "adgang-til-sundhedsdata"),
    ("Ærlig økonomi på Åbo", "aerlig-oekonomi-paa-aabo"),
    ("  CE-mærkning (MDR) & AI Act!  ", "ce-maerkning-mdr-ai-act"),
    ("Café résumé", "cafe-resume"),
    ("!!!", ""),
])
def test_slug_from_title(title, slug):
    assert slug_from_title(title) == slug


def test_unknown_or_path_like_kind_has_no_starter():
    for kind in ("template", "../etc/passwd", "ukendt"):
        with pytest.raises(Invalid):
            starting_body(kind)
