"""Benchmark document generation: every bundled template from its example answers.

Prints median and p95 of `render_docx` (validate answers → computed values and rules → docxtpl in the
sandbox → document properties → .docx bytes) for each bundled template. For the CE-marking checklist the
reference in the same run is the floor: a bare docxtpl render of the same .docx with the context computed
beforehand (a plain Jinja environment with the two filters the template uses; no sandbox, validation or
rules), saved to bytes. Target: ratio < 1.5 and p95 < 200 ms. Last, the checklist with every question left
open (the most combinations for the rules to evaluate). Target: p95 < 300 ms.

Run: make bench   (or: .venv/bin/python bench/bench_generate.py [--repeat 40])
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate
from jinja2 import Environment

from bench.timing import Timing, header, measure
from toolkit.config import BUNDLED_TEMPLATES
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import TemplateCatalogue
from toolkit.documents.sandboxfilters import danish_date, yes_no

CE = "ce-maerkning-tjekliste"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    catalogue = TemplateCatalogue(BUNDLED_TEMPLATES)
    print(header(f"Generating the bundled templates from example.yaml ({args.repeat} runs each)"))
    timings = {}
    for name in catalogue.names():
        package = catalogue.get(name)
        answers = package.example()
        render_docx(package, answers)  # warm caches (compiled expressions, template bytes)
        timings[name] = measure(f"generate {name}", lambda p=package, a=answers: render_docx(p, a), args.repeat)
        print(timings[name].row())

    package = catalogue.get(CE)
    context = package.context(package.example())
    template = package.docx_bytes()

    def bare_docxtpl() -> bytes:
        environment = Environment(autoescape=True)
        environment.filters.update(dato=danish_date, ja_nej=yes_no)  # the template uses them
        document = DocxTemplate(io.BytesIO(template))
        document.render(context, jinja_env=environment)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    bare_docxtpl()
    floor_samples, netkit_samples = [], []
    for _ in range(args.repeat):  # interleaved, so warm-up and machine noise hit both alike
        floor_samples += measure("", bare_docxtpl, 1).samples_ms
        netkit_samples += measure("", lambda: render_docx(package, package.example()), 1).samples_ms
    floor = Timing("bare docxtpl render + save, precomputed context", floor_samples)
    netkit = Timing(f"generate {CE} (answers file to bytes)", netkit_samples)
    print(header("CE-marking checklist against the floor"))
    print(floor.row())
    print(netkit.row(floor))
    ratio = netkit.median / floor.median
    print(f"\nratio {ratio:.2f} (target < 1.5), p95 {netkit.p95:.1f} ms (target < 200 ms)")

    # The worst case for the rules: every decision question open, so each fact is evaluated over every
    # combination of the answers it could get (toolkit/documents/undetermined.py). Target: p95 < 300 ms.
    blank = {"product_name": "X", "manufacturer": "Y", "intended_purpose": "Z"}
    render_docx(package, blank)
    open_all = measure(f"generate {CE}, every question open", lambda: render_docx(package, blank), args.repeat)
    print(header("Unanswered is not no: the worst case"))
    print(open_all.row(netkit))
    print(f"\np95 {open_all.p95:.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
