"""Between a material's file and an edit form: split it into front matter and body, and put the edited
fields and body back, keeping every other front-matter line exactly as written."""

from __future__ import annotations

import datetime as dt
import json

import yaml

from toolkit.frontmatter import FENCE, FrontMatterError, drop_fields, parse, set_fields

EDITABLE_FIELDS = ("title", "summary", "kind", "topics", "audience", "working_group",
                   "recipients", "decision_requested", "key_points", "signatories")
OPTIONAL_FIELDS = ("working_group", "decision_requested")  # removed when emptied
BLOCK_FIELDS = ("recipients", "key_points", "signatories")  # written as YAML block lists
IDENTIFIER_FIELDS = ("kind", "working_group")  # written bare: ids from the taxonomy or slugs


def split(text: str) -> tuple[str, str]:
    """(front matter with its fences, body); a file without front matter is all body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return "", text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return "", text
    return "\n".join(lines[:end + 1]) + "\n", "\n".join(lines[end + 1:])


def compose(text: str, fields: dict[str, str | list], body: str) -> str:
    """`text` with the given fields set and the body replaced: texts quoted so any text is valid YAML, lists
    as one flow-style line, identifiers bare; an emptied optional field or list is removed."""
    front, _old_body = split(text)
    current = _current_fields(text)
    values, empty = {}, set()
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS or _same(current.get(key), value):
            continue  # an unchanged field keeps its line exactly as written (no needless revision)
        if isinstance(value, list) and not any(v.strip() if isinstance(v, str) else v for v in value):
            empty.add(key)  # an emptied list goes (a required one is then reported missing)
        elif key in BLOCK_FIELDS:  # long entries read best one per line, as a writer would type them
            values[key] = _block([_dated(item) for item in value if not isinstance(item, str) or item.strip()])
        elif isinstance(value, list):  # the items kept stay in the order written; new ones follow
            chosen = [item.strip() for item in value if item.strip()]
            old = [str(item) for item in current.get(key) or []] if isinstance(current.get(key), list) else []
            ordered = [item for item in old if item in chosen] + [item for item in chosen if item not in old]
            values[key] = json.dumps(ordered, ensure_ascii=False)
        elif key in IDENTIFIER_FIELDS:
            if value.strip():
                values[key] = value.strip()
            elif key in OPTIONAL_FIELDS:
                empty.add(key)
        elif not value.strip() and key in OPTIONAL_FIELDS:
            empty.add(key)
        else:
            values[key] = json.dumps(value.strip(), ensure_ascii=False)
    front = drop_fields(set_fields(front, values), empty) if front else front
    body = body.replace("\r\n", "\n")
    return front + (body if body.endswith("\n") else body + "\n")


def _current_fields(text: str) -> dict:
    try:
        return parse(text).data
    except FrontMatterError:
        return {}


def _same(old: object, new: str | list) -> bool:
    if isinstance(new, list) and new and isinstance(new[0], dict):
        return isinstance(old, list) and [_plain(item) for item in old] == [_plain(item) for item in new]
    if isinstance(new, list):
        return isinstance(old, list) and {str(item) for item in old} == {item.strip() for item in new if item.strip()}
    return (old is None and not new.strip()) or (old is not None and str(old).strip() == new.strip())


def _plain(item: object) -> object:
    """A mapping with its values as text (a YAML date and the same date typed as text are the same)."""
    if isinstance(item, dict):
        return {str(k): str(v).strip() for k, v in item.items() if v not in (None, "")}
    return item


def _block(items: list) -> str:
    """A YAML block list, indented under its key (set_fields puts it after `key:`)."""
    dumped = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return "\n" + "\n".join("  " + line for line in dumped.rstrip("\n").split("\n"))


def _dated(item: object) -> object:
    """A signatory's date as a YAML date (written bare, like a writer would), when it is one."""
    if isinstance(item, dict) and isinstance(item.get("signed"), str):
        try:
            return {**item, "signed": dt.date.fromisoformat(item["signed"])}
        except ValueError:
            return item
    return item.strip() if isinstance(item, str) else item
