"""Phrases matched from the index's adjacent-word pairs give the documents Whoosh's own Phrase matching gives:
over the bundled library, over a corpus of near misses, in several segments with deleted documents; scored as
Whoosh scores them, and inside mixed queries."""

import random
import re

import numpy as np
import pytest
from whoosh.query import Phrase, Term

from toolkit.config import BUNDLED_LIBRARY
from toolkit.library.folder import Library
from toolkit.search.analysis import Lexicon, danish_analyzer
from toolkit.search.documents import SearchDoc, material_docs
from toolkit.search.index import SearchIndex
from toolkit.search.querying import parse_query
from toolkit.search.ranking import pair_term
from toolkit.search.schema import adjacent_pairs, common_words

LEXICON = Lexicon.load(BUNDLED_LIBRARY)
ANALYZER = danish_analyzer(LEXICON)


def doc(slug: str, text: str, *, title: str = "Notat", summary: str = "Et notat.", kind: str = "guide",
        language: str = "da") -> SearchDoc:
    return SearchDoc(id=f"material:{slug}", doctype="material", slug=slug, title=title, summary=summary, text=text,
                     url=f"/m/{slug}/", language=language, kind=kind, topics=("consent",), audience=("researchers",),
                     updated="2026-01-01", version="1.0.0")


def ranker_of(index: SearchIndex):
    with index._lock:
        return index._current_searcher()


def stems(text: str) -> list[str]:
    """The indexed forms of a text's words, in order (what a quoted phrase of them becomes)."""
    return [token.text for token in ANALYZER(text)]


def assert_same_as_whoosh(index: SearchIndex, phrases: list[list[str]], field: str = "content") -> int:
    """Each phrase's documents by the pairs equal Whoosh's Phrase matching; returns how many phrases matched."""
    searcher, ranker = ranker_of(index)
    matched = 0
    for words in phrases:
        query = Phrase(field, words)
        expected = sorted(searcher.docs_for_query(query))
        got = [int(d) for d in np.flatnonzero(ranker.mask(query))]
        assert got == expected, words
        matched += bool(expected)
    return matched


NEAR_MISSES = [
    doc("exact", "Vi giver adgang til data efter aftale."),
    doc("reversed", "Data adgang gives efter aftale."),
    doc("gap", "Adgang til sundhedsfaglige data kræver aftale."),
    doc("stopword", "Adgang og data, hvis aftalen er i orden."),  # a stop word leaves no gap
    doc("title-edge", "Aftale først.", title="Regler for adgang", summary="Data om patienter."),
    doc("summary-edge", "Data bliver delt.", title="Notat", summary="Om adgang"),
    doc("repeated", "Data data data, og adgang adgang."),
    doc("compound", "Hurtig dataadgang for klinisk forskning."),  # parts at the position of the whole word
    doc("three-apart", "Klinisk evaluering tager tid. Evaluering af modellen er svær."),
    doc("three", "Klinisk evaluering af modellen er planlagt."),
    doc("dash", "CE-mærkning af software kræver et bemyndiget organ."),
    doc("english", "Clinical evaluation of the model and data access for research.", language="en",
        title="Clinical evaluation"),
]
NEAR_MISS_PHRASES = [stems(text) for text in (
    "adgang til data", "data adgang", "adgang data adgang", "data data", "data data data", "adgang adgang",
    "adgang sundhedsfaglige data", "regler for adgang", "adgang data om", "om adgang data", "notat notat",
    "hurtig data", "hurtig adgang", "hurtig dataadgang", "dataadgang klinisk", "adgang klinisk", "data klinisk",
    "klinisk evaluering modellen", "evaluering modellen", "klinisk evaluering", "ce mærkning", "mærkning software",
    "ce mærkning software", "aftale først", "først regler", "tid evaluering", "svær klinisk")]


@pytest.fixture(scope="module")
def near_misses(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("near") / "index", LEXICON)
    index.rebuild(NEAR_MISSES)
    return index


