"""Reading the materials' past from the content repository: each material's revisions and the library's recent
changes (through the history index), a material's text at a revision, diffs between revisions, and editions
(the tags `slug/X.Y.Z` that publishing makes). Reading takes no lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import NotFound
from toolkit.history.diffing import Diff, compare
from toolkit.history.gitstore import GitStore
from toolkit.history.historyindex import HistoryIndex
from toolkit.history.workflow import version_key
from toolkit.library.materials import VERSION_RE, validate_slug


@dataclass(frozen=True)
class Revision:
    id: str
    author: str
    email: str
    time: dt.datetime
    message: str
    versions: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.id[:10]


@dataclass(frozen=True)
class Edition:
    slug: str
    version: str
    revision: str
    time: dt.datetime
    author: str
    message: str


def material_path(slug: str) -> str:
    """Where a material lives in the content repository."""
    return f"library/{slug}.md"


class Revisions:
    """The revisions and editions of the materials of one content repository."""

    def __init__(self, store: GitStore, index: HistoryIndex):
        self.store = store
        self.index = index
        self._editions: tuple[str, dict[str, list[str]], dict[str, dt.datetime]] | None = None

    def head(self) -> str:
        return self.store.head() or ""

    def latest_revision(self, slug: str) -> str | None:
        return self.index.last_change(material_path(validate_slug(slug)))

    def history(self, slug: str) -> list[Revision]:
        path = material_path(validate_slug(slug))
        versions: dict[str, list[str]] = {}
        for edition in self.versions(slug):
            versions.setdefault(edition.revision, []).append(edition.version)
        commits = self.index.log(path)
        if not commits:
            raise NotFound(f"no material '{slug}' in the history")
        return [Revision(c.id, c.author, c.email, c.time, c.message, tuple(versions.get(c.id, ()))) for c in commits]

    def recent_changes(self, limit: int = 50) -> list[tuple[Revision, tuple[str, ...]]]:
        """The newest revisions of the library, each with the slugs it changed, newest first."""
        changes = []
        for commit, files in self.index.recent(limit):
            slugs = tuple(Path(f).stem for f in files if f.startswith("library/") and f.endswith(".md"))
            changes.append((Revision(commit.id, commit.author, commit.email, commit.time, commit.message), slugs))
        return changes

    def read(self, slug: str, revision: str | None = None) -> str:
        """The text of a material at a revision (default: the latest committed one)."""
        path = material_path(validate_slug(slug))
        text = self.store.read(revision or "HEAD", path)
        if text is None:
            self.store.resolve(revision or "HEAD")  # NotFound for an unknown revision
            raise NotFound(f"'{slug}' does not exist at revision {revision or 'HEAD'}")
        return text

    def diff(self, slug: str, old: str | None = None, new: str | None = None) -> Diff:
        """Compare two revisions of a material; by default the latest with the one before it."""
        if old is None:
            revisions = self.history(slug)
            new = new or revisions[0].id
            index = next((i for i, r in enumerate(revisions) if r.id == self.store.resolve(new)), 0)
            old = revisions[index + 1].id if index + 1 < len(revisions) else revisions[index].id
        new = new or "HEAD"
        old_sha, new_sha = self.store.resolve(old), self.store.resolve(new)
        return compare(self.read(slug, old_sha), self.read(slug, new_sha),
                       f"{slug}@{old_sha[:10]}", f"{slug}@{new_sha[:10]}")

    def versions(self, slug: str) -> list[Edition]:
        validate_slug(slug)
        editions = [Edition(slug, name.split("/", 1)[1], sha, when, tagger, message)
                    for name, sha, tagger, when, message in self.store.tags(f"{slug}/*")]
        return sorted(editions, key=lambda e: version_key(e.version))

    def editions(self) -> dict[str, list[str]]:
        """Every material's published versions, oldest first: one git call, then kept until the next commit.

        (Another process tags just after its commit; a material it publishes is public by its status anyway.)"""
        return self._read_editions()[1]

    def last_published(self) -> dict[str, dt.datetime]:
        """When each material's newest edition was made (what "Nyt og opdateret" orders by)."""
        return self._read_editions()[2]

    def _read_editions(self) -> tuple[str, dict[str, list[str]], dict[str, dt.datetime]]:
        head = self.head()
        if self._editions is None or self._editions[0] != head:
            found: dict[str, list[str]] = {}
            times: dict[str, dt.datetime] = {}
            for name, _sha, _tagger, when, _message in self.store.tags():
                slug, _, version = name.partition("/")
                if VERSION_RE.match(version):
                    found.setdefault(slug, []).append(version)
                    times[slug] = max(times.get(slug, when), when)
            self._editions = (head, {slug: sorted(v, key=version_key) for slug, v in found.items()}, times)
        return self._editions

    def forget_editions(self) -> None:
        """Read the editions again next time (a tag was just made, on the commit that is still HEAD)."""
        self._editions = None
