"""How documents are kept in Whoosh: the schema, the fields of a `SearchDoc`, the positions format fed by the
Danish tokenizer, the adjacent-word pairs phrases are matched with, the codec the index is written with and the
BM25F scorer reading cached lengths."""

from __future__ import annotations

import math
import threading
from collections import Counter

from whoosh import scoring
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence, Positions, tokens

from toolkit.search.analysis import DanishTokenizer, Lexicon, danish_analyzer, english_analyzer
from toolkit.search.documents import SearchDoc
from toolkit.search.ranking import K1, LENGTH_FLOOR, PAIR_FIELDS, B, pair_term

FACETS = ("kind", "topics", "audience", "status")
# One scored field per language: the title counted TITLE_WEIGHT times, the summary SUMMARY_WEIGHT times and the
# questions a material answers (its readers' words) QUESTIONS_WEIGHT times ahead of the body. One term matcher per
# query word instead of three makes queries at 10,000 documents about three times faster than separate
# title/summary/body fields with field boosts. (The questions at 1: raising MRR on the judged set from 0.869 to 0.891
# while recall@3 stayed within a query of 0.919; 2 and 3 raised MRR as much and lost more recall; README "Ranking".)
TEXT_FIELDS = {"da": ("content",), "en": ("content_en",)}
TITLE_WEIGHT, SUMMARY_WEIGHT, QUESTIONS_WEIGHT = 4, 2, 1


def build_schema(lexicon: Lexicon, common: frozenset[str] = frozenset()) -> Schema:
    """The schema; `common`: the words whose adjacent pairs are indexed (common_words, at a rebuild)."""
    da, en = danish_analyzer(lexicon), english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True), doctype=ID(stored=True), slug=STORED, url=STORED, text=STORED,
        summary=STORED, title=_danish_text(da, stored=True),  # title: for as-you-type suggestions
        content=_danish_text(da), content_en=TEXT(analyzer=en),
        **{PAIR_FIELDS["content"]: _pairs(da, common), PAIR_FIELDS["content_en"]: _pairs(en, common)},
        kind=ID(stored=True, sortable=True), topics=KEYWORD(stored=True, commas=True, scorable=False),
        audience=KEYWORD(stored=True, commas=True, scorable=False), status=ID(stored=True, sortable=True),
        language=ID(stored=True), working_group=ID(stored=True), updated=ID(stored=True, sortable=True),
        version=STORED, readers_only=ID,
    )


def document_fields(doc: SearchDoc) -> dict:
    """The fields Whoosh indexes and stores for `doc` (its text in the field of its language)."""
    content = "\n".join([doc.title] * TITLE_WEIGHT + [doc.summary] * SUMMARY_WEIGHT
                        + list(doc.questions) * QUESTIONS_WEIGHT + [doc.text])
    text_field = "content_en" if doc.language == "en" else "content"
    fields = {"id": doc.id, "doctype": doc.doctype, "slug": doc.slug, "url": doc.url, "text": doc.shown or doc.text,
              "title": doc.title, "summary": doc.summary,
              # the same string object for both: the pairs are read from the content's positions (_positions)
              text_field: content, PAIR_FIELDS[text_field]: content,
              "kind": doc.kind, "topics": ",".join(doc.topics), "audience": ",".join(doc.audience),
              "status": doc.status, "language": doc.language, "working_group": doc.working_group,
              "updated": doc.updated, "version": doc.version}
    if doc.readers_only:  # only where true: no posting for every other document
        fields["readers_only"] = "yes"
    return fields


class DanishPositions(Positions):
    """Whoosh's Positions format, fed by DanishTokenizer.positions instead of a Token per word: the same
    postings (the tests compare them), a third less indexing time."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, DanishTokenizer) or kwargs.get("mode", "index") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for text, positions in _positions(analyzer, value).items():
            yield text, len(positions), len(positions) * boost, self.encode(positions)


class AdjacentPairs(Existence):
    """Each two common words at adjacent positions as one term, "adgang data" (see ranking.pair_term): a phrase
    of two common words is one posting list, a longer one the AND of its pairs (toolkit/search/ranking.py).
    The words and positions are the text field's own (stop words dropped without a gap, compound parts at the
    position of the whole word), so the pairs hold exactly the adjacencies Whoosh's Phrase finds. Only presence
    is kept: a phrase is scored by its words' scores, as Whoosh scores it.

    Only pairs of `common` words (chosen when the index is built, kept in its schema, the same for every later
    update): a phrase with a rarer word has few candidates to check (ranking.Ranker.phrase_mask), and pairs
    with rare words would be most of the terms, and of the time it takes to write them."""

    def __init__(self, common: frozenset[str] = frozenset(), field_boost: float = 1.0, **options):
        super().__init__(field_boost, **options)
        self.common = common

    def word_values(self, value, analyzer, **kwargs):
        if isinstance(analyzer, DanishTokenizer) and kwargs.get("mode", "index") == "index":
            found = _positions(analyzer, value)
        else:
            found = {}
            for token in tokens(value, analyzer, {**kwargs, "positions": True}):
                found.setdefault(token.text, []).append(token.pos)
        boost = self.field_boost
        return ((pair, 1, boost, b"") for pair in adjacent_pairs(found, self.common))


def adjacent_pairs(found: dict[str, list[int]], common: frozenset[str]) -> set[str]:
    """The pair terms of a text's `common` words, from its indexed words and their positions."""
    at: dict[int, str] = {}
    more: dict[int, list[str]] = {}  # positions holding several words (a compound and its parts)
    for text, positions in found.items():
        if text not in common:
            continue
        for position in positions:
            if at.setdefault(position, text) != text:
                more.setdefault(position, [at[position]]).append(text)
    pairs = {pair_term(word, following) for p, word in at.items() if (following := at.get(p + 1)) is not None}
    for position in more:
        for before, after in ((position - 1, position), (position, position + 1)):
            if before in at and after in at:
                pairs.update(pair_term(a, b) for a in more.get(before, (at[before],))
                             for b in more.get(after, (at[after],)))
    return pairs


