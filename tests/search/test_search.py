"""Search on real Whoosh indexes: Danish analysis, queries, filters, facets, snippets, suggestions, sync."""

import datetime as dt
import gc
import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.config import BUNDLED_LIBRARY
from toolkit.library.folder import Library
from toolkit.search.analysis import Lexicon, danish_analyzer, fold
from toolkit.search.documents import SearchDoc, material_docs
from toolkit.search.index import SearchIndex, SearchUnavailable, SyncReport
from toolkit.search.state import SCHEMA_VERSION

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
    assert bundled_index.search("klinsk evaluering").suggestion == "klinisk evaluering"
    assert bundled_index.search("samtykke").suggestion is None
    # "samtyke" stems as "samtykke" does: it already finds the same, so "Mente du" would change nothing
    typo = bundled_index.search("samtyke")
    assert typo.suggestion is None and slugs(typo) == slugs(bundled_index.search("samtykke"))


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


# -- "Mente du …?" only from public documents (L5) ---------------------------------------------------------

SECRET = "Kodenavnet hemmeligordet står kun i denne kladde."


def test_did_you_mean_never_offers_a_word_only_a_draft_holds(tmp_path):
    folder = tmp_path / "index"
    docs = [doc("offentlig", "Underskriv samtykkeerklæringen før dataindsamlingen begynder."),
            doc("hemmelig", SECRET, status="draft")]
    SearchIndex(folder, LEXICON).sync(docs)
    index = SearchIndex(folder, LEXICON)  # the vocabulary as saved beside the index
    index.sync(docs)
    typo = index.search("hemmeligordte")
    assert (typo.suggestion, typo.corrected, typo.total, typo.hits) == (None, False, 0, ())
    assert index.search("hemmeligordte", include_drafts=True).suggestion is None  # one public vocabulary for all
    assert "hemmeligordet" not in (folder / "netkit-vocabulary.json").read_text(encoding="utf-8")
    assert index.search("samtykeerklæringen").suggestion == "samtykkeerklæringen"
    assert index.search("hemmeligordet", include_drafts=True).total == 1  # the draft itself is still indexed


def test_small_and_big_updates_add_only_public_words_and_publishing_adds_them(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = [doc("offentlig", "Underskriv samtykkeerklæringen før dataindsamlingen begynder.")]
    index.sync(docs)
    docs.append(doc("hemmelig", SECRET, status="review"))  # a small update: the vocabulary kept in memory
    docs.append(doc("nyhed", "Om blåbærskoven ved hospitalet."))
    index.sync(docs)
    assert index.search("hemmeligordte").suggestion is None
    assert index.search("blåbærskovn").suggestion == "blåbærskoven"
    # a big update (more than 20 documents) saves the vocabulary: still no draft words in it
    docs += [doc(f"kladde{i}", f"Udkastet solsortefjer{i} er hemmeligt.", status="draft") for i in range(25)]
    index.sync(docs)
    assert "solsortefjer" not in (tmp_path / "index" / "netkit-vocabulary.json").read_text(encoding="utf-8")
    assert SearchIndex(tmp_path / "index", LEXICON).search("hemmeligordte").suggestion is None
    # once published, a document's words are public and suggested (for a typo the search does not find itself)
    assert index.search("hemmelgordet").suggestion is None
    docs[1] = doc("hemmelig", SECRET)
    index.sync(docs)
    assert index.search("hemmelgordet").suggestion == "hemmeligordet"


def test_an_index_of_the_previous_schema_is_rebuilt_without_draft_words(tmp_path):
    folder = tmp_path / "index"
    docs = [doc("offentlig", "Underskriv samtykkeerklæringen."), doc("hemmelig", SECRET, status="draft")]
    SearchIndex(folder, LEXICON).sync(docs)
    # what an index written before the fix held: the draft's words in the vocabulary
    (folder / "netkit-vocabulary.json").write_text('{"hemmeligordet": 1, "samtykkeerklaeringen": 1}',
                                                   encoding="utf-8")
    state = folder / "netkit-index.json"
    state.write_text(state.read_text().replace(f'"schema": {SCHEMA_VERSION}', '"schema": 6'))
    index = SearchIndex(folder, LEXICON)
    assert index.sync(docs).rebuilt
    assert index.search("hemmeligordte").suggestion is None


@pytest.mark.parametrize("content", ["null", "[]", '{"ord": "mange"}', '{"ord": -1}', "{trunc"])
def test_a_vocabulary_file_of_the_wrong_shape_gives_no_suggestions_and_no_error(tmp_path, content, caplog):
    folder = tmp_path / "index"
    SearchIndex(folder, LEXICON).sync([doc("a", "Underskriv samtykkeerklæringen.")])
    (folder / "netkit-vocabulary.json").write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="toolkit.search.spelling"):
        results = SearchIndex(folder, LEXICON).search("samtykeerklæringen")
    assert results.suggestion is None and results.total == 0
    assert any("vocabulary" in record.getMessage() for record in caplog.records)


