"""An instance: the live, versioned library a running Netkit works on.

Layout (under NETKIT_HOME, default ./instance, git-ignored):
    content/            a git repository: library/ and templates/, created from the bundled folders
    write.lock          the single writer lock (flock) shared by every process
    tmp/                temporary files of atomic writes (same file system as content/)
    cache/              rebuildable caches (the history index)

Every write goes through one lock, validates first, writes atomically (temp file, fsync, rename) and
commits. Edits made outside the app (a text editor, `git pull`) are committed as external revisions the
next time the instance is opened or read, so history never silently loses them.

`Instance` is the one entry point: it creates and opens an instance, keeps the library view fresh, and saves
(materials, data files, restores, status changes, publishing). It works with `Committer`
(toolkit.history.committing: atomic writes and commits, recovery), `Revisions` (toolkit.history.revisions:
history, texts at a revision, diffs, editions) and the workflow's rules (toolkit.history.workflow).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.errors import Conflict, Invalid, NotFound, Problem, WriteFailed
from toolkit.history.committing import Committer
from toolkit.history.diffing import Diff
from toolkit.history.events import Event, Listeners
from toolkit.history.gitstore import Author, GitError, GitStore
from toolkit.history.historyindex import HistoryIndex
from toolkit.history.layout import content_dir, library_dir, templates_dir
from toolkit.history.locking import holds, writer_lock
from toolkit.history.merging import merge3
from toolkit.history.records import text_digest
from toolkit.history.renaming import RenameResult, commit_changes, plan_rename
from toolkit.history.revisions import Edition, Revision, Revisions, material_path
from toolkit.history.uploads import Uploads
from toolkit.history.workflow import Bump, after_edit, keep_workflow_fields, next_version, status_change
from toolkit.library.folder import TAXONOMY_FILE, Library, LibraryWatcher, folder_signature
from toolkit.library.frontmatter import set_fields
from toolkit.library.materials import VERSION_RE, Material, parse_material, validate_slug
from toolkit.library.media import FILES_MAX, MEDIA_FOLDER, MediaFile, reference_problems, references
from toolkit.library.recommendation import publish_problems
from toolkit.library.render import wikilinks
from toolkit.library.taxonomy import Taxonomy

SYSTEM = Author("Netkit", "netkit@localhost")
RECORD_PATH = re.compile(r"library/[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml\Z")


@dataclass(frozen=True)
class SaveResult:
    material: Material
    revision: str
    changed: bool
    merged: bool = False
    notes: tuple[str, ...] = ()


class Instance:
    def __init__(self, home: Path, *, interval: float = 1.0):
        self.home = Path(home).resolve()
        self.content = content_dir(self.home)
        self.library_dir = library_dir(self.home)
        self.templates_dir = templates_dir(self.home)
        self.store = GitStore(self.content)
        self.interval = interval
        self._lock_path = self.home / "write.lock"
        self.lock_timeout = 30.0
        self._committer = Committer(self.store, self.content, self.home / "tmp", on_change=self._mark_stale)
        self._watcher = LibraryWatcher(self.library_dir, interval=interval)
        self._synced_signature: tuple | None = None
        self._checked = 0.0
        self._stale = True
        self._taxonomy: tuple[int, Taxonomy] | None = None
        self._history = HistoryIndex(self.store, cache_file=self.home / "cache" / "history.json")
        self.revisions = Revisions(self.store, self._history)
        self.events = Listeners()  # told of every committed change (toolkit.history.events)
        self.uploads = Uploads(self.home / "uploads")  # files waiting for the save that uses them

    # -- creating and opening ------------------------------------------------------------------------------------

    @classmethod
    def create(cls, home: Path, *, library: Path = BUNDLED_LIBRARY, templates: Path = BUNDLED_TEMPLATES) -> Instance:
        """Make a new instance from a library folder (and templates), as one first commit; tag published ones."""
        instance = cls(home)
        if instance.store.exists():
            raise Invalid(f"{instance.home} already holds an instance",
                          [Problem.at(instance.home, "already an instance; open it, or choose another folder")])
        Library.load(library)  # refuse a folder that is not a library at all (no taxonomy …)
        instance.content.mkdir(parents=True, exist_ok=True)
        shutil.copytree(library, instance.library_dir, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        if templates.is_dir():
            shutil.copytree(templates, instance.templates_dir, ignore=shutil.ignore_patterns(".*", "_*", "__pycache__"))
        (instance.content / ".gitignore").write_text(".*.swp\n*~\n", encoding="utf-8")
        instance.store.init()
        instance.store.commit(["."], f"Create the instance from {library.name}/", SYSTEM)
        lib = instance.library()
        for material in lib.materials():
            if material.status == "published" and VERSION_RE.match(material.version):
                instance.store.tag(f"{material.slug}/{material.version}", "HEAD",
                                   f"Edition {material.version} from the bundled library", SYSTEM)
        instance.store.write_commit_graph()
        return instance

    @classmethod
    def open(cls, home: Path, *, create: bool = False) -> Instance:
        instance = cls(home)
        if not instance.store.exists():
            if create:
                return cls.create(home)
            raise NotFound(f"no instance at {instance.home}; create one with `netkit init {home}`")
        instance.sync()
        instance.store.write_commit_graph()
        return instance

    # -- reading -------------------------------------------------------------------------------------------------

    def library(self) -> Library:
        """The current library; at most once per `interval`, look for edits made outside the app."""
        now = time.monotonic()
        if self._stale or now - self._checked >= self.interval:
            self._checked, self._stale = now, False
            signature = folder_signature(self.library_dir)
            if signature != self._synced_signature:
                self.sync()  # commits; the files themselves stay as they are, so the signature holds
            return self._watcher.library(signature=signature)
        return self._watcher.library()

    def refresh(self) -> None:
        """Look at the folder and the editions again on the next read, whatever the interval: a writer reads their
        own write at once, also when the next request lands in another worker process."""
        self._stale = True
        self.revisions.forget_editions()

    def head(self) -> str:
        return self.revisions.head()

    def latest_revision(self, slug: str) -> str | None:
        return self.revisions.latest_revision(slug)

    def history(self, slug: str) -> list[Revision]:
        return self.revisions.history(slug)

    def recent_changes(self, limit: int = 50) -> list[tuple[Revision, tuple[str, ...]]]:
        """The newest revisions of the library, each with the slugs it changed, newest first."""
        return self.revisions.recent_changes(limit)

    def read(self, slug: str, revision: str | None = None) -> str:
        """The text of a material at a revision (default: the latest committed one)."""
        return self.revisions.read(slug, revision)

    def diff(self, slug: str, old: str | None = None, new: str | None = None) -> Diff:
        """Compare two revisions of a material; by default the latest with the one before it."""
        return self.revisions.diff(slug, old, new)

    def versions(self, slug: str) -> list[Edition]:
        return self.revisions.versions(slug)

    def editions(self) -> dict[str, list[str]]:
        """Every material's published versions, oldest first (kept until the next commit)."""
        return self.revisions.editions()

    def read_version(self, slug: str, version: str) -> Material:
        editions = {e.version: e for e in self.versions(slug)}
        if version not in editions:
            known = ", ".join(editions) or "none yet"
            raise NotFound(f"'{slug}' has no published version {version}; published: {known}")
        text = self.read(slug, editions[version].revision)
        material, _ = parse_material(self.library_dir / f"{slug}.md", text, self._current_taxonomy(),
                                     display_path=material_path(slug), today=dt.date.max)
        if material is None:
            raise NotFound(f"version {version} of '{slug}' cannot be read with today's taxonomy")
        return material

    def read_media(self, slug: str, name: str, revision: str | None = None) -> bytes | None:
        """A material's image or attachment as it is now, or at `revision` (an edition's); None when absent."""
        from toolkit.library.media import NAME_RE, media_path

        if not NAME_RE.match(name):
            return None
        if revision is None:
            path = self.library().media_file(slug, name)
            return path.read_bytes() if path is not None else None
        for former in (validate_slug(slug), *self.revisions.redirects.former(slug)):  # an edition before a rename
            data = self.store.read_bytes(revision, media_path(former, name))
            if data is not None:
                return data
        return None

    # -- writing -------------------------------------------------------------------------------------------------

    def save(self, slug: str, text: str, author: Author, message: str, base_revision: str | None, *,
             media: Sequence[MediaFile] = ()) -> SaveResult:
        """Save a material's new text. `base_revision` is the revision the editor started from (None: new).
        `media` are new files (uploaded or imported images and attachments): those the text refers to are committed
        with it in the same revision, the rest are dropped.

        Validates first (Invalid, with the text); merges three-way when the base is stale (Conflict, with
        base, theirs and mine, when the changes overlap); writes atomically; commits. Status, version and
        replacement stay as they are (a new material is a draft at 0.1.0): only set_status and publish change
        them, whatever the text says.
        """
        validate_slug(slug)
        text = mine = _normalise(text)
        message = message.strip() or f"Update {slug}"
        with self.writing():
            path = self.library_dir / f"{slug}.md"
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current is None and (moved := self.revisions.renamed_to(slug)):  # renamed (toolkit.history.renaming)
                if base_revision is None:  # an old address stays the renamed material's: the slug is taken
                    raise Conflict(f"'{slug}' is the old address of '{moved}' and keeps leading there; choose "
                                   "another slug", base="", theirs="", mine=mine)
                return self.save(moved, mine, author, message, base_revision, media=media)  # opened before it
            merged = False
            if current is not None and base_revision is None:
                raise Conflict(f"'{slug}' already exists; start from its latest revision",
                               base="", theirs=current, mine=text, theirs_revision=self.latest_revision(slug))
            if current is not None and base_revision is not None:
                base = self.read(slug, base_revision)
                if base != current:  # someone saved since; merge (also keeps theirs when mine is unchanged)
                    result = merge3(self.store, base, current, text)
                    if not result.clean:
                        raise Conflict(f"'{slug}' was changed by someone else since you started, in the same "
                                       "places; resolve the conflicting parts and save again",
                                       base=base, theirs=current, mine=text, parts=result.conflicts,
                                       theirs_revision=self.latest_revision(slug), merged=result.text)
                    merged = text != result.text
                    text = result.text
            text, notes = after_edit(current, keep_workflow_fields(current, text))
            material = self._validate(slug, text, keep=mine)
            new_files = self._new_media(material, media, keep=mine)
            notes += self._link_notes(slug, text)
            if text == current and not new_files:
                return SaveResult(material, self.latest_revision(slug) or "", changed=False, merged=merged,
                                  notes=notes)
            revision = self._committer.write_and_commit(path, text, current, message, author, new_files=new_files)
            result = SaveResult(material, revision, changed=True, merged=merged, notes=notes)
        self.events.emit(Event("saved", slug, author.name, {"message": message, "created": str(current is None)},
                               revision))
        return result

    def save_file(self, path: str, text: str | Callable[[str | None], str], author: Author, message: str, *,
                  create: bool, check: Callable[[str], None] | None = None, base: str | None = None) -> str:
        """Save one data file of the library (a project, meeting … record) as a revision: under the writer lock,
        `check(text)` first (it raises Invalid), atomically, committed. `create` refuses an existing file
        (Conflict) and `not create` a missing one (NotFound). `text` may be a function that makes the new text
        from the current one, called under the lock. `base` is the digest (`text_digest`) of the file the
        writer started from: if the file changed since, Conflict (with the new text kept as `mine`).
        Returns the revision ("" when unchanged)."""
        if not RECORD_PATH.match(path):
            raise Invalid(f"'{path}' is not a record path", [Problem.at(path, "records live in library/<folder>/"
                                                                              "<slug>.yaml", field="path")])
        with self.writing():
            target = self.content / path
            current = target.read_text(encoding="utf-8") if target.exists() else None
            new = _normalise(text(current) if callable(text) else text)
            if create and current is not None:
                raise Conflict(f"{path} already exists; choose another name", base="", theirs=current, mine=new,
                               theirs_revision=None)
            if not create and current is None:
                raise NotFound(f"no {path}")
            if base is not None and current is not None and text_digest(current) != base:
                raise Conflict(f"{path} was changed by someone else since you opened it", base="", theirs=current,
                               mine=new, theirs_revision=self._history.last_change(path))
            if check is not None:
                check(new)
            if current == new:
                return ""
            return self._committer.write_and_commit(target, new, current, message, author)

    def restore(self, slug: str, revision: str, author: Author, message: str | None = None, *,
                expected: str | None = None) -> SaveResult:
        """Make an old revision's text the newest revision (history stays append-only). `expected` is the
        latest revision the person confirming saw: if another save came since, Conflict (they confirm again)."""
        sha = self.store.resolve(revision)
        old = self.read(slug, sha)
        with self.writing():
            latest = self.latest_revision(slug)
            if expected is not None and expected != latest:
                raise Conflict(f"'{slug}' was changed since you looked at it; look at the changes again",
                               base="", theirs=self.read(slug), mine=old, theirs_revision=latest)
            return self.save(slug, old, author, message or f"Restore {slug} to revision {sha[:10]}",
                             base_revision=latest)

    def set_status(self, slug: str, status: str, author: Author, message: str | None = None, *,
                   replaced_by: str | None = None, base_revision: str | None = None) -> SaveResult:
        """Move a material along the workflow (TRANSITIONS); retiring may name the material that replaces it.
        Decided and written under the writer lock, on the text as it is then: a save made a moment before is
        kept, and the commit changes the status lines only. `base_revision` is the revision the one deciding
        saw (None: as it is now): Conflict when the material has a newer one."""
        validate_slug(slug)
        with self.writing():
            self._check_base(slug, base_revision)
            library = self._fresh_library()
            current = library.get(slug)
            fields = status_change(slug, current.status, status, replaced_by, materials=library,
                                   where=material_path(slug))
            text = set_fields(self._text_now(slug), fields)
            change = f"{slug}: {current.status} → {status}"  # always the first line: the activity page reads it
            result = self._save_exact(slug, text, author, f"{change}: {message.strip()}"
                                      if message and message.strip() else change)
        self.events.emit(Event("status", slug, author.name, {"from": current.status, "to": status,
                                                             "message": (message or "").strip()}, result.revision))
        return result

    def publish(self, slug: str, bump: Bump, message: str, author: Author, *,
                base_revision: str | None = None) -> Edition:
        """Freeze the current text as a new edition: set version and status, commit, tag `slug/X.Y.Z` — all under
        the writer lock, on the text as it is then (the edition holds every save accepted before it).
        `base_revision` is the revision the publisher saw (None: as it is now): Conflict when there is a newer one."""
        validate_slug(slug)
        if not message.strip():
            raise Invalid("a publish needs a message", [Problem.at(slug, "say what changed (the changelog line)",
                                                                   field="message")])
        with self.writing():
            self._check_base(slug, base_revision)
            library = self._fresh_library()
            problems = [p for p in library.problems if p.path == material_path(slug)]
            if problems:
                raise Invalid(f"'{slug}' has problems; fix them before publishing", problems)
            material = library.get(slug)
            problems = publish_problems(material)
            if problems:
                raise Invalid(f"'{slug}' cannot be published yet", problems)
            version = next_version(slug, [e.version for e in self.versions(slug)], material.version, bump)
            before, previous = self.head(), self._text_now(slug)
            text = set_fields(previous, {"status": "published", "version": version,
                                         "updated": dt.date.today().isoformat()})  # "Opdateret" is the edition's day
            result = self._save_exact(slug, text, author, f"Publish {slug} {version}: {message.strip()}")
            try:
                self.store.tag(f"{slug}/{version}", result.revision, message.strip(), author)
            except GitError as exc:  # an edition is its commit and its tag, or nothing
                self._committer.undo_commit(before, result.revision, self.library_dir / f"{slug}.md", previous)
                raise WriteFailed(f"'{slug}' {version} could not be published ({str(exc)[:200]}); nothing was "
                                  "changed — try again in a moment") from exc
            self.revisions.forget_editions()
        self.events.emit(Event("published", slug, author.name, {"version": version, "message": message.strip()},
                               result.revision))
        return next(e for e in self.versions(slug) if e.version == version)

    def rename(self, old: str, new: str, author: Author, message: str | None = None) -> RenameResult:
        """Give a material a new slug, as one commit under the writer lock: the file moved, every [[link]],
        `related` and `replaced_by` naming it pointed at the new slug, the old slug kept as a redirect
        (toolkit.history.renaming). Conflict when `new` is taken (by a material, or as another one's old
        address: those are never reused), NotFound when `old` is missing."""
        with self.writing():
            plan = plan_rename(self.library_dir, old, new, self.revisions.redirects)
            revision = commit_changes(self._committer, plan.changes, plan.message(message), author)
            self.revisions.forget_editions()
        self.events.emit(Event("renamed", new, author.name, {"from": old, "to": new, "message": (message or "").strip(),
                                                             "relinked": ", ".join(plan.relinked)}, revision))
        return RenameResult(old, new, revision, plan.relinked)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock for a whole read-decide-write operation (re-entrant), with edits made outside
        the app committed first. Everything a write depends on is read inside it."""
        if holds(self._lock_path):
            yield
            return
        with writer_lock(self._lock_path, self.lock_timeout):
            self._sync_locked()
            yield

    def sync(self) -> list[str]:
        """Recover from crashes and commit edits made outside the app; returns the paths committed."""
        with writer_lock(self._lock_path, self.lock_timeout):
            return self._sync_locked()

    def file_digest(self, path: str) -> str:
        """The digest of a library data file as it is now ("" when missing): what an edit form carries as
        its base (save_file's `base`)."""
        try:
            return text_digest((self.content / path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return ""

    # -- internals -----------------------------------------------------------------------------------------------

    def _mark_stale(self) -> None:
        """The files may have changed (a commit, a file put back): read the library again next time."""
        self._stale = True

    def _fresh_library(self) -> Library:
        """The library as it is on disk now (for decisions that must not rest on a throttled view)."""
        self._stale = True
        return self.library()

    def _text_now(self, slug: str) -> str:
        """The material's file as it is now (under the writer lock: the latest committed text)."""
        path = self.library_dir / f"{slug}.md"
        if not path.exists():
            raise NotFound(f"no material '{slug}'")
        return path.read_text(encoding="utf-8")

    def _check_base(self, slug: str, base_revision: str | None) -> None:
        """Under the writer lock: a decision about a text (approve, publish) is about the text the one deciding saw;
        Conflict (with the revision now as `theirs_revision`) when it changed since."""
        if base_revision is None:
            return
        latest = self.latest_revision(slug)
        if latest is None:
            raise NotFound(f"no material '{slug}'")
        if base_revision != latest:
            raise Conflict(f"'{slug}' was changed since you opened it; look at the changes and decide again",
                           base="", theirs=self._text_now(slug), mine="", theirs_revision=latest)

    def _save_exact(self, slug: str, text: str, author: Author, message: str) -> SaveResult:
        """Save a text computed from the latest one (status or version change), without the workflow rule."""
        with self.writing():
            path = self.library_dir / f"{slug}.md"
            material = self._validate(slug, text)
            current = path.read_text(encoding="utf-8")
            if current == text:
                return SaveResult(material, self.latest_revision(slug) or "", changed=False)
            revision = self._committer.write_and_commit(path, text, current, message, author)
            return SaveResult(material, revision, changed=True)

    def _validate(self, slug: str, text: str, keep: str | None = None) -> Material:
        """Parse and check the text; on problems raise Invalid carrying `keep` (what the user typed)."""
        material, problems = parse_material(self.library_dir / f"{slug}.md", text, self._current_taxonomy(),
                                            display_path=material_path(slug))
        if problems or material is None:
            raise Invalid(f"{material_path(slug)} was not saved: fix these problems and save again", problems,
                          text=keep if keep is not None else text)
        return material

    def _new_media(self, material: Material, media: Sequence[MediaFile], keep: str) -> dict[Path, bytes]:
        """The new files the text refers to, checked against what is stored: every media: reference must find a
        file (stored or new), every image needs alt text; a new file may not silently replace a different stored
        one of the same name. Invalid carries the typed text."""
        if "media:" not in material.body and not media:
            return {}
        folder = self.library_dir / MEDIA_FOLDER / material.slug
        stored = {entry.name for entry in folder.iterdir() if entry.is_file()} if folder.is_dir() else set()
        offered = {file.name: file for file in media}
        used = {reference.name for reference in references(material.body)}
        problems = reference_problems(material.body, material_path(material.slug), material.body_line,
                                      stored | set(offered))
        new_files: dict[Path, bytes] = {}
        for name in sorted(used & set(offered)):
            target = folder / name
            if name in stored:
                if target.read_bytes() != offered[name].data:
                    problems.append(Problem.at(material_path(material.slug), f"media:{name}: another file of that "
                                               "name was added meanwhile; upload yours again (it gets a new name)",
                                               field="media"))
                continue
            new_files[target] = offered[name].data
        if len(stored | set(new_files)) > FILES_MAX:
            problems.append(Problem.at(material_path(material.slug), f"at most {FILES_MAX} files per material",
                                       field="media"))
        if problems:
            raise Invalid(f"{material_path(material.slug)} was not saved: fix these problems and save again",
                          problems, text=keep)
        return new_files

    def _current_taxonomy(self) -> Taxonomy:
        """The taxonomy file as it is now, read again only when it changed."""
        key = self.library_dir.joinpath(TAXONOMY_FILE).stat().st_mtime_ns
        if self._taxonomy is None or self._taxonomy[0] != key:
            self._taxonomy = (key, Taxonomy.load(self.library_dir / TAXONOMY_FILE))
        return self._taxonomy[1]

    def _link_notes(self, slug: str, text: str) -> tuple[str, ...]:
        known = {name[:-3] for name in os.listdir(self.library_dir) if name.endswith(".md")} | {slug}
        return tuple(f"[[{link.target}]] links to no material yet" for link in wikilinks(text)
                     if link.target not in known)

    def _sync_locked(self) -> list[str]:
        dirty = self._committer.recover()
        self._synced_signature = folder_signature(self.library_dir)
        return dirty


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


__all__ = ["Instance", "SaveResult"]
