"""Renaming a material (a new slug), as one commit: the file moved, every reference to it in the other materials
pointed at the new slug ([[links]], `related`, `replaced_by`: toolkit.library.relinking), its comment threads moved
with it (library/comments/<slug>.yaml), a meeting naming it as its minutes pointed at the new slug, and the old slug
added to the redirects (toolkit.history.redirects) so the old address answers for as long as the instance lives.

`Instance.rename` plans and commits under the writer lock. Editions keep their tags (`old/X.Y.Z`: a tag, like an
edition, is never rewritten); Revisions follows the redirects, so the material's history, texts at old revisions
and editions read under the new slug. A write or commit that fails puts every file back as it was. A process
killed between the writes and the commit leaves the files for the next sync, which commits them as an external
change (nothing is lost; the rename may then need to be finished by hand or made again).

An old slug is never given to another material (a new one, or another rename): its address keeps leading to the
material that had it, for good. Only that material may take it back (renaming back), which drops the redirect.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Conflict, Invalid, NotFound, Problem, WriteFailed
from toolkit.history.committing import Committer
from toolkit.history.gitstore import Author, GitError
from toolkit.history.redirects import RedirectsFile, dump_redirects, with_rename
from toolkit.history.revisions import material_path
from toolkit.library.folder import IGNORED_NAMES
from toolkit.library.materials import validate_slug
from toolkit.library.media import MEDIA_FOLDER
from toolkit.library.relinking import relink

MATERIAL_RECORDS = ("comments",)  # record folders with one file per material, <slug>.yaml (toolkit.history.comments)
# Record fields that name a material by its slug, as top-level `field: slug` lines (records are written by
# toolkit.history.records.record_text): a meeting's decision minutes (toolkit.network.meetings).
RECORD_REFERENCES = (("meetings", "minutes_material"),)


@dataclass(frozen=True)
class FileChange:
    path: Path
    text: str | bytes | None  # None: the file goes; bytes: an image or attachment
    previous: str | bytes | None  # None: the file is new


@dataclass(frozen=True)
class RenamePlan:
    old: str
    new: str
    changes: tuple[FileChange, ...]
    relinked: tuple[str, ...]  # the other materials whose references were updated

    def message(self, note: str | None) -> str:
        """The commit message: the rename on the first line (the activity page reads it), then what else moved."""
        first = f"Rename {self.old} → {self.new}"
        if note and note.strip():
            first += f": {' '.join(note.split())}"
        if self.relinked:
            first += "\n\nLinks updated in: " + ", ".join(self.relinked)
        return first


@dataclass(frozen=True)
class RenameResult:
    old: str
    new: str
    revision: str
    relinked: tuple[str, ...]


def plan_rename(library_dir: Path, old: str, new: str, redirects: RedirectsFile) -> RenamePlan:
    """What renaming `old` to `new` writes, from the files as they are now (call it under the writer lock).
    InvalidSlug for a malformed slug, Invalid for the same slug or a broken redirects file, NotFound for a
    missing material, Conflict when the new slug is taken: by a material, or as the old address of another one."""
    validate_slug(old)
    validate_slug(new)
    if old == new:
        raise Invalid(f"'{old}' already has that slug", [Problem.at(material_path(old), "choose a new slug",
                                                                    field="new")])
    source, target = library_dir / f"{old}.md", library_dir / f"{new}.md"
    if not source.is_file():
        if moved := redirects.current().get(old):
            raise NotFound(f"'{old}' was renamed to '{moved}' (its old address leads there)", suggestion=moved)
        names = sorted(path.stem for path in library_dir.glob("*.md"))
        hint = next(iter(difflib.get_close_matches(old, names, n=1)), None)
        raise NotFound(f"no material '{old}'" + (f"; did you mean '{hint}'?" if hint else ""), suggestion=hint)
    if target.exists():
        raise Conflict(f"'{new}' is already a material; choose another slug", base="",
                       theirs=target.read_text(encoding="utf-8", errors="replace"), mine="", theirs_revision=None)
    current = redirects.checked()
    if current.get(new) not in (None, old):  # an old address stays its material's, for good (renaming back is fine)
        raise Conflict(f"'{new}' is the old address of '{current[new]}' and keeps leading there; choose another "
                       "slug", base="", theirs="", mine="", theirs_revision=None)
    text = _text(source)
    if text is None:
        raise Invalid(f"'{old}' is not UTF-8 text", [Problem.at(material_path(old), "not UTF-8 text; fix the file "
                                                                "first", field="old")])
    changes = [FileChange(target, relink(text, old, new), None), FileChange(source, None, text)]
    relinked = []
    for path in _material_files(library_dir):
        before = None if path == source else _text(path)
        if before is None:  # a file that is not UTF-8 is not in the library; rewriting it could damage it
            continue
        after = relink(before, old, new)
        if after != before:
            changes.append(FileChange(path, after, before))
            relinked.append(path.stem)
    changes += _records_moved(library_dir, old, new)
    changes += _media_moved(library_dir, old, new)
    for change in _records_relinked(library_dir, old, new):
        changes.append(change)
        relinked.append(change.path.relative_to(library_dir).with_suffix("").as_posix())
    previous = redirects.path.read_text(encoding="utf-8") if redirects.path.exists() else None
    changes.append(FileChange(redirects.path, dump_redirects(with_rename(current, old, new)), previous))
    return RenamePlan(old, new, tuple(changes), tuple(relinked))


def commit_changes(committer: Committer, changes: tuple[FileChange, ...], message: str, author: Author) -> str:
    """Write (or remove) every file, then commit them all as one revision; if anything fails, every file is put
    back as it was and WriteFailed says so. Returns the revision."""
    store, content = committer.store, committer.content
    paths = [change.path.relative_to(content).as_posix() for change in changes]
    before = store.head()
    try:
        for change in changes:
            if change.text is None:
                change.path.unlink()
            else:
                committer.write(change.path, change.text)
        revision = committer.commit(paths, message, author)
        for folder in {change.path.parent for change in changes if change.text is None}:
            with contextlib.suppress(OSError):  # rmdir removes only a folder the move emptied (its media folder)
                folder.rmdir()
        return revision
    except (OSError, GitError) as exc:
        after = store.head()
        moved = next(change for change in changes if change.previous is None and change.text is not None)
        if after != before and store.read(after or "HEAD", moved.path.relative_to(content).as_posix()) == moved.text:
            return after or ""  # committed after all (git failed after moving HEAD)
        for change, relative in zip(reversed(changes), reversed(paths), strict=True):
            committer.put_back(change.path, relative, change.previous)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)[:200]
        raise WriteFailed(f"the rename could not be saved ({reason}); nothing was changed — try again in a "
                          "moment, and tell the administrator if it keeps happening") from exc


def _records_moved(library_dir: Path, old: str, new: str) -> list[FileChange]:
    """The records named after the material (its comment threads) moved with it, so they stay its own."""
    changes: list[FileChange] = []
    for folder in MATERIAL_RECORDS:
        record, target = library_dir / folder / f"{old}.yaml", library_dir / folder / f"{new}.yaml"
        if not record.is_file():
            continue
        if target.exists():  # left by an earlier material of that name: never mixed with these
            raise Conflict(f"library/{folder}/{new}.yaml already exists; choose another slug", base="", theirs="",
                           mine="", theirs_revision=None)
        text = record.read_text(encoding="utf-8")
        changes += [FileChange(target, text, None), FileChange(record, None, text)]
    return changes


def _media_moved(library_dir: Path, old: str, new: str) -> list[FileChange]:
    """The material's images and attachments (library/media/<slug>/) moved with it: its media: references name
    files of its own folder."""
    source, target = library_dir / MEDIA_FOLDER / old, library_dir / MEDIA_FOLDER / new
    if not source.is_dir():
        return []
    if target.exists():
        raise Conflict(f"library/{MEDIA_FOLDER}/{new}/ already exists; choose another slug", base="", theirs="",
                       mine="", theirs_revision=None)
    changes: list[FileChange] = []
    for path in sorted(source.iterdir()):
        if path.is_file():
            data = path.read_bytes()
            changes += [FileChange(target / path.name, data, None), FileChange(path, None, data)]
    return changes


def _records_relinked(library_dir: Path, old: str, new: str) -> list[FileChange]:
    """The records whose material fields (RECORD_REFERENCES) name `old`, with those lines naming `new`."""
    changes: list[FileChange] = []
    for folder, name in RECORD_REFERENCES:
        line = re.compile(rf"^({re.escape(name)}:[ \t]*)(['\"]?){re.escape(old)}\2([ \t]*(?:#.*)?)$", re.M)
        for path in sorted((library_dir / folder).glob("*.yaml")):
            before = _text(path)
            if before is None:
                continue
            after = line.sub(lambda match: f"{match[1]}{match[2]}{new}{match[2]}{match[3]}", before)
            if after != before:
                changes.append(FileChange(path, after, before))
    return changes


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def _material_files(library_dir: Path) -> list[Path]:
    """Every Markdown file of the library that may link to a material (hidden folders and README.md skipped)."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(library_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [Path(folder, name) for name in files
                  if name.endswith(".md") and not name.startswith(".") and name not in IGNORED_NAMES]
    return sorted(found)