# A word in this share of the documents is common: its pairs are indexed. On bench/bench_search.py's corpus
# of 1,000 documents a share of 0.1 indexes 5× the pair terms of 0.3 and builds in 2.2× the CPU time; a higher
# share leaves more candidates to check in phrases with a word below it.
COMMON_SHARE = 0.3
COMMON_SAMPLE = 200  # the share is counted in at most this many documents (a tenth of a small library)


def common_words(docs: list[SearchDoc], lexicon: Lexicon, share: float = COMMON_SHARE) -> frozenset[str]:
    """The indexed words found in at least `share` of (a sample of) the documents. Any set gives the same
    results; this one keeps the pairs few and a phrase's candidates without pairs under ~share × documents."""
    step = max(1, len(docs) // min(COMMON_SAMPLE, max(50, len(docs) // 10)))
    sample = docs[::step]
    analyzers = {"da": danish_analyzer(lexicon), "en": english_analyzer()}
    counts: Counter[str] = Counter()
    for doc in sample:
        text = f"{doc.title}\n{doc.summary}\n{doc.text}"
        if doc.language == "en":
            counts.update({token.text for token in analyzers["en"](text)})
        else:
            counts.update(analyzers["da"].positions(text).keys())
    least = max(1, math.ceil(share * len(sample)))
    return frozenset(word for word, count in counts.items() if count >= least)


_last = threading.local()


def _positions(analyzer: DanishTokenizer, value: str) -> dict[str, list[int]]:
    """analyzer.positions(value), remembered for the next field given the same string (the pairs field
    after the content field: one tokenisation of a document's text instead of two)."""
    if getattr(_last, "value", None) is value and getattr(_last, "analyzer", None) is analyzer:
        return _last.found
    found = analyzer.positions(value)
    _last.value, _last.analyzer, _last.found = value, analyzer, found
    return found


def _pairs(analyzer, common: frozenset[str]) -> FieldType:
    return FieldType(format=AdjacentPairs(common), analyzer=analyzer, scorable=False, stored=False)


def _danish_text(analyzer: DanishTokenizer, *, stored: bool = False) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored)
    field.format = DanishPositions(field_boost=field.format.field_boost)
    return field


class FastCodec(W3Codec):
    """Whoosh's codec without per-term document-length statistics. Writing them reads the length of every
    posting's document back from disk (an eighth of indexing time); they only serve Whoosh's block skipping,
    and Netkit ranks from its own length arrays (toolkit/search/ranking.py). Lighter compression: faster writes."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=1)


class CachedLengthBM25F(scoring.BM25F):
    """BM25F reading document lengths from a list cached per segment instead of a column per document
    (the single largest cost of scoring a broad query at 10,000 documents), with the ranker's B and K1."""

    def __init__(self) -> None:
        super().__init__(B=B, K1=K1)
        self._lengths: dict[tuple[int, str], list[int]] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if hasattr(scorer, "dfl"):
            reader = searcher.reader()
            segment = reader.segment()
            key = (segment.segment_id() if segment is not None else str(id(reader)), fieldname)
            lengths = self._lengths.get(key)
            if lengths is None or len(lengths) != reader.doc_count_all():
                lengths = floored([reader.doc_field_length(n, fieldname, 1) for n in range(reader.doc_count_all())],
                                  scorer.avgfl)
                self._lengths[key] = lengths
            scorer.dfl = lengths.__getitem__
        return scorer


def floored(lengths: list[int | None], average: float | None) -> list[float]:
    """Field lengths with the floor applied (a document without the field has no length: 0)."""
    floor = LENGTH_FLOOR * (average or 0.0)
    return [max(length or 0, floor) for length in lengths]
