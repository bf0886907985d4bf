"""Relevance on the judged query set (tests/data/judged-queries.yaml): recall@3 and MRR.

recall@3: per query, the share of its expected materials found in the top 3 (at most 3 expected count);
MRR: per query, 1 / the rank of the first expected material (0 when none is in the top 10); both averaged.
Printed per kind of query, per user group (`group`; the first 82 queries have none: "-") and for the two
halves of each group (odd- and even-numbered entries: ranking is tuned looking at the odd ones, the even ones
are the held-out check that a change is general, not fitted to the queries looked at).

Run: .venv/bin/python bench/relevance.py [--verbose] [--half odd|even]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES  # noqa: E402
from toolkit.documents.packages import TemplateCatalogue  # noqa: E402
from toolkit.documents.templatesearch import TemplateSource  # noqa: E402
from toolkit.library.folder import Library  # noqa: E402
from toolkit.search.analysis import Lexicon  # noqa: E402
from toolkit.search.documents import SearchDoc, material_docs  # noqa: E402
from toolkit.search.index import SearchIndex  # noqa: E402

JUDGED = ROOT / "tests" / "data" / "judged-queries.yaml"


def bundled_docs() -> list[SearchDoc]:
    """What a member searches: the bundled materials and the bundled Word templates."""
    library = Library.load(BUNDLED_LIBRARY)
    return material_docs(library) + TemplateSource(TemplateCatalogue(BUNDLED_TEMPLATES)).docs(library)


@dataclass(frozen=True)
class Judged:
    query: str
    expect: tuple[str, ...]
    kind: str
    found: tuple[str, ...]
    group: str = "-"
    held_out: bool = False  # an even-numbered entry of its group

    @property
    def recall_at_3(self) -> float:
        wanted = self.expect[:3]
        return sum(1 for slug in wanted if slug in self.found[:3]) / len(wanted)

    @property
    def reciprocal_rank(self) -> float:
        ranks = [self.found.index(slug) + 1 for slug in self.expect if slug in self.found]
        return 1 / min(ranks) if ranks else 0.0


def evaluate(index: SearchIndex, judged_file: Path = JUDGED) -> list[Judged]:
    entries = yaml.safe_load(judged_file.read_text(encoding="utf-8"))
    out = []
    seen: dict[str, int] = {}
    for entry in entries:
        group = entry.get("group", "-")
        seen[group] = seen.get(group, 0) + 1
        results = index.search(entry["query"], per_page=10)
        out.append(Judged(entry["query"], tuple(entry["expect"]), entry.get("kind", ""),
                          tuple(hit.slug for hit in results.hits), group, seen[group] % 2 == 0))
    return out


def summary(judged: list[Judged]) -> tuple[float, float]:
    return (sum(j.recall_at_3 for j in judged) / len(judged), sum(j.reciprocal_rank for j in judged) / len(judged))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query and its top 3")
    parser.add_argument("--half", choices=("odd", "even"), help="list the misses of this half only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index", Lexicon.load(BUNDLED_LIBRARY))
        index.sync(bundled_docs())
        judged = evaluate(index)
    for item in judged:
        if args.half and item.held_out != (args.half == "even"):
            continue
        if args.verbose or item.recall_at_3 < 1:
            mark = "ok " if item.recall_at_3 == 1 else "MISS"
            print(f"{mark} [{item.kind:8}|{item.group}] {item.query!r}: expected {list(item.expect)}, "
                  f"got {list(item.found[:3])}")
    recall, mrr = summary(judged)
    for label, key in (("kind", lambda j: j.kind), ("group", lambda j: j.group),
                       ("half", lambda j: "even (held out)" if j.held_out else "odd (tuned on)")):
        print(f"per {label}:")
        for value in sorted({key(j) for j in judged}):
            subset = [j for j in judged if key(j) == value]
            r, m = summary(subset)
            print(f"  {value:18} n={len(subset):3}  recall@3 {r:.3f}  MRR {m:.3f}")
    print(f"{len(judged)} judged queries: recall@3 {recall:.3f}, MRR {mrr:.3f}")


if __name__ == "__main__":
    main()