# -- a search index damaged under the running process (L11) -------------------------------------------------

DAMAGE_DOCS = [doc(f"d{i}", f"Tekst nummer {i} om patientjournalen og samtykke.") for i in range(30)]


def damage_segments(folder: Path) -> None:
    for path in [*folder.glob("*.seg"), *folder.glob("*.toc")]:
        path.write_bytes(b"garbage")


def delete_index_files(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


# Whoosh leaves a file handle open when it fails to read a garbage table of contents (its code, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", [damage_segments, delete_index_files, shutil.rmtree])
def test_a_search_on_a_damaged_index_rebuilds_it_and_answers(tmp_path, damage, caplog):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.sync(DAMAGE_DOCS)
    assert index.search("patientjournalen").total == 30
    damage(tmp_path / "index")
    with caplog.at_level(logging.WARNING, logger="toolkit.search.index"):
        assert index.search("samtykke").total == 30  # a word whose postings were not read before
    assert any("rebuilding it from 30 documents" in record.getMessage() for record in caplog.records)
    assert [title for title, _ in index.suggest_titles("titel d1")][:1] == ["Titel d1"]
    fresh = SearchIndex(tmp_path / "index", LEXICON)  # the folder holds a sound index again
    assert fresh.sync(DAMAGE_DOCS) == SyncReport(False, 0, 0, 0) and fresh.search("samtykke").total == 30


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_sync_after_the_index_was_damaged_rebuilds_it(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.sync(DAMAGE_DOCS)
    index.search("samtykke")
    damage_segments(tmp_path / "index")
    changed = [*DAMAGE_DOCS[1:], doc("ny", "En ny tekst om blåbær.")]  # the library changed meanwhile
    assert index.sync(changed).rebuilt
    assert index.search("blåbær").total == 1 and index.search("samtykke").total == 29


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_damage_again_right_after_a_rebuild_is_a_clear_error_not_a_rebuild_loop(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.sync(DAMAGE_DOCS)
    delete_index_files(tmp_path / "index")
    assert index.search("samtykke").total == 30  # rebuilt
    delete_index_files(tmp_path / "index")
    with pytest.raises(SearchUnavailable, match=r"failed again .* after the last rebuild"):
        index.search("samtykke")
    assert not (tmp_path / "index" / "netkit-index.json").exists()  # no second rebuild within REPAIR_PAUSE


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_index_without_documents_to_rebuild_from_is_a_clear_error(tmp_path):
    SearchIndex(tmp_path / "index", LEXICON).sync(DAMAGE_DOCS)
    damage_segments(tmp_path / "index")
    with pytest.raises(SearchUnavailable, match="no documents to rebuild it from; sync it first"):
        SearchIndex(tmp_path / "index", LEXICON).search("samtykke")
