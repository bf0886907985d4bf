"""After a conflict, nothing of either writer may be lost silently.

`marked_body` turns git's merge output (both sides of every overlapping change) into the editor's text with the
two versions marked in Danish, so the writer sees and chooses; `unresolved` finds markers still left in a text;
`dropped_lines` names the lines the other writer added that a text about to be saved no longer has — saving it
needs an explicit "Overskriv den andens ændring". `marked_places`, `body_places` and `field_places` describe each
conflicting place as the writer meets it: by the line numbers of the text in the editor (never of the whole file,
whose front matter the editor does not show), or by the front-matter field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.history.merging import MARK_BASE, MARK_MINE, MARK_SPLIT, MARK_THEIRS
from toolkit.library.editing import split
from toolkit.library.frontmatter import FrontMatterError, parse

MINE_MARK = "<<<<<<< DIN TEKST"
SPLIT_MARK = "======="
THEIRS_MARK = ">>>>>>> DEN ANDENS TEKST"


@dataclass(frozen=True)
class Place:
    """One conflicting place: lines `first`–`last` of the editor's text (the body, counted from 1 as the textarea
    shows it), or the front-matter field `field` (then `mine` and `theirs` are the field's values)."""

    mine: Any
    theirs: Any
    first: int | None = None
    last: int | None = None
    field: str | None = None


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


def marked_places(body: str) -> list[Place]:
    """The places marked in a body from `marked_body`, each from its "DIN TEKST" line to its "DEN ANDENS TEKST"
    line — the numbers a refusal to save with markers left also gives."""
    places, first, mine, theirs, side = [], 0, [], [], None
    for number, line in enumerate(body.splitlines(), 1):
        if line.startswith(MINE_MARK):
            first, mine, theirs, side = number, [], [], "mine"
        elif side == "mine" and line == SPLIT_MARK:
            side = "theirs"
        elif side == "theirs" and line.startswith(THEIRS_MARK):
            places.append(Place("\n".join(mine), "\n".join(theirs), first, number))
            side = None
        elif side is not None:
            (mine if side == "mine" else theirs).append(line)
    return places


def body_places(mine_text: str, parts: tuple) -> list[Place]:
    """The conflicting places of the body when the editor keeps the writer's own body unmarked (a conflict in the
    front matter): merging's parts count lines in the whole file, the editor in the body."""
    front, _body = split(mine_text)
    offset = front.count("\n")
    places = []
    for part in parts:
        if part.line > offset:
            first = part.line - offset
            places.append(Place(part.mine, part.theirs, first, first + max(len(part.mine.splitlines()), 1) - 1))
    return places


def field_places(base: str, theirs: str, mine: str) -> list[Place]:
    """The front-matter fields both writers changed, differently (field order as in the writer's own text)."""
    try:
        fields = [parse(text).data for text in (base, theirs, mine)]
    except FrontMatterError:
        return []
    old, their, own = fields
    names = list(dict.fromkeys([*own, *their]))
    return [Place(own.get(name), their.get(name), field=name) for name in names
            if their.get(name) != old.get(name) and own.get(name) != old.get(name) and own.get(name) != their.get(name)]
