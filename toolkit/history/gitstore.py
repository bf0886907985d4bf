"""A thin, typed wrapper around the git command line: the version store of an instance.

Why the git CLI and not dulwich: git is already required on every machine that runs Netkit; `git log --
PATH` with changed-path Bloom filters answers a material's history in ~10 ms over 5,000 commits, where a
pure-Python walk costs far more; `git merge-file` gives a real diff3 three-way merge; and what we write is
by construction what ordinary git (and a region's GitLab) reads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import NetkitError, NotFound
from toolkit.history.locking import held_fds

FIELD_SEP = "\x1f"
# What we pass to git as a revision: ids, branch and tag names, ~ and ^ suffixes; never an option.
REVISION_RE = re.compile(r"^(?!-)[0-9A-Za-z._/~^-]{1,200}$")
RECORD_SEP = "\x1e"
NULL_SHA = "0" * 40


class GitError(NetkitError):
    """git failed in a way the caller did not expect; carries git's own message."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Commit:
    id: str
    author: str
    email: str
    time: dt.datetime
    message: str


class GitStore:
    """One git repository with a working tree (the instance's content)."""

    def __init__(self, root: Path):
        self.root = root
        self.git_dir = root / ".git"

    # -- plumbing ----------------------------------------------------------------------------------------------

    def run(self, *args: str, input: str | bytes | None = None, check: bool = True,
            env: dict[str, str] | None = None, binary: bool = False) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
        # Our own identity and settings: the user's global git config must not change what we write.
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            full_env.pop(name, None)
        data = input.encode() if isinstance(input, str) else input
        result = subprocess.run(["git", "-C", str(self.root), "-c", "core.quotepath=off", *args], input=data,
                                capture_output=True, env=full_env, check=False, pass_fds=held_fds())
        if check and result.returncode != 0:
            raise GitError(f"git {' '.join(args[:2])} failed: {result.stderr.decode(errors='replace').strip()}")
        if not binary:
            result.stdout = result.stdout.decode("utf-8", errors="replace")
            result.stderr = result.stderr.decode("utf-8", errors="replace")
        return result

    def exists(self) -> bool:
        return (self.git_dir / "HEAD").is_file()

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.run("init", "--quiet", "--initial-branch=main")
        for key, value in (("core.autocrlf", "false"), ("commit.gpgsign", "false"), ("tag.gpgsign", "false"),
                           ("core.commitGraph", "true"), ("gc.writeCommitGraph", "true"),
                           ("user.name", "Netkit"), ("user.email", "netkit@localhost")):
            self.run("config", key, value)

    def head(self) -> str | None:
        """The current commit id; read from the ref file when it is loose (no process), else asked of git."""
        try:
            ref = (self.git_dir / "HEAD").read_text(encoding="ascii").strip()
            if ref.startswith("ref: "):
                sha = (self.git_dir / ref[5:]).read_text(encoding="ascii").strip()
                if len(sha) == 40:
                    return sha
        except (OSError, UnicodeDecodeError):
            pass
        result = self.run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
        return result.stdout.strip() or None

    def resolve(self, revision: str) -> str:
        """A full commit id for a revision (full or abbreviated id, tag, HEAD~1 …); NotFound if none."""
        if not REVISION_RE.match(revision or ""):
            raise NotFound(f"no revision '{revision}'")
        result = self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
        if result.returncode != 0:
            raise NotFound(f"no revision '{revision}'; see `netkit history SLUG` for the revisions")
        return result.stdout.strip()

    def read(self, revision: str, path: str) -> str | None:
        """The text of `path` at `revision`, or None when the revision or the file does not exist there."""
        if not REVISION_RE.match(revision):
            return None
        result = self.run("cat-file", "blob", f"{revision}:{path}", check=False, binary=True)
        if result.returncode != 0:
            return None
        return result.stdout.decode("utf-8", errors="replace")

    def read_bytes(self, revision: str, path: str) -> bytes | None:
        """The bytes of `path` at `revision` (an image, a PDF), or None."""
        if not REVISION_RE.match(revision):
            return None
        result = self.run("cat-file", "blob", f"{revision}:{path}", check=False, binary=True)
        return result.stdout if result.returncode == 0 else None

    def dirty_paths(self) -> list[str]:
        """Paths changed, added or deleted in the working tree and not committed (untracked included)."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
        paths = []
        entries = out.split("\0")
        index = 0
        while index < len(entries):
            entry = entries[index]
            if len(entry) > 3:
                paths.append(entry[3:])
                if entry[0] == "R":  # a rename carries its old path in the next entry
                    index += 1
            index += 1
        return paths

    def commit(self, paths: list[str], message: str, author: Author) -> str:
        """Stage exactly these paths (additions, changes or deletions) and commit only them."""
        self.run("add", "--all", "--", *paths)
        env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
               "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
        self.run("commit", "--quiet", "--no-verify", "-F", "-", "--", *paths, input=message, env=env)
        return self.head() or NULL_SHA

    def tag(self, name: str, revision: str, message: str, author: Author) -> None:
        env = {"GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
        self.run("tag", "--annotate", name, revision, "-F", "-", input=message, env=env)

    def tags_signature(self) -> tuple:
        """A cheap fingerprint of the tags (the folders under refs/tags and packed-refs, by modification time): a
        tag is made after its commit, so a reader that keys on HEAD alone may cache the editions in between."""
        found = []
        for folder, _subfolders, _files in os.walk(self.git_dir / "refs" / "tags"):
            try:
                found.append((folder, os.stat(folder).st_mtime_ns))
            except OSError:
                continue
        try:
            packed = (self.git_dir / "packed-refs").stat()
            found.append(("packed-refs", packed.st_mtime_ns, packed.st_size))
        except OSError:
            pass
        return tuple(found)

    def tags(self, pattern: str | None = None) -> list[tuple[str, str, str, dt.datetime, str]]:
        """(tag name, commit id, tagger name, date, message) for tags matching a glob (None: all), oldest first."""
        fmt = FIELD_SEP.join(("%(refname:short)", "%(*objectname)", "%(taggername)", "%(taggerdate:iso-strict)",
                              "%(contents)")) + RECORD_SEP
        refs = f"refs/tags/{pattern}" if pattern else "refs/tags"
        out = self.run("for-each-ref", "--sort=taggerdate", f"--format={fmt}", refs).stdout
        result = []
        for record in out.split(RECORD_SEP):
            record = record.strip("\n")
            if not record:
                continue
            name, sha, tagger, when, message = record.split(FIELD_SEP, 4)
            stamp = dt.datetime.fromisoformat(when) if when else dt.datetime.fromtimestamp(0, dt.UTC)
            result.append((name, sha, tagger, stamp, message.strip()))
        return result

    def merge_file(self, mine: str, base: str, theirs: str, labels: tuple[str, str, str]) -> tuple[str, int]:
        """Three-way merge of texts with `git merge-file --diff3`; returns (merged text, conflict count)."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="netkit-merge-") as tmp:
            files = []
            for name, text in (("mine", mine), ("base", base), ("theirs", theirs)):
                path = Path(tmp) / name
                path.write_text(text, encoding="utf-8")
                files.append(str(path))
            result = subprocess.run(["git", "merge-file", "-p", "--diff3", "-L", labels[0], "-L", labels[1],
                                     "-L", labels[2], *files], capture_output=True, check=False)
        if result.returncode < 0 or result.returncode > 127:
            raise GitError(f"git merge-file failed: {result.stderr.decode(errors='replace').strip()}")
        return result.stdout.decode("utf-8"), result.returncode

    def write_commit_graph(self) -> None:
        """Changed-path Bloom filters make `git log -- PATH` fast on long histories."""
        self.run("commit-graph", "write", "--reachable", "--changed-paths", "--split", check=False)

    def remove_stale_locks(self) -> list[str]:
        """Remove git lock files left by a killed process. Call only while holding the instance's writer lock."""
        removed = []
        for lock in (self.git_dir / "index.lock", self.git_dir / "HEAD.lock", self.git_dir / "refs/heads/main.lock"):
            if lock.exists():
                lock.unlink(missing_ok=True)
                removed.append(str(lock.relative_to(self.root)))
        return removed
