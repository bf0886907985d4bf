"""The controlled list of organisations that may own a project (`library/organisations.yaml`): a project names
its owner by id from this list (an organisation that is missing is added there, never typed freely).

An entry may also say where the organisation is (`lat`, `lon`: decimal degrees, inside Denmark's bounding box) for
the map on /overblik/, and whether it belongs to Region Midtjylland (`regional: true`: the region, its hospitals
and its university), which the overview counts as regional and everything else as national.
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
    lat: float | None = None
    lon: float | None = None
    regional: bool = False

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

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
                place, wrong = _place(str(key), labels)
                problems.extend(Problem.at(where, message, line=at, field="organisations") for message in wrong)
                entries[key] = Organisation(key, labels["da"].strip(), labels["en"].strip(), *place)
        return cls(entries, tuple(problems), where)

    def located(self) -> list[Organisation]:
        """The organisations that say where they are (for the map), in file order."""
        return [entry for entry in self.entries.values() if entry.located]

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


# Denmark with Bornholm and a margin: a coordinate outside is a typo (or latitude and longitude swapped).
LAT_RANGE = (54.4, 57.9)
LON_RANGE = (7.9, 15.3)
ENTRY_FIELDS = ("da", "en", "lat", "lon", "regional")


def _place(key: str, labels: dict) -> tuple[tuple[float | None, float | None, bool], list[str]]:
    """An entry's lat, lon and regional flag, and what is wrong with them (the entry is kept, without them)."""
    wrong = [f"{key}: unknown field '{name}'; an entry has da, en and optionally lat, lon, regional"
             for name in labels if name not in ENTRY_FIELDS]
    lat, lon = labels.get("lat"), labels.get("lon")
    if lat is None and lon is None:
        place: tuple[float | None, float | None] = (None, None)
    elif not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        wrong.append(f"{key}: give both lat and lon as decimal degrees, e.g. {{lat: 56.16, lon: 10.2}}")
        place = (None, None)
    elif not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        wrong.append(f"{key}: lat {lat}, lon {lon} is not in Denmark (lat {LAT_RANGE[0]}–{LAT_RANGE[1]}, "
                     f"lon {LON_RANGE[0]}–{LON_RANGE[1]}); are lat and lon swapped?")
        place = (None, None)
    else:
        place = (float(lat), float(lon))
    regional = labels.get("regional", False)
    if not isinstance(regional, bool):
        wrong.append(f"{key}: regional is true or false")
        regional = False
    return (*place, regional), wrong
