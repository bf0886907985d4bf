"""Whoosh segments under small updates: deleting documents through the open searcher, the merge policy that
folds small segments together, and a searcher refresh that keeps the open readers of unchanged segments."""

from __future__ import annotations

# Small updates: segments of at most SMALL_SEGMENT documents are merged when there are SMALL_MERGE_AT of
# them; up to MEDIUM_SEGMENT documents when there are MEDIUM_MERGE_AT.
SMALL_SEGMENT, SMALL_MERGE_AT = 100, 8
MEDIUM_SEGMENT, MEDIUM_MERGE_AT = 2000, 10


def delete_documents(writer, searcher, doc_ids: list[str]) -> None:
    """Delete documents by number, found in our own open searcher when it reads exactly the writer's
    segments (Whoosh's delete_by_term would open a new searcher over every segment, ~100 ms at 10,000)."""
    same = [s.segment_id() for s in writer.segments] == [
        leaf.segment().segment_id() if leaf.segment() is not None else None
        for leaf, _ in searcher.reader().leaf_readers()]
    for doc_id in doc_ids:
        if not same:
            writer.delete_by_term("id", doc_id)
        elif (number := searcher.document_number(id=doc_id)) is not None:
            writer.delete_document(number)


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy for small updates: merge the small segments once there are several of them, and
    the medium ones once there are many; the big segments of a build are left alone (a rebuild compacts)."""
    from whoosh.reading import SegmentReader

    for limit, at in ((SMALL_SEGMENT, SMALL_MERGE_AT), (MEDIUM_SEGMENT, MEDIUM_MERGE_AT)):
        group = [segment for segment in segments if segment.doc_count_all() <= limit]
        if len(group) >= at:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if segment not in group]
    return segments


def refreshed(searcher, ix):
    """The searcher for the index's latest generation, keeping the open readers of unchanged segments.

    Whoosh 2.7's own refresh reopens every segment (it looks reusable readers up by generation instead of
    segment id): ~1 ms a segment, paid on every save and first search after it. A segment whose deletions
    did not change is the same segment; only changed and new ones are opened.
    """
    from whoosh.reading import EmptyReader, MultiReader, SegmentReader
    from whoosh.searching import Searcher

    if ix.latest_generation() == searcher.reader().generation():
        return searcher
    toc = ix._read_toc()
    previous = {}
    for leaf, _ in searcher.reader().leaf_readers():
        segment = leaf.segment()
        if segment is not None:
            previous[segment.segment_id()] = (leaf, segment.deleted_count())
    readers = []
    for segment in toc.segments:
        kept = previous.get(segment.segment_id())
        if kept is not None and kept[1] == segment.deleted_count():
            readers.append(kept[0])
            del previous[segment.segment_id()]
        else:
            readers.append(SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation))
    for leaf, _ in previous.values():  # segments that changed or were merged away
        leaf.close()
    reader = MultiReader(readers, generation=toc.generation) if readers else EmptyReader(toc.schema)
    return Searcher(reader, weighting=searcher.weighting, fromindex=ix)
