"""Benchmark the AI map (/overblik/) with 1,000 projects: the figures, the charts, the page and the downloads.

The library is bench_network's: a copy of the bundled library with generated projects up to 1,000 (phases, owners,
areas, dates varied deterministically). Requests go through Flask's test client, anonymous, and must answer 200.
Prints median and p95 in ms, each row with its ratio to the reference, the static file /static/netkit.css:

1. `figures()` over the 1,000 projects (the registry already read), and every chart drawn as SVG.
2. GET /overblik/ rendered (the page cache emptied before each request) and kept (the cache's answer).
3. GET /overblik/<chart>.svg and .png (the map and the timeline; the PNG drawn by Pillow each time).

Run: make bench   (or: .venv/bin/python bench/bench_overview.py [--projects 1000 --repeat 30])
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_network import build_library
from bench.timing import anonymous_app, header, measure
from toolkit.history.instance import Instance
from toolkit.network.overview.charts import charts
from toolkit.network.overview.figures import figures
from toolkit.network.overview.svg import to_svg
from toolkit.network.projects.registry import Registry
from webui.pagecache import PAGES_KEY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    slow = max(5, args.repeat // 3)

    with tempfile.TemporaryDirectory(prefix="netkit-bench-overview-") as tmp:
        root = Path(tmp)
        folder = build_library(root, args.projects, 0, seed=3)
        home = root / "instance"
        registry = Registry(Instance.create(home, library=folder).library_dir)
        projects = registry.all()
        if len(projects) != args.projects:
            raise SystemExit(f"expected {args.projects} valid projects, got {len(projects)}")
        numbers = figures(projects, registry.organisations)
        print(f"instance: {len(projects)} projects, {len(numbers.areas)} clinical areas, {len(numbers.owners)} owners, "
              f"{len(numbers.years)} years, {len(numbers.places)} organisations on the map")

        app, get = anonymous_app(home)

        def forget_pages() -> None:
            cache = app.extensions.get(PAGES_KEY)
            if cache is not None:
                cache.clear()

        page = get("/overblik/").decode()
        if page.count('role="img"') != 6 or f"{len(projects)} projekter" not in page:
            raise SystemExit("/overblik/ does not show six charts of every project")
        print(f"page: {len(page) / 1024:.0f} KiB of HTML")

        print(header("The AI map with 1,000 projects (reference: GET /static/netkit.css)"))
        reference = measure("GET /static/netkit.css (reference)", lambda: get("/static/netkit.css"), args.repeat)
        print(reference.row(reference))
        print(measure("figures() over every project", lambda: figures(projects, registry.organisations),
                      args.repeat).row(reference))
        print(measure("every chart drawn as SVG", lambda: [to_svg(c) for c in charts(numbers)],
                      args.repeat).row(reference))
        print(measure("GET /overblik/ rendered", lambda: get("/overblik/"), args.repeat, setup=forget_pages)
              .row(reference))
        print(measure("GET /overblik/ kept (page cache)", lambda: get("/overblik/"), args.repeat).row(reference))
        for name in ("kort", "tidslinje"):
            print(measure(f"GET /overblik/{name}.svg", lambda n=name: get(f"/overblik/{n}.svg"), slow).row(reference))
            print(measure(f"GET /overblik/{name}.png", lambda n=name: get(f"/overblik/{n}.png"), slow).row(reference))


if __name__ == "__main__":
    main()
