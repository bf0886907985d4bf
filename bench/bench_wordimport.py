"""Benchmark the Word import: a 30-page Word document read as a material (toolkit.publishing.wordimport.read_docx).

The document is built here with python-docx: 30 pages of headings, paragraphs with bold and italic, bullet
lists with a nested level, a numbered list, a table every sixth page, 5 photos (1200 × 800 PNG) and footnote-free
prose of about 12,000 words. Prints median and p95 of the whole import (safety checks, mammoth, the soup,
Markdown, the scan of what is not carried over, every image decoded once), with references in the same run:
mammoth.convert_to_html alone on the same file (the floor of a mammoth-based import) and the safety checks alone.

Run: .venv/bin/python bench/bench_wordimport.py [--repeat 20] [--pages 30]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mammoth
from docx import Document
from PIL import Image

from bench.timing import header, measure
from toolkit.publishing.docxsafety import open_docx
from toolkit.publishing.wordimport import read_docx

WORDS = ["data", "sundhed", "region", "patient", "forskning", "samtykke", "hjemmel", "behandling", "projekt",
         "model", "algoritme", "journal", "borger", "kvalitet", "sikkerhed", "adgang", "ansøgning", "komité",
         "vurdering", "register"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def photo(rng: random.Random) -> bytes:
    """A 1200 × 800 PNG with some texture, so it packs like a screenshot or a chart, not like one colour."""
    small = Image.new("RGB", (120, 80))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(120 * 80)])
    buffer = io.BytesIO()
    small.resize((1200, 800), Image.Resampling.BILINEAR).save(buffer, "PNG")
    return buffer.getvalue()


def build(pages: int, seed: int = 18) -> bytes:
    rng = random.Random(seed)
    document = Document()
    document.core_properties.title = "Playbook for adgang til sundhedsdata"
    photos = {page: photo(rng) for page in rng.sample(range(pages), 5)}
    for page in range(pages):
        document.add_heading(f"{page + 1}. {sentence(rng, 4)[:-1]}", 1)
        for _ in range(3):
            paragraph = document.add_paragraph(sentence(rng, 40) + " ")
            paragraph.add_run(sentence(rng, 6)).bold = True
            paragraph.add_run(" " + sentence(rng, 30) + " ")
            paragraph.add_run(sentence(rng, 5)).italic = True
        document.add_heading(sentence(rng, 3)[:-1], 2)
        for item in range(4):
            document.add_paragraph(sentence(rng, 10), style="List Bullet")
            if item == 1:
                document.add_paragraph(sentence(rng, 8), style="List Bullet 2")
        for _ in range(3):
            document.add_paragraph(sentence(rng, 12), style="List Number")
        if page % 6 == 5:
            table = document.add_table(rows=8, cols=4)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = sentence(rng, 4)
        if page in photos:
            shape = document.add_paragraph().add_run().add_picture(io.BytesIO(photos[page]))
            shape._inline.docPr.set("descr", sentence(rng, 8))
        document.add_paragraph(sentence(rng, 60))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    data = build(args.pages)
    imported = read_docx(data, "playbook.docx")
    words = len(imported.body.split())
    print(header(f"Word import: {args.pages} pages, {words} words, {len(imported.media)} images, "
                 f"{len(data) // 1024} kB .docx, {args.repeat} runs"))
    floor = measure("mammoth.convert_to_html alone (reference)", lambda: mammoth.convert_to_html(io.BytesIO(data)),
                    args.repeat)
    print(floor.row())
    print(measure("docxsafety.open_docx alone", lambda: open_docx(data, "playbook.docx"), args.repeat).row(floor))
    print(measure("read_docx: the whole import", lambda: read_docx(data, "playbook.docx"), args.repeat).row(floor))


if __name__ == "__main__":
    main()
