"""A long typo beside words that match (issue 21, item 4, second round): its correction is searched beside it, so
the one word that says what is asked for counts; short words and queries with operators are left as typed.
Real indexes over small libraries made for each case; the judged set is tests/search/test_relevance.py."""

from pathlib import Path

import pytest

from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc
from toolkit.search.index import SearchIndex

FILLER = "Projektet beskriver arbejdsgange, roller, ansvar og tidsplan for den kliniske afdeling. "


def doc(slug: str, text: str, title: str) -> SearchDoc:
    return SearchDoc(id=f"material:{slug}", doctype="material", slug=slug, title=title, summary="Et notat.",
                     text=FILLER * 3 + text, url=f"/m/{slug}/", kind="guide", updated="2026-01-01", version="1.0.0")


def slugs(index: SearchIndex, query: str) -> list[str]:
    return [hit.slug for hit in index.search(query).hits]


@pytest.fixture()
def library(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "index", Lexicon(synonyms=(), parts=frozenset()))
    index.rebuild([
        doc("calibration", "Kalibrering af en risikomodel vises med en kalibreringskurve.", "Kalibrering"),
        doc("risk", "En risikomodel for genindlæggelse. Hver risikomodel valideres.", "Risikomodeller"),
        doc("drive-risk", "Modellen skal køre hver nat, og en risikomodel skal køre i baggrunden.", "Drift"),
        doc("drive", "Serveren skal køre stabilt.", "Servere"),
    ])
    return index


def test_a_long_typo_beside_a_word_that_matches_is_searched_as_its_correction(library: SearchIndex):
    results = library.search("kallibrering af risikomodel")
    # before: only "risikomodel" counted, and the texts that say it most often came first
    assert results.hits[0].slug == "calibration"
    assert {"risk", "drive-risk"} <= {hit.slug for hit in results.hits}
    assert results.also == "kalibrering" and results.suggestion is None and not results.corrected


def test_a_short_typo_is_only_offered_not_searched(library: SearchIndex):
    # "købe" is one edit from "køre", which two texts hold: offered as "Mente du", but a short word may be another
    # word, so the results stay those of what was typed
    results = library.search("købe risikomodel")
    assert results.suggestion == "køre risikomodel"
    assert {hit.slug for hit in results.hits} == {"risk", "drive-risk", "calibration"}  # not "drive": only køre


def test_a_query_with_operators_is_searched_as_typed(library: SearchIndex):
    results = library.search("risikomodel OR kallibrering")
    assert results.suggestion == "risikomodel OR kalibrering"
    assert results.hits[0].slug != "calibration"  # "kallibrering" still finds nothing


def test_a_typo_alone_still_gets_the_corrected_search(library: SearchIndex):
    results = library.search("kallibrering")
    assert results.corrected and results.suggestion == "kalibrering"
    assert slugs(library, "kallibrering") == ["calibration"]
