"""The old addresses of renamed materials: `library/redirects.yaml` in the content repository, old slug → the
slug the material has now, so an old address answers for as long as the instance lives.

Chains are kept collapsed (a → b, then b → c gives a → c and b → c): following a redirect is one lookup, and a
material's former names are the keys that point at it. The file is written only by `Instance.rename`, in the
rename's own commit; a hand edit is checked when it is read (every key and value a slug, no name pointing at
itself, no loop): a bad entry is left out and reported, never a reason to stop serving the rest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path

import yaml

from toolkit.errors import Invalid, Problem
from toolkit.library.materials import SLUG_RE
from toolkit.yamlfile import LineDict, line_of, parse_yaml

REDIRECTS_FILE = "redirects.yaml"
HEADER = ("# Old addresses of renamed materials: old slug → the material's slug now (written by `netkit rename`;\n"
          "# chains are collapsed, so every old slug points straight at the current one).\n")

log = logging.getLogger(__name__)


def parse_redirects(text: str, display: str) -> tuple[dict[str, str], list[Problem]]:
    """(old → current, collapsed; the problems found) from the file's text. Invalid only for broken YAML."""
    data = parse_yaml(text, display) if text.strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, [Problem.at(display, "the file must be 'old-slug: new-slug' lines", line=line_of(data))]
    problems: list[Problem] = []
    raw: dict[str, str] = {}
    for key, value in data.items():
        line = line_of(data, str(key)) if isinstance(data, LineDict) else None
        if not isinstance(key, str) or not SLUG_RE.match(key):
            problems.append(Problem.at(display, f"'{key}' is not a slug", line=line, field="old"))
        elif not isinstance(value, str) or not SLUG_RE.match(value):
            problems.append(Problem.at(display, f"'{key}' points at '{value}', which is not a slug", line=line,
                                       field="new"))
        elif value == key:
            problems.append(Problem.at(display, f"'{key}' points at itself", line=line, field="new"))
        else:
            raw[key] = value
    collapsed: dict[str, str] = {}
    for old in raw:
        seen, target = {old}, raw[old]
        while target in raw and target not in seen:  # a chain written by hand: follow it to its end
            seen.add(target)
            target = raw[target]
        if target in seen:
            problems.append(Problem.at(display, f"'{old}' is part of a loop of redirects", field="old"))
        else:
            collapsed[old] = target
    return collapsed, problems


def with_rename(redirects: Mapping[str, str], old: str, new: str) -> dict[str, str]:
    """The redirects after renaming `old` to `new`: whatever pointed at `old` now points at `new`, and `new` is
    a material again, so an old redirect from it goes (renaming back and forth leaves no loop)."""
    result = {key: (new if value == old else value) for key, value in redirects.items() if key != new}
    result[old] = new
    return result


def dump_redirects(redirects: Mapping[str, str]) -> str:
    lines = [f"{old}: {new}" for old, new in sorted(redirects.items())]
    return HEADER + "".join(f"{line}\n" for line in lines)


class RedirectsFile:
    """The redirects file of one library folder, read again only when it changed (a stat per look-up)."""

    def __init__(self, library_dir: Path):
        self.path = library_dir / REDIRECTS_FILE
        self._key: tuple[int, int, int] | None = None
        self._redirects: dict[str, str] = {}
        self._problems: list[Problem] = []
        self._lock = threading.Lock()

    def current(self) -> dict[str, str]:
        """old → current slug (empty when nothing was ever renamed)."""
        return self._read()[0]

    def problems(self) -> list[Problem]:
        return self._read()[1]

    def checked(self) -> dict[str, str]:
        """The redirects for a writer: Invalid when the file has problems (writing it back would drop them)."""
        redirects, problems = self._read()
        if problems:
            raise Invalid(f"library/{REDIRECTS_FILE} has problems; fix them first", problems)
        return redirects

    def target(self, slug: str) -> str | None:
        """The slug a renamed material has now, or None for a slug that was never renamed."""
        return self.current().get(slug)

    def former(self, slug: str) -> list[str]:
        """The slugs the material had before, sorted."""
        return sorted(old for old, new in self.current().items() if new == slug)

    def _read(self) -> tuple[dict[str, str], list[Problem]]:
        with self._lock:
            try:
                stat = self.path.stat()
            except OSError:
                self._key, self._redirects, self._problems = None, {}, []
                return {}, []
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if key != self._key:
                display = f"library/{REDIRECTS_FILE}"
                try:
                    self._redirects, self._problems = parse_redirects(self.path.read_text(encoding="utf-8"),
                                                                      display)
                except (Invalid, OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                    problems = exc.problems if isinstance(exc, Invalid) else [Problem.at(display, str(exc))]
                    self._redirects, self._problems = {}, problems
                for problem in self._problems:
                    log.warning("redirects: %s", problem)
                self._key = key
            return self._redirects, self._problems
