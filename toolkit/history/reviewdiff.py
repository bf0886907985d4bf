"""A diff people can review: the front matter as a table of changed fields, the body as changed hunks.

`netkit diff` shows every line of the file, YAML included; a reviewer wants to know which fields changed
(old → new) and where the text changed, with a few lines around each change and the rest folded away. The
body is compared by diffing.compare (size-aware, so a 900 KB text stays fast); this module only splits the
file, compares the fields, and groups the body's rows into hunks and the unchanged gaps between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.history.diffing import Diff, DiffRow, Segment, compare, word_diff
from toolkit.library.frontmatter import FrontMatterError, parse

CONTEXT = 3  # unchanged lines shown around a change
MIN_GAP = 4  # fewer unchanged lines than this between two changes are shown, not folded away
InlineKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class FieldChange:
    """One front-matter field whose value differs. A list field has one segment per item (changed: the item
    is not on the other side); any other value is one line with its changed words marked."""

    name: str
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]
    listed: bool

    @property
    def added(self) -> bool:
        return not self.old

    @property
    def removed(self) -> bool:
        return not self.new


@dataclass(frozen=True)
class InlineRow:
    """A row of the inline view: one line, from the old text (delete), the new (insert) or both (equal)."""

    kind: InlineKind
    old_no: int | None
    new_no: int | None
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Hunk:
    """Changed lines with their context, as side-by-side rows."""

    rows: tuple[DiffRow, ...]
    collapsed = False

    @property
    def old_lines(self) -> tuple[int, int] | None:
        numbers = [row.left_no for row in self.rows if row.left_no is not None]
        return (numbers[0], numbers[-1]) if numbers else None

    @property
    def new_lines(self) -> tuple[int, int] | None:
        numbers = [row.right_no for row in self.rows if row.right_no is not None]
        return (numbers[0], numbers[-1]) if numbers else None

    def inline(self) -> tuple[InlineRow, ...]:
        """The rows one below the other: each run of changed lines as its old lines, then its new lines."""
        out: list[InlineRow] = []
        old: list[InlineRow] = []
        new: list[InlineRow] = []
        for row in (*self.rows, None):
            if row is not None and row.kind != "equal":
                if row.left_no is not None:
                    old.append(InlineRow("delete", row.left_no, None, row.left))
                if row.right_no is not None:
                    new.append(InlineRow("insert", None, row.right_no, row.right))
                continue
            out += old + new
            old, new = [], []
            if row is not None:
                out.append(InlineRow("equal", row.left_no, row.right_no, row.right))
        return tuple(out)


@dataclass(frozen=True)
class Gap:
    """Unchanged lines folded away between (or before, or after) the hunks."""

    rows: tuple[DiffRow, ...]
    collapsed = True

    @property
    def size(self) -> int:
        return len(self.rows)

    def inline(self) -> tuple[InlineRow, ...]:
        return tuple(InlineRow("equal", row.left_no, row.right_no, row.right) for row in self.rows)


@dataclass(frozen=True)
class ReviewDiff:
    old_label: str
    new_label: str
    fields: tuple[FieldChange, ...]
    body: Diff
    parts: tuple[Hunk | Gap, ...]
    old_body: str
    new_body: str
    front_matter_read: bool  # False: a side's front matter could not be read, so the whole files are compared

    @property
    def hunks(self) -> tuple[Hunk, ...]:
        return tuple(part for part in self.parts if isinstance(part, Hunk))

    @property
    def changed(self) -> bool:
        return bool(self.fields) or self.body.changed

    @property
    def added(self) -> int:
        return self.body.added

    @property
    def removed(self) -> int:
        return self.body.removed

    @property
    def number_width(self) -> int:
        """The digits of the longest line number (for narrow line-number columns)."""
        last = max((n for row in self.body.rows for n in (row.left_no, row.right_no) if n), default=1)
        return len(str(last))


def review(old: str, new: str, old_label: str = "a", new_label: str = "b", context: int = CONTEXT) -> ReviewDiff:
    """Compare two texts of a material: the fields of the front matter, and the body in hunks."""
    try:
        old_matter, new_matter = parse(old), parse(new)
    except FrontMatterError:
        body = compare(old, new, old_label, new_label, context)
        return ReviewDiff(old_label, new_label, (), body, tuple(hunks(body.rows, context)), old, new, False)
    fields = field_changes(old_matter.data, new_matter.data)
    body = compare(old_matter.body, new_matter.body, old_label, new_label, context)
    return ReviewDiff(old_label, new_label, fields, body, tuple(hunks(body.rows, context)), old_matter.body,
                      new_matter.body, True)


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the order of the new front matter, then the removed ones."""
    changes = []
    for name in [*new, *(key for key in old if key not in new)]:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, list) or isinstance(after, list):
            old_items, new_items = _items(before), _items(after)
            changes.append(FieldChange(name, tuple(Segment(item, item not in new_items) for item in old_items),
                                       tuple(Segment(item, item not in old_items) for item in new_items), True))
        else:
            old_text, new_text = _text(before), _text(after)
            if old_text and new_text:
                left, right = word_diff(old_text, new_text)
            else:
                left = (Segment(old_text, True),) if old_text else ()
                right = (Segment(new_text, True),) if new_text else ()
            changes.append(FieldChange(name, left, right, False))
    return tuple(changes)


def hunks(rows: tuple[DiffRow, ...], context: int = CONTEXT) -> list[Hunk | Gap]:
    """The rows as hunks (each change with `context` unchanged lines around it) and the gaps between them;
    a gap shorter than MIN_GAP lines stays in its hunk, since folding it would save nothing."""
    if not any(row.kind != "equal" for row in rows):
        return []
    shown = _near_a_change(rows, context)
    runs: list[tuple[bool, int, int]] = []  # (shown, start, stop)
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or shown[index] != shown[start]:
            runs.append((shown[start], start, index))
            start = index
    parts: list[Hunk | Gap] = []
    pending: list[DiffRow] = []
    for is_shown, begin, end in runs:
        if is_shown or end - begin < MIN_GAP:
            pending += rows[begin:end]
            continue
        if pending:
            parts.append(Hunk(tuple(pending)))
            pending = []
        parts.append(Gap(tuple(rows[begin:end])))
    if pending:
        parts.append(Hunk(tuple(pending)))
    return parts


def _near_a_change(rows: tuple[DiffRow, ...], context: int) -> list[bool]:
    """For each row: is it a change, or within `context` rows of one? Two linear passes."""
    shown = [False] * len(rows)
    since = context + 1
    for index, row in enumerate(rows):
        since = 0 if row.kind != "equal" else since + 1
        shown[index] = since <= context
    since = context + 1
    for index in range(len(rows) - 1, -1, -1):
        since = 0 if rows[index].kind != "equal" else since + 1
        shown[index] = shown[index] or since <= context
    return shown


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    return [_text(item) for item in value] if isinstance(value, list) else [_text(value)]


def _text(value: Any) -> str:
    """A field's value as one line of text (a mapping, such as a signatory, as its values joined)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(_text(item) for item in value.values() if item not in (None, ""))
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())
