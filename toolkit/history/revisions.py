"""Reading the materials' past from the content repository: each material's revisions and the library's recent
changes (through the history index), a material's text at a revision, diffs between revisions, and editions
(the tags `slug/X.Y.Z` that publishing makes). Reading takes no lock.

A renamed material is followed across its renames (toolkit.history.redirects): its history holds the revisions
made under its former slugs, its text at a revision before the rename is read from the old path, and its editions
include the tags made under a former slug (tags are never rewritten).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import NotFound
from toolkit.history.diffing import Diff, compare
from toolkit.history.gitstore import Commit, GitStore
from toolkit.history.historyindex import HistoryIndex, merge_logs
from toolkit.history.redirects import RedirectsFile
from toolkit.history.reviewdiff import ReviewDiff, review
from toolkit.history.workflow import after_edit, keep_workflow_fields, version_key
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
        self._editions: tuple[tuple, dict[str, list[str]], dict[str, dt.datetime]] | None = None
        self.redirects = RedirectsFile(store.root / "library")

    def renamed_to(self, slug: str) -> str | None:
        """The slug a renamed material has now (None: never renamed, or its old slug is a material again)."""
        target = self.redirects.target(slug)
        return None if target is None or self._exists(slug) else target

    def head(self) -> str:
        return self.store.head() or ""

    def latest_revision(self, slug: str) -> str | None:
        return self.index.last_change(material_path(validate_slug(slug)))

    def history(self, slug: str) -> list[Revision]:
        path = material_path(validate_slug(slug))
        versions: dict[str, list[str]] = {}
        for edition in self.versions(slug):
            versions.setdefault(edition.revision, []).append(edition.version)
        commits = self._followed_log(slug) if self.redirects.former(slug) else self.index.log(path)
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
        if text is None and revision is not None:  # before a rename the material lived at a former slug
            formerly = (self.store.read(revision, material_path(name)) for name in self.redirects.former(slug))
            text = next((found for found in formerly if found is not None), None)
        if text is None:
            self.store.resolve(revision or "HEAD")  # NotFound for an unknown revision
            raise NotFound(f"'{slug}' does not exist at revision {revision or 'HEAD'}")
        return text

    def diff(self, slug: str, old: str | None = None, new: str | None = None) -> Diff:
        """Compare two revisions of a material; by default the latest with the one before it."""
        old_sha, new_sha = self._pair(slug, old, new)
        return compare(self.read(slug, old_sha), self.read(slug, new_sha),
                       f"{slug}@{old_sha[:10]}", f"{slug}@{new_sha[:10]}")

    def review(self, slug: str, old: str | None = None, new: str | None = None) -> ReviewDiff:
        """The same comparison for a reviewer: changed fields, and the body in hunks (reviewdiff)."""
        old_sha, new_sha = self._pair(slug, old, new)
        return review(self.read(slug, old_sha), self.read(slug, new_sha),
                      f"{slug}@{old_sha[:10]}", f"{slug}@{new_sha[:10]}")

    def review_restore(self, slug: str, revision: str, latest: str) -> ReviewDiff:
        """What restoring `revision` would change in the text at `latest`: the old text with the workflow
        fields that Instance.restore's save keeps (a restore never publishes nor changes the version)."""
        latest_sha, old_sha = self.store.resolve(latest), self.store.resolve(revision)
        current = self.read(slug, latest_sha)
        restored, _notes = after_edit(current, keep_workflow_fields(current, self.read(slug, old_sha)))
        return review(current, restored, f"{slug}@{latest_sha[:10]}", f"{slug}@{old_sha[:10]}")

    def _pair(self, slug: str, old: str | None, new: str | None) -> tuple[str, str]:
        """The two commits to compare; without `old`, `new` (default: the latest) and the revision before it."""
        if old is None:
            revisions = self.history(slug)
            new = new or revisions[0].id
            index = next((i for i, r in enumerate(revisions) if r.id == self.store.resolve(new)), 0)
            old = revisions[index + 1].id if index + 1 < len(revisions) else revisions[index].id
        return self.store.resolve(old), self.store.resolve(new or "HEAD")

    def versions(self, slug: str) -> list[Edition]:
        """The material's editions, oldest first, with those published under a former slug."""
        validate_slug(slug)
        found: dict[str, Edition] = {}
        for name in (slug, *self._former(slug)):
            for tag, sha, tagger, when, message in self.store.tags(f"{name}/*"):
                version = tag.split("/", 1)[1]
                found.setdefault(version, Edition(slug, version, sha, when, tagger, message))
        return sorted(found.values(), key=lambda e: version_key(e.version))

    def editions(self) -> dict[str, list[str]]:
        """Every material's published versions, oldest first: one git call, then kept until the next commit.

        (Another process tags just after its commit; a material it publishes is public by its status anyway.)"""
        return self._read_editions()[1]

    def last_published(self) -> dict[str, dt.datetime]:
        """When each material's newest edition was made (what "Nyt og opdateret" orders by)."""
        return self._read_editions()[2]

    def _read_editions(self) -> tuple[tuple, dict[str, list[str]], dict[str, dt.datetime]]:
        head = (self.head(), self.store.tags_signature())  # a tag comes after its commit: HEAD alone is not enough
        if self._editions is None or self._editions[0] != head:
            found: dict[str, list[str]] = {}
            times: dict[str, dt.datetime] = {}
            for name, _sha, _tagger, when, _message in self.store.tags():
                slug, _, version = name.partition("/")
                if VERSION_RE.match(version):
                    slug = self.renamed_to(slug) or slug  # an edition made under a former slug
                    found.setdefault(slug, []).append(version)
                    times[slug] = max(times.get(slug, when), when)
            self._editions = (head, {slug: sorted(set(v), key=version_key) for slug, v in found.items()},
                             times)
        return self._editions

    def forget_editions(self) -> None:
        """Read the editions again next time (a tag was just made, on the commit that is still HEAD)."""
        self._editions = None

    # -- following renames ---------------------------------------------------------------------------------------

    def _exists(self, slug: str) -> bool:
        return (self.store.root / material_path(slug)).exists()

    def _former(self, slug: str) -> list[str]:
        """The material's former slugs, leaving out one that is a material of its own again (made by hand)."""
        return [name for name in self.redirects.former(slug) if not self._exists(name)]

    def _followed_log(self, slug: str) -> list[Commit]:
        """The commits of the material under its slug and its former ones, newest first. A former slug's log is
        taken from the rename on (the newest commit it shares with the others), so whatever a later material of
        that name did is not this material's history."""
        logs = {name: self.index.log(material_path(name)) for name in (slug, *self.redirects.former(slug))}
        ids = {name: {commit.id for commit in log} for name, log in logs.items()}
        parts = [logs[slug]]
        for name, log in logs.items():
            if name == slug:
                continue
            others = set().union(*(found for other, found in ids.items() if other != name))
            cut = next((index for index, commit in enumerate(log) if commit.id in others), 0)
            parts.append(log[cut:])
        return merge_logs(parts)
