import datetime as dt

import pytest

from tests.conftest import VALID_FRONT
from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid, InvalidSlug, NotFound
from toolkit.library.folder import Filters, Library

REQUIRED_SLUGS = {
    "om-netvaerket", "netvaerksmoeder-og-arbejdsgrupper", "fra-forskning-til-kvalitetsudvikling",
    "fra-kvalitetsudvikling-til-driftstest", "adgang-til-data", "etiske-dilemmaer", "klinisk-evaluering",
    "test-i-praksis", "samtykkemodeller", "udviklingsmodeller-og-brugerinddragelse",
    "ce-maerkning-af-beslutningsstoette", "kommunikation-om-ai-projekter", "anbefalinger-til-beslutningstagere",
}


def test_loads_the_test_library(library_path):
    library = Library.load(library_path)
    assert library.problems == []
    assert len(library) == 3
    # taxonomy order of kinds: playbook, guide, …, communication
    assert [m.slug for m in library.materials()] == ["samtykke-playbook", "adgang-til-data", "nyhedsbrev-kladde"]


def test_filters_combine(library_path):
    library = Library.load(library_path)
    assert [m.slug for m in library.materials(Filters(kind="guide"))] == ["adgang-til-data"]
    assert [m.slug for m in library.materials(Filters(topic="consent"))] == ["samtykke-playbook"]
    assert [m.slug for m in library.materials(Filters(kind="guide", audience="researchers"))] == []


def test_get_and_related(library_path):
    library = Library.load(library_path)
    guide = library.get("adgang-til-data")
    assert [m.slug for m in library.related(guide)] == ["samtykke-playbook"]


def test_unknown_slug_is_not_found_with_a_suggestion(library_path):
    library = Library.load(library_path)
    with pytest.raises(NotFound) as info:
        library.get("adgang-til-date")
    assert info.value.suggestion == "adgang-til-data"


@pytest.mark.parametrize("slug", ["../taxonomy", "../../etc/passwd", "ADGANG"])
def test_path_like_slug_is_refused(library_path, slug):
    with pytest.raises(InvalidSlug):
        Library.load(library_path).get(slug)


def test_broken_material_is_left_out_and_the_rest_still_loads(library_path, write_material):
    write_material("broken", front="---\ntitle: [unclosed\n---\n")
    library = Library.load(library_path)
    assert "broken" not in library
    assert len(library) == 3
    (problem,) = library.problems
    assert problem.path == "library/broken.md"
    assert problem.line is not None and problem.message.startswith("broken YAML")


def test_dead_wiki_link_is_reported_with_its_file_line(library_path, write_material):
    write_material("linker", "Første linje.\n\nSe [[adgang-til-data]] og\n[[findes-ikke]] her.\n")
    problems = Library.load(library_path).problems
    assert [str(p) for p in problems] == [
        "library/linker.md:16: link: [[findes-ikke]] links to no material; check the slug (the file name without .md)"
    ]


def test_dead_link_gets_a_did_you_mean(library_path, write_material):
    write_material("linker", "Se [[adgang-til-date]].\n")
    (problem,) = Library.load(library_path).problems
    assert "did you mean 'adgang-til-data'" in problem.message


def test_dead_anchor_is_reported(library_path, write_material):
    write_material("linker", "Se [[samtykke-playbook#trin-9]].\n")
    (problem,) = Library.load(library_path).problems
    assert "no heading with that anchor" in problem.message and "trin-2" in problem.message


def test_links_inside_code_are_not_links(library_path):
    # samtykke-playbook has `[[ikke-et-link]]` in a code span: no problem may be reported for it.
    assert Library.load(library_path).problems == []


def test_dead_and_self_related_entries(library_path, write_material):
    front = VALID_FRONT.format(title="Relateret").replace("updated: 2026-01-01\n",
                                                         "updated: 2026-01-01\nrelated:\n  - findes-ikke\n  - linker\n")
    write_material("linker", front=front)
    problems = Library.load(library_path).problems
    assert {(p.field, p.line) for p in problems} == {("related", 13), ("related", 14)}
    assert any("cannot be related to itself" in p.message for p in problems)


def test_duplicate_slug_in_a_subfolder_is_reported(library_path, write_material):
    write_material("adgang-til-data", folder="arkiv")
    library = Library.load(library_path)
    (problem,) = library.problems
    assert problem.path == "library/arkiv/adgang-til-data.md"
    assert "duplicate slug 'adgang-til-data'" in problem.message
    assert library.get("adgang-til-data").title == "Adgang til data (testudgave)"


def test_every_planted_fault_is_reported(library_path, write_material):
    write_material("ingen-front", front="Bare tekst\n")
    unknown_field = VALID_FRONT.format(title="Ukendt").replace("kind: guide", "kind: guide\ncolour: red")
    write_material("ukendt-felt", front=unknown_field)
    write_material("forkert-emne", front=VALID_FRONT.format(title="Emne").replace("[consent]", "[consent, astrology]"))
    write_material("dato", front=VALID_FRONT.format(title="Dato").replace("2026-01-01", "2026-02-30"))
    write_material("adgang-til-data", folder="kopi")
    write_material("doed-link", "[[ingenting]]\n")
    problems = Library.load(library_path, today=dt.date(2026, 11, 26)).problems
    by_file = {p.path.split("/")[-1]: p for p in problems}
    assert "no front matter" in by_file["ingen-front.md"].message
    assert by_file["ukendt-felt.md"].field == "colour"
    assert by_file["forkert-emne.md"].field == "topics" and "astrology" in by_file["forkert-emne.md"].message
    assert by_file["dato.md"].field == "updated"
    assert "duplicate slug" in by_file["adgang-til-data.md"].message
    assert by_file["doed-link.md"].field == "link"
    assert len(problems) == 6


def test_broken_taxonomy_stops_loading_with_a_clear_problem(library_path):
    (library_path / "taxonomy.yaml").write_text("kinds: {guide: {da: Vejledning}}\n", encoding="utf-8")
    with pytest.raises(Invalid) as info:
        Library.load(library_path)
    fields = {p.field for p in info.value.problems}
    assert "kinds.guide" in fields and "topics" in fields


def test_missing_folder_is_invalid(tmp_path):
    with pytest.raises(Invalid):
        Library.load(tmp_path / "nowhere")


# -- the bundled library -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return Library.load(BUNDLED_LIBRARY)


def test_bundled_library_is_clean(bundled):
    assert [str(p) for p in bundled.problems] == []


def test_bundled_library_has_every_required_material(bundled):
    slugs = {m.slug for m in bundled.materials()}
    assert slugs >= REQUIRED_SLUGS


def test_bundled_materials_are_substantive_and_linked(bundled):
    for material in bundled.materials():
        assert material.word_count >= 500, f"{material.slug} has only {material.word_count} words"
        assert material.language == "da"
        assert material.related, f"{material.slug} relates to nothing"
        assert "## " in material.body, f"{material.slug} has no sections"
        assert "juridisk rådgivning" in material.body, f"{material.slug} lacks the not-legal-advice note"


def test_bundled_kinds_match_the_issue(bundled):
    kinds = {m.slug: m.kind for m in bundled.materials()}
    assert kinds["om-netvaerket"] == kinds["netvaerksmoeder-og-arbejdsgrupper"] == "network"
    assert kinds["fra-forskning-til-kvalitetsudvikling"] == "playbook"
    assert kinds["anbefalinger-til-beslutningstagere"] == "recommendation"
    assert kinds["kommunikation-om-ai-projekter"] == "communication"
    assert kinds["ce-maerkning-af-beslutningsstoette"] == "guide"
