"""The controlled list of organisations that may own a project (`library/organisations.yaml`): a project names
its owner by id from this list (an organisation that is missing is added there, never typed freely).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Invalid, Problem
from toolkit.history.records import line
from toolkit.library.materials import SLUG_RE
from toolkit.yamlfile import load_yaml

ORGANISATIONS_FILE = "organisations.yaml"


@dataclass(frozen=True)
class Organisation:
    id: str
    da: str
    en: str

    def label(self, lang: str = "da") -> str:
        return self.en if lang == "en" else self.da


@dataclass(frozen=True)
class Organisations:
    """The controlled list of owner organisations (`library/organisations.yaml`), in file order."""

    entries: dict[str, Organisation]
    problems: tuple[Problem, ...] = ()
    where: str = f"library/{ORGANISATIONS_FILE}"

    @classmethod
    def load(cls, library_dir: Path | str) -> Organisations:
        path = Path(library_dir) / ORGANISATIONS_FILE
        where = f"library/{ORGANISATIONS_FILE}"
        if not path.is_file():
            return cls({}, (Problem.at(where, "the file is missing; list the organisations that may own a project "
                                              "(id: {da: …, en: …})"),), where)
        try:
            data = load_yaml(path, where)
        except Invalid as exc:
            return cls({}, tuple(exc.problems), where)
        problems: list[Problem] = []
        items = data.get("organisations") if isinstance(data, dict) else None
        if not isinstance(items, dict) or not items:
            return cls({}, (Problem.at(where, "write `organisations:` with one entry per organisation, "
                                              "e.g. region-midtjylland: {da: Region Midtjylland, en: Central "
                                              "Denmark Region}", line=line(data)),), where)
        entries: dict[str, Organisation] = {}
        for key, labels in items.items():
            at = line(items, str(key))
            if not isinstance(key, str) or not SLUG_RE.match(key):
                problems.append(Problem.at(where, f"'{key}' is not an id; use lowercase letters, digits and hyphens",
                                           line=at, field="organisations"))
            elif not isinstance(labels, dict) or not all(isinstance(labels.get(lang), str) and labels[lang].strip()
                                                         for lang in ("da", "en")):
                problems.append(Problem.at(where, f"{key}: give the name in Danish and English: {{da: …, en: …}}",
                                           line=at, field="organisations"))
            else:
                entries[key] = Organisation(key, labels["da"].strip(), labels["en"].strip())
        return cls(entries, tuple(problems), where)

    def ids(self) -> list[str]:
        return list(self.entries)

    def __contains__(self, value: object) -> bool:
        return value in self.entries

    def label(self, value: str, lang: str = "da") -> str:
        entry = self.entries.get(value)
        return entry.label(lang) if entry else value

    def hint(self, value: str) -> str | None:
        """The id closest to what was typed: by id, or by the organisation's name."""
        by_name = {name.casefold(): entry.id for entry in self.entries.values() for name in (entry.da, entry.en)}
        typed = str(value).strip().casefold()
        if typed in by_name:
            return by_name[typed]
        match = difflib.get_close_matches(typed, [*self.entries, *by_name], n=1, cutoff=0.6)
        return (by_name.get(match[0], match[0])) if match else None
