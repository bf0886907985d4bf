"""After a conflict, nothing of either writer may be lost silently.

`marked_body` turns git's merge output (both sides of every overlapping change) into the editor's text with the
two versions marked in Danish, so the writer sees and chooses; `unresolved` finds markers still left in a text;
`dropped_lines` names the lines the other writer added that a text about to be saved no longer has — saving it
needs an explicit "Overskriv den andens ændring"."""

from __future__ import annotations

from toolkit.history.merging import MARK_BASE, MARK_MINE, MARK_SPLIT, MARK_THEIRS
from toolkit.library.editing import split

MINE_MARK = "<<<<<<< DIN TEKST"
SPLIT_MARK = "======="
THEIRS_MARK = ">>>>>>> DEN ANDENS TEKST"


def marked_body(merged: str) -> str | None:
    """The body of a merged text with each conflict as "DIN TEKST … DEN ANDENS TEKST" (the common ancestor left
    out); None when a conflict lies in the front matter (the fields are chosen in the form instead)."""
    lines, section = [], None
    for line in merged.splitlines():
        if section is None and line.startswith(MARK_MINE):
            section = "mine"
            lines.append(MINE_MARK)
        elif section == "mine" and line.startswith(MARK_BASE):
            section = "base"
        elif section in ("mine", "base") and line == MARK_SPLIT:
            section = "theirs"
            lines.append(SPLIT_MARK)
        elif section == "theirs" and line.startswith(MARK_THEIRS):
            section = None
            lines.append(THEIRS_MARK)
        elif section != "base":
            lines.append(line)
    front, body = split("\n".join(lines) + ("\n" if merged.endswith("\n") else ""))
    return None if MINE_MARK in front or THEIRS_MARK in front else body


def unresolved(text: str) -> list[int]:
    """Line numbers (from 1) of the conflict markers still in the text (a bare "=======" alone is also Markdown's
    heading underline, so only the two named markers count)."""
    return [number for number, line in enumerate(text.splitlines(), 1) if line.startswith((MINE_MARK, THEIRS_MARK))]


def dropped_lines(original: str, theirs: str, new: str) -> list[str]:
    """The non-blank lines the other writer added (in `theirs`, not in `original`) that `new` does not have, whole
    or inside a longer line (a writer who merges both versions into one line has kept the other's words)."""
    before, kept = set(original.splitlines()), new.splitlines()
    whole = set(kept)
    return [line for line in theirs.splitlines()
            if line.strip() and line not in before and line not in whole
            and not any(line.strip() in other for other in kept)]
