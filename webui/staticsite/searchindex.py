"""The static site's search index (`search-index.json`), which the browser searches without a server.

The live search's own numbers, not a second ranking: the documents are indexed by the live SearchIndex
(toolkit/search/sitedata.py) and, per term, each document's score as the live scoring computes it (the
title and summary weights, K1, B, the length floor and the title bonus included) is written, with the term's
positions (for phrases) in a second file the script fetches only for a phrase (POSITIONS_FILE). Beside them,
what sitesearch.js needs to analyse and rank a query as toolkit/search/querying.py does: the stop words, the
synonym table, the compound parts, the document-type weights and the names that ask for a type, the query-text
limits and filters, and the "Mente du …?" vocabulary with the words never corrected. The script combines the
scores as the live search does, so the static site finds what the live search finds, in the same order.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

from toolkit.search.analysis import LINKING_LETTERS, MIN_PART, DanishTokenizer, Lexicon, fold
from toolkit.search.documents import DOCTYPE_WANTED, DOCTYPE_WEIGHTS, SearchDoc
from toolkit.search.querying import LONG_WORD, MIN_DOCUMENTS
from toolkit.search.querytext import FILTER_NAMES, MAX_QUERY
from toolkit.search.sitedata import live_tables
from toolkit.search.spelling import KNOWN_TERMS, MIN_CANDIDATE, max_distance

INDEX_FILE = "search-index.json"
POSITIONS_FILE = "search-positions.json"  # fetched by the script only for a query with a phrase
FORMAT = 3
SCALE = 10_000  # scores are written as integers: score × SCALE (the tests check the top 3 stays the live one's)
CANDIDATES = 10  # corrections tried per word, as Vocabulary.candidates' default


@dataclass(frozen=True)
class IndexDoc:
    """One search result of the static site: what is shown, and the text its terms come from."""

    title: str
    url: str  # relative to the site root
    summary: str
    kind: str  # the label shown
    text: str
    doctype: str = "material"
    kind_id: str = ""  # for `kind:guide` in a query
    questions: tuple[str, ...] = ()  # a material's questions (front matter), searched as the live search does


def search_doc(doc: IndexDoc, number: int) -> SearchDoc:
    """The live search's document for `doc` (what is scored: title, summary, questions, text and type)."""
    return SearchDoc(id=f"{doc.doctype}:{number}", doctype=doc.doctype, slug=doc.url, title=doc.title,
                     summary=doc.summary, text=doc.text, url=doc.url, kind=doc.kind_id, questions=doc.questions)


def search_index(docs: list[IndexDoc], lexicon: Lexicon | None = None) -> dict:
    """The index sitesearch.js reads.

    {"v": 2, "scale": n, "stop": [stop words], "kinds": [labels], "types": [[doctype, weight, weight when
     asked for, [names that ask]]], "docs": [[title, url, summary, kind label number, type number, kind]],
     "terms": {term: [doc gap, score, BM25, doc gap, …]}, "pos": {term: [[position, gap, …] per posting]},
     "syn": {term: [others]}, "compound": {"min": letters, "linking": letters, "parts": [parts]},
     "vocab": "words by frequency", "protect": [words never corrected], "spell": {…}, "query": {…}}

    Documents are in the live index's order (its tie-break); each posting list is sorted by document and stores
    the gap to the one before, and the live score and the plain BM25 score × scale (see sitedata.LiveTables);
    "pos" has the term's positions in each (the first, then gaps), which split_index moves to a file of its own.
    """
    lexicon = lexicon or Lexicon()
    searchable = [search_doc(doc, n) for n, doc in enumerate(docs)]
    tables = live_tables(searchable, lexicon)
    order = {doc_id: n for n, doc_id in enumerate(tables.order)}
    ranked = sorted(range(len(docs)), key=lambda n: order[searchable[n].id])
    types = sorted({d.doctype for d in docs} | set(DOCTYPE_WEIGHTS))
    kinds = sorted({d.kind for d in docs})
    terms, where = {}, {}
    for term in sorted(tables.terms):
        flat, previous = [], 0
        for number, score, bm25, _positions in tables.terms[term]:
            flat += [number - previous, max(1, round(score * SCALE)), max(1, round(bm25 * SCALE))]
            previous = number
        terms[term] = flat
        where[term] = [[p - q for p, q in zip(positions, [0, *positions[:-1]], strict=True)]
                       for _n, _s, _b, positions in tables.terms[term]]
    vocabulary = sorted(tables.vocabulary.items(), key=lambda item: (-item[1], item[0]))
    return {
        "v": FORMAT, "scale": SCALE, "stop": sorted(DanishTokenizer(lexicon.parts).stopwords), "kinds": kinds,
        "types": [[t, DOCTYPE_WEIGHTS.get(t, 1.0), *_wanted(t)] for t in types],
        "docs": [[docs[n].title, docs[n].url, docs[n].summary, kinds.index(docs[n].kind),
                  types.index(docs[n].doctype), docs[n].kind_id] for n in ranked],
        "terms": terms, "pos": where, "syn": {term: list(others) for term, others in lexicon.synonym_map.items()},
        "compound": {"min": MIN_PART, "linking": "".join(LINKING_LETTERS), "parts": sorted(lexicon.parts)},
        "vocab": " ".join(word for word, _count in vocabulary if len(word) >= MIN_CANDIDATE),
        "protect": sorted(KNOWN_TERMS),
        "spell": {"distance": [max_distance("x" * n) for n in range(32)], "minDocs": MIN_DOCUMENTS,
                  "longWord": LONG_WORD, "candidates": CANDIDATES},
        "query": {"max": MAX_QUERY, "filters": FILTER_NAMES},
    }


def _wanted(doctype: str) -> list:
    weight, names = DOCTYPE_WANTED.get(doctype, (DOCTYPE_WEIGHTS.get(doctype, 1.0), frozenset()))
    return [weight, sorted({fold(name) for name in names})]


def split_index(index: dict) -> dict[str, dict]:
    """The index as the site's files: the positions apart (half the size, needed only for phrases), named in the
    index so the script can fetch them when a query has a phrase."""
    main = {name: value for name, value in index.items() if name != "pos"}
    return {INDEX_FILE: {**main, "positions": POSITIONS_FILE}, POSITIONS_FILE: {"v": index["v"], "pos": index["pos"]}}


def index_sizes(index: dict) -> tuple[int, int]:
    """Bytes of the index as written, raw and gzip-compressed."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    return len(data), len(gzip.compress(data, 9))
