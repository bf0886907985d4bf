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
    """Input that fails validation; carries every problem, not just the first."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        lines = [self.args[0]] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)
