"""The live search's own numbers for a search without a server (the static site's search-index.json).

`live_tables` indexes the given documents with the live SearchIndex (in a temporary folder) and reads back
what its ranker would score: per term of the Danish text field, each document's BM25 score (Ranker.term_scores,
so TITLE_WEIGHT, SUMMARY_WEIGHT, K1, B and LENGTH_FLOOR are followed, whatever they are set to), with what the
live scoring adds to it where there is such a layer (toolkit/search/scoring.py: the title bonus), and the
positions phrases are matched on; and the "Mente du …?" vocabulary as the live index counts it. A browser script
that combines these scores as querying.answer does gets the live search's ranking without recomputing it.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc
from toolkit.search.index import SearchIndex
from toolkit.search.schema import TEXT_FIELDS
from toolkit.search.scoring import term_scores as scored_terms
from toolkit.search.spelling import Vocabulary, count_words


@dataclass
class LiveTables:
    """What the live index holds, in its own document order (its tie-break: the lower document number first)."""

    order: list[str]  # document ids by document number
    # term → [(document number, score, BM25 score, positions)], by document number: the score as the live scoring
    # gives it, and the ranker's plain BM25 (what Whoosh itself scores, for the query shapes it answers)
    terms: dict[str, list[tuple[int, float, float, list[int]]]] = field(default_factory=dict)
    vocabulary: Counter[str] = field(default_factory=Counter)


def live_tables(docs: list[SearchDoc], lexicon: Lexicon) -> LiveTables:
    """Index `docs` as the live search does and read back its per-term scores, positions and vocabulary."""
    with tempfile.TemporaryDirectory(prefix="netkit-sitedata-") as tmp:
        index = SearchIndex(Path(tmp) / "index", lexicon)
        index.rebuild(docs)
        with index.reading() as (searcher, ranker):  # the index's own searcher and ranker: its queries' numbers
            reader = searcher.reader()
            order = [reader.stored_fields(n)["id"] for n in range(reader.doc_count_all())]
            tables = LiveTables(order)
            fieldname = TEXT_FIELDS["da"][0]
            for raw in list(reader.lexicon(fieldname)):
                text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                bm25 = ranker.term_scores(fieldname, text)
                scores = scored_terms(ranker, fieldname, text)
                positions = dict(reader.postings(fieldname, text).items_as("positions"))
                tables.terms[text] = [(n, float(scores[n]), float(bm25[n]), list(positions.get(n, ())))
                                      for n in sorted(positions) if scores[n] > 0]
    raw_counts: Counter[str] = Counter()
    for doc in docs:  # the live index counts public documents' words (index._vocabulary_text)
        count_words(raw_counts, f"{doc.title} {doc.summary} {doc.text}")
    vocabulary = Vocabulary()
    vocabulary.add_counts(raw_counts)
    tables.vocabulary = vocabulary.counts
    return tables
