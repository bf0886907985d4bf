"""Benchmark the foundation: loading and checking a library, rendering Markdown, serving a material page.

References measured in the same run: raw markdown-it-py rendering (no plugins, no sanitising, no cache) for
the renderer, and a static file from the same Flask app for the page.

Run: make bench   (or: .venv/bin/python bench/bench_library.py [--materials 1000])
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import header, measure
from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.library.folder import Library
from toolkit.library.render import Renderer
from webui import create_app

WORDS = (
    "sundhedsdata", "adgang", "samtykke", "forskning", "kvalitetsudvikling", "drift", "patient", "region",
    "model", "algoritme", "klinisk", "evaluering", "risiko", "databeskyttelse", "godkendelse", "komité",
    "journal", "hjemmel", "dokumentation", "test", "beslutningsstøtte", "overvågning", "ansvar", "leverandør",
    "sikkerhed",
)


def synthetic_library(root: Path, count: int, seed: int = 7) -> Path:
    """A deterministic library of `count` materials, 300–1,500 words each, linking to each other."""
    rng = random.Random(seed)
    shutil.copy(BUNDLED_LIBRARY / "taxonomy.yaml", root / "taxonomy.yaml")
    slugs = [f"materiale-{i:05d}" for i in range(count)]
    for slug in slugs:
        sections = []
        for s in range(rng.randint(3, 8)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 180)))
            link = f" Se [[{rng.choice(slugs)}]]."
            sections.append(f"## Afsnit {s + 1}\n\n{words}.{link}\n\n- punkt et\n- punkt to\n")
        related = ", ".join(rng.sample(slugs, 2))
        (root / f"{slug}.md").write_text(
            f"---\ntitle: Syntetisk materiale {slug}\nkind: guide\nsummary: Et syntetisk materiale til måling.\n"
            f"topics: [data-access]\naudience: [project-leads]\nlanguage: da\nauthors: [Bench]\n"
            f"status: published\nversion: 1.0.0\nupdated: 2026-01-01\nrelated: [{related}]\n---\n"
            f"Indledning.\n\n" + "\n".join(sections), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=1000, help="size of the synthetic library")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    print(header("Loading and checking (Library.load: parse, validate, dead links)"))
    bundled = measure("bundled library (13 materials)", lambda: Library.load(BUNDLED_LIBRARY), args.repeat)
    print(bundled.row())
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_library(Path(tmp), args.materials)
        big = measure(f"synthetic library ({args.materials} materials)", lambda: Library.load(root), 5)
        print(big.row())

    library = Library.load(BUNDLED_LIBRARY)
    bodies = [m.body for m in library.materials()]
    raw = MarkdownIt("commonmark").enable("table")
    print(header("Rendering all bundled bodies once (reference: raw markdown-it, no plugins/sanitising)"))
    reference = measure("raw markdown-it-py render (reference)", lambda: [raw.render(b) for b in bodies], args.repeat)
    renderer = Renderer()
    uncached = measure("Netkit render, uncached (plugins + nh3)",
                       lambda: [renderer.render_uncached(b, library.targets) for b in bodies], args.repeat)
    cached = measure("Netkit render, cached by content hash",
                     lambda: [renderer.render(b, library.targets) for b in bodies], args.repeat)
    for timing in (reference, uncached, cached):
        print(timing.row(reference))

    app = create_app(Settings(library=BUNDLED_LIBRARY, home=Path(tempfile.mkdtemp()) / "instance"))
    client = app.test_client()
    print(header("Serving through Flask's test client (reference: static CSS file)"))

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()

    static = measure("GET /static/netkit.css (reference)", lambda: get("/static/netkit.css"), 200)
    lib = app.extensions["netkit.source"].library()
    cold = measure("GET /m/adgang-til-data/ uncached render", lambda: get("/m/adgang-til-data/"), 100,
                   setup=lambda: lib.renderer._cache.clear())
    warm = measure("GET /m/adgang-til-data/ cached render", lambda: get("/m/adgang-til-data/"), 200)
    home = measure("GET / (home)", lambda: get("/"), 200)
    for timing in (static, cold, warm, home):
        print(timing.row(static))


if __name__ == "__main__":
    main()
