"""Typed errors of the core. The CLI maps them to exit codes, the web UI to HTTP pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the library, pointing at where to fix it."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    @classmethod
    def at(cls, path: Path | str, message: str, *, line: int | None = None, field: str | None = None) -> Problem:
        return cls(str(path), line, field, message)


class NetkitError(Exception):
    """Base of every error the core raises on purpose."""


class NotFound(NetkitError):
    """A material, revision or template that does not exist; `suggestion` is a close existing name."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.suggestion = suggestion


class InvalidSlug(NetkitError):
    """A slug that is not of the allowed shape (path-like, uppercase, empty …)."""


class Invalid(NetkitError):
    """Input that fails validation; carries every problem, not just the first, and the refused text."""

    def __init__(self, message: str, problems: list[Problem], text: str | None = None):
        super().__init__(message)
        self.problems = problems
        self.text = text

    def __str__(self) -> str:
        lines = [self.args[0]] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class Conflict(NetkitError):
    """A save whose changes overlap changes saved since the editor's base revision.

    Carries all three texts and the overlapping parts, so nothing the user typed is lost.
    """

    def __init__(self, message: str, *, base: str, theirs: str, mine: str, parts: tuple = (),
                 theirs_revision: str | None = None, merged: str | None = None):
        super().__init__(message)
        self.base = base
        self.theirs = theirs
        self.mine = mine
        self.parts = parts
        self.theirs_revision = theirs_revision
        self.merged = merged


class Forbidden(NetkitError):
    """An action not allowed in the current state (e.g. a status change the workflow does not permit)."""


class WriteFailed(NetkitError):
    """A write that could not be made now — another writer held the lock too long, the disk is full — so
    nothing was saved; the caller still has what was typed and says what happened."""
