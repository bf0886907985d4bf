"""Benchmark the static site (`netkit export-site`): build time, size, and its search index and relevance.

Prints median and p95 of building the whole site through the real app (every page, Word file and the search
index; written beside the target and renamed into place) for the bundled library and for 1,000 synthetic
materials, the time per page, and the search index's size raw and gzipped. The synthetic materials take
their body words from a list of 25, all of them in most materials, so their index holds little more than
titles and summaries; the index alone is therefore also built for bench/bench_search.py's corpus of 1,000
materials with a realistic vocabulary (~6,000 word types, Zipf-distributed). PDF is measured once for the
bundled library only (LibreOffice, when installed): for 1,000 materials its conversion would be most of the
time. The first export from an instance also builds the Word files of the published editions (kept in the
instance afterwards), so for 1,000 materials the first export and a re-export are measured separately.
With Node.js installed, the browser's search code (webui/static/sitesearch.js) also runs the judged query set
(tests/data/judged-queries.yaml) against the bundled site's index: recall@3 and MRR beside the live search of the
same instance (the web app's index, as an anonymous reader searches it), and how many queries' top 3 differ
(the static search uses the live ranker's own scores: the target is 0).

Run: make bench   (or: .venv/bin/python bench/bench_site.py [--materials 1000 --repeat 5 --large-repeat 1])
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_library import synthetic_library  # noqa: E402
from bench.bench_search import corpus  # noqa: E402
from bench.relevance import JUDGED, Judged, summary  # noqa: E402
from bench.timing import Timing, header, measure  # noqa: E402
from toolkit.config import Settings  # noqa: E402
from toolkit.documents.pdf import pdf_available  # noqa: E402
from toolkit.history.instance import Instance  # noqa: E402
from webui.staticsite.export import SiteReport, export_site  # noqa: E402
from webui.staticsite.searchindex import (  # noqa: E402
    INDEX_FILE,
    POSITIONS_FILE,
    IndexDoc,
    index_sizes,
    search_index,
    split_index,
)

SEARCHER = ROOT / "webui" / "static" / "sitesearch.js"
NODE_EVAL = r"""
const {searcher} = require(process.argv[1]);
const index = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const positions = process.argv[2].replace(/search-index\.json$/, 'search-positions.json');
index.pos = JSON.parse(require('fs').readFileSync(positions, 'utf8')).pos;
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const search = searcher(index);
console.log(JSON.stringify(queries.map(q => search.search(q).found.slice(0, 10)
  .map(n => index.docs[n][1].split('/')[1]))));
