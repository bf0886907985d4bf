"""The projects of one library folder: `Registry` reads them (again only when a project file or the
organisations changed) with their problems, including those that need the whole library (related materials
that do not exist).
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from pathlib import Path

from toolkit.errors import Problem
from toolkit.history.records import RecordKind, Records
from toolkit.library.folder import Library
from toolkit.network.projects.model import Project
from toolkit.network.projects.organisations import ORGANISATIONS_FILE, Organisations
from toolkit.network.projects.validation import parse_project, related_problems

FOLDER = "projects"


def project_kind(organisations: Organisations) -> RecordKind[Project]:
    """The RecordKind of projects, checked against these organisations."""
    return RecordKind(folder=FOLDER, noun="project",
                      parse=functools.partial(parse_project, organisations=organisations))


# -- the registry of a library --------------------------------------------------------------------------------------


class Registry:
    """The projects of one library folder; re-read when a project file or organisations.yaml changes."""

    def __init__(self, library_dir: Path | str):
        self.library_dir = Path(library_dir)
        self._organisations_key: tuple | None = None
        self._organisations = Organisations({})
        self._records: Records[Project] | None = None

    @property
    def organisations(self) -> Organisations:
        self._refresh()
        return self._organisations

    @property
    def records(self) -> Records[Project]:
        self._refresh()
        assert self._records is not None
        return self._records

    def all(self) -> list[Project]:
        """Every valid project by title."""
        return sorted(self.records.all(), key=lambda p: (p.title.casefold(), p.slug))

    def get(self, slug: str) -> Project:
        return self.records.get(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self.records

    def signature(self) -> Hashable:
        """Changes when a project file or the organisations change (for the search index)."""
        return (_stat(self.library_dir / ORGANISATIONS_FILE), self.records.signature())

    def problems(self, library: Library | None = None) -> list[Problem]:
        """Every problem of the project files; with the library, also related materials that do not exist.
        The organisations file's own problems count only when there are projects."""
        records = self.records
        problems = records.problems()
        if not (self.library_dir / FOLDER).is_dir() or not any((self.library_dir / FOLDER).glob("*.yaml")):
            return problems
        problems = list(self._organisations.problems) + problems
        if library is not None:
            for project in records.all():
                problems.extend(related_problems(project.related_materials, library, project.path,
                                                 lambda index, p=project: p.line_of("related_materials", index)))
        return sorted(problems, key=lambda p: (p.path, p.line or 0))

    def _refresh(self) -> None:
        key = _stat(self.library_dir / ORGANISATIONS_FILE)
        if self._records is None or key != self._organisations_key:
            self._organisations = Organisations.load(self.library_dir)
            self._records = Records(self.library_dir, project_kind(self._organisations))
            self._organisations_key = key


def _stat(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino
