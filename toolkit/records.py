"""Records of the network kept as YAML files in the versioned library — projects, working groups, meetings,
topic proposals — one file per record in `library/<folder>/<slug>.yaml`.

A `RecordKind` says where its files live and how one is checked (`parse`: data → record, or problems that
name the field and line). `Records` reads a folder (again only when a file changed); `save_record` writes one
record through the instance (validated first, atomic, committed, with the author and message like any save).
"""

from __future__ import annotations

import difflib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from toolkit.errors import Invalid, NotFound, Problem
from toolkit.gitstore import Author
from toolkit.materials import validate_slug
from toolkit.yamlfile import LineDict, parse_yaml

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

    def signature(self) -> tuple:
        """The folder as it is now (name, modification time and size of each file), read now: a search index
        that asks for it next gets the records of that very state from `all()`."""
        self.invalidate()
        self._refresh()
        return self._signature or ()

    def invalidate(self) -> None:
        """Read the folder again on the next question (after this process saved a record)."""
        self._checked = 0.0

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.interval:
            return  # at most one look at the folder per interval (saves here invalidate at once)
        self._checked = now
        try:
            entries = sorted((e for e in os.scandir(self.folder) if e.name.endswith(".yaml")), key=lambda e: e.name)
        except FileNotFoundError:
            entries = []
        stats = [(e, e.stat()) for e in entries]
        signature = tuple((e.name, st.st_mtime_ns, st.st_size) for e, st in stats)
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
            record, found = self.kind.parse(path.stem, data, where, records)
            problems.extend(found)
            if record is not None:
                records[path.stem] = record
        self._signature, self._records, self._problems = signature, records, problems


def record_text(data: dict[str, Any]) -> str:
    """A record's YAML as a person would write it: keys in the given order, Danish letters as they are."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def save_record(instance, records: Records[T], slug: str, data: dict[str, Any], author: Author, message: str, *,
                create: bool) -> T:
    """Validate and save one record as a revision; Invalid (naming fields) and nothing written when it is wrong."""
    validate_slug(slug)
    kind = records.kind
    path = f"library/{kind.folder}/{slug}.yaml"
    text = record_text(data)
    others = {key: value for key, value in ((getattr(r, "slug", None), r) for r in records.all()) if key != slug}
    checked: list[T] = []

    def check(text: str) -> None:
        record, problems = kind.parse(slug, parse_yaml(text, path), path, others)
        if problems or record is None:
            raise Invalid(f"{path} was not saved: fix these problems and save again", problems, text=text)
        checked.append(record)

    instance.save_file(path, text, author, message, create=create, check=check)
    records.invalidate()
    return checked[0]


def line(data: Any, key: str | None = None) -> int | None:
    """The line of a record's field (for problems)."""
    if isinstance(data, LineDict):
        return data.key_lines.get(key, data.line) if key else data.line
    return None
