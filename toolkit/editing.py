"""Between a material's file and an edit form: split it into front matter and body, and put the edited
fields and body back, keeping every other front-matter line exactly as written."""

from __future__ import annotations

import json

from toolkit.frontmatter import FENCE, set_fields

EDITABLE_FIELDS = ("title", "summary", "kind")


def split(text: str) -> tuple[str, str]:
    """(front matter with its fences, body); a file without front matter is all body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return "", text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return "", text
    return "\n".join(lines[:end + 1]) + "\n", "\n".join(lines[end + 1:])


def compose(text: str, fields: dict[str, str], body: str) -> str:
    """`text` with the given scalar fields set (quoted so any text is valid YAML) and the body replaced."""
    front, _old_body = split(text)
    values = {key: json.dumps(value.strip(), ensure_ascii=False) if key != "kind" else value.strip()
              for key, value in fields.items() if key in EDITABLE_FIELDS}
    front = set_fields(front, values) if front else front
    body = body.replace("\r\n", "\n")
    return front + (body if body.endswith("\n") else body + "\n")
