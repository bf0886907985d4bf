"""Search on real Whoosh indexes: Danish analysis, queries, filters, facets, snippets, suggestions, sync."""

import datetime as dt
import gc
import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.analysis import Lexicon, danish_analyzer, fold
from toolkit.config import BUNDLED_LIBRARY
from toolkit.library import Library
from toolkit.search import SCHEMA_VERSION, SearchDoc, SearchIndex, material_docs

LEXICON = Lexicon.load(BUNDLED_LIBRARY)


def doc(slug: str, text: str, *, title: str | None = None, status: str = "published", kind: str = "guide",
        language: str = "da", updated: str = "2026-01-01", topics=("consent",)) -> SearchDoc:
    return SearchDoc(id=f"material:{slug}", doctype="material", slug=slug, title=title or f"Titel {slug}",
                     summary=f"Resumé af {slug}.", text=text, url=f"/m/{slug}/", language=language, kind=kind,
                     topics=tuple(topics), audience=("project-leads",), status=status, updated=updated,
                     version="1.0.0")


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("idx") / "index", LEXICON)
    index.sync(material_docs(Library.load(BUNDLED_LIBRARY)))
    return index


@pytest.fixture
def small_index(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.sync([
        doc("erklaering", "Underskriv samtykkeerklæringen før dataindsamlingen begynder."),
        doc("journal", "Opslag i patientjournalen kræver ledelsens tilladelse."),
        doc("platform", "Den nationale sundhedsdataplatformen samler registre."),
        doc("forordning", "Databeskyttelsesforordningen stiller krav om en konsekvensanalyse."),
        doc("database", "En database med tal og tekst.", updated="2025-05-01"),
        doc("kladde", "Samtykke i en kladde, som læsere ikke må se.", status="draft"),
        doc("english", "Clinical evaluations of decision support need prospective studies.", language="en",
            title="Clinical evaluation", updated="2026-06-01"),
        doc("ce", "CE-mærkningen af software kræver et bemyndiget organ.", kind="playbook", updated="2026-09-01"),
    ])
    return index


def slugs(results):
    return [hit.slug for hit in results.hits]


# -- analysis ----------------------------------------------------------------------------------------------

def test_folding_makes_danish_letters_and_ascii_spellings_equal():
    assert fold("CE-Mærkning på Åbenrå Sygehus") == "ce-maerkning paa aabenraa sygehus"


def test_the_fast_index_path_gives_the_same_postings_as_the_token_stream():
    analyzer = danish_analyzer(LEXICON)
    text = ("Samtykkeerklæringen og patientjournalen: CE-mærkning, ce-maerkning og GDPR i "
            "sundhedsdataplatformen. Data, data og atter data – 3.5 millioner! Æbler, øl og ål.")
    expected: dict[str, list[int]] = {}
    for token in analyzer(text, mode="index", positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    assert analyzer.positions(text) == expected
    assert "samtyk" in expected and len(expected["data"]) == 4  # three words and one compound part


def test_compound_words_are_split_into_known_parts_only():
    analyzer = danish_analyzer(LEXICON)

    def terms(word):
        return [t.text for t in analyzer(word, mode="index")]

    assert "samtyk" in terms("samtykkeerklæringen")  # samtykke's stem
    assert {"journal", "patient"} <= set(terms("patientjournalen"))
    assert "sundhedsdata" in terms("sundhedsdataplatformen")
    assert terms("database") == ["databas"]  # 'base' is no part: no noise from 'data'
    assert terms("samtykkeerklæringen") != terms("samtykkeerklæringen")[:1]
    assert [t.text for t in analyzer("samtykkeerklæringen", mode="query")] == ["samtykkeerklaering"]


# -- what users search for ---------------------------------------------------------------------------------

def test_a_question_finds_the_data_access_guide_first_with_a_highlight(bundled_index):
    results = bundled_index.search("hvordan får jeg adgang til patientdata")
    assert results.hits[0].slug == "adgang-til-data"
    assert "<mark>" in results.hits[0].snippet_html


def test_a_part_finds_the_whole_compound(small_index):
    assert slugs(small_index.search("samtykke")) == ["erklaering"]
    assert slugs(small_index.search("journal")) == ["journal"]
    assert slugs(small_index.search("sundhedsdata")) == ["platform"]
    assert "samtykkeerklæringen" in small_index.search("samtykke").hits[0].snippet_html


def test_ce_marking_spellings_find_the_same(small_index, bundled_index):
    for index in (small_index, bundled_index):
        first = slugs(index.search("CE mærkning"))
        assert first and first == slugs(index.search("CE-mærkning")) == slugs(index.search("ce-maerkning"))
    assert slugs(small_index.search("ce-maerkning")) == ["ce"]


def test_synonyms_expand_the_query(small_index):
    assert slugs(small_index.search("GDPR")) == ["forordning"]
    assert slugs(small_index.search("DPIA")) == ["forordning"]
    assert "erklaering" in slugs(small_index.search("consent"))


def test_a_typo_offers_did_you_mean(bundled_index):
    assert bundled_index.search("samtyke").suggestion == "samtykke"
    assert bundled_index.search("klinsk evaluering").suggestion == "klinisk evaluering"
    assert bundled_index.search("samtykke").suggestion is None


def test_phrases_prefixes_and_english_stemming(small_index):
    assert slugs(small_index.search('"bemyndiget organ"')) == ["ce"]
    assert slugs(small_index.search('"organ bemyndiget"')) == []
    assert slugs(small_index.search("samtyk*")) == ["erklaering"]
    assert slugs(small_index.search("evaluation")) == ["english"]


def test_filters_in_the_query_and_as_parameters_with_facet_counts(small_index):
    in_query = small_index.search("kind:playbook software")
    as_param = small_index.search("software", kind="playbook")
    assert slugs(in_query) == slugs(as_param) == ["ce"]
    everything = small_index.search("kind:guide")
    assert everything.total == 6 and dict(everything.facets["kind"]) == {"guide": 6}
    broad = small_index.search("kræver")
    assert dict(broad.facets["kind"]) == {"guide": 1, "playbook": 1}
    assert dict(broad.facets["topics"]) == {"consent": 2}


def test_readers_never_see_drafts(small_index):
    assert "kladde" not in slugs(small_index.search("kladde"))
    assert slugs(small_index.search("kladde", include_drafts=True)) == ["kladde"]
    assert small_index.search("status:draft kladde").total == 0


def test_sort_by_date_and_pagination(small_index):
    by_date = small_index.search("kind:guide OR kind:playbook", sort="date", per_page=3)
    dates = [hit.updated for hit in small_index.search("type:guide", sort="date").hits]
    assert dates == sorted(dates, reverse=True)
    first = small_index.search("type:guide", per_page=2, page=1)
    second = small_index.search("type:guide", per_page=2, page=2)
    assert first.pages == 3 and set(slugs(first)).isdisjoint(slugs(second))
    assert small_index.search("type:guide", per_page=2, page=99).hits  # beyond the end: no error
    assert by_date.total >= 0


@pytest.mark.parametrize("text", ['"unbalanced', "((", "))", "*", "AND OR NOT", "foo:bar", "a" * 10_000, "🙂 🙂",
                                  "\x00\x07\x1b[31m", "", "   ", "title:x^2", "[a TO z]", "samtykke AND", "NOT",
                                  "?", "a*", "*samtykke", "'", "-", "+samtykke -data"])
def test_any_string_gives_results_or_a_message(small_index, text):
    results = small_index.search(text)
    assert results.total >= 0
    assert results.hits or results.message or results.total == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200) | st.text(alphabet=st.sampled_from(list('samtyke*"():^~-+ ANDORNT[]{}')), max_size=60))
