"""Read a YAML data file (form.yaml, rules.yaml, answers) keeping the line of every mapping and list.

Problems then point at `form.yaml:34` instead of "somewhere in the file". Duplicate keys are an error
(YAML silently keeps the last one), and a syntax error becomes an `Invalid` with the line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import Invalid, Problem

MAX_DEPTH = 20  # no Netkit file nests deeper; a deeper one is an attack or an accident
MESSAGE_MAX = 200  # a YAML error message quotes the input; long input must not make a long message
_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when libyaml is there


class UnsafeYAML(yaml.MarkedYAMLError):
    """YAML refused before anything is built from it: an anchor or alias, or nesting deeper than MAX_DEPTH."""


def check_shape(text: str) -> None:
    """Refuse anchors and aliases (a few hundred bytes of aliases expand to gigabytes: the 'billion laughs')
    and nesting deeper than MAX_DEPTH, by one pass over the parser's events before any object is built.
    Raises UnsafeYAML (a MarkedYAMLError, with the line), or the parser's own error for broken YAML."""
    depth = 0
    for event in yaml.parse(text, Loader=_EventLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise UnsafeYAML(problem="anchors (&name) and aliases (*name) are not allowed; write the value out",
                             problem_mark=event.start_mark)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeYAML(problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=event.start_mark)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def short(message: object) -> str:
    """An error message cut to MESSAGE_MAX characters."""
    text = str(message)
    return text if len(text) <= MESSAGE_MAX else text[:MESSAGE_MAX - 1] + "…"


def safe_load(text: str) -> Any:
    """yaml.safe_load with anchors, aliases and deep nesting refused first (check_shape)."""
    check_shape(text)
    return yaml.load(text, Loader=_EventLoader)


class LineDict(dict):
    """A mapping that remembers the line it started on (1-based) and the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]


class LineList(list):
    line: int | None = None


class _Loader(_EventLoader):  # the C parser; constructors stay ours (lines, duplicate keys)
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
        check_shape(text)
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"not valid YAML: {short(exc.problem or exc.context)}"
        if "flow" in str(exc.context or "") or "expected ','" in str(exc.problem or ""):
            message += "; put texts that contain : , ? # { } or [ ] in quotes"
        raise Invalid(f"{display} is not valid YAML", [Problem.at(display, message, line=line)]) from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{display} is not valid YAML", [Problem.at(display, f"not valid YAML: {short(exc)}")]) from None


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
