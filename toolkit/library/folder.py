"""The library: a folder of materials plus its taxonomy, loaded into typed objects and checked as a whole."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Invalid, NotFound, Problem
from toolkit.library.materials import Material, parse_material, validate_slug
from toolkit.library.media import MEDIA_FOLDER, NAME_RE, reference_problems, references
from toolkit.library.render import LinkTargets, Rendered, Renderer, wikilinks
from toolkit.library.taxonomy import Taxonomy

TAXONOMY_FILE = "taxonomy.yaml"
IGNORED_NAMES = {"README.md"}


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    topic: str | None = None
    audience: str | None = None
    hidden: frozenset[str] = frozenset()  # slugs this reader may not see (never-published drafts)
    status: str | None = None  # a workflow status (draft, review …)

    def match(self, material: Material) -> bool:
        return (material.slug not in self.hidden
                and (self.status is None or material.status == self.status)
                and (self.kind is None or material.kind == self.kind)
                and (self.topic is None or self.topic in material.topics)
                and (self.audience is None or self.audience in material.audience))


class Library:
    """Every valid material of one library folder, and every problem found while loading it.

    A broken material is left out (and its problems kept) so the rest of the library stays usable.
    """

    def __init__(self, root: Path, taxonomy: Taxonomy, materials: dict[str, Material], problems: list[Problem],
                 known_slugs: set[str], renderer: Renderer | None = None, href_pattern: str = "/m/{slug}/"):
        self.root = root
        self.taxonomy = taxonomy
        self.problems = problems
        self._materials = materials
        self._known_slugs = known_slugs
        self.renderer = renderer or Renderer()
        self.targets = LinkTargets({slug: m.title for slug, m in materials.items()}, href_pattern)

    @classmethod
    def load(cls, root: Path | str, *, today: dt.date | None = None, renderer: Renderer | None = None,
             href_pattern: str = "/m/{slug}/", cache: ParseCache | None = None) -> Library:
        """Load a library folder. Raises Invalid only when nothing can be loaded (no folder, broken taxonomy).

        With a `cache`, files whose size and modification time are unchanged since the last load are not
        parsed again (reloading 500 materials after one save then costs milliseconds, not a second).
        """
        root = Path(root)
        if not root.is_dir():
            raise Invalid(f"{root}: not a library folder",
                          [Problem.at(root, "no such folder; give the folder that holds taxonomy.yaml")])
        taxonomy = Taxonomy.load(root / TAXONOMY_FILE)
        cache = cache if cache is not None else ParseCache()
        cache.start(root / TAXONOMY_FILE)
        materials: dict[str, Material] = {}
        first_path: dict[str, str] = {}
        problems: list[Problem] = []
        for path in _material_files(root):
            shown = str(path.relative_to(root.parent)) if root.parent != path else str(path)
            material, found = cache.parse(path, shown, taxonomy, today)
            problems += found
            slug = path.stem
            if slug in first_path:
                problems.append(Problem.at(shown, f"duplicate slug '{slug}': {first_path[slug]} has the same "
                                                  "file name; rename one of them", field="slug"))
                continue
            first_path[slug] = shown
            if material is not None:
                materials[slug] = material
        cache.finish()
        library = cls(root, taxonomy, materials, problems, set(first_path), renderer, href_pattern)
        library.problems.extend(library._cross_problems())
        library.problems.sort(key=lambda p: (p.path, p.line or 0))
        return library

    # -- reading -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._materials)

    def __contains__(self, slug: object) -> bool:
        return slug in self._materials

    def get(self, slug: str) -> Material:
        """The material with this slug; InvalidSlug for a malformed one, NotFound for an unknown one."""
        validate_slug(slug)
        try:
            return self._materials[slug]
        except KeyError:
            hint = next(iter(difflib.get_close_matches(slug, list(self._materials), n=1)), None)
            raise NotFound(f"no material '{slug}'" + (f"; did you mean '{hint}'?" if hint else ""),
                           suggestion=hint) from None

    def materials(self, filters: Filters | None = None) -> list[Material]:
        """Materials in kind order (as in the taxonomy), then by title."""
        kind_order = {kind: i for i, kind in enumerate(self.taxonomy.ids("kinds"))}
        chosen = (m for m in self._materials.values() if filters is None or filters.match(m))
        return sorted(chosen, key=lambda m: (kind_order.get(m.kind, 99), m.title.casefold()))

    def facet_counts(self, filters: Filters) -> dict[str, list[tuple[str, int]]]:
        """For browsing: per kind, topic and audience, how many materials each value would leave when added to
        the other filters (a chosen value counts within the rest), in the taxonomy's order."""
        counts: dict[str, list[tuple[str, int]]] = {}
        for name, vocabulary in (("kind", "kinds"), ("topic", "topics"), ("audience", "audiences")):
            others = Filters(**{**filters.__dict__, name: None})
            pool = [m for m in self._materials.values() if others.match(m)]
            values = []
            for value in self.taxonomy.ids(vocabulary):
                count = sum(1 for m in pool if Filters(**{name: value}).match(m))
                if count:
                    values.append((value, count))
            counts[name] = values
        return counts

    def recent(self, count: int = 5, published_at: Mapping[str, dt.datetime] | None = None) -> list[Material]:
        """The most recently updated published materials (what is new); on the same day, the latest edition
        first (`published_at`: when each material's newest edition was made, from the history)."""
        published = [m for m in self._materials.values() if m.status == "published"]
        when = published_at or {}
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(published, key=lambda m: (m.updated, when.get(m.slug, oldest), m.title), reverse=True)[:count]

    def related(self, material: Material) -> list[Material]:
        return [self._materials[slug] for slug in material.related if slug in self._materials]

    def render(self, material: Material) -> Rendered:
        return self.renderer.render(material.body, self.targets)

    # -- images and attachments (toolkit.library.media) ---------------------------------------------------

    def media_names(self, slug: str) -> set[str]:
        """The names of the files stored for a material (library/media/<slug>/)."""
        folder = self.root / MEDIA_FOLDER / validate_slug(slug)
        try:
            return {entry.name for entry in os.scandir(folder) if entry.is_file() and NAME_RE.match(entry.name)}
        except OSError:
            return set()

    def media_file(self, slug: str, name: str) -> Path | None:
        """The stored file, or None (also for a name that cannot be a media file: no path ever leaves the folder)."""
        if not NAME_RE.match(name):
            return None
        path = self.root / MEDIA_FOLDER / validate_slug(slug) / name
        return path if path.is_file() else None

    def media_warnings(self) -> list[Problem]:
        """Stored files no text refers to (a warning: they cost space and are published with the material), and
        folders of materials that do not exist."""
        found = []
        folder = self.root / MEDIA_FOLDER
        if not folder.is_dir():
            return found
        for entry in sorted(folder.iterdir()):
            shown = f"{self.root.name}/{MEDIA_FOLDER}/{entry.name}"
            if entry.name not in self._known_slugs:
                found.append(Problem.at(shown, "no material has this slug; move the files to the material's own "
                                               "folder or delete them", field="media"))
                continue
            used = {reference.name for reference in references(self._materials[entry.name].body)} \
                if entry.name in self._materials else set()
            for name in sorted(self.media_names(entry.name) - used):
                found.append(Problem.at(f"{shown}/{name}", f"no media:{name} in {entry.name}.md; refer to it or "
                                                           "delete the file", field="media"))
        return found

    # -- checking ------------------------------------------------------------------------------------------

    def _cross_problems(self) -> Iterable[Problem]:
        """Problems that need the whole library: dead [[links]] and anchors, dead or self `related`, missing media
        files and images without alt text."""
        for material in self._materials.values():
            if "media:" in material.body:
                yield from reference_problems(material.body, material.path, material.body_line,
                                              self.media_names(material.slug))
            for link in wikilinks(material.body):
                line = material.body_line + link.line - 1
                if link.target not in self._known_slugs:
                    yield Problem.at(material.path, f"[[{link.target}]] links to no material"
                                     + self._hint(link.target), line=line, field="link")
                elif link.anchor and link.target in self._materials:
                    anchors = {entry.anchor for entry in self.render(self._materials[link.target]).toc}
                    if link.anchor not in anchors:
                        yield Problem.at(material.path, f"[[{link.target}#{link.anchor}]]: no heading with that "
                                         f"anchor; known: {', '.join(sorted(anchors)) or 'none'}",
                                         line=line, field="link")
            for index, slug in enumerate(material.related):
                line = material.line_of("related", index)
                if slug == material.slug:
                    yield Problem.at(material.path, "a material cannot be related to itself", line=line,
                                     field="related")
                elif slug not in self._known_slugs:
                    yield Problem.at(material.path, f"'{slug}' is no material" + self._hint(slug), line=line,
                                     field="related")
            replacement = material.replaced_by
            if replacement is not None and (replacement == material.slug or replacement not in self._known_slugs):
                reason = "a material cannot replace itself" if replacement == material.slug else (
                    f"'{replacement}' is no material" + self._hint(replacement))
                yield Problem.at(material.path, reason, line=material.line_of("replaced_by"), field="replaced_by")

    def _hint(self, slug: str) -> str:
        match = difflib.get_close_matches(slug, sorted(self._known_slugs), n=1)
        return f"; did you mean '{match[0]}'?" if match else "; check the slug (the file name without .md)"


