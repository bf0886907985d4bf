"""Write every bundled template's template.docx from its builder: python templates/_build/build.py [NAME ...]."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent


def main(names: list[str]) -> None:
    sys.path.insert(0, str(HERE))
    import docxkit
    builders = sorted(p.stem for p in HERE.glob("*.py") if p.stem not in ("build", "docxkit", "__init__"))
    for name in names or builders:
        module = importlib.import_module(name.replace("-", "_"))
        package = TEMPLATES / module.NAME
        package.mkdir(exist_ok=True)
        docxkit.finish(module.build()).save(package / "template.docx")
        print(f"wrote templates/{module.NAME}/template.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
