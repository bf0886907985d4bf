"""`netkit templates scaffold`: turn any docxtpl-style Word file into a template package.

The questionnaire is inferred from the tags: a loop becomes a repeatable group whose fields are what the
loop reads of each item; a name used only as a condition becomes a yes/no question; a name compared with
text constants becomes a choice of them; one formatted with `dato` becomes a date; `{{ contact.email }}`
makes `contact` a single record; a loop that prints its items whole (`{{ s }}`) is a list of texts (or numbers).
Names that cannot be question ids are renamed in the tags (`Name` → `name`) or refused with the reason
(toolkit.documents.scaffoldnames). Labels start as the id made readable; the author edits them afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit.documents.docxfile import open_docx, text_view
from toolkit.documents.packages import CONTEXT_NAMES, DOCX, EXAMPLE, FORM, validate_name
from toolkit.documents.scaffoldnames import plan_names, rename_tags
from toolkit.documents.tagscan import ITEM, Scan, scan_places
from toolkit.errors import Invalid, Problem


@dataclass
class _Node:
    """What the tags tell about one name or field."""

    tested: bool = False
    compared: set = field(default_factory=set)
    filters: set = field(default_factory=set)
    printed: bool = False
    repeat: bool = False
    fields: dict[str, _Node] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return bool(self.fields)

    @property
    def is_list(self) -> bool:
        """A loop over plain values (`{% for s in skills %}{{ s }}`): a list of texts or numbers, not records."""
        return self.repeat and not self.fields


@dataclass(frozen=True)
class Scaffold:
    folder: Path
    questions: int
    groups: int
    renamed: dict[str, str] = field(default_factory=dict)  # tag names rewritten to valid ids: old → new


def scaffold(source: Path, name: str, into: Path, *, title: str | None = None) -> Scaffold:
    """Write `into/name/` with the Word file, an inferred form.yaml and an example.yaml that renders."""
    validate_name(name)
    display = str(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise Invalid(f"cannot read {display}", [Problem.at(display, exc.strerror or str(exc))]) from None
    document = open_docx(data, display)
    places = text_view(document)
    scan = scan_places(places)
    if scan.syntax_errors:
        raise Invalid(f"{display} has template errors; fix them in Word first",
                      [Problem.at(display, f"template syntax: {m}", field=p.describe()) for p, m in scan.syntax_errors])
    tree = infer(scan, places)
    if not tree:
        raise Invalid(f"{display} has no docxtpl tags",
                      [Problem.at(display, "add tags such as {{ project_title }} where answers belong")])
    renamed = plan_names(tree, scan, display)
    if renamed:
        rename_tags(document, renamed)  # the tags now use the ids form.yaml can hold
        places = text_view(document)
        tree = infer(scan_places(places), places)
    folder = into / name
    if folder.exists():
        raise Invalid(f"{folder} already exists", [Problem.at(str(folder), "choose another --name or remove it")])
    optional = scan_places(places).defaulted_names()  # `x|default(…)`: the template copes without an answer
    questions = [_question(key, node, required=key not in optional) for key, node in tree.items()]
    form = {
        "title": {"da": title or _readable(name), "en": title or _readable(name)},
        "description": {"da": f"Skabelon lavet ud fra {source.name}; skriv en beskrivelse.",
                        "en": f"Template made from {source.name}; write a description."},
        "version": "0.1.0",
        "related": [],
        "sections": [{"id": "main", "title": {"da": "Oplysninger", "en": "Details"}, "questions": questions}],
    }
    example = {key: _example(key, node) for key, node in tree.items()}
    folder.mkdir(parents=True)
    document.core_properties.keywords = name
    document.save(folder / DOCX)
    (folder / FORM).write_text(_dump(form), encoding="utf-8")
    (folder / EXAMPLE).write_text(_dump(example), encoding="utf-8")
    return Scaffold(folder, len(questions), sum(1 for n in tree.values() if n.is_group), renamed)


def infer(scan: Scan, places: list) -> dict[str, _Node]:
    """A tree of names → what the tags do with them, in the order they first appear."""
    tree: dict[str, _Node] = {}

    def node_at(path: tuple[str, ...]) -> _Node | None:
        if path[0] in CONTEXT_NAMES:
            return None
        current = tree.setdefault(path[0], _Node())
        for part in path[1:]:
            if part == ITEM:
                current.repeat = True
                continue
            current = current.fields.setdefault(part, _Node())
        return current

    index = {id(place): number for number, place in enumerate(places)}
    events = [(index.get(id(place), 0), 0, path, None) for path, place in scan.loops.items()]
    events += [(index.get(id(usage.place), 0), 1, usage.path, usage) for usage in scan.usages]
    for _, _, path, usage in sorted(events, key=lambda event: event[:2]):
        target = node_at(path)
        if target is None:
            continue
        if usage is None:
            target.repeat = True
            continue
        target.tested |= usage.tested
        target.compared |= {c for c in usage.compared if c is not None}
        target.filters |= usage.filters
        target.printed |= not usage.tested and not usage.compared
    for path in scan.bare_items:
        target = node_at(path)
        if target is not None:
            target.repeat = True
            if target.fields:  # items printed whole and read by field: records, the bare use prints `value`
                target.fields.setdefault("value", _Node(printed=True))
    return tree


def _question(key: str, node: _Node, *, required: bool = True) -> dict[str, Any]:
    question: dict[str, Any] = {"id": key, "label": {"da": _readable(key), "en": _readable(key)}}
    if node.is_list:
        question["type"] = "list"
        if _numeric(node):
            question["items"] = "number"
        return question
    if node.is_group:
        question["type"] = "group"
        if not node.repeat:
            question["repeat"] = False
        question["fields"] = [_question(k, n) for k, n in node.fields.items()]
        return question
    question["type"] = _type(node)
    if question["type"] == "choice":
        question["options"] = sorted(str(c) for c in node.compared)
    if question["type"] != "boolean" and required:
        question["required"] = True
    return question


def _type(node: _Node) -> str:
    if "dato" in node.filters:
        return "date"
    if "docxtpl_colspan" in node.filters:  # {% colspan n %}: how many columns a cell spans
        return "number"
    strings = {c for c in node.compared if isinstance(c, str)}
    if strings:
        return "choice"
    if _numeric(node):
        return "number"
    if node.tested and not node.printed:
        return "boolean"
    return "text"


def _numeric(node: _Node) -> bool:
    return any(isinstance(c, int | float) and not isinstance(c, bool) for c in node.compared)


def _example(key: str, node: _Node) -> Any:
    if node.is_list:
        return [1, 2] if _numeric(node) else [f"Eksempel {n}: {_readable(key).lower()}" for n in (1, 2)]
    if node.is_group:
        record = {k: _example(k, n) for k, n in node.fields.items()}
        return [record, {k: _example(k, n) for k, n in node.fields.items()}] if node.repeat else record
    kind = _type(node)
    if "docxtpl_cellbg" in node.filters:  # {% cellbg c %}: a cell's background, a hex colour
        return "DCE9F1"
    return {"date": dt.date.today(), "choice": sorted(str(c) for c in node.compared)[0] if node.compared else "",
            "number": 1, "boolean": True}.get(kind, f"Eksempel: {_readable(key).lower()}")


def _readable(identifier: str) -> str:
    words = identifier.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
