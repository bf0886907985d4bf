"""Benchmark Word and PDF editions: export time per material for the bundled library.

Prints median and p95 of building one material's Word edition (cover with facts and, for recommendations,
recipients, decision, key points and signatories; the body from markdown-it tokens; page numbers;
properties), with a reference in the same run: python-docx opening and saving that finished file again (the
floor of any python-docx export). Then a served edition from the disk cache (what every request after the
first costs), and PDF per material through LibreOffice: one conversion per material (what the web does on
first request of an edition) and all materials in one LibreOffice start (`docx_to_pdf_many`), per material.

Run: make bench   (or: .venv/bin/python bench/bench_export.py [--repeat 10] [--no-pdf])
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx

from bench.timing import Timing, header, measure
from toolkit.config import BUNDLED_LIBRARY
from toolkit.documents.pdf import docx_to_pdf, docx_to_pdf_many, pdf_available
from toolkit.history.instance import Instance
from toolkit.library.folder import Library
from toolkit.publishing.editions import EditionFiles
from toolkit.publishing.word import material_docx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice part")
    args = parser.parse_args()
    library = Library.load(BUNDLED_LIBRARY)
    materials = library.materials()
    words = sum(m.word_count for m in materials) // len(materials)

    build_samples, floor_samples = [], []
    files = {}
    for _ in range(args.repeat):
        for material in materials:
            start = time.perf_counter()
            data = material_docx(material, library)
            build_samples.append((time.perf_counter() - start) * 1000)
            files[material.slug] = data
            start = time.perf_counter()
            document = docx.Document(io.BytesIO(data))
            document.save(io.BytesIO())
            floor_samples.append((time.perf_counter() - start) * 1000)
    floor = Timing("python-docx open + save of the file (reference)", floor_samples)
    print(header(f"Word edition per material: {len(materials)} bundled materials (~{words} words), "
                 f"{args.repeat} rounds"))
    print(floor.row())
    print(Timing("build the Word edition", build_samples).row(floor))

    with tempfile.TemporaryDirectory(prefix="netkit-bench-export-") as folder:
        instance = Instance.create(Path(folder) / "instance")
        editions = EditionFiles(Path(folder) / "cache")
        for material in materials:
            editions.edition(instance, material.slug, material.version, "docx")  # fill the cache
        slugs = iter([m.slug for m in materials] * args.repeat * 2)
        cached = measure("served from the edition cache (disk)",
                         lambda: editions.edition(instance, next(slugs), "1.0.0", "docx"),
                         args.repeat * len(materials))
        print(cached.row(floor))

    if args.no_pdf:
        return
    if not pdf_available():
        print("\nPDF: LibreOffice is not installed here (apt-get install libreoffice-writer-nogui); skipped")
        return
    print(header("PDF edition per material (LibreOffice headless)"))
    sample = list(files.items())[:5]
    one = [measure(f"one conversion: {slug[:30]}", lambda data=data, slug=slug: docx_to_pdf(data, slug), 1)
           for slug, data in sample]
    print(Timing("one LibreOffice start per material", [t.samples_ms[0] for t in one]).row())
    start = time.perf_counter()
    docx_to_pdf_many(files)
    batch = (time.perf_counter() - start) * 1000
    print(f"{'all ' + str(len(files)) + ' in one LibreOffice start, per material':48} {batch / len(files):10.3f}")


if __name__ == "__main__":
    main()
