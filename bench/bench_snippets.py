"""Benchmark snippets on the bundled library: the time `snippet()` takes per hit and per query (top 10), and the
whole search with its snippets, for the judged queries and a few more (materials, templates, projects and
meetings indexed, as the web UI does). Also the time to turn every bundled material into its SearchDoc.

Run: .venv/bin/python bench/bench_snippets.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import Timing, header
from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.documents.packages import TemplateCatalogue
from toolkit.documents.templatesearch import TemplateSource
from toolkit.library.folder import Library
from toolkit.network.meetingsearch import MeetingSource
from toolkit.network.projects.search import ProjectSource
from toolkit.search import querying
from toolkit.search.documents import material_doc
from toolkit.search.library_search import LibrarySearch

JUDGED = Path(__file__).resolve().parent.parent / "tests" / "data" / "judged-queries.yaml"
MORE = ("RKKP", "Aarhus", "sepsis", "driftstest", "Region Midtjylland", "adgang til data", "dataadgang",
        "\"klinisk evaluering\"", "samtyk*", "fase", "transformer", "kvalitetsudvikling")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    library = Library.load(BUNDLED_LIBRARY)
    texts = [entry["query"] for entry in yaml.safe_load(JUDGED.read_text(encoding="utf-8"))] + list(MORE)
    snippet_ms: list[float] = []
    real_snippet = querying.snippet

    def timed_snippet(*a, **k):  # the bench's own stopwatch around the real function
        start = time.perf_counter()
        try:
            return real_snippet(*a, **k)
        finally:
            snippet_ms.append((time.perf_counter() - start) * 1000)

    with tempfile.TemporaryDirectory() as tmp:
        search = LibrarySearch(Path(tmp) / "index", [TemplateSource(TemplateCatalogue(BUNDLED_TEMPLATES)),
                                                     ProjectSource(BUNDLED_LIBRARY), MeetingSource(BUNDLED_LIBRARY)])
        index = search.index_for(library)
        querying.snippet = timed_snippet
        per_query, whole = [], []
        try:
            for _ in range(args.repeat):
                for text in texts:
                    before = len(snippet_ms)
                    start = time.perf_counter()
                    index.search(text, per_page=10)
                    whole.append((time.perf_counter() - start) * 1000)
                    per_query.append(sum(snippet_ms[before:]))
        finally:
            querying.snippet = real_snippet
    materials = library.materials()
    start = time.perf_counter()
    for material in materials:
        material_doc(material, titles=library.targets.titles)
    convert = (time.perf_counter() - start) * 1000
    print(f"{len(texts)} queries × {args.repeat} over the bundled library (top 10 each)")
    print(header("snippets"))
    print(Timing("snippet() per hit", snippet_ms).row())
    print(Timing("snippets per query (top 10)", per_query).row())
    print(Timing("whole search with snippets", whole).row())
    print(f"\nSearchDocs of {len(materials)} materials: {convert:.1f} ms")


if __name__ == "__main__":
    main()