def test_pairs_hold_the_adjacencies_of_the_positions_whoosh_keeps():
    found = {"klinisk": [0], "dataadgang": [1], "data": [1], "adgang": [1], "forskning": [2], "sjælden": [3]}
    common = frozenset(found) - {"sjælden"}
    assert adjacent_pairs(found, common) == {pair_term(a, b) for a, b in [
        ("klinisk", "dataadgang"), ("klinisk", "data"), ("klinisk", "adgang"),
        ("dataadgang", "forskning"), ("data", "forskning"), ("adgang", "forskning")]}
    assert adjacent_pairs({"data": [0, 1, 2]}, frozenset({"data"})) == {pair_term("data", "data")}
    assert adjacent_pairs({"data": [0, 1, 2]}, frozenset()) == set()


def test_common_words_are_those_of_enough_documents():
    docs = [doc(f"d{n}", "Adgang til data." if n % 10 == 0 else "Notat om møder.") for n in range(100)]
    common = common_words(docs, LEXICON, share=0.05)
    assert {"adgang", "data", "notat", "moed"} <= common
    assert "sjaeld" not in common_words([*docs, doc("x", "Sjælden.")], LEXICON, share=0.05)


def zipf_corpus(count: int, seed: int) -> list[SearchDoc]:
    """Documents from a small vocabulary, Zipf-distributed, with stop words between the words, compounds whose
    parts are known words, repetitions, every order (near misses everywhere) and a few rare words."""
    rng = random.Random(seed)
    vocabulary = ["adgang", "data", "patient", "journal", "klinisk", "evaluering", "model", "software",
                  "dataadgang", "patientdata", "risiko", "klasse"]
    rare = ["sjælden", "usædvanlig", "enestående"]  # each in a few documents: under COMMON_SHARE
    glue = ["til", "og", "i", "af", "mellem", "hvordan", "kan"]
    weights = [1 / (rank + 1) ** 1.3 for rank in range(len(vocabulary))]
    docs = []
    for number in range(count):
        words = [rng.choice(glue) if rng.random() < 0.3 else rng.choices(vocabulary, weights)[0]
                 for _ in range(rng.randint(5, 40))]
        if number % 30 < len(rare):
            words.insert(rng.randrange(len(words)), rare[number % 30])
        docs.append(doc(f"z{number}", " ".join(words), title=" ".join(rng.choices(vocabulary, weights, k=2)),
                        summary=" ".join(rng.choices(vocabulary, weights, k=3))))
    return docs


