"""Where a comment belongs in a text that keeps changing: an anchor remembers the block it was made on (a
heading's id, the block's text and fingerprint, the text of the blocks around it) and is found again in a later
text — the same text anywhere (a moved paragraph), the same heading id, or the most similar block of its sort
with its neighbours as a tie-breaker. When nothing is close enough, the anchor is outdated ("forældet") and its
quoted passage is what is left.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.library.blocks import Block, normalise, text_fingerprint

QUOTE_MAX = 1000  # characters of the passage kept in the anchor (the quote shown when it is outdated)
CONTEXT_MAX = 200  # characters of each neighbour kept
SECTION_MAX = 200
# A changed block is still "the same" when its text is this similar (difflib's ratio), or a little less
# similar when both neighbours are still around it.
SIMILAR, SIMILAR_IN_PLACE, NEIGHBOURS_KEPT = 0.6, 0.45, 0.8


@dataclass(frozen=True)
class Anchor:
    kind: str  # the block's kind (toolkit.library.blocks.KINDS)
    text: str  # the passage (at most QUOTE_MAX characters)
    digest: str  # fingerprint of the whole passage
    heading: str = ""  # a heading's id
    section: str = ""  # the heading the passage falls under
    before: str = ""  # the text of the block before it
    after: str = ""  # and after it
    revision: str = ""  # the revision of the text commented on

    def to_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "heading": self.heading, "section": self.section, "text": self.text,
                "digest": self.digest, "before": self.before, "after": self.after, "revision": self.revision}
        return {key: value for key, value in data.items() if value or key in ("kind", "text", "digest")}


def anchor_for(blocks: Sequence[Block], index: int, revision: str = "") -> Anchor:
    """The anchor of the block at `index` (ValueError when there is no such block to comment on)."""
    pool = [b for b in blocks if b.commentable]
    position = next((i for i, b in enumerate(pool) if b.index == index), None)
    if position is None:
        raise ValueError(f"no block {index} to comment on")
    block = pool[position]
    before = pool[position - 1].text[:CONTEXT_MAX] if position > 0 else ""
    after = pool[position + 1].text[:CONTEXT_MAX] if position + 1 < len(pool) else ""
    return Anchor(block.kind, block.text[:QUOTE_MAX], block.digest, block.heading_id, block.section[:SECTION_MAX],
                  before, after, revision)


def locate(anchor: Anchor, blocks: Sequence[Block]) -> Block | None:
    """The block of this text the anchor belongs to, or None when it is outdated."""
    pool = [b for b in blocks if b.commentable]
    if not pool:
        return None
    context = _Context(pool)
    exact = [i for i, b in enumerate(pool) if b.digest == anchor.digest]
    if exact:  # the same passage, wherever it moved; among equal ones the one in the old company
        return pool[max(exact, key=lambda i: context.score(anchor, i))]
    is_heading = anchor.kind == "heading"
    if is_heading and anchor.heading:
        same = [b for b in pool if b.kind == "heading" and b.heading_id == anchor.heading]
        if same:
            return same[0]
    best: tuple[float, int] | None = None
    wanted = normalise(anchor.text).casefold()
    for i, block in enumerate(pool):
        if (block.kind == "heading") != is_heading:
            continue
        similarity = _similarity(wanted, block.text[:QUOTE_MAX].casefold(), SIMILAR_IN_PLACE)
        if similarity < SIMILAR_IN_PLACE:
            continue
        around = context.score(anchor, i)
        if similarity < SIMILAR and around < NEIGHBOURS_KEPT:
            continue
        score = 0.75 * similarity + 0.25 * around + (0.01 if block.kind == anchor.kind else 0)
        if best is None or score > best[0]:
            best = (score, i)
    return pool[best[1]] if best else None


class _Context:
    """How well the blocks around a candidate match the anchor's neighbours (0–1)."""

    def __init__(self, pool: list[Block]):
        self.pool = pool

    def score(self, anchor: Anchor, i: int) -> float:
        before = self.pool[i - 1].text[:CONTEXT_MAX] if i > 0 else ""
        after = self.pool[i + 1].text[:CONTEXT_MAX] if i + 1 < len(self.pool) else ""
        return (_neighbour(anchor.before, before) + _neighbour(anchor.after, after)) / 2


def _neighbour(kept: str, now: str) -> float:
    if not kept and not now:
        return 1.0  # both at the start (or end) of the text
    return _similarity(kept.casefold(), now.casefold(), 0.0)


def _similarity(a: str, b: str, floor: float) -> float:
    """difflib's ratio, skipping the full comparison when its cheap upper bounds are already below `floor`."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


__all__ = ["Anchor", "anchor_for", "locate", "text_fingerprint"]
