"""Split a Markdown file into YAML front matter and body, keeping line numbers for every field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from toolkit.yamlfile import UnsafeYAML, check_shape, short

FENCE = "---"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C loader when libyaml is there
    """SafeLoader that leaves dates as text: the schema parses them and reports an impossible date by field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FrontMatterError(ValueError):
    """The front matter cannot be read at all; `line` is 1-based in the whole file."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, key: str, index: int | None = None) -> int | None:
        if index is not None and index < len(self.item_lines.get(key, [])):
            return self.item_lines[key][index]
        return self.key_lines.get(key)


def parse(text: str) -> FrontMatter:
    """Parse `---`-fenced YAML front matter at the top of `text`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(1, "no front matter: the file must start with a line '---', the YAML fields, "
                                  "and another line '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        raise FrontMatterError(1, "the front matter is not closed: add a line '---' after the last field")
    source = "\n".join(lines[1:end])
    offset = 2  # YAML line 0 is file line 2
    loader = _Loader(source)
    try:
        check_shape(source)  # no aliases, no deep nesting: refused before anything is built
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except UnsafeYAML as exc:
        raise FrontMatterError(exc.problem_mark.line + offset, f"{exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else None
        raise FrontMatterError(line, f"broken YAML: {short(exc.problem or exc)}; check indentation and quote "
                                     "values that contain ': '") from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(None, f"broken YAML: {short(exc)}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FrontMatterError(offset, "the front matter must be 'field: value' lines, not a list or a single value")
    matter = FrontMatter(data=data, body="\n".join(lines[end + 1:]), body_line=end + 2)
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + offset
        if key in matter.key_lines:
            matter.duplicate_keys.append((key, line))
        matter.key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            matter.item_lines[key] = [item.start_mark.line + offset for item in value_node.value]
    return matter


@dataclass(frozen=True)
class BlockList:
    """A value written as a YAML block list under its key: the list's own lines, each indented."""

    lines: tuple[str, ...]


KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
# Line breaks of every kind (YAML and str.splitlines count more than \n) and the other control characters.
_UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def set_fields(text: str, values: Mapping[str, str | BlockList]) -> str:
    """Set top-level fields in the front matter (each value one line of YAML, or a BlockList), keeping every
    other line exactly as written; a replaced value's continuation lines are removed with it.

    A value can never add a line of its own: a line break or control character in a one-line value, or a
    block line that is not indented, raises ValueError — so no value can smuggle in another field or close
    the front matter."""
    for key, value in values.items():
        _check_value(key, value)
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return text
    remaining = dict(values)
    index = 1
    while index < end:
        key = lines[index].split(":", 1)[0]
        if key in remaining and not lines[index].startswith((" ", "\t")):
            lines[index] = _line(key, remaining.pop(key))
            # A replaced value's continuation lines (a folded scalar, a block list) go with it.
            following = index + 1
            while following < end and lines[following].startswith((" ", "\t")):
                following += 1
            del lines[index + 1:following]
            end -= following - index - 1
        index += 1
    lines[end:end] = [_line(key, value) for key, value in remaining.items()]
    return "\n".join(lines)


def drop_fields(text: str, names: set[str]) -> str:
    """Remove top-level fields (and their continuation lines) from the front matter; the rest stays as written."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return text
    kept, index = [lines[0]], 1
    while index < end:
        key = lines[index].split(":", 1)[0]
        following = index + 1
        while following < end and lines[following].startswith((" ", "\t")):
            following += 1
        if lines[index].startswith((" ", "\t")) or key not in names:
            kept.extend(lines[index:following])
        index = following
    return "\n".join(kept + lines[end:])


def _check_value(key: str, value: str | BlockList) -> None:
    if not KEY_RE.match(key):
        raise ValueError(f"'{key}' is not a front-matter field name")
    lines = value.lines if isinstance(value, BlockList) else (value,)
    for line in lines:
        if _UNSAFE_IN_LINE.search(line):
            raise ValueError(f"{key}: a value must not contain line breaks or control characters")
        if isinstance(value, BlockList) and not line.startswith("  "):
            raise ValueError(f"{key}: every line of a block list must be indented")


def _line(key: str, value: str | BlockList) -> str:
    """`key: value`, or `key:` followed by the block list's own (indented) lines."""
    return "\n".join((f"{key}:", *value.lines)) if isinstance(value, BlockList) else f"{key}: {value}"
