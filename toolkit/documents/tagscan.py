"""What the tags of a Word template use: names, loops, fields of loop items, conditions and filters.

One walk over Jinja's syntax tree of each part of the document (see toolkit.documents.docxfile.text_view) yields
`Usage` records with the place where they occur. Template lint compares them with the questionnaire;
scaffold infers a questionnaire from them. Paths name data: `("members", "[]", "name")` is the `name`
field of each item of the `members` list; `("contact", "email")` is a field of a single record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jinja2 import TemplateSyntaxError, nodes

from toolkit.documents.docxfile import Place, jinja_source, parts
from toolkit.documents.sandbox import document_environment

ITEM = "[]"
JINJA_GLOBALS = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "super", "varargs", "kwargs",
                 "caller", "self", "True", "False", "None", "true", "false", "none"}


@dataclass
class Usage:
    path: tuple[str, ...]
    place: Place
    tested: bool = False                 # used as a condition (`{% if x %}`)
    compared: set = field(default_factory=set)   # constants it is compared with
    filters: set = field(default_factory=set)


@dataclass
class Scan:
    usages: list[Usage] = field(default_factory=list)
    loops: dict[tuple[str, ...], Place] = field(default_factory=dict)   # collection paths iterated
    bare_items: set[tuple[str, ...]] = field(default_factory=set)       # collections whose items are printed bare
    syntax_errors: list[tuple[Place, str]] = field(default_factory=list)

    def names(self) -> dict[str, Place]:
        """Top-level names read, each with the first place it appears."""
        found: dict[str, Place] = {}
        for usage in self.usages:
            found.setdefault(usage.path[0], usage.place)
        for path, place in self.loops.items():
            found.setdefault(path[0], place)
        return found

    def paths(self) -> dict[tuple[str, ...], Place]:
        found: dict[tuple[str, ...], Place] = {}
        for usage in self.usages:
            found.setdefault(usage.path, usage.place)
        for path, place in self.loops.items():
            found.setdefault(path, place)
        return found


def scan_places(places: list[Place]) -> Scan:
    """Walk the tags of every part; syntax errors are collected (with their paragraph), not raised."""
    scan = Scan()
    env = document_environment()
    for part_places in parts(places).values():
        try:
            tree = env.parse(jinja_source(part_places))
        except TemplateSyntaxError as exc:
            index = min(max((exc.lineno or 1) - 1, 0), len(part_places) - 1)
            scan.syntax_errors.append((part_places[index], exc.message or str(exc)))
            continue
        _Walker(scan, part_places).visit_all(tree.body, {})
    return scan


class _Walker:
    def __init__(self, scan: Scan, places: list[Place]):
        self.scan = scan
        self.places = places

    def place(self, node: nodes.Node) -> Place:
        return self.places[min(max(node.lineno - 1, 0), len(self.places) - 1)]

    def visit_all(self, body: list[nodes.Node], scope: dict[str, tuple[str, ...] | None]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> None:
        if isinstance(node, nodes.For):
            collection = self.path(node.iter, scope)
            self.expression(node.iter, scope)
            if collection is not None:
                self.scan.loops.setdefault(collection, self.place(node))
            inner = dict(scope)
            for name in _target_names(node.target):
                inner[name] = (*collection, ITEM) if collection is not None and isinstance(node.target, nodes.Name) \
                    else None
            inner["loop"] = None
            if node.test is not None:
                self.expression(node.test, inner, tested=True)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
            return
        if isinstance(node, nodes.If):
            self.expression(node.test, scope, tested=True)
            self.visit_all(node.body, scope)
            for branch in node.elif_:
                self.visit(branch, scope)
            self.visit_all(node.else_, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.expression(node.node, scope)
            else:
                self.visit_all(node.body, scope)
            for name in _target_names(node.target):
                scope[name] = None
            return
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expression(child, scope)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = {**scope, **{arg.name: None for arg in getattr(node, "args", [])}, "caller": None}
            self.visit_all(node.body, inner)
            return
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expression(child, scope)
            else:
                self.visit(child, scope)

    def path(self, node: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> tuple[str, ...] | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return None if node.name in JINJA_GLOBALS else (node.name,)
        if isinstance(node, nodes.Getattr):
            base = self.path(node.node, scope)
            return None if base is None else (*base, node.attr)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            base = self.path(node.node, scope)
            return None if base is None else (*base, node.arg.value)
        if isinstance(node, nodes.Filter) and node.node is not None:
            return self.path(node.node, scope)
        return None

    def expression(self, node: nodes.Node, scope: dict[str, tuple[str, ...] | None], *, tested: bool = False) -> None:
        """Record every data path an expression reads, with how it is used."""
        for usage_node, how in _reads(node, tested):
            path = self.path(usage_node, scope)
            if path is None:
                if isinstance(usage_node, nodes.Getattr | nodes.Getitem):
                    self.expression(usage_node.node, scope)
                continue
            if path[-1] == ITEM:
                self.scan.bare_items.add(path[:-1])
                continue
            usage = Usage(path, self.place(node), tested=how.get("tested", False))
            usage.compared.update(how.get("compared", ()))
            usage.filters.update(how.get("filters", ()))
            self.scan.usages.append(usage)


def _reads(node: nodes.Node, tested: bool) -> Iterator[tuple[nodes.Node, dict]]:
    """The outermost data references in an expression, with context (truth test, compared constants, filters)."""
    if isinstance(node, nodes.Name | nodes.Getattr) or (
            isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)):
        yield node, {"tested": tested}
        return
    if isinstance(node, nodes.Not):
        yield from _reads(node.node, tested)
        return
    if isinstance(node, nodes.And | nodes.Or):
        yield from _reads(node.left, tested)
        yield from _reads(node.right, tested)
        return
    if isinstance(node, nodes.CondExpr):
        yield from _reads(node.test, True)
        yield from _reads(node.expr1, False)
        if node.expr2 is not None:
            yield from _reads(node.expr2, False)
        return
    if isinstance(node, nodes.Compare):
        constants = [op.expr.value for op in node.ops if isinstance(op.expr, nodes.Const)]
        if isinstance(node.expr, nodes.Const):
            constants.append(node.expr.value)
        for operand in [node.expr, *(op.expr for op in node.ops)]:
            if isinstance(operand, nodes.Const):
                continue
            for inner, how in _reads(operand, False):
                yield inner, {**how, "compared": set(constants)}
        return
    if isinstance(node, nodes.Filter | nodes.Test):
        if node.node is not None:
            for inner, how in _reads(node.node, tested):
                yield inner, {**how, "filters": {*how.get("filters", ()), node.name}}
        for child in [*node.args, *(kw.value for kw in node.kwargs)]:
            yield from _reads(child, False)
        return
    for child in node.iter_child_nodes():
        yield from _reads(child, False)


def _target_names(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    if isinstance(target, nodes.Tuple):
        return [n.name for n in target.items if isinstance(n, nodes.Name)]
    return []
