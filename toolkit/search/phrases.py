"""The last check of a phrase whose words are not all common (toolkit/search/ranking.py: Ranker.phrase_mask):
which of a few candidate documents hold the words at consecutive positions. The positions are read a block of
postings at a time from Whoosh 2.7's whoosh3 codec and decoded only for the candidates, instead of Whoosh's
Phrase matcher stepping through every document that holds all the words."""

from __future__ import annotations

from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh.formats import Positions
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE


def in_sequence(leaves: list, fieldname: str, words: list[tuple[int, str]], candidates: np.ndarray) -> list[int]:
    """The candidates (sorted index-wide document numbers) where the words occur at consecutive positions;
    `words`: (place in the phrase, word), best the rarest first (later words are read for fewer documents)."""
    found: list[int] = []
    for leaf, offset in leaves:
        local = candidates[(candidates >= offset) & (candidates < offset + leaf.doc_count_all())] - offset
        if not local.size:
            continue
        starts: dict[int, set[int]] | None = None
        for shift, word in words:
            here = _positions(leaf, fieldname, word, local)
            # the positions where the phrase would start, per document still in the running
            shifted = {doc: {p - shift for p in positions} for doc, positions in here.items()
                       if starts is None or doc in starts}
            starts = shifted if starts is None else {doc: kept for doc, s in shifted.items()
                                                     if (kept := s & starts[doc])}
            if not starts:
                break
            local = np.fromiter(sorted(starts), dtype=np.int64, count=len(starts))
        found += [offset + doc for doc in sorted(starts or ())]
    return found


def _positions(leaf, fieldname: str, word: str, local: np.ndarray) -> dict[int, list[int]]:
    """The positions of `word` in each of the documents `local` (sorted segment-local numbers) holding it."""
    try:
        matcher = leaf.postings(fieldname, word)
    except TermNotFound:
        return {}
    raw = matcher
    while not hasattr(raw, "_read_ids") and hasattr(raw, "child"):
        raw = raw.child  # the filter that hides deleted documents: candidates are live already
    if not all(hasattr(raw, name) for name in ("_read_ids", "_read_values", "_next_block", "format")):
        return _positions_one_by_one(matcher, local)  # inlined postings (a word of one document), other codecs
    decode = _decode if type(raw.format).decode_positions is Positions.decode_positions \
        else raw.format.decode_positions
    out: dict[int, list[int]] = {}
    while raw.is_active():
        if raw.block_max_id() < local[0]:  # no candidate in this block: its ids are not even read
            raw._next_block()
            continue
        if raw._ids is None:
            raw._read_ids()
        ids = np.asarray(raw._ids, dtype=np.int64)
        inside = local[(local >= ids[0]) & (local <= ids[-1])]
        if inside.size:
            where = np.searchsorted(ids, inside)
            hit = ids[where] == inside
            if hit.any():
                if raw._values is None:
                    raw._read_values()
                for index, doc in zip(where[hit].tolist(), inside[hit].tolist(), strict=True):
                    out[doc] = decode(raw._values[index])
        if ids[-1] >= local[-1]:
            break
        raw._next_block()
    return out


def _decode(value: bytes) -> list[int]:
    """Positions.decode_positions with the running sum in C: a value is the count, then the pickled deltas."""
    return list(accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")))


def _positions_one_by_one(matcher, local: np.ndarray) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for doc in local.tolist():
        if not matcher.is_active():
            break
        matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            out[doc] = matcher.value_as("positions")
    return out
