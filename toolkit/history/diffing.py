"""Compare two texts: a unified diff for the terminal, and a word-level side-by-side structure for the web.

Lines and words are matched by one size-aware algorithm (`matching_blocks`), because difflib's
SequenceMatcher goes cubic on long inputs: every line of 10,000 changed paragraphs between blank lines, or
the words of a 900 KB line, took minutes. Common lines at both ends are matched first; SequenceMatcher runs
only where its worst case is small; a longer stretch is split at the lines that occur once on each side
(patience diff); and all of it draws on a budget of work, so that a diff past the budget is coarser (more
lines or words marked as changed) but never wrong and never slow.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

WORD_RE = re.compile(r"\w+|\s+|[^\w\s]")
RowKind = Literal["equal", "insert", "delete", "replace"]
Block = tuple[int, int, int]  # (i, j, size): a[i:i+size] == b[j:j+size]
Opcode = tuple[str, int, int, int, int]  # (tag, i1, i2, j1, j2) as difflib's get_opcodes

# Units of work are about one step of a Python loop: an element counted, a pair of equal elements tried.
SMALL_MATCH_COST = 2_000_000  # SequenceMatcher on a stretch whose worst case is at most this (~40 ms)
LINE_BUDGET = 30_000_000  # for matching the lines of one diff (a worst case of well under a second)
WORD_BUDGET = 20_000_000  # for the word marks of all changed lines of one diff together
WORD_MARK_LINE_MAX = 10_000  # a longer line gets only its common start and end unmarked


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    left_no: int | None
    left: tuple[Segment, ...]
    right_no: int | None
    right: tuple[Segment, ...]


@dataclass(frozen=True)
class Diff:
    old_label: str
    new_label: str
    unified: str
    rows: tuple[DiffRow, ...]

    @property
    def added(self) -> int:
        return sum(1 for row in self.rows if row.kind in ("insert", "replace") and row.right_no is not None)

    @property
    def removed(self) -> int:
        return sum(1 for row in self.rows if row.kind in ("delete", "replace") and row.left_no is not None)

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)


class Budget:
    """Units of work a comparison may still spend; once spent, what is left unmatched counts as changed."""

    def __init__(self, units: int):
        self.left = units

    def spend(self, units: int) -> bool:
        if units > self.left:
            return False
        self.left -= units
        return True


def compare(old: str, new: str, old_label: str = "a", new_label: str = "b", context: int = 3) -> Diff:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    codes = opcodes(old_lines, new_lines, Budget(LINE_BUDGET), pair_rest=True)
    unified = unified_diff(old_lines, new_lines, codes, old_label, new_label, context)
    return Diff(old_label, new_label, unified, tuple(side_by_side(old_lines, new_lines, codes)))


def side_by_side(old_lines: list[str], new_lines: list[str], codes: list[Opcode] | None = None) -> list[DiffRow]:
    rows: list[DiffRow] = []
    words = Budget(WORD_BUDGET)
    if codes is None:
        codes = opcodes(old_lines, new_lines, Budget(LINE_BUDGET), pair_rest=True)
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            rows += [DiffRow("equal", i + 1, (Segment(old_lines[i], False),), j + 1, (Segment(new_lines[j], False),))
                     for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        elif tag == "delete":
            rows += [DiffRow("delete", i + 1, (Segment(old_lines[i], True),), None, ()) for i in range(i1, i2)]
        elif tag == "insert":
            rows += [DiffRow("insert", None, (), j + 1, (Segment(new_lines[j], True),)) for j in range(j1, j2)]
        else:
            for offset in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + offset, j1 + offset
                if i < i2 and j < j2:
                    left, right = word_diff(old_lines[i], new_lines[j], words)
                    rows.append(DiffRow("replace", i + 1, left, j + 1, right))
                elif i < i2:
                    rows.append(DiffRow("delete", i + 1, (Segment(old_lines[i], True),), None, ()))
                else:
                    rows.append(DiffRow("insert", None, (), j + 1, (Segment(new_lines[j], True),)))
    return rows


def word_diff(old: str, new: str, budget: Budget | None = None) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Mark the words that differ between two versions of a line (whitespace kept as its own token).

    A very long line (or one compared after the diff's budget is spent) keeps only its common start and end
    unmarked: finding the words in between would cost more than the marks are worth."""
    a, b = WORD_RE.findall(old), WORD_RE.findall(new)
    if max(len(old), len(new)) > WORD_MARK_LINE_MAX:
        budget = Budget(0)
    elif budget is None:
        budget = Budget(WORD_BUDGET)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b, budget):
        if i2 > i1:
            _append(left, "".join(a[i1:i2]), tag != "equal")
        if j2 > j1:
            _append(right, "".join(b[j1:j2]), tag != "equal")
    return tuple(left), tuple(right)


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget, pair_rest: bool = False) -> list[Opcode]:
    """How to turn a into b, in the shape of difflib's SequenceMatcher.get_opcodes()."""
    codes: list[Opcode] = []
    i = j = 0
    for ai, bj, size in matching_blocks(a, b, budget, pair_rest):
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            codes.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            codes.append(("equal", ai, i, bj, j))
    return codes


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget,
                    pair_rest: bool = False) -> list[Block]:
    """Equal runs of a and b in order, ending with (len(a), len(b), 0) as difflib's get_matching_blocks().

    A stretch too long for SequenceMatcher and without an element that occurs once on each side is left
    unmatched, or with `pair_rest` its elements are paired by position and the equal pairs matched: for
    lines, so that the blank lines between rewritten paragraphs stay equal (for words it gives confetti)."""
    blocks: list[Block] = []
    stretches = [(0, len(a), 0, len(b))]
    while stretches:
        alo, ahi, blo, bhi = _match_ends(a, b, *stretches.pop(), blocks)
        if alo == ahi or blo == bhi:
            continue
        if _sequence_matcher_affordable(a, b, alo, ahi, blo, bhi, budget):
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            blocks += [(alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size]
            continue
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi, budget)
        starts = (alo, blo)
        for i, j in anchors:
            blocks.append((i, j, 1))
            stretches.append((starts[0], i, starts[1], j))
            starts = (i + 1, j + 1)
        if anchors:
            stretches.append((starts[0], ahi, starts[1], bhi))
        elif pair_rest:
            blocks += [(alo + k, blo + k, 1) for k in range(min(ahi - alo, bhi - blo)) if a[alo + k] == b[blo + k]]
    return [*_merged(blocks), (len(a), len(b), 0)]


