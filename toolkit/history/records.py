"""Records of the network kept as YAML files in the versioned library — projects, working groups, meetings,
topic proposals — one file per record in `library/<folder>/<slug>.yaml`.

A `RecordKind` says where its files live and how one is checked (`parse`: data → record, or problems that
name the field and line). `Records` reads a folder (again only when a file changed); `save_record` writes one
record through the instance (validated first, atomic, committed, with the author and message like any save).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from toolkit.errors import Invalid, NotFound, Problem
from toolkit.history.gitstore import Author
from toolkit.library.materials import validate_slug
from toolkit.yamlfile import LineDict, LineList, parse_yaml

T = TypeVar("T")
# parse(slug, data, where, others) -> (record or None, problems); `others` are the other records of the kind,
# for checks across records (duplicates).
Parser = Callable[[str, Any, str, dict[str, Any]], tuple[Any, list[Problem]]]


@dataclass(frozen=True)
class RecordKind(Generic[T]):
    folder: str  # under library/, e.g. "projects"
    noun: str  # for messages, e.g. "project"
    parse: Parser


class Records(Generic[T]):
    """The records of one kind in a library folder, with every problem found; re-read when a file changes."""

    def __init__(self, library_dir: Path, kind: RecordKind[T], *, interval: float = 1.0):
        self.folder = Path(library_dir) / kind.folder
        self.kind = kind
        self.interval = interval
        self._checked = 0.0
        self._signature: tuple | None = None
        self._records: dict[str, T] = {}
        self._problems: list[Problem] = []
        self._lock = threading.Lock()
        self._invalidations = 0

    def all(self) -> list[T]:
        self._refresh()
        return list(self._records.values())

    def problems(self) -> list[Problem]:
        self._refresh()
        return list(self._problems)

    def get(self, slug: str) -> T:
        validate_slug(slug)
        self._refresh()
        try:
            return self._records[slug]
        except KeyError:
            hint = next(iter(difflib.get_close_matches(slug, list(self._records), n=1)), None)
            raise NotFound(f"no {self.kind.noun} '{slug}'" + (f"; did you mean '{hint}'?" if hint else ""),
                           suggestion=hint) from None

    def __contains__(self, slug: object) -> bool:
        self._refresh()
        return slug in self._records

    def current(self, slug: str) -> tuple[T, str]:
        """The record as its file is right now, with that file's digest: what an edit form shows and carries
        as its base (the two from one read, so a form never pairs a cached record with a newer digest)."""
        validate_slug(slug)
        where = f"library/{self.kind.folder}/{slug}.yaml"
        try:
            text = (self.folder / f"{slug}.yaml").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self.get(slug), ""  # NotFound, with a suggestion, when it is not there at all
        others = {key: value for key, value in self._records.items() if key != slug}
        record, _problems = self.kind.parse(slug, without_control_characters(parse_yaml(text, where)), where, others)
        if record is None:
            return self.get(slug), text_digest(text)
        return record, text_digest(text)

    def digest(self, slug: str) -> str:
        """The digest of the record's file as it is now (an edit form's base for save_record)."""
        validate_slug(slug)
        try:
            return text_digest((self.folder / f"{slug}.yaml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return ""

    def signature(self) -> tuple:
        """The folder as it is now (name, modification time and size of each file), read now: a search index
        that asks for it next gets the records of that very state from `all()`."""
        self.invalidate()
        self._refresh()
        return self._signature or ()

    def invalidate(self) -> None:
        """Read the folder again on the next question (after this process saved a record)."""
        self._invalidations += 1
        self._checked = 0.0

    def _refresh(self) -> None:
        if time.monotonic() - self._checked < self.interval:
            return  # at most one look at the folder per interval (saves here invalidate at once)
        with self._lock:  # one thread reads the folder; the others wait for it rather than see a half-read one
            now, invalidations = time.monotonic(), self._invalidations
            if now - self._checked < self.interval:
                return
            self._read_folder()
            if invalidations == self._invalidations:  # else a save landed while reading: read again next time
                self._checked = now

    def _read_folder(self) -> None:
        try:
            entries = sorted((e for e in os.scandir(self.folder) if e.name.endswith(".yaml")), key=lambda e: e.name)
        except FileNotFoundError:
            entries = []
        stats = [(e, e.stat()) for e in entries]
        # The inode too: every save renames a new file into place, so two saves within one clock tick that
        # leave the same size still differ.
        signature = tuple((e.name, st.st_ino, st.st_mtime_ns, st.st_size) for e, st in stats)
        if signature == self._signature:
            return
        files = [Path(e.path) for e in entries]
        records: dict[str, T] = {}
        problems: list[Problem] = []
        for path in files:
            where = f"library/{self.kind.folder}/{path.name}"
            try:
                validate_slug(path.stem)
                data = parse_yaml(path.read_text(encoding="utf-8"), where)
            except Invalid as exc:
                problems.extend(exc.problems or [Problem.at(where, str(exc))])
                continue
            except Exception as exc:  # a bad file name or unreadable file: reported, never fatal
                problems.append(Problem.at(where, str(exc)))
                continue
            unsafe = control_character_problems(data, where)
            if unsafe:  # reported, and served without them (a Word file or calendar must not break on them)
                problems.extend(unsafe)
                data = without_control_characters(data)
            record, found = self.kind.parse(path.stem, data, where, records)
            problems.extend(found)
            if record is not None:
                records[path.stem] = record
        self._signature, self._records, self._problems = signature, records, problems


def text_digest(text: str) -> str:
    """A short fingerprint of a file's text (what an edit form carries as its base)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def record_text(data: dict[str, Any]) -> str:
    """A record's YAML as a person would write it: keys in the given order, Danish letters as they are."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def save_record(instance, records: Records[T], slug: str, data: dict[str, Any] | Callable[[T | None], dict[str, Any]],
                author: Author, message: str, *, create: bool, base: str | None = None) -> T:
    """Validate and save one record as a revision; Invalid (naming fields) and nothing written when it is wrong.

    Read-modify-write happens under the writer lock: `data` may be a function that makes the new data from
    the record as it is then (a change computed from what the caller saw earlier would drop a change saved
    in between), and `base` — the digest of the file the caller's form started from (`Records.digest`) —
    makes a save on a file changed since a Conflict that keeps the caller's text."""
    validate_slug(slug)
    kind = records.kind
    path = f"library/{kind.folder}/{slug}.yaml"
    checked: list[T] = []

    def parsed(text: str) -> T:
        others = {key: value for key, value in ((getattr(r, "slug", None), r) for r in records.all()) if key != slug}
        record, problems = kind.parse(slug, parse_yaml(text, path), path, others)
        if problems or record is None:
            raise Invalid(f"{path} was not saved: fix these problems and save again", problems, text=text)
        return record

    def new_text(current: str | None) -> str:
        if not callable(data):
            return record_text(data)
        return record_text(data(parsed(current) if current is not None else None))

    def check(text: str) -> None:
        problems = control_character_problems(parse_yaml(text, path), path)
        if problems:
            raise Invalid(f"{path} was not saved: fix these problems and save again", problems, text=text)
        checked.append(parsed(text))

    with instance.writing():
        records.invalidate()  # the other records as they are now, for checks across records
        instance.save_file(path, new_text, author, message, create=create, check=check, base=base)
    records.invalidate()
    return checked[0] if checked else records.get(slug)


