"""Restoring a backup (toolkit.people.backup) into an empty folder, as an instance `netkit serve` opens.

Nothing is written into the target before the whole archive has been checked: every member a plain file with one
of the names a backup holds (no absolute paths, no `..`, no links or devices, nothing twice), the manifest of our
format and a version this Netkit reads, and every file's size and sha256 as the manifest says. The archive is
unpacked into a private staging folder beside the target; the repository is fetched from the bundle with every
ref as it was (same revision ids, same edition tags) and checked out; then the staging folder becomes the target.
A damaged, foreign or unsafe archive, or a target that is not empty, is refused with the reason and leaves the
target as it was. The search index and the caches are not in a backup: they are rebuilt on the first start.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import NotFound, WriteFailed
from toolkit.history.gitstore import GitError, GitStore
from toolkit.history.instance import Instance
from toolkit.people.backup import BUNDLE, FORMAT, FORMAT_VERSION, MANIFEST, MEMBERS, BackupRefused

SHA1 = re.compile(r"[0-9a-f]{40}\Z")
SHA256 = re.compile(r"[0-9a-f]{64}\Z")
REF = re.compile(r"refs/[A-Za-z0-9._/-]{1,200}\Z")
MANIFEST_MAX = 1024 * 1024  # bytes; a real manifest is a few kB even with thousands of tags


@dataclass(frozen=True)
class RestoreResult:
    home: Path
    head: str
    created: str  # when the backup was made (ISO 8601, UTC)
    branches: int
    tags: int
    users: int
    files: tuple[str, ...]


def restore_backup(archive: Path, into: Path) -> RestoreResult:
    """Restore the backup `archive` into `into`, which must not exist or be empty. NotFound when there is no
    archive; BackupRefused (nothing written into `into`) when the target is not empty or the archive is
    damaged, foreign or unsafe."""
    archive, into = Path(archive), Path(into).absolute()
    if not archive.is_file():
        raise NotFound(f"no backup at {archive}")
    _check_target(into)
    nearest = next(folder for folder in into.parents if folder.is_dir())
    try:
        staging = Path(tempfile.mkdtemp(prefix=".netkit-restore-", dir=nearest))  # 0700, beside the target
    except OSError as exc:
        raise WriteFailed(f"nothing can be written beside {into} ({exc}); nothing was restored") from None
    try:
        manifest = _unpack(archive, staging / "archive")
        home = staging / "home"
        home.mkdir(mode=0o700)
        _unbundle(staging / "archive" / BUNDLE, home / "content", manifest, archive)
        names = tuple(entry["name"] for entry in manifest["files"])
        for name in names:
            if name != BUNDLE:
                os.replace(staging / "archive" / name, home / name)
                os.chmod(home / name, 0o600)
        users = _count_users(home / "users.json")
        Instance.open(home)  # opens as `netkit serve` will (fails loudly here, not later on the server)
        _move_into(home, into)
    except OSError as exc:  # a full disk while unpacking or moving
        raise WriteFailed(f"the backup could not be restored into {into} ({exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    refs = manifest["refs"]
    return RestoreResult(into, manifest["head"], manifest["created"],
                         sum(1 for ref in refs if ref.startswith("refs/heads/")),
                         sum(1 for ref in refs if ref.startswith("refs/tags/")), users, names)


def _check_target(into: Path) -> None:
    if into.is_symlink() or (into.exists() and not into.is_dir()):
        raise BackupRefused(f"{into} is not a folder; restore into a new or empty folder")
    if into.is_dir() and any(into.iterdir()):
        raise BackupRefused(f"{into} is not empty; restore into a new or empty folder (nothing was changed)")


def _unpack(archive: Path, folder: Path) -> dict:
    """Every member checked, then written into `folder` with its checksum compared; the manifest."""
    folder.mkdir(mode=0o700)
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            members = tar.getmembers()  # reads the whole archive: a truncated or corrupt one fails here
            by_name = _check_members(members, archive)
            manifest = _read_manifest(tar, by_name[MANIFEST], archive)
            expected = {entry["name"]: entry for entry in manifest["files"]}
            missing = sorted(set(expected) - set(by_name))
            extra = sorted(set(by_name) - set(expected) - {MANIFEST})
            if missing or extra:
                raise BackupRefused(f"{archive} does not match its manifest (missing: {', '.join(missing) or '–'}; "
                                    f"not listed: {', '.join(extra) or '–'}); nothing was restored")
            for name, entry in expected.items():
                member = by_name[name]
                if member.size != entry["size"] or _extract(tar, member, folder / name) != entry["sha256"]:
                    raise BackupRefused(f"{archive} is damaged: {name} does not match its checksum in the "
                                        "manifest; nothing was restored")
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupRefused(f"{archive} cannot be read as a tar.gz ({exc}); it is damaged or not a Netkit "
                            "backup; nothing was restored") from None
    except OSError as exc:  # gzip.BadGzipFile is one; so is a full disk while unpacking
        raise BackupRefused(f"{archive} could not be unpacked ({exc}); nothing was restored") from None
    return manifest


def _check_members(members: list[tarfile.TarInfo], archive: Path) -> dict[str, tarfile.TarInfo]:
    by_name: dict[str, tarfile.TarInfo] = {}
    for member in members:
        name = member.name
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or len(path.parts) != 1:
            raise BackupRefused(f"{archive} has an unsafe member name {name!r} (absolute, '..' or a folder); "
                                "refused, nothing was restored")
        if not member.isreg():
            raise BackupRefused(f"{archive}: {name!r} is a link, a device or a folder; a Netkit backup holds only "
                                "plain files; refused, nothing was restored")
        if name not in MEMBERS:
            raise BackupRefused(f"{archive}: {name!r} is not part of a Netkit backup; refused, nothing was restored")
        if name in by_name:
            raise BackupRefused(f"{archive}: {name!r} appears twice; refused, nothing was restored")
        by_name[name] = member
    if MANIFEST not in by_name:
        raise BackupRefused(f"{archive} has no {MANIFEST}: it is not a Netkit backup; nothing was restored")
    return by_name


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo, archive: Path) -> dict:
    foreign = f"{archive}: {MANIFEST} is not a Netkit backup manifest; nothing was restored"
    if member.size > MANIFEST_MAX:
        raise BackupRefused(foreign)
    handle = tar.extractfile(member)
    try:
        manifest = json.loads(handle.read().decode("utf-8")) if handle else None
    except (UnicodeDecodeError, ValueError):
        raise BackupRefused(foreign) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(foreign)
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupRefused(foreign)
    if version > FORMAT_VERSION:
        raise BackupRefused(f"{archive} was made by a newer Netkit (backup format {version}); this one reads "
                            f"format {FORMAT_VERSION}: restore it with that version")
    if not _manifest_is_well_formed(manifest):
        raise BackupRefused(foreign)
    return manifest


def _manifest_is_well_formed(manifest: dict) -> bool:
    refs, files = manifest.get("refs"), manifest.get("files")
    if not (isinstance(manifest.get("head"), str) and SHA1.match(manifest["head"])
            and isinstance(manifest.get("branch"), str) and REF.match(manifest["branch"])
            and manifest["branch"].startswith("refs/heads/") and isinstance(manifest.get("created"), str)
            and isinstance(refs, dict) and manifest["branch"] in refs and isinstance(files, list)):
        return False
    if not all(isinstance(k, str) and REF.match(k) and isinstance(v, str) and SHA1.match(v) for k, v in refs.items()):
        return False
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in files]
    return (BUNDLE in names and len(set(names)) == len(names)
            and all(name in MEMBERS and name != MANIFEST for name in names)
            and all(isinstance(e.get("size"), int) and e["size"] >= 0 and isinstance(e.get("sha256"), str)
                    and SHA256.match(e["sha256"]) for e in files))


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    """Write one member to `target` (0600), streaming; its sha256."""
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while source is not None and (chunk := source.read(1024 * 1024)):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _unbundle(bundle: Path, content: Path, manifest: dict, archive: Path) -> None:
    """The repository with every ref of the backup (same ids, same tags) and its working tree checked out."""
    store = GitStore(content)
    try:
        store.init()
        if store.run("bundle", "verify", "--quiet", str(bundle), check=False).returncode != 0:
            raise BackupRefused(f"{archive}: the repository bundle is damaged; nothing was restored")
        store.run("fetch", "--quiet", "--update-head-ok", "--no-write-fetch-head", str(bundle), "refs/*:refs/*")
        store.run("symbolic-ref", "HEAD", manifest["branch"])
        store.run("reset", "--quiet", "--hard", manifest["branch"])
        listing = store.run("for-each-ref", "--format=%(refname) %(objectname)").stdout
    except GitError as exc:
        raise BackupRefused(f"{archive}: the repository could not be restored ({exc}); nothing was restored") from None
    refs = dict(line.split(" ", 1) for line in listing.splitlines() if line.strip())
    if refs != manifest["refs"] or store.head() != manifest["head"]:
        raise BackupRefused(f"{archive}: the repository bundle does not hold the revisions its manifest names; "
                            "nothing was restored")
    store.write_commit_graph()


def _count_users(path: Path) -> int:
    try:
        return len(json.loads(path.read_text(encoding="utf-8")).get("users", []))
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, AttributeError):
        raise BackupRefused(f"{path.name} in the backup cannot be read; nothing was restored") from None


def _move_into(home: Path, into: Path) -> None:
    """The staged instance becomes `into`: moved as a whole when `into` is new, entry by entry into an empty one."""
    if not into.exists():
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(home, into)  # a rename; a copy when `into` is on another disk
        return
    _check_target(into)  # again: something may have been put there meanwhile
    for entry in home.iterdir():  # `into` may be a mount point: its entries move, it stays
        shutil.move(entry, into / entry.name)


__all__ = ["RestoreResult", "restore_backup"]
