"""An instance: the live, versioned library a running Netkit works on.

Layout (under NETKIT_HOME, default ./instance, git-ignored):
    content/            a git repository: library/ and templates/, created from the bundled folders
    write.lock          the single writer lock (flock) shared by every process
    tmp/                temporary files of atomic writes (same file system as content/)
    cache/              rebuildable caches (the history index)

Every write goes through one lock, validates first, writes atomically (temp file, fsync, rename) and
commits. Edits made outside the app (a text editor, `git pull`) are committed as external revisions the
next time the instance is opened or read, so history never silently loses them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.errors import Conflict, Forbidden, Invalid, NotFound, Problem, WriteFailed
from toolkit.history.diffing import Diff, compare
from toolkit.history.gitstore import Author, GitError, GitStore
from toolkit.history.historyindex import HistoryIndex
from toolkit.history.locking import holds, writer_lock
from toolkit.history.merging import merge3
from toolkit.history.records import text_digest
from toolkit.library.folder import TAXONOMY_FILE, Library, LibraryWatcher, folder_signature
from toolkit.library.frontmatter import FrontMatterError, drop_fields, parse, set_fields
from toolkit.library.materials import VERSION_RE, Material, parse_material, validate_slug
from toolkit.library.recommendation import publish_problems
from toolkit.library.render import wikilinks
from toolkit.library.taxonomy import Taxonomy

SYSTEM = Author("Netkit", "netkit@localhost")
EXTERNAL = Author("Ekstern ændring", "external@netkit.localhost")
Bump = Literal["major", "minor", "patch"]

# Which status changes the workflow allows by `set_status`; `publish` is the only way into "published".
TRANSITIONS = {
    "draft": {"review"},
    "review": {"draft", "approved"},
    "approved": {"draft"},
    "published": {"draft", "retired"},
    "retired": {"draft"},
}
COMMIT_GRAPH_EVERY = 100
FIRST_VERSION = "0.1.0"
WORKFLOW_FIELDS = ("status", "version", "replaced_by")  # changed only by set_status and publish
RECORD_PATH = re.compile(r"library/[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml\Z")


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
        self.content = self.home / "content"
        self.library_dir = self.content / "library"
        self.templates_dir = self.content / "templates"
        self.store = GitStore(self.content)
        self.interval = interval
        self._lock_path = self.home / "write.lock"
        self.lock_timeout = 30.0
        self._tmp = self.home / "tmp"
        self._watcher = LibraryWatcher(self.library_dir, interval=interval)
        self._synced_signature: tuple | None = None
        self._checked = 0.0
        self._stale = True
        self._commits_since_graph = 0
        self._taxonomy: tuple[int, Taxonomy] | None = None
        self._history = HistoryIndex(self.store, cache_file=self.home / "cache" / "history.json")
        self._editions: tuple[str, dict[str, list[str]]] | None = None

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

    def head(self) -> str:
        return self.store.head() or ""

    def latest_revision(self, slug: str) -> str | None:
        return self._history.last_change(_path(validate_slug(slug)))

    def history(self, slug: str) -> list[Revision]:
        path = _path(validate_slug(slug))
        versions: dict[str, list[str]] = {}
        for edition in self.versions(slug):
            versions.setdefault(edition.revision, []).append(edition.version)
        commits = self._history.log(path)
        if not commits:
            raise NotFound(f"no material '{slug}' in the history")
        return [Revision(c.id, c.author, c.email, c.time, c.message, tuple(versions.get(c.id, ()))) for c in commits]

    def recent_changes(self, limit: int = 50) -> list[tuple[Revision, tuple[str, ...]]]:
        """The newest revisions of the library, each with the slugs it changed, newest first."""
        changes = []
        for commit, files in self._history.recent(limit):
            slugs = tuple(Path(f).stem for f in files if f.startswith("library/") and f.endswith(".md"))
            changes.append((Revision(commit.id, commit.author, commit.email, commit.time, commit.message), slugs))
        return changes

    def read(self, slug: str, revision: str | None = None) -> str:
        """The text of a material at a revision (default: the latest committed one)."""
        path = _path(validate_slug(slug))
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
        return sorted(editions, key=lambda e: _version_key(e.version))

    def editions(self) -> dict[str, list[str]]:
        """Every material's published versions, oldest first: one git call, then kept until the next commit.

        (Another process tags just after its commit; a material it publishes is public by its status anyway.)"""
        head = self.head()
        if self._editions is None or self._editions[0] != head:
            found: dict[str, list[str]] = {}
            for name, _sha, _tagger, _when, _message in self.store.tags():
                slug, _, version = name.partition("/")
                if VERSION_RE.match(version):
                    found.setdefault(slug, []).append(version)
            self._editions = (head, {slug: sorted(v, key=_version_key) for slug, v in found.items()})
        return self._editions[1]

    def read_version(self, slug: str, version: str) -> Material:
        editions = {e.version: e for e in self.versions(slug)}
        if version not in editions:
            known = ", ".join(editions) or "none yet"
            raise NotFound(f"'{slug}' has no published version {version}; published: {known}")
        text = self.read(slug, editions[version].revision)
        material, _ = parse_material(self.library_dir / f"{slug}.md", text, self._current_taxonomy(),
                                     display_path=_path(slug), today=dt.date.max)
        if material is None:
            raise NotFound(f"version {version} of '{slug}' cannot be read with today's taxonomy")
        return material

    # -- writing -------------------------------------------------------------------------------------------------

    def save(self, slug: str, text: str, author: Author, message: str, base_revision: str | None) -> SaveResult:
        """Save a material's new text. `base_revision` is the revision the editor started from (None: new).

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
            text, notes = self._apply_workflow(current, _workflow_fields_of(current, text))
            material = self._validate(slug, text, keep=mine)
            notes += self._link_notes(slug, text)
            if text == current:
                return SaveResult(material, self.latest_revision(slug) or "", changed=False, merged=merged,
                                  notes=notes)
            revision = self._write_and_commit(path, text, current, message, author)
            return SaveResult(material, revision, changed=True, merged=merged, notes=notes)

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
            return self._write_and_commit(target, new, current, message, author)

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
                   replaced_by: str | None = None) -> SaveResult:
        """Move a material along the workflow (TRANSITIONS); retiring may name the material that replaces it.
        Decided and written under the writer lock, on the text as it is then: a save made a moment before is
        kept, and the commit changes the status lines only."""
        validate_slug(slug)
        with self.writing():
            library = self._fresh_library()
            current = library.get(slug)
            if status not in TRANSITIONS.get(current.status, set()):
                allowed = ", ".join(sorted(TRANSITIONS.get(current.status, set()))) or "none"
                raise Forbidden(f"'{slug}' is {current.status}; it can move to: {allowed}"
                                + ("; use publish to publish it" if status == "published" else ""))
            fields = {"status": status}
            if replaced_by:
                if status != "retired":
                    raise Invalid("only a retired material has a replacement", [Problem.at(
                        _path(slug), "name a replacement only when retiring", field="replaced_by")])
                if replaced_by == slug or replaced_by not in library:
                    raise Invalid(f"'{replaced_by}' cannot replace '{slug}'", [Problem.at(
                        _path(slug), f"'{replaced_by}' is " + ("this material itself" if replaced_by == slug
                                                                else "no material") + "; choose another",
                        field="replaced_by")])
                fields["replaced_by"] = replaced_by
            text = set_fields(self._text_now(slug), fields)
            change = f"{slug}: {current.status} → {status}"  # always the first line: the activity page reads it
            return self._save_exact(slug, text, author, f"{change}: {message.strip()}"
                                    if message and message.strip() else change)

    def publish(self, slug: str, bump: Bump, message: str, author: Author) -> Edition:
        """Freeze the current text as a new edition: set version and status, commit, tag `slug/X.Y.Z` — all under
        the writer lock, on the text as it is then (the edition holds every save accepted before it)."""
        validate_slug(slug)
        if not message.strip():
            raise Invalid("a publish needs a message", [Problem.at(slug, "say what changed (the changelog line)",
                                                                   field="message")])
        with self.writing():
            library = self._fresh_library()
            problems = [p for p in library.problems if p.path == _path(slug)]
            if problems:
                raise Invalid(f"'{slug}' has problems; fix them before publishing", problems)
            material = library.get(slug)
            problems = publish_problems(material)
            if problems:
                raise Invalid(f"'{slug}' cannot be published yet", problems)
            editions = self.versions(slug)
            start = editions[-1].version if editions else material.version
            version = bump_version(start, bump)
            if any(e.version == version for e in editions):
                raise Invalid(f"'{slug}' already has version {version}", [Problem.at(slug, "choose another bump",
                                                                                      field="version")])
            before, previous = self.head(), self._text_now(slug)
            text = set_fields(previous, {"status": "published", "version": version})
            result = self._save_exact(slug, text, author, f"Publish {slug} {version}: {message.strip()}")
            try:
                self.store.tag(f"{slug}/{version}", result.revision, message.strip(), author)
            except GitError as exc:  # an edition is its commit and its tag, or nothing
                self._undo_commit(before, result.revision, self.library_dir / f"{slug}.md", previous)
                raise WriteFailed(f"'{slug}' {version} could not be published ({str(exc)[:200]}); nothing was "
                                  "changed — try again in a moment") from exc
            self._editions = None
            return next(e for e in self.versions(slug) if e.version == version)

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

    def _save_exact(self, slug: str, text: str, author: Author, message: str) -> SaveResult:
        """Save a text computed from the latest one (status or version change), without the workflow rule."""
        with self.writing():
            path = self.library_dir / f"{slug}.md"
            material = self._validate(slug, text)
            current = path.read_text(encoding="utf-8")
            if current == text:
                return SaveResult(material, self.latest_revision(slug) or "", changed=False)
            return SaveResult(material, self._write_and_commit(path, text, current, message, author), changed=True)

    def _apply_workflow(self, current: str | None, text: str) -> tuple[str, tuple[str, ...]]:
        """A change to a published or retired material's text starts a new draft; the edition stays tagged."""
        if current is None:
            return text, ()
        status = _field(current, "status")
        if _without_fields(current) == _without_fields(text):
            return text, ()
        if status in ("published", "retired"):
            return set_fields(text, {"status": "draft"}), (
                f"the material was {status}; your change is saved as a draft until it is published again",)
        if status == "approved":  # an approval is of the text that was approved
            return set_fields(text, {"status": "review"}), (
                "the text changed after it was approved; it is back in review",)
        return text, ()

    def _validate(self, slug: str, text: str, keep: str | None = None) -> Material:
        """Parse and check the text; on problems raise Invalid carrying `keep` (what the user typed)."""
        material, problems = parse_material(self.library_dir / f"{slug}.md", text, self._current_taxonomy(),
                                            display_path=_path(slug))
        if problems or material is None:
            raise Invalid(f"{_path(slug)} was not saved: fix these problems and save again", problems,
                          text=keep if keep is not None else text)
        return material

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

    def _write_and_commit(self, path: Path, text: str, previous: str | None, message: str, author: Author) -> str:
        """Write a file and commit it as one step: if either fails (a full disk, git refusing), the file is put
        back as it was and WriteFailed says so — never a text on disk that the history lacks."""
        relative = path.relative_to(self.content).as_posix()
        before = self.store.head()
        try:
            self._write(path, text)
            _crash_point("after-rename")
            return self._commit([relative], message, author)
        except (OSError, GitError) as exc:
            after = self.store.head()
            if after != before and self.store.read(after or "HEAD", relative) == text:
                return after or ""  # committed after all (git failed after moving HEAD, e.g. writing its index)
            self._put_back(path, relative, previous)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)[:200]
            raise WriteFailed(f"{relative} could not be saved ({reason}); nothing was changed — try again in a "
                              "moment, and tell the administrator if it keeps happening") from exc

    def _put_back(self, path: Path, relative: str, previous: str | None) -> None:
        """The file as it was before a write that failed, from memory (the index, too, as at HEAD)."""
        self._stale = True
        try:
            self.store.run("reset", "--quiet", "--", relative)
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                self._write(path, previous)
        except (OSError, GitError):  # the next sync commits what is on disk as an external change
            logging.getLogger(__name__).exception("could not put %s back after a failed write", relative)

    def _undo_commit(self, before: str, commit: str, path: Path, previous: str) -> None:
        """Take back the commit this process just made under the lock (HEAD moves back only if it is still
        that commit), with the file as it was."""
        self.store.run("update-ref", "HEAD", before, commit)
        self._put_back(path, path.relative_to(self.content).as_posix(), previous)

    def _write(self, path: Path, text: str) -> None:
        """Write atomically: a temporary file on the same file system, fsync, rename, fsync the folder."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        temporary = self._tmp / f"{path.name}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            _crash_point("after-write")
            os.fsync(handle.fileno())
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def _commit(self, paths: list[str], message: str, author: Author) -> str:
        revision = self.store.commit(paths, message, author)
        self._stale = True
        self._commits_since_graph += 1
        if self._commits_since_graph >= COMMIT_GRAPH_EVERY:
            self.store.write_commit_graph()
            self._commits_since_graph = 0
        return revision

    def _sync_locked(self) -> list[str]:
        if self._tmp.exists():
            shutil.rmtree(self._tmp, ignore_errors=True)  # half-written files of a killed save
        self.store.remove_stale_locks()
        dirty = self.store.dirty_paths()
        if dirty:
            names = ", ".join(sorted(dirty)[:5]) + (" …" if len(dirty) > 5 else "")
            self._commit(dirty, f"External change: {names}\n\nCommitted by Netkit: these files were changed "
                                "outside the app.", EXTERNAL)
        self._synced_signature = folder_signature(self.library_dir)
        return dirty


def bump_version(version: str, bump: Bump) -> str:
    match = VERSION_RE.match(version)
    major, minor, patch = (int(x) for x in match.groups()) if match else (0, 0, 0)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _version_key(version: str) -> tuple[int, ...]:
    match = VERSION_RE.match(version)
    return tuple(int(x) for x in match.groups()) if match else (-1,)


def _path(slug: str) -> str:
    return f"library/{slug}.md"


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def _field(text: str, name: str) -> str | None:
    match = re.search(rf"^{name}:\s*(\S+)\s*$", text.split("\n---", 1)[0], re.MULTILINE)
    return match[1] if match else None


def _workflow_fields_of(current: str | None, text: str) -> str:
    """`text` with the workflow fields (status, version, replaced_by) of `current`, whatever it says itself; a
    new material (or one whose file cannot be read) starts as a draft, at 0.1.0 when new."""
    now = _front_data(current) if current is not None else None
    if now is None:
        wanted = {"status": "draft"} | ({"version": FIRST_VERSION} if current is None else {})
    else:
        wanted = {name: str(now[name]) for name in WORKFLOW_FIELDS if now.get(name) not in (None, "")}
        wanted.setdefault("status", "draft")
    mine = _front_data(text)
    if mine is None:
        return text  # not valid front matter: the check that follows names the problem
    changes = {name: value for name, value in wanted.items() if str(mine.get(name, "")) != value}
    text = set_fields(text, changes) if changes else text
    if "replaced_by" not in wanted and mine.get("replaced_by") not in (None, ""):
        text = drop_fields(text, {"replaced_by"})  # only retiring names a replacement
    return text


def _front_data(text: str) -> dict | None:
    try:
        return parse(text).data
    except FrontMatterError:
        return None


def _without_fields(text: str) -> str:
    """The text without its status and version lines: what counts as a change of content."""
    return re.sub(r"^(status|version):.*$", "", text, flags=re.MULTILINE)


def _crash_point(name: str) -> None:
    """Fault injection for the crash tests: NETKIT_CRASH_AT=<name> kills this process here with SIGKILL."""
    if os.environ.get("NETKIT_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


__all__ = ["TAXONOMY_FILE", "Edition", "Instance", "Revision", "SaveResult", "bump_version"]