# Control characters have no place in a record's text (they break Word files and calendars); tab and line
# breaks in multi-line fields are fine.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def without_control_characters(data: Any) -> Any:
    """The data with every control character taken out of its texts (the line of each mapping kept)."""
    if isinstance(data, str):
        return _CONTROL.sub("", data)
    if isinstance(data, LineDict):
        clean = LineDict((key, without_control_characters(value)) for key, value in data.items())
        clean.line, clean.key_lines = data.line, data.key_lines
        return clean
    if isinstance(data, dict):
        return {key: without_control_characters(value) for key, value in data.items()}
    if isinstance(data, LineList):
        clean_list = LineList(without_control_characters(value) for value in data)
        clean_list.line = data.line
        return clean_list
    if isinstance(data, list):
        return [without_control_characters(value) for value in data]
    return data


def control_character_problems(data: Any, where: str, field: str = "", at: int | None = None) -> list[Problem]:
    """A problem (with its line, when known) for every text in the record, at any depth, that holds a control
    character."""
    if isinstance(data, str):
        if _CONTROL.search(data):
            return [Problem.at(where, "contains a control character (an invisible special character, often from "
                                      "pasting); remove it", line=at, field=field or None)]
        return []
    if isinstance(data, dict):
        lines = data.key_lines if isinstance(data, LineDict) else {}
        return [p for key, value in data.items()
                for p in control_character_problems(value, where, f"{field}.{key}" if field else str(key),
                                                    lines.get(str(key), at))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data)
                for p in control_character_problems(value, where, f"{field}[{index + 1}]", getattr(data, "line", at))]
    return []


def line(data: Any, key: str | None = None) -> int | None:
    """The line of a record's field (for problems)."""
    if isinstance(data, LineDict):
        return data.key_lines.get(key, data.line) if key else data.line
    return None
