"""New materials: a complete first draft of a given kind, from a kind-specific starting text.

The starting texts are Markdown files in toolkit/library/starters/ (one per kind), so writers can improve them
without touching code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from toolkit.errors import Invalid, Problem
from toolkit.library.editing import compose
from toolkit.library.frontmatter import FENCE
from toolkit.library.materials import SLUG_MAX
from toolkit.library.taxonomy import Taxonomy

STARTERS = Path(__file__).parent  # the Markdown texts sit beside this module
FIRST_VERSION = "0.1.0"
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def kinds_with_starters(taxonomy: Taxonomy) -> list[str]:
    """The kinds a new material can be (those of the taxonomy that have a starting text)."""
    return [kind for kind in taxonomy.ids("kinds") if (STARTERS / f"{kind}.md").is_file()]


def starting_body(kind: str) -> str:
    path = STARTERS / f"{kind}.md"
    if not re.fullmatch(r"[a-z-]+", kind) or not path.is_file():
        raise Invalid(f"no starting text for the kind '{kind}'",
                      [Problem.at("kind", f"'{kind}' has no starting text", field="kind")])
    return path.read_text(encoding="utf-8")


def slug_from_title(title: str) -> str:
    """A file name from a title: Danish letters spelled out, lowercase, words joined by hyphens."""
    text = unicodedata.normalize("NFKD", title.translate(_DANISH)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def new_material(*, title: str, kind: str, summary: str, topics: list[str], audience: list[str], author: str,
                 working_group: str | None = None, body: str | None = None, today: dt.date | None = None) -> str:
    """The full text of a new draft (front matter and body; the body defaults to the kind's starting text).

    What was typed goes in through toolkit.library.editing.compose, which checks every value (Invalid names
    the field)."""
    skeleton = "\n".join((FENCE, 'title: ""', 'kind: ""', 'summary: ""', "topics: []", "audience: []", "language: da",
                          f"authors: {json.dumps([author], ensure_ascii=False)}", "status: draft",
                          f"version: {FIRST_VERSION}", f"updated: {(today or dt.date.today()).isoformat()}", FENCE, ""))
    text = body if body is not None else starting_body(kind)
    fields = {"title": title, "kind": kind, "summary": summary, "topics": topics, "audience": audience,
              "working_group": working_group or ""}
    return compose(skeleton, fields, f"\n{text.strip()}\n")
