"""Benchmark search: Netkit's Whoosh index against SQLite FTS5 on the same synthetic Danish-like corpus.

For 1,000 and 10,000 materials (300–1,500 words each, deterministic) it prints: full build time and index size
on disk, p50/p95 latency of 200 mixed queries (one word, several words, phrase, prefix) with snippets of the top
10 (overall and phrases on lines of their own, beside FTS5's figures for the same queries), and the time to
re-index one changed material. Ratios are Netkit / FTS5 from the same run.

Run: .venv/bin/python bench/bench_search.py [--sizes 1000 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import Timing, header, measure
from toolkit.config import BUNDLED_LIBRARY
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc
from toolkit.search.index import SearchIndex

STEMS = tuple(["adgang", "data", "patient", "journal", "samtykke", "erklæring", "forskning", "kvalitet",
    "udvikling", "drift", "test", "model", "algoritme", "klinisk", "evaluering", "risiko", "klasse", "beskyttelse",
    "forordning", "udstyr", "software", "region", "hospital", "afdeling", "læge", "projekt", "ansøgning",
    "godkendelse", "komité", "register", "leverandør", "aftale", "behandling", "sikkerhed", "overvågning",
    "dokumentation", "beslutning", "støtte", "sundhed", "platform", "analyse", "konsekvens", "borger",
    "implementering", "ledelse", "finansiering", "evidens", "studie", "protokol", "validering", "kode",
    "infrastruktur", "netværk", "møde", "referat", "gruppe"])
ENDINGS = ("", "", "", "en", "er", "erne", "et", "s", "ens", "ing", "ingen")
GLUE = ("og", "i", "til", "af", "for", "med", "på", "at", "der", "som", "skal", "kan", "ikke", "det", "en", "et",
        "om", "hvordan", "når", "hvis", "mellem", "efter", "før", "under")
SYLLABLES = ["ba", "be", "bi", "bo", "bu", "da", "de", "di", "do", "du", "fa", "fe", "fi", "fo", "ga", "ge", "gi",
    "go", "ha", "he", "hi", "ho", "ka", "ke", "ki", "ko", "ku", "la", "le", "li", "lo", "lu", "ma", "me", "mi",
    "mo", "mu", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si",
    "so", "su", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "bør", "dæ", "fø", "gå", "hæ", "kø", "lå",
    "mø", "næ", "på", "rø", "sæ", "tø", "vå", "st", "sk", "sp", "tr", "kr"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Pseudo-Danish words: a realistic number of word types, so a term matches some documents, not all."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def corpus(count: int, seed: int = 42) -> list[SearchDoc]:
    rng = random.Random(seed)
    words_pool = list(STEMS) + vocabulary(rng)
    rng.shuffle(words_pool)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words_pool))))  # Zipf
    compounds = [a + ("s" if rng.random() < 0.3 else "") + b for a, b in
                 (rng.sample(STEMS, 2) for _ in range(300))]
    docs = []
    for number in range(count):
        words = []
        for _ in range(rng.randint(300, 1500)):
            roll = rng.random()
            if roll < 0.45:
                words.append(rng.choice(GLUE))
            elif roll < 0.5:
                words.append(rng.choice(compounds))
            elif roll < 0.6:
                words.append(rng.choice(STEMS) + rng.choice(ENDINGS))
            else:
                words.append(rng.choices(words_pool, cum_weights=cumulative)[0] + rng.choice(ENDINGS))
        sentences = [" ".join(words[i:i + 14]).capitalize() + "." for i in range(0, len(words), 14)]
        title = " ".join(rng.sample(STEMS, 4)).capitalize()
        docs.append(SearchDoc(id=f"material:m{number:05d}", doctype="material", slug=f"m{number:05d}",
                              title=title, summary=" ".join(sentences[:2]), text=" ".join(sentences),
                              url=f"/m/m{number:05d}/", kind=rng.choice(["guide", "playbook", "recommendation"]),
                              topics=tuple(rng.sample(["consent", "law", "data-access", "research"], 2)),
                              audience=("project-leads",), updated=f"2026-{rng.randint(1, 12):02d}-01"))
    return docs


def queries(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, text) pairs: a quarter each of one word, several words, a phrase and a prefix."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        kind = ("word", "words", "phrase", "prefix")[number % 4]
        if kind == "word":
            out.append((kind, rng.choice(STEMS)))
        elif kind == "words":
            out.append((kind, " ".join(rng.sample(STEMS, 3))))
        elif kind == "phrase":
            out.append((kind, f'"{rng.choice(STEMS)} {rng.choice(GLUE)}"'))
        else:
            out.append((kind, rng.choice(STEMS)[:4] + "*"))
    return out


def fts5_build(path: Path, docs: list[SearchDoc]) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, summary, body, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", [(d.slug, d.title, d.summary, d.text) for d in docs])
    db.commit()
    return db


def fts5_query(db: sqlite3.Connection, text: str) -> list:
    match = text if text.startswith('"') or text.endswith("*") else " OR ".join(text.split())
    return db.execute("SELECT slug, snippet(docs, 3, '<mark>', '</mark>', ' … ', 24) FROM docs WHERE docs MATCH ? "
                      "ORDER BY bm25(docs, 4.0, 2.0, 1.0) LIMIT 10", (match,)).fetchall()


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def side_by_side(name: str, netkit: list[float], fts: list[float]) -> str:
    """One line: Netkit's and FTS5's p50/p95 for the same queries, and the ratios (Netkit / FTS5)."""
    ours, ref = Timing(name, netkit), Timing(name, fts)
    return (f"{name} (n={len(netkit)}): Netkit p50 {ours.median:.1f} ms, p95 {ours.p95:.1f} ms; "
            f"FTS5 p50 {ref.median:.1f} ms, p95 {ref.p95:.1f} ms; "
            f"ratio p50 {ours.median / ref.median:.2f}×, p95 {ours.p95 / ref.p95:.2f}×")


def run(size: int, query_count: int) -> None:
    docs = corpus(size)
    words = sum(len(d.text.split()) for d in docs)
    print(f"\n=== {size} materials, {words / size:.0f} words each on average ===")
    lexicon = Lexicon.load(BUNDLED_LIBRARY)
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "whoosh", lexicon)
        start = time.perf_counter()
        index.rebuild(docs)
        whoosh_build = time.perf_counter() - start
        start = time.perf_counter()
        db = fts5_build(Path(tmp) / "fts5.db", docs)
        fts_build = time.perf_counter() - start
        print(f"full build: Netkit {whoosh_build:.1f} s, FTS5 {fts_build:.1f} s "
              f"(ratio {whoosh_build / fts_build:.1f}×)")
        whoosh_size, fts_size = folder_bytes(Path(tmp) / "whoosh"), (Path(tmp) / "fts5.db").stat().st_size
        print(f"index size on disk: Netkit {whoosh_size / 2**20:.1f} MB, FTS5 {fts_size / 2**20:.1f} MB "
              f"(ratio {whoosh_size / fts_size:.1f}×)")

        mix = queries(query_count)
        netkit_samples, fts_samples = [], []
        for _, text in mix:
            t0 = time.perf_counter()
            results = index.search(text, per_page=10)
            _ = [hit.snippet_html for hit in results.hits]
            netkit_samples.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            fts5_query(db, text)
            fts_samples.append((time.perf_counter() - t0) * 1000)
        print(header(f"{query_count} queries with snippets of the top 10 (reference: FTS5)"))
        fts = Timing("SQLite FTS5 (reference)", fts_samples)
        print(fts.row(fts))
        print(Timing("Netkit (Whoosh, Danish analysis)", netkit_samples).row(fts))
        for kind in ("word", "words", "phrase", "prefix"):
            picked = [s for s, (k, _) in zip(netkit_samples, mix, strict=True) if k == kind]
            ref = Timing("", [s for s, (k, _) in zip(fts_samples, mix, strict=True) if k == kind])
            print(Timing(f"  Netkit, {kind}", picked).row(ref))
        phrases = [n for n, (k, _) in enumerate(mix) if k == "phrase"]
        print("\n" + side_by_side("overall", netkit_samples, fts_samples))
        print(side_by_side("phrase", [netkit_samples[n] for n in phrases], [fts_samples[n] for n in phrases]))

        rng = random.Random(3)
        current = list(docs)

        def change_one() -> None:
            position = rng.randrange(len(current))
            current[position] = replace(current[position], text=current[position].text + f" ændring{rng.random()}")
            index.sync(current)

        def fts_change_one() -> None:
            slug = f"m{rng.randrange(size):05d}"
            db.execute("UPDATE docs SET body = body || ' ændring' WHERE slug = ?", (slug,))
            db.commit()

        print(header("re-index one changed material (reference: FTS5 UPDATE + commit)"))
        fts_update = measure("SQLite FTS5 (reference)", fts_change_one, 20)
        print(fts_update.row(fts_update))
        print(measure("Netkit sync (detects the change, updates it)", change_one, 20).row(fts_update))
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.queries)


if __name__ == "__main__":
    main()