def test_common_and_rare_words_match_as_whoosh_matches_them(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = zipf_corpus(120, seed=5)
    index.rebuild(docs)
    searcher, _ = ranker_of(index)
    common = searcher.schema["content_pairs"].format.common
    words = sorted({word for d in docs for word in stems(d.text)})
    assert {"adgang", "data"} <= common and set(words) - common  # both paths are taken below
    phrases = [[a, b] for a in words for b in words]
    rng = random.Random(8)
    phrases += [rng.sample(words, 3) for _ in range(150)] + [[w, w, w] for w in words]
    for source in docs:
        indexed = stems(f"{source.title}\n{source.summary}\n{source.text}")
        start = rng.randrange(len(indexed) - 4)
        phrases += [indexed[start:start + 3], indexed[start:start + 4]]
    assert assert_same_as_whoosh(index, phrases) > 150


def test_near_misses_match_as_whoosh_matches_them(near_misses):
    assert all(len(words) >= 2 for words in NEAR_MISS_PHRASES)
    assert assert_same_as_whoosh(near_misses, NEAR_MISS_PHRASES) >= 15
    assert_same_as_whoosh(near_misses, [["clinic", "evalu"], ["data", "access"], ["evalu", "data"]], "content_en")


def test_near_misses_in_several_segments_with_deleted_documents(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.rebuild(NEAR_MISSES)
    changed = [doc("exact", "Nu står der data adgang i stedet."), *NEAR_MISSES[1:5],
               doc("new", "Adgang til data, igen og igen: adgang til data."), *NEAR_MISSES[6:]]
    index.sync(changed)  # a second segment; the old "exact" deleted in the first, "summary-edge" removed
    searcher, _ = ranker_of(index)
    assert len(searcher.reader().leaf_readers()) == 2 and searcher.reader().has_deletions()
    assert assert_same_as_whoosh(index, NEAR_MISS_PHRASES) >= 15
    assert {hit.slug for hit in index.search('"adgang til data"').hits} == {"new", "stopword", "title-edge"}


def test_the_bundled_library_matches_as_whoosh_matches_it(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    docs = material_docs(Library.load(BUNDLED_LIBRARY))
    index.rebuild(docs)
    rng = random.Random(21)
    phrases = []
    assert len(docs) >= 15
    for source in docs:  # phrases that occur, and their words shuffled into near misses
        words = stems(f"{source.title}\n{source.summary}\n{source.text}")
        for _ in range(12):
            length = rng.choice((2, 2, 3, 4))
            start = rng.randrange(max(1, len(words) - length))
            phrase = words[start:start + length]
            if len(phrase) >= 2:
                phrases += [phrase, phrase[::-1], [phrase[0], rng.choice(words), *phrase[1:]]]
    assert len(phrases) > 300
    assert assert_same_as_whoosh(index, phrases) > 150


def test_scores_are_whooshs(near_misses):
    searcher, ranker = ranker_of(near_misses)
    for words in NEAR_MISS_PHRASES:
        query = Phrase("content", words)
        ours = ranker.scores(query)
        theirs = ranker.whoosh_scores(query, np.zeros(ranker.size, dtype=bool))
        assert np.allclose(ours, theirs, rtol=1e-4, atol=1e-5), words
        assert ours.any() == bool(list(searcher.docs_for_query(query))), words


def test_a_phrase_in_the_title_ranks_above_one_in_the_body(tmp_path):
    index = SearchIndex(tmp_path / "index", LEXICON)
    index.rebuild([doc("body", "Her står lidt om klinisk evaluering af software midt i teksten."),
                   doc("title", "Her står lidt om software.", title="Klinisk evaluering"),
                   doc("none", "Evaluering og klinisk arbejde hver for sig.")])
    assert [hit.slug for hit in index.search('"klinisk evaluering"').hits] == ["title", "body"]


def test_mixed_queries_keep_their_meaning(near_misses):
    searcher, _ = ranker_of(near_misses)

    def whoosh(text: str, kind: str | None = None) -> set[str]:
        query = parse_query(text, near_misses.schema, LEXICON, english=True)
        restriction = Term("kind", kind) if kind else None
        return {hit["slug"] for hit in searcher.search(query, limit=None, filter=restriction)}

    def ours(text: str, **filters) -> set[str]:
        return {hit.slug for hit in near_misses.search(text, per_page=100, **filters).hits}

    for text in ('"adgang til data" aftale', '"adgang til data" NOT aftale', '"klinisk evaluering" AND modellen',
                 '"ce mærkning" OR "data data"', '"adgang dat*"', '"klinisk evaluering modellen"',
                 'adgang til data', '"adgang til data" OR samtykke*', 'aftale NOT "adgang til data"'):
        assert ours(text) == whoosh(text), text
        assert ours(text) or text == '"adgang dat*"'  # a prefix in a phrase is a word, as before: no "dat"
    assert ours('"adgang til data"', kind="playbook") == set()
    assert ours('"klinisk evaluering" kind:guide') == whoosh('"klinisk evaluering"', "guide")


def test_the_date_order_finds_the_same_documents(near_misses):
    dated = near_misses.search('"adgang til data"', sort="date", per_page=100)
    relevant = near_misses.search('"adgang til data"', per_page=100)
    assert dated.total == relevant.total == len(relevant.hits) > 0
    assert {h.slug for h in dated.hits} == {h.slug for h in relevant.hits}


def test_pair_terms_never_collide_with_words():
    assert all(" " not in word for word in stems("Adgang til data-ansvar, CE-mærkning og 2025/0359(COD)."))
    assert re.fullmatch(r"\S+ \S+", pair_term("adgang", "data"))
