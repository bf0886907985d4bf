"""A writer process for the concurrency and crash tests: saves a material many times through the core API.

usage: writer.py HOME WRITER_ID SAVES SLUGS_COMMA_SEPARATED OUT_JSONL [--loop]
Each save replaces this writer's own line (and every fifth save the shared line) and records the outcome.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from toolkit.errors import Conflict
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance


def main() -> None:
    home, writer, saves = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    slugs, out = sys.argv[4].split(","), sys.argv[5]
    loop = "--loop" in sys.argv
    rng = random.Random(writer)
    instance = Instance.open(Path(home))
    author = Author(f"Skriver {writer}", f"w{writer}@test")
    remembered: dict[str, str] = {}
    with open(out, "a", encoding="utf-8") as log:
        i = 0
        while loop or i < saves:
            slug = rng.choice(slugs)
            stale = slug in remembered and rng.random() < 0.4
            base = remembered[slug] if stale else instance.latest_revision(slug)
            text = instance.read(slug, base)
            marker = f"Skriver {writer}: gem {i}"
            lines = text.split("\n")
            lines = [marker if line.startswith(f"Skriver {writer}:") else line for line in lines]
            if i % 5 == 0:
                lines = [f"Fælles: {marker}" if line.startswith("Fælles:") else line for line in lines]
            try:
                result = instance.save(slug, "\n".join(lines), author, marker, base)
                outcome = {"result": "saved" if result.changed else "unchanged", "revision": result.revision,
                           "merged": result.merged}
            except Conflict:
                outcome = {"result": "conflict"}
            remembered[slug] = base
            log.write(json.dumps({"writer": writer, "i": i, "slug": slug, "marker": marker, **outcome}) + "\n")
            log.flush()
            i += 1


if __name__ == "__main__":
    main()
