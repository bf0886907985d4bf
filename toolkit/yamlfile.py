"""Read a YAML data file (form.yaml, rules.yaml, answers) keeping the line of every mapping and list.

Problems then point at `form.yaml:34` instead of "somewhere in the file". Duplicate keys are an error
(YAML silently keeps the last one), and a syntax error becomes an `Invalid` with the line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import Invalid, Problem


class LineDict(dict):
    """A mapping that remembers the line it started on (1-based) and the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]


class LineList(list):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        if key in data:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[str(key)] = key_node.start_mark.line + 1


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date such as 2027-02-31 stays text (the field's check names it) instead of failing the whole file."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def parse_yaml(text: str, display: str) -> Any:
    """Parse YAML text; a syntax error becomes Invalid naming `display` and the line."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"not valid YAML: {exc.problem or exc.context}"
        if "flow" in str(exc.context or "") or "expected ','" in str(exc.problem or ""):
            message += "; put texts that contain : , ? # { } or [ ] in quotes"
        raise Invalid(f"{display} is not valid YAML", [Problem.at(display, message, line=line)]) from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{display} is not valid YAML", [Problem.at(display, f"not valid YAML: {exc}")]) from None


def load_yaml(path: Path, display: str | None = None) -> Any:
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Invalid(f"{display} is not UTF-8 text", [Problem.at(display, "save the file as UTF-8")]) from None
    except OSError as exc:
        raise Invalid(f"cannot read {display}", [Problem.at(display, exc.strerror or str(exc))]) from None
    return parse_yaml(text, display)


def line_of(data: Any, key: str | None = None) -> int | None:
    """The line of a mapping (or of one of its keys) read by this module; None for plain values."""
    if key is not None and isinstance(data, LineDict):
        return data.key_lines.get(key, data.line)
    return getattr(data, "line", None)
