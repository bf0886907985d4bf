"""Benchmark the command line's start-up: whole processes, each command beside its reference in the same run.

Every row is a fresh process (`subprocess.run`), so it counts what a user waits for: the interpreter, the imports
and the work. In a new instance (`netkit init` in a temporary folder) it times, interleaved so machine noise hits
both alike:

- `netkit --help` and `netkit list` against `python -c "import click"` (target for --help: ratio ≤ 3);
- `netkit show SLUG` against a bare script that loads the instance's library and prints the material;
- `netkit search "adgang til data"` against a bare script making the same core call (the instance's library,
  the same document sources, `LibrarySearch.index_for(...).search(...)`, the hits printed) (target ≤ 1.5);
- `netkit generate ce-maerkning-tjekliste --answers example.yaml -o x.docx` against a bare script making the
  same core call (catalogue, answers file, `render_docx`, file written) (target ≤ 1.5).

Run: make bench   (or: .venv/bin/python bench/bench_cli.py [--repeat 9])
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import Timing, header
from toolkit.config import BUNDLED_TEMPLATES

TEMPLATE = "ce-maerkning-tjekliste"
QUERY = "adgang til data"
SLUG = "adgang-til-data"

# The references: no click, no CLI, only the core call the command makes (a pure-Python reading of it).
BARE_SHOW = """
import sys
from pathlib import Path
from toolkit.history.instance import Instance
material = Instance.open(Path(sys.argv[1])).library().get(sys.argv[2])
print(material.title)
print(material.body)
"""

BARE_SEARCH = """
import sys
from pathlib import Path
from toolkit.documents.packages import TemplateCatalogue
from toolkit.documents.templatesearch import TemplateSource
from toolkit.history.instance import Instance
from toolkit.network.meetingsearch import MeetingSource
from toolkit.network.projects.search import ProjectSource
from toolkit.publishing.editionsearch import EditionSource
from toolkit.search.library_search import LibrarySearch, index_folder
home = Path(sys.argv[1])
instance = Instance.open(home)
library = instance.library()
sources = [TemplateSource(TemplateCatalogue(instance.templates_dir)), ProjectSource(instance.library_dir),
           MeetingSource(instance.library_dir), EditionSource(instance)]
index = LibrarySearch(index_folder(home, library.root, instance=True), sources).index_for(library)
results = index.search(sys.argv[2])
print(results.total)
for hit in results.hits:
    print(hit.title, hit.url, hit.snippet_html)
"""

BARE_GENERATE = """
import sys
from pathlib import Path
from toolkit.documents.generate import render_docx
from toolkit.documents.images import load_image_files
from toolkit.documents.packages import TemplateCatalogue
from toolkit.files import write_atomically
from toolkit.yamlfile import load_yaml
package = TemplateCatalogue(Path(sys.argv[1])).get(sys.argv[2])
answers = load_image_files(package.form, load_yaml(Path(sys.argv[3]), sys.argv[3]), Path(sys.argv[3]).parent,
                           sys.argv[3])
write_atomically(render_docx(package, answers).data, Path(sys.argv[4]))
"""


def netkit_command() -> list[str]:
    """The installed `netkit` script beside this interpreter (what users run), else `python -m toolkit.cli`."""
    script = Path(sys.executable).parent / "netkit"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit.cli"]


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def compare(name: str, command: list[str], reference_name: str, reference: list[str], repeat: int,
            env: dict[str, str], cwd: Path) -> tuple[Timing, Timing]:
    run_once(command, env, cwd)  # warm the page cache (and the search index) before timing
    run_once(reference, env, cwd)
    ours, theirs = [], []
    for _ in range(repeat):  # interleaved, so warm-up and machine noise hit both alike
        theirs.append(run_once(reference, env, cwd))
        ours.append(run_once(command, env, cwd))
    return Timing(name, ours), Timing(reference_name, theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="Runs of each process (the median of at least 5).")
    args = parser.parse_args()
    netkit = netkit_command()
    python = [sys.executable]
    answers = BUNDLED_TEMPLATES / TEMPLATE / "example.yaml"
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        work = Path(tmp)
        home = work / "instance"
        env = {**os.environ, "NETKIT_HOME": str(home)}
        env.pop("NETKIT_LIBRARY", None)
        subprocess.run([*netkit, "init", str(home)], env=env, cwd=work, check=True, stdout=subprocess.DEVNULL)
        cases = [
            ("netkit --help", [*netkit, "--help"], 'python -c "import click"', [*python, "-c", "import click"],
             3.0),
            ("netkit list", [*netkit, "list"], 'python -c "import click"', [*python, "-c", "import click"], None),
            (f"netkit show {SLUG}", [*netkit, "show", SLUG], "bare script: library, material printed",
             [*python, "-c", BARE_SHOW, str(home), SLUG], None),
            (f'netkit search "{QUERY}"', [*netkit, "search", QUERY], "bare script: LibrarySearch.search",
             [*python, "-c", BARE_SEARCH, str(home), QUERY], 1.5),
            (f"netkit generate {TEMPLATE}", [*netkit, "generate", TEMPLATE, "--answers", str(answers),
                                              "-o", str(work / "x.docx")],
             "bare script: render_docx, file written",
             [*python, "-c", BARE_GENERATE, str(home / "content" / "templates"), TEMPLATE, str(answers),
              str(work / "y.docx")],
             1.5),
        ]
        print(header(f"Whole-process start-up, {args.repeat} runs each (ms)"))
        verdicts = []
        for name, command, reference_name, reference, target in cases:
            ours, theirs = compare(name, command, reference_name, reference, args.repeat, env, work)
            print(theirs.row())
            print(ours.row(theirs))
            ratio = ours.median / theirs.median
            if target is not None:
                verdicts.append(f"{name}: ratio {ratio:.2f} (target ≤ {target}) "
                                f"{'met' if ratio <= target else 'NOT met'}")
        print()
        print("\n".join(verdicts))


if __name__ == "__main__":
    main()
