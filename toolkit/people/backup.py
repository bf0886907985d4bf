"""A backup of an instance: one tar.gz that holds everything a restore needs, taken while the server runs.

What an instance holds, and what a backup keeps of it:

    state (backed up)
    content/                the git repository (library/, templates/, records, redirects; editions are tags) —
                            kept as `content.bundle`, a `git bundle --all`: every branch, tag and revision id
    users.json              accounts, roles, groups, password hashes
    secret_key              signs the session cookies (sessions and form tokens survive a restore)
    signins.sqlite          sessions, the sign-in throttle, texts kept for a person whose session ended
    notifications.sqlite    events, watches, inboxes, the outbox of mails, the unsubscribe key
    activity.jsonl          sign-ins and failed sign-ins
    oidc-groups.yaml        provider group → role / working group (only when the instance has one)

    derived or transient (not backed up: rebuilt or gone by design)
    index/, indexes/        the search index, rebuilt on the first start
    cache/                  the history index and the editions' Word/PDF files, rebuilt when asked for
    tmp/, uploads/          half-written files of a save; uploads waiting for a save (kept a day)
    write.lock, .users.lock the locks (flock), made again on first use

Consistency: the capture is made under the instance's writer lock (no save can commit meanwhile, and edits made
outside the app are committed first), so the bundle's HEAD is a complete revision; the SQLite files are copied
with SQLite's online backup API (a consistent snapshot while workers write) and the other files are read whole
(they are only ever replaced by a rename or appended to). The archive is written afterwards, outside the lock,
to a temporary file renamed into place, readable only by its owner: it holds password hashes and secrets.

The manifest (`manifest.json`, the archive's first member) names the format and its version, when and by which
Netkit the backup was made, the HEAD revision and every ref, and each file with its size and sha256; a restore
(toolkit.people.restoring) checks all of it before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.errors import NetkitError, NotFound, WriteFailed
from toolkit.history.gitstore import GitError
from toolkit.history.instance import Instance

FORMAT = "netkit-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BUNDLE = "content.bundle"
SQLITE_FILES = ("signins.sqlite", "notifications.sqlite")
PLAIN_FILES = ("users.json", "secret_key", "activity.jsonl", "oidc-groups.yaml")
STATE_FILES = (*PLAIN_FILES, *SQLITE_FILES)
MEMBERS = (MANIFEST, BUNDLE, *STATE_FILES)  # every name an archive may hold (flat: no folders)


class BackupRefused(NetkitError):
    """A backup or restore that would overwrite something, or an archive that is damaged, foreign or unsafe:
    refused before anything was written."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    head: str
    tags: int
    files: tuple[str, ...]  # the members besides the manifest
    size: int  # bytes of the archive
    skipped: tuple[str, ...]  # entries of the instance folder that were not backed up (derived, transient, unknown)


def create_backup(home: Path, out: Path, *, force: bool = False, now: dt.datetime | None = None) -> BackupResult:
    """Back up the instance at `home` into `out` (a tar.gz). Refuses an existing `out` unless `force`.
    NotFound when `home` holds no instance; WriteFailed when something cannot be read or written."""
    instance = Instance(home)
    if not instance.store.exists():
        raise NotFound(f"no instance at {instance.home}; nothing to back up")
    out = Path(out).absolute()
    if out.is_dir():
        raise BackupRefused(f"{out} is a folder; give the archive's file name, e.g. {out}/netkit.tar.gz")
    if out.exists() and not force:
        raise BackupRefused(f"{out} already exists; choose another name or pass --force to replace it")
    if out.resolve().is_relative_to(instance.home):
        raise BackupRefused(f"{out} is inside the instance it backs up; keep backups elsewhere (another disk)")
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))  # 0700; same disk as the archive
    except OSError as exc:
        raise WriteFailed(f"{out} cannot be written there ({exc}); nothing was written") from None
    try:
        head, branch, refs = _capture(instance, staging)
        files = [BUNDLE, *(name for name in STATE_FILES if (staging / name).exists())]
        manifest = {"format": FORMAT, "version": FORMAT_VERSION, "created": created.isoformat(),
                    "netkit": __version__, "head": head, "branch": branch, "refs": refs,
                    "files": [_describe(staging / name) for name in files]}
        _write_archive(out, staging, manifest, files, created)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    skipped = tuple(sorted(entry.name for entry in instance.home.iterdir() if not _kept_or_runtime(entry.name)))
    tags = sum(1 for name in refs if name.startswith("refs/tags/"))
    return BackupResult(out, head, tags, tuple(files), out.stat().st_size, skipped)


def _kept_or_runtime(name: str) -> bool:
    """Whether an entry of the instance folder is in the backup, or only a lock or the SQLite journal of a file
    that is (the online backup holds what waits in it): what remains is derived, transient or unknown."""
    return (name in {"content", *STATE_FILES} or name.endswith(".lock")
            or any(name == f"{db}{suffix}" for db in SQLITE_FILES for suffix in ("-wal", "-shm", "-journal")))


def _capture(instance: Instance, staging: Path) -> tuple[str, str, dict[str, str]]:
    """Under the writer lock: the repository as a bundle and a copy of every state file, all of one moment."""
    try:
        with instance.writing():  # commits edits made outside the app first: HEAD is the whole library
            head = instance.store.head() or ""
            branch = instance.store.run("symbolic-ref", "--quiet", "HEAD").stdout.strip()
            listing = instance.store.run("for-each-ref", "--format=%(refname) %(objectname)").stdout
            refs = dict(line.split(" ", 1) for line in listing.splitlines() if line.strip())
            instance.store.run("bundle", "create", "--quiet", str(staging / BUNDLE), "--all")
            for name in PLAIN_FILES:
                _copy_whole(instance.home / name, staging / name)
            for name in SQLITE_FILES:
                _copy_sqlite(instance.home / name, staging / name)
    except GitError as exc:
        raise WriteFailed(f"the content repository could not be bundled: {exc}") from None
    except (OSError, sqlite3.Error) as exc:
        raise WriteFailed(f"the backup could not be taken: {exc}") from None
    return head, branch, refs


def _copy_whole(source: Path, target: Path) -> None:
    """A file read whole (these are replaced by a rename or appended to line by line: never half a write)."""
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return
    _write_private(target, data)


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent snapshot while other processes write (a file copy could tear a page
    or miss what waits in the -wal file)."""
    if not source.exists():
        return
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=15)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        writer.execute("pragma journal_mode=delete")  # one self-contained file in the archive
    finally:
        writer.close()
        reader.close()


def _write_private(target: Path, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _describe(path: Path) -> dict:
    return {"name": path.name, "size": path.stat().st_size, "sha256": file_sha256(path)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(out: Path, staging: Path, manifest: dict, files: list[str], created: dt.datetime) -> None:
    """The tar.gz, manifest first, written to a temporary file (0600) beside `out`, synced and renamed over it."""
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
                archive.addfile(_member(MANIFEST, len(data), created), io.BytesIO(data))
                for name in files:
                    with open(staging / name, "rb") as source:
                        archive.addfile(_member(name, (staging / name).stat().st_size, created), source)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, out)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WriteFailed(f"{out} could not be written ({exc}); nothing was left behind") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _member(name: str, size: int, created: dt.datetime) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(created.timestamp())
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


__all__ = ["BUNDLE", "FORMAT", "FORMAT_VERSION", "MANIFEST", "MEMBERS", "STATE_FILES", "BackupRefused", "BackupResult",
           "create_backup", "file_sha256"]
