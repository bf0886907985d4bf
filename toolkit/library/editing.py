"""Between a material's file and an edit form: split it into front matter and body, and put the edited
fields and body back, keeping every other front-matter line exactly as written."""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

from toolkit.errors import Invalid, Problem
from toolkit.library.frontmatter import FENCE, BlockList, FrontMatterError, drop_fields, parse, set_fields
from toolkit.library.materials import SLUG_RE

EDITABLE_FIELDS = ("title", "summary", "kind", "topics", "audience", "working_group",
                   "recipients", "decision_requested", "key_points", "signatories", "questions",
                   "questions_en")
OPTIONAL_FIELDS = ("working_group", "decision_requested")  # removed when emptied
BLOCK_FIELDS = ("recipients", "key_points", "signatories", "questions", "questions_en")  # written as YAML block lists
IDENTIFIER_FIELDS = ("kind", "working_group")  # written bare: ids from the taxonomy or slugs
# Characters no typed field may hold once its whitespace is made single spaces: the control characters.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def split(text: str) -> tuple[str, str]:
    """(front matter with its fences, body); a file without front matter is all body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return "", text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return "", text
    return "\n".join(lines[:end + 1]) + "\n", "\n".join(lines[end + 1:])


def compose(text: str, fields: dict[str, str | list], body: str, *, where: str = "front matter") -> str:
    """`text` with the given fields set and the body replaced: texts quoted so any text is valid YAML, lists
    as one flow-style line, identifiers bare; an emptied optional field or list is removed.

    Every field is one line of text: runs of whitespace (line breaks included) become one space. Raises
    Invalid (naming each field) for an identifier that is not a slug or a value with control characters —
    whatever the caller, nothing typed becomes front matter of its own."""
    fields = {key: _one_line(value) for key, value in fields.items()}
    _refuse_unsafe(fields, where)
    front, _old_body = split(text)
    current = front_fields(text)
    values, empty = {}, set()
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS or _same(current.get(key), value, ordered=key in BLOCK_FIELDS):
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


def _refuse_unsafe(fields: dict[str, str | list], where: str) -> None:
    problems = []
    for key, value in fields.items():
        if key in IDENTIFIER_FIELDS and isinstance(value, str) and value.strip() and not SLUG_RE.match(value.strip()):
            problems.append(Problem.at(where, f"'{value.strip()[:60]}' is not an id: use lowercase letters, digits "
                                              "and hyphens", field=key))
        elif any(CONTROL_RE.search(text) for text in _texts(value)):
            problems.append(Problem.at(where, "contains a control character; remove it (retype the text "
                                              "rather than paste it)", field=key))
    if problems:
        raise Invalid("the fields were not saved: fix these problems and save again", problems)


def _one_line(value: object) -> object:
    """Texts with every run of whitespace as one space (what the material's check reads them as anyway)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {key: _one_line(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_one_line(item) for item in value]
    return value


def _texts(value: object) -> list[str]:
    """Every piece of text in a field's value (a text, a list of texts, a list of mappings)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return []


def front_fields(text: str) -> dict:
    """The front matter of a material's file as written (unchecked), or {} when it does not parse."""
    try:
        return parse(text).data
    except FrontMatterError:
        return {}


def _same(old: object, new: str | list, *, ordered: bool = False) -> bool:
    """Whether a typed value is what the file holds: a block list (questions, key points) in its order, a flow list
    (topics) as a set, a text stripped."""
    if isinstance(new, list) and new and isinstance(new[0], dict):
        return isinstance(old, list) and [_plain(item) for item in old] == [_plain(item) for item in new]
    if isinstance(new, list) and ordered:
        return isinstance(old, list) and all(isinstance(item, str) for item in old) and \
            [item.strip() for item in old] == [item.strip() for item in new if item.strip()]
    if isinstance(new, list):
        return isinstance(old, list) and {str(item) for item in old} == {item.strip() for item in new if item.strip()}
    return (old is None and not new.strip()) or (old is not None and str(old).strip() == new.strip())


def _plain(item: object) -> object:
    """A mapping with its values as text (a YAML date and the same date typed as text are the same)."""
    if isinstance(item, dict):
        return {str(k): str(v).strip() for k, v in item.items() if v not in (None, "")}
    return item


def _block(items: list) -> BlockList:
    """A YAML block list, indented under its key."""
    dumped = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return BlockList(tuple("  " + line for line in dumped.rstrip("\n").split("\n")))


def _dated(item: object) -> object:
    """A signatory's date as a YAML date (written bare, like a writer would), when it is one."""
    if isinstance(item, dict) and isinstance(item.get("signed"), str):
        try:
            return {**item, "signed": dt.date.fromisoformat(item["signed"])}
        except ValueError:
            return item
    return item.strip() if isinstance(item, str) else item
