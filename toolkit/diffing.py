"""Compare two texts: a unified diff for the terminal, and a word-level side-by-side structure for the web."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

WORD_RE = re.compile(r"\w+|\s+|[^\w\s]")
RowKind = Literal["equal", "insert", "delete", "replace"]


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


def compare(old: str, new: str, old_label: str = "a", new_label: str = "b", context: int = 3) -> Diff:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    unified = "\n".join(difflib.unified_diff(old_lines, new_lines, old_label, new_label, n=context, lineterm=""))
    return Diff(old_label, new_label, unified, tuple(side_by_side(old_lines, new_lines)))


def side_by_side(old_lines: list[str], new_lines: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
                    left, right = word_diff(old_lines[i], new_lines[j])
                    rows.append(DiffRow("replace", i + 1, left, j + 1, right))
                elif i < i2:
                    rows.append(DiffRow("delete", i + 1, (Segment(old_lines[i], True),), None, ()))
                else:
                    rows.append(DiffRow("insert", None, (), j + 1, (Segment(new_lines[j], True),)))
    return rows


def word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Mark the words that differ between two versions of a line (whitespace kept as its own token)."""
    a, b = WORD_RE.findall(old), WORD_RE.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            _append(left, "".join(a[i1:i2]), tag != "equal")
        if j2 > j1:
            _append(right, "".join(b[j1:j2]), tag != "equal")
    return tuple(left), tuple(right)


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if segments and segments[-1].changed == changed:
        segments[-1] = Segment(segments[-1].text + text, changed)
    else:
        segments.append(Segment(text, changed))
