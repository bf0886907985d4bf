"""Ranking for the first question (issue 21, item 4): a title match counts on its own, a synonym group is one
concept, a compound the library writes as two words is found by its parts, English function words do not rank.
Real indexes over small libraries made for each case; the judged set is tests/search/test_relevance.py."""

from pathlib import Path

import pytest

from bench.relevance import JUDGED, evaluate
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc
from toolkit.search.index import SearchIndex

LEXICON = Lexicon(synonyms=(("data access", "dataadgang", "adgang til data"),
                            ("ai", "kunstig intelligens", "maskinlæring")),
                  parts=frozenset({"journal", "opslag", "data", "adgang", "patient"}))
FILLER = "Projektet beskriver arbejdsgange, roller, ansvar og tidsplan for den kliniske afdeling. "


def doc(slug: str, text: str, *, title: str = "Notat", summary: str = "Et notat om arbejdet.",
        kind: str = "guide") -> SearchDoc:
    return SearchDoc(id=f"material:{slug}", doctype="material", slug=slug, title=title, summary=summary, text=text,
                     url=f"/m/{slug}/", kind=kind, updated="2026-01-01", version="1.0.0")


def slugs(index: SearchIndex, query: str) -> list[str]:
    return [hit.slug for hit in index.search(query).hits]


@pytest.fixture()
def library(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.rebuild([
        # the guide: the query is its title and purpose, said once in a long body
        doc("guide", FILLER * 8 + "Ansøgningen sendes til den dataansvarlige.", title="Adgang til data",
            summary="Sådan får et projekt adgang til data fra journalen."),
        # the recommendation: mentions it in passing, again and again, in a shorter text
        doc("recommendation", FILLER * 2 + " ".join(["Dataadgang tager tid, og adgang til data er en flaskehals."] * 6),
            title="Anbefalinger til beslutningstagere", summary="Hvad der bør prioriteres.",
            kind="recommendation"),
        doc("ai-twice", FILLER * 3 + "AI, kunstig intelligens og maskinlæring er ord for det samme her. " * 3,
            title="Ordliste"),
        doc("ai-patient", FILLER * 3 + "AI i behandlingen af den enkelte patient, og hvad patienten skal vide.",
            title="Om behandlingen"),
        doc("lookups", FILLER * 3 + "Hvert opslag i journalen logges, så opslag kan spores.", title="Logning"),
        doc("journal-only", FILLER * 3 + "Journalen føres af klinikerne.", title="Journalføring"),
        doc("in-house", FILLER * 3 + "In-house-undtagelsen gælder i dette tilfælde ikke.", title="Egenproduktion"),
    ])
    return index


@pytest.mark.parametrize("query", ["adgang til data", "dataadgang", "data access"])
def test_the_guide_titled_by_the_question_outranks_a_passing_mention(library: SearchIndex, query: str):
    assert slugs(library, query)[:2] == ["guide", "recommendation"]


def test_a_synonym_group_counts_as_one_word_however_many_of_its_alternatives_a_text_uses(library: SearchIndex):
    # ai-twice holds three spellings of "AI"; ai-patient holds AI once and also "patient": it answers more
    found = slugs(library, "AI patient")
    assert found.index("ai-patient") < found.index("ai-twice")


def test_a_compound_the_library_writes_as_two_words_finds_the_text_with_both_parts(library: SearchIndex):
    assert slugs(library, "journalopslag") == ["lookups"]  # not journal-only: every part must be there
    assert [hit.slug for hit in library.search("journalopslag", sort="date").hits] == ["lookups"]


def test_english_function_words_neither_match_nor_rank(library: SearchIndex):
    assert slugs(library, "in") == []
    assert slugs(library, "how do I get data access in the region")[0] == "guide"
    assert slugs(library, '"in-house-undtagelsen"') == ["in-house"]


def test_quotes_and_operators_keep_their_meaning(library: SearchIndex):
    assert slugs(library, '"adgang til data" AND flaskehals') == ["recommendation"]
    assert set(slugs(library, "journalen OR maskinlæring")) >= {"lookups", "journal-only", "ai-twice"}
    assert slugs(library, "AI ANDNOT patient") == ["ai-twice"]
    assert set(slugs(library, "journalen ANDMAYBE AI")) == {"guide", "lookups", "journal-only"}  # AI only ranks


def test_the_judged_set_is_split_into_halves_per_group(tmp_path: Path):
    judged_file = tmp_path / "judged.yaml"
    judged_file.write_text("\n".join(
        f"- query: adgang til data\n  expect: [guide]\n  kind: words\n  group: {group}"
        for group in ("a", "a", "b", "a", "b")), encoding="utf-8")
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.rebuild([doc("guide", "Tekst.", title="Adgang til data")])
    judged = evaluate(index, judged_file)
    assert [(j.group, j.held_out) for j in judged] == [("a", False), ("a", True), ("b", False), ("a", False),
                                                        ("b", True)]
    assert all(j.reciprocal_rank == 1 for j in judged)
    assert JUDGED.is_file()
