"""The controlled vocabulary (`taxonomy.yaml`): kinds, statuses, topics, audiences, languages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from toolkit.errors import Invalid, Problem
from toolkit.yamlfile import safe_load

VOCABULARIES = ("kinds", "statuses", "topics", "audiences", "languages")
UI_LANGUAGES = ("da", "en")


@dataclass(frozen=True)
class Taxonomy:
    """Each vocabulary maps an id to its labels by UI language, in file order."""

    vocabularies: dict[str, dict[str, dict[str, str]]]

    def ids(self, vocabulary: str) -> list[str]:
        return list(self.vocabularies[vocabulary])

    def label(self, vocabulary: str, term: str, lang: str = "da") -> str:
        labels = self.vocabularies[vocabulary].get(term)
        if labels is None:
            return term
        return labels.get(lang) or labels.get("da") or term

    @classmethod
    def load(cls, path: Path) -> Taxonomy:
        """Read and check a taxonomy file; raise Invalid with every problem found."""
        try:
            data = safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise Invalid(f"{path}: no taxonomy file", [Problem.at(path, "the file is missing; "
                                                                    "every library needs a taxonomy.yaml")]) from None
        except yaml.YAMLError as exc:
            line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
            raise Invalid(f"{path}: broken YAML", [Problem.at(path, f"not valid YAML: {exc}", line=line)]) from None
        problems = []
        if not isinstance(data, dict):
            data = {}
            problems.append(Problem.at(path, "must be a mapping of vocabularies"))
        vocabularies: dict[str, dict[str, dict[str, str]]] = {}
        for name in VOCABULARIES:
            terms = data.get(name)
            if not isinstance(terms, dict) or not terms:
                problems.append(Problem.at(path, "missing or empty; list the allowed ids with da/en labels",
                                           field=name))
                continue
            vocabularies[name] = {}
            for term, labels in terms.items():
                if not isinstance(labels, dict) or not all(isinstance(labels.get(lang), str) for lang in UI_LANGUAGES):
                    problems.append(Problem.at(path, "needs a label for each of da and en", field=f"{name}.{term}"))
                    continue
                vocabularies[name][str(term)] = {lang: labels[lang] for lang in UI_LANGUAGES}
        for name in sorted(set(data) - set(VOCABULARIES)):
            problems.append(Problem.at(path, f"unknown vocabulary; allowed: {', '.join(VOCABULARIES)}", field=name))
        if problems:
            raise Invalid(f"{path}: the taxonomy has problems", problems)
        return cls(vocabularies)