"""


def build(home: Path, out: Path, *, pdf: bool, reports: list[SiteReport]) -> Timing:
    return measure("", lambda: reports.append(export_site(Settings(home=home), out, force=True, pdf=pdf)), 1)


def timed(name: str, home: Path, out: Path, repeat: int, *, pdf: bool = False) -> tuple[Timing, SiteReport]:
    reports: list[SiteReport] = []
    samples = [build(home, out, pdf=pdf, reports=reports).samples_ms[0] for _ in range(repeat)]
    return Timing(name, samples), reports[-1]


def report_rows(timing: Timing, report: SiteReport) -> None:
    print(timing.row())
    print(f"{'  per page (' + str(report.pages) + ' pages, ' + str(report.files) + ' files)':48} "
          f"{timing.median / report.pages:10.3f} {timing.p95 / report.pages:10.3f}")


def sizes(label: str, report: SiteReport) -> str:
    return (f"{label:48} index {report.index_bytes:>9,} B raw {report.index_gzip_bytes:>8,} B gzip; "
            f"site {report.total_bytes / 1e6:.1f} MB")


def relevance(site: Path, home: Path) -> tuple[tuple[float, float], tuple[float, float], int, int] | None:
    """(recall@3, MRR) of sitesearch.js and of the live search of `home` on the judged queries, their number and
    how many of them have another top 3 in the two; None without Node.js."""
    node = shutil.which("node")
    if node is None:
        return None
    entries = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    found = json.loads(subprocess.run([node, "-e", NODE_EVAL, str(SEARCHER), str(site / INDEX_FILE)],
                                      input=json.dumps([e["query"] for e in entries]), capture_output=True,
                                      text=True, check=True).stdout)
    static = [Judged(e["query"], tuple(e["expect"]), e.get("kind", ""), tuple(hits))
              for e, hits in zip(entries, found, strict=True)]
    from webui import create_app
    from webui.context import search_index

    with create_app(Settings(home=home)).test_request_context("/"):
        index = search_index()
        live = [Judged(e["query"], tuple(e["expect"]), e.get("kind", ""),
                       tuple(hit.slug for hit in index.search(e["query"], per_page=10).hits)) for e in entries]
    differ = sum(1 for s, v in zip(static, live, strict=True) if s.found[:3] != v.found[:3])
    return summary(static), summary(live), len(entries), differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=1000, help="size of the synthetic library")
    parser.add_argument("--repeat", type=int, default=5, help="builds of the bundled library")
    parser.add_argument("--large-repeat", type=int, default=1, help="re-exports of the synthetic library")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        Instance.create(root / "bundled")
        print(header("Static site of the bundled library (netkit export-site, through the real app)"))
        bundled, bundled_report = timed("bundled library, without PDF", root / "bundled", root / "site",
                                        args.repeat)
        report_rows(bundled, bundled_report)
        if pdf_available():
            with_pdf, pdf_report = timed("bundled library, with PDF (LibreOffice)", root / "bundled",
                                         root / "site-pdf", 1, pdf=True)
            report_rows(with_pdf, pdf_report)
        else:
            print("bundled library, with PDF: skipped (LibreOffice is not installed)")
        scores = relevance(root / "site", root / "bundled")

        (root / "library").mkdir()
        synthetic_library(root / "library", args.materials)
        Instance.create(root / "large", library=root / "library")
        print(header(f"Static site of {args.materials:,} synthetic materials, without PDF"))
        first, first_report = timed(f"{args.materials:,} materials, first export", root / "large",
                                    root / "large-site", 1)
        report_rows(first, first_report)
        again, again_report = timed(f"{args.materials:,} materials, re-export", root / "large",
                                    root / "large-site", args.large_repeat)
        report_rows(again, again_report)

    print("\nSearch index (search-index.json) and site size")
    print(sizes(f"bundled library ({bundled_report.materials} materials, {bundled_report.templates} templates)",
                bundled_report))
    print(sizes(f"{args.materials:,} synthetic materials ({again_report.templates} templates)", again_report))
    docs = [IndexDoc(d.title, f"m/{d.slug}/index.html", d.summary, d.kind, d.text) for d in corpus(args.materials)]
    built: list[dict] = []
    index_time = measure("", lambda: built.append(search_index(docs)), 3)
    raw, packed = index_sizes(split_index(built[-1])[INDEX_FILE])
    positions_raw, positions_packed = index_sizes(split_index(built[-1])[POSITIONS_FILE])
    print(f"{f'{args.materials:,} materials, realistic vocabulary (index only)':48} index {raw:>9,} B raw "
          f"{packed:>8,} B gzip; built in {index_time.median:.0f} ms")
    print(f"{'  its positions (fetched for phrases)':48} file  {positions_raw:>9,} B raw "
          f"{positions_packed:>8,} B gzip")
    if scores is None:
        print("\nStatic search relevance: skipped (Node.js is not installed)")
    else:
        (recall, mrr), (live_recall, live_mrr), count, differ = scores
        print(f"\nJudged queries ({count}): static search (sitesearch.js in Node.js) recall@3 {recall:.3f}, "
              f"MRR {mrr:.3f}; live search recall@3 {live_recall:.3f}, MRR {live_mrr:.3f}; "
              f"top 3 differ for {differ}")


if __name__ == "__main__":
    main()
