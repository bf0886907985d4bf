"""Benchmark versioning on an instance with 500 materials and 5,000 revisions.

Prints median and p95 of: save-and-commit of one material (Instance.save), the history of one material,
the diff of two revisions, and opening the instance at start (open + load the library). Reference in the
same run: a raw `git add` + `git commit` of one changed file through the git CLI in a copy of the repository.

Run: make bench   (or: .venv/bin/python bench/bench_history.py [--materials 500 --revisions 5000])
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_library import synthetic_library
from bench.timing import header, measure
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance

AUTHOR = Author("Bench", "bench@localhost")


def add_history(instance: Instance, extra: int, seed: int = 11) -> None:
    """Append `extra` one-file commits with git fast-import (fast to build; real commits to read)."""
    rng = random.Random(seed)
    files = sorted(p.name for p in instance.library_dir.glob("materiale-*.md"))
    texts = {name: (instance.library_dir / name).read_text(encoding="utf-8") for name in files}
    head = instance.store.head()
    chunks: list[bytes] = []
    stamp = 1_760_000_000
    for i in range(extra):
        name = rng.choice(files)
        lines = texts[name].split("\n")
        index = rng.randrange(20, len(lines))
        lines[index] = lines[index] + f" rettelse {i}"
        texts[name] = "\n".join(lines)
        data = texts[name].encode()
        message = f"Edit {name} ({i})".encode()
        chunk = (f"commit refs/heads/main\nauthor Forfatter {i % 17} <f{i % 17}@x> {stamp + i} +0000\n"
                 f"committer Forfatter {i % 17} <f{i % 17}@x> {stamp + i} +0000\n"
                 f"data {len(message)}\n").encode() + message + b"\n"
        if i == 0:
            chunk += f"from {head}\n".encode()
        chunk += f"M 100644 inline library/{name}\ndata {len(data)}\n".encode() + data + b"\n"
        chunks.append(chunk)
    subprocess.run(["git", "-C", str(instance.content), "fast-import", "--quiet", "--force"],
                   input=b"".join(chunks), check=True)
    subprocess.run(["git", "-C", str(instance.content), "reset", "--quiet", "--hard", "main"], check=True)
    instance.store.write_commit_graph()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(5)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "library").mkdir()
        synthetic_library(root / "library", args.materials)
        instance = Instance.create(root / "instance", library=root / "library", templates=root / "none")
        add_history(instance, args.revisions - 1)
        commits = int(instance.store.run("rev-list", "--count", "HEAD").stdout)
        print(f"instance: {args.materials} materials, {commits} commits")
        slugs = [m.slug for m in instance.library().materials()]

        def save_one() -> None:
            slug = rng.choice(slugs)
            text = instance.read(slug) + f"\nTilføjet {rng.random()}\n"
            instance.save(slug, text, AUTHOR, "Bench save", instance.latest_revision(slug))

        reference_repo = root / "reference"
        shutil.copytree(instance.content, reference_repo)
        counter = iter(range(10**6))

        def raw_git_commit() -> None:
            path = reference_repo / "library" / f"{rng.choice(slugs)}.md"
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"\nTilføjet {next(counter)}\n")
            subprocess.run(["git", "-C", str(reference_repo), "add", "--", str(path)], check=True)
            subprocess.run(["git", "-C", str(reference_repo), "commit", "--quiet", "-m", "raw"], check=True)

        busy = max(slugs, key=lambda s: len(instance.history(s)))
        revisions = [r.id for r in instance.history(busy)]

        print(header("Versioning (reference: raw git add + commit of one file via the git CLI)"))
        reference = measure("raw git add + commit (reference)", raw_git_commit, args.repeat)
        timings = [
            reference,
            measure("save and commit one material", save_one, args.repeat),
            measure(f"history of one material ({len(revisions)} revisions)", lambda: instance.history(busy),
                    args.repeat),
            measure("history of a random material", lambda: instance.history(rng.choice(slugs)), args.repeat),
            measure("first history in a new process (cache + catch-up)",
                    lambda: Instance(instance.home).history(busy), max(5, args.repeat // 6)),
            measure("diff of two revisions", lambda: instance.diff(busy, *rng.sample(revisions, 2)), args.repeat),
            measure("open instance and load library (start)",
                    lambda: Instance.open(instance.home).library(), max(5, args.repeat // 6)),
        ]
        for timing in timings:
            print(timing.row(reference))


if __name__ == "__main__":
    main()
