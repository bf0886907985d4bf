"""How documents are kept in Whoosh: the schema, the fields of a `SearchDoc`, the positions format fed by the
Danish tokenizer, the codec the index is written with and the BM25F scorer reading cached lengths."""

from __future__ import annotations

from whoosh import scoring
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from toolkit.search.analysis import DanishTokenizer, Lexicon, danish_analyzer, english_analyzer
from toolkit.search.documents import SearchDoc
from toolkit.search.ranking import LENGTH_FLOOR

FACETS = ("kind", "topics", "audience", "status")
# One scored field per language: the title counted TITLE_WEIGHT times and the summary SUMMARY_WEIGHT times
# ahead of the body. One term matcher per query word instead of three makes queries at 10,000 documents
# about three times faster than separate title/summary/body fields with field boosts.
TEXT_FIELDS = {"da": ("content",), "en": ("content_en",)}
TITLE_WEIGHT, SUMMARY_WEIGHT = 4, 2


def build_schema(lexicon: Lexicon) -> Schema:
    da, en = danish_analyzer(lexicon), english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True), doctype=ID(stored=True), slug=STORED, url=STORED, text=STORED,
        summary=STORED, title=_danish_text(da, stored=True),  # title: for as-you-type suggestions
        content=_danish_text(da), content_en=TEXT(analyzer=en),
        kind=ID(stored=True, sortable=True), topics=KEYWORD(stored=True, commas=True, scorable=False),
        audience=KEYWORD(stored=True, commas=True, scorable=False), status=ID(stored=True, sortable=True),
        language=ID(stored=True), working_group=ID(stored=True), updated=ID(stored=True, sortable=True),
        version=STORED, readers_only=ID,
    )


def document_fields(doc: SearchDoc) -> dict:
    """The fields Whoosh indexes and stores for `doc` (its text in the field of its language)."""
    content = "\n".join([doc.title] * TITLE_WEIGHT + [doc.summary] * SUMMARY_WEIGHT + [doc.text])
    fields = {"id": doc.id, "doctype": doc.doctype, "slug": doc.slug, "url": doc.url, "text": doc.shown or doc.text,
              "title": doc.title, "summary": doc.summary,
              ("content_en" if doc.language == "en" else "content"): content,
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
        for text, positions in analyzer.positions(value).items():
            yield text, len(positions), len(positions) * boost, self.encode(positions)


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
    (the single largest cost of scoring a broad query at 10,000 documents)."""

    def __init__(self) -> None:
        super().__init__()
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
