"""Three-way merge of a material's text: base (what the editor started from), theirs (saved since), mine."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.history.gitstore import GitStore

MARK_MINE, MARK_BASE, MARK_SPLIT, MARK_THEIRS = "<<<<<<< ", "||||||| ", "=======", ">>>>>>> "
LABELS = ("mine", "base", "theirs")


@dataclass(frozen=True)
class ConflictPart:
    """One overlapping change: the base text and each side's version of it, and where it starts in mine."""

    line: int
    base: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: tuple[ConflictPart, ...]

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge3(store: GitStore, base: str, theirs: str, mine: str) -> MergeResult:
    merged, count = store.merge_file(mine, base, theirs, LABELS)
    if count == 0:
        return MergeResult(merged, ())
    return MergeResult(merged, tuple(_conflict_parts(merged)))


def _conflict_parts(merged: str) -> list[ConflictPart]:
    parts: list[ConflictPart] = []
    section: str | None = None
    buffers: dict[str, list[str]] = {}
    mine_line = 0
    start = 0
    for line in merged.splitlines():
        if section is None and line.startswith(MARK_MINE):
            section, buffers, start = "mine", {"mine": [], "base": [], "theirs": []}, mine_line + 1
        elif section == "mine" and line.startswith(MARK_BASE):
            section = "base"
        elif section in ("mine", "base") and line == MARK_SPLIT:
            section = "theirs"
        elif section == "theirs" and line.startswith(MARK_THEIRS):
            parts.append(ConflictPart(start, "\n".join(buffers["base"]), "\n".join(buffers["theirs"]),
                                      "\n".join(buffers["mine"])))
            mine_line += len(buffers["mine"])
            section = None
        elif section is not None:
            buffers[section].append(line)
        else:
            mine_line += 1
    return parts