def _match_ends(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int,
                blocks: list[Block]) -> tuple[int, int, int, int]:
    """Match the equal elements at the start and at the end of a stretch; what is left between them."""
    start = 0
    while alo + start < ahi and blo + start < bhi and a[alo + start] == b[blo + start]:
        start += 1
    end = 0
    while alo + start < ahi - end and blo + start < bhi - end and a[ahi - end - 1] == b[bhi - end - 1]:
        end += 1
    if start:
        blocks.append((alo, blo, start))
    if end:
        blocks.append((ahi - end, bhi - end, end))
    return alo + start, ahi - end, blo + start, bhi - end


def _sequence_matcher_affordable(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int,
                                 bhi: int, budget: Budget) -> bool:
    """Whether SequenceMatcher's worst case on this stretch is small (and then spend it).

    Each of its longest-match searches tries every pair of equal elements (the pairs) and every element of a;
    there are at most 2·min(len) + 1 searches. A rough bound, but it keeps repeated elements such as blank
    lines or spaces from making it cubic."""
    a_len, b_len = ahi - alo, bhi - blo
    searches = 2 * min(a_len, b_len) + 1
    if (a_len + b_len) * searches > SMALL_MATCH_COST:
        return False
    counts = Counter(b[blo:bhi])
    pairs = sum(counts[item] for item in a[alo:ahi])
    cost = (pairs + a_len + b_len) * searches
    return cost <= SMALL_MATCH_COST and budget.spend(cost)


def _unique_anchors(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int,
                    budget: Budget) -> list[tuple[int, int]]:
    """The elements that occur once in each side of the stretch, as many as keep their order (patience diff)."""
    if not budget.spend(2 * (ahi - alo + bhi - blo)):
        return []
    a_once, b_once = _positions_of_unique(a, alo, ahi), _positions_of_unique(b, blo, bhi)
    pairs = [(i, b_once[item]) for item, i in a_once.items() if item in b_once]
    pairs.sort()
    return _longest_increasing(pairs)


def _positions_of_unique(items: Sequence[Hashable], lo: int, hi: int) -> dict[Hashable, int]:
    position: dict[Hashable, int] = {}
    repeated: set[Hashable] = set()
    for index in range(lo, hi):
        item = items[index]
        if item in position:
            repeated.add(item)
        position[item] = index
    for item in repeated:
        del position[item]
    return position


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs (sorted by i) whose j increase too: patience sorting, O(n log n)."""
    tail_js: list[int] = []  # tail_js[k]: the smallest last j of an increasing run of length k + 1
    tail_at: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tail_js, j)
        previous.append(tail_at[length - 1] if length else -1)
        if length == len(tail_js):
            tail_js.append(j)
            tail_at.append(index)
        else:
            tail_js[length], tail_at[length] = j, index
    run: list[tuple[int, int]] = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _merged(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for i, j, size in sorted(blocks):
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


def unified_diff(old_lines: list[str], new_lines: list[str], codes: list[Opcode], old_label: str,
                 new_label: str, context: int = 3) -> str:
    """The unified diff of these opcodes, line for line as difflib.unified_diff(..., lineterm="") writes it."""
    out: list[str] = []
    for group in _grouped(codes, context):
        if not out:
            out += [f"--- {old_label}", f"+++ {new_label}"]
        out.append(f"@@ -{_unified_range(group[0][1], group[-1][2])} +{_unified_range(group[0][3], group[-1][4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in old_lines[i1:i2]]
                continue
            out += ["-" + line for line in old_lines[i1:i2]]
            out += ["+" + line for line in new_lines[j1:j2]]
    return "\n".join(out)


def _grouped(codes: list[Opcode], context: int) -> Iterator[list[Opcode]]:
    """Hunks with `context` equal lines around each change (difflib's get_grouped_opcodes)."""
    codes = list(codes) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _unified_range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if segments and segments[-1].changed == changed:
        segments[-1] = Segment(segments[-1].text + text, changed)
    else:
        segments.append(Segment(text, changed))