class ParseCache:
    """Parsed materials by path, valid while the file's (mtime, size, inode) and the taxonomy are unchanged."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, int], Material | None, list[Problem]]] = {}
        self._taxonomy_key: tuple[int, int, int] | None = None
        self._seen: set[Path] = set()
        self.parsed = 0

    def start(self, taxonomy_path: Path) -> None:
        key = _stat_key(taxonomy_path)
        if key != self._taxonomy_key:
            self._entries.clear()
            self._taxonomy_key = key
        self._seen = set()

    def parse(self, path: Path, shown: str, taxonomy: Taxonomy, today: dt.date | None
              ) -> tuple[Material | None, list[Problem]]:
        self._seen.add(path)
        try:
            key = _stat_key(path)
            cached = self._entries.get(path)
            if cached is not None and cached[0] == key:
                return cached[1], cached[2]
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return None, [Problem.at(shown, f"cannot be read as UTF-8 text: {exc}")]
        material, problems = parse_material(path, text, taxonomy, display_path=shown, today=today)
        self._entries[path] = (key, material, problems)
        self.parsed += 1
        return material, problems

    def finish(self) -> None:
        for gone in set(self._entries) - self._seen:
            del self._entries[gone]


class LibraryWatcher:
    """Hands out the current Library of a folder, reloading (incrementally) when its files change.

    Changes are looked for at most once per `interval` seconds: a stat of each file, no reading.
    """

    def __init__(self, root: Path, *, interval: float = 1.0, href_pattern: str = "/m/{slug}/"):
        self.root = root
        self.interval = interval
        self.href_pattern = href_pattern
        self.renderer = Renderer()
        self._cache = ParseCache()
        self._library: Library | None = None
        self._signature: tuple | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def library(self, *, signature: tuple | None = None) -> Library:
        """The library; given a `signature` just taken by the caller, it is compared now rather than after
        the interval (and not taken a second time)."""
        with self._lock:
            now = time.monotonic()
            if self._library is not None and signature is None and now - self._checked < self.interval:
                return self._library
            self._checked = now
            signature = signature if signature is not None else folder_signature(self.root)
            if self._library is None or signature != self._signature:
                self._library = Library.load(self.root, renderer=self.renderer, href_pattern=self.href_pattern,
                                             cache=self._cache)
                self._signature = signature
            return self._library


def folder_signature(root: Path) -> tuple:
    """A cheap fingerprint of a library folder: every file's name, size, modification time and inode."""
    entries = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if name.endswith((".md", ".yaml")):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                entries.append((folder, name, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(sorted(entries))


def _stat_key(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _material_files(root: Path) -> list[Path]:
    """Every material file under root, sorted; hidden files and folders and README.md are skipped."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [Path(folder, name) for name in files
                  if name.endswith(".md") and not name.startswith(".") and name not in IGNORED_NAMES]
    return sorted(found)