def test_no_text_raises(small_index, text):
    results = small_index.search(text)
    assert isinstance(results.total, int)


# -- keeping the index in step -----------------------------------------------------------------------------

def test_sync_updates_only_what_changed(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = [doc("a", "første tekst"), doc("b", "anden tekst"), doc("c", "tredje tekst")]
    assert index.sync(docs).rebuilt
    assert index.sync(docs) == index.sync(docs)
    changed = [docs[0], doc("b", "anden tekst om samtykke"), doc("d", "fjerde tekst")]
    report = index.sync(changed)
    assert (report.rebuilt, report.added, report.updated, report.removed) == (False, 1, 1, 1)
    assert slugs(index.search("samtykke")) == ["b"]
    assert slugs(index.search("tredje")) == []
    # a new process (a fresh object) sees the same state and needs nothing
    fresh = SearchIndex(tmp_path / "index", LEXICON)
    assert fresh.sync(changed).added == 0 and slugs(fresh.search("fjerde")) == ["d"]


def test_many_small_updates_keep_one_copy_of_each_document_and_merge_later(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = [doc(f"d{i}", f"tekst nummer {i} om data") for i in range(12)]
    index.sync(docs)
    for round_ in range(10):  # ten saves of one material each: one small segment each, no merge on the way
        docs[round_] = doc(f"d{round_}", f"tekst nummer {round_} om samtykke runde {round_}")
        report = index.sync(docs)
        assert (report.updated, report.added, report.removed) == (1, 0, 0)
    assert index.search("data").total == 2 and index.search("samtykke").total == 10
    assert index.segment_count() > 8
    index.merge_segments()  # what the idle timer does in the background
    assert index.segment_count() <= 3
    assert index.search("samtykke").total == 10 and index.search("data").total == 2
    # the journal of small updates was folded into the digests: a new process needs nothing
    fresh = SearchIndex(tmp_path / "index", LEXICON)
    assert fresh.sync(docs).updated == 0 and not (tmp_path / "index" / "netkit-digests.log").exists()


def test_the_digest_journal_survives_a_new_process_and_a_torn_line(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = [doc("a", "første"), doc("b", "anden")]
    index.sync(docs)
    docs[0] = doc("a", "første ændret")
    index.sync(docs)
    journal = tmp_path / "index" / "netkit-digests.log"
    assert journal.read_text(encoding="utf-8").count("\n") == 1
    with journal.open("a", encoding="utf-8") as handle:
        handle.write('["material:b", "abc')  # a crash in the middle of a line
    fresh = SearchIndex(tmp_path / "index", LEXICON)
    assert fresh.sync(docs).updated == 0
    assert slugs(fresh.search("ændret")) == ["a"]


def test_a_document_indexed_but_missing_from_the_digests_is_not_duplicated(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = [doc("a", "æblerne"), doc("b", "pærerne")]
    index.sync(docs)
    (tmp_path / "index" / "netkit-digests.json").write_text('{"material:a": "stale"}', encoding="utf-8")
    fresh = SearchIndex(tmp_path / "index", LEXICON)
    fresh.sync(docs)  # b looks new, a looks changed: both are replaced, not added twice
    assert fresh.search("pærerne").total == 1 and fresh.search("æblerne").total == 1


# Whoosh leaves a file handle open when it fails to read a garbage table of contents (its code, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_index_is_rebuilt_when_missing_outdated_or_unreadable(tmp_path, caplog):
    folder = tmp_path / "index"
    docs = [doc("a", "første tekst")]
    SearchIndex(folder, LEXICON).sync(docs)
    state = folder / "netkit-index.json"
    state.write_text(state.read_text().replace(f'"schema": {SCHEMA_VERSION}', '"schema": 0'))
    assert SearchIndex(folder, LEXICON).sync(docs).rebuilt
    for segment in folder.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in folder.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING):
        report = SearchIndex(folder, LEXICON).sync(docs)
    assert report.rebuilt
    assert any("unreadable" in record.getMessage() for record in caplog.records)
    gc.collect()  # surface Whoosh's leaked handle here, under this test's warning filter
    shutil.rmtree(folder)
    assert SearchIndex(folder, LEXICON).sync(docs).rebuilt
    assert slugs(SearchIndex(folder, LEXICON).search("første")) == ["a"]


def test_a_changed_synonym_list_rebuilds(tmp_path):
    docs = [doc("a", "første tekst")]
    SearchIndex(tmp_path / "index", LEXICON).sync(docs)
    other = Lexicon(synonyms=(("foo", "bar"),), parts=LEXICON.parts)
    assert SearchIndex(tmp_path / "index", other).sync(docs).rebuilt


def test_title_suggestions_as_you_type(bundled_index):
    titles = [title for title, _ in bundled_index.suggest_titles("samty")]
    assert titles and all("amtykke" in t for t in titles)
    assert bundled_index.suggest_titles("s") == []


def test_index_lives_outside_the_library(tmp_path):
    assert not any(BUNDLED_LIBRARY.glob("*.toc")) and not any(BUNDLED_LIBRARY.glob("*.seg"))
    assert dt.date.today().year >= 2026
    assert isinstance(Path(tmp_path), Path)


def test_nothing_found_for_a_typo_shows_the_corrected_results(small_index):
    results = small_index.search("kind:guide patientjournalenn")
    assert results.corrected and results.suggestion == "patientjournalen"
    assert slugs(results) == ["journal"]
    assert small_index.search("kind:playbook patientjournalenn").total == 0


def test_warming_caches_the_terms_queries_use(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.sync([doc(f"d{i}", f"patientjournal og samtykke nummer {i}") for i in range(5)])
    with index._lock:
        _, ranker = index._current_searcher()
        ranker.warm("content", 10)
        cached = {key[2] for key in ranker.postings._postings if key[1] == "content"}
    assert "samtyk" in cached and all(isinstance(text, str) for text in cached)
