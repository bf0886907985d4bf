"""What the tags of a Word template use: names, loops, fields of loop items, conditions and filters.

One walk over Jinja's syntax tree of each part of the document (see toolkit.documents.docxfile.text_view) yields
`Usage` records with the place where they occur. Template lint compares them with the questionnaire;
scaffold infers a questionnaire from them. Paths name data: `("members", "[]", "name")` is the `name`
field of each item of the `members` list; `("contact", "email")` is a field of a single record.

docxtpl's own vocabulary is read as the Jinja docxtpl makes of it (docxfile.docxtpl_as_jinja): `{{r x}}` and
`{{p x}}` become `DocxtplTag`s (a value printed as a whole run or paragraph), `{% cellbg x %}`/`{% colspan x %}`
read x, `{% vm %}`/`{% hm %}` need an enclosing loop. What a docxtpl script could supply but a Netkit template
cannot — its own filters, tests and functions (InlineImage(…)), tags in endnotes — is collected in `refused`
with its place, for template lint to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jinja2 import Environment, TemplateSyntaxError, nodes

from toolkit.documents.docxfile import TAG, Place, jinja_source, parts
from toolkit.documents.sandbox import document_environment

ITEM = "[]"
DOCXTPL_MARK = "docxtpl_"  # marker filters of toolkit.documents.docxfile.docxtpl_as_jinja
JINJA_GLOBALS = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "super", "varargs", "kwargs",
                 "caller", "self", "True", "False", "None", "true", "false", "none"}


@dataclass
class Usage:
    path: tuple[str, ...]
    place: Place
    tested: bool = False                 # used as a condition (`{% if x %}`)
    compared: set = field(default_factory=set)   # constants it is compared with
    filters: set = field(default_factory=set)

    @property
    def defaulted(self) -> bool:
        """`x|default(…)`: the template copes when x is missing, so x is optional."""
        return bool(self.filters & {"default", "d"})


@dataclass(frozen=True)
class DocxtplTag:
    """A value printed as a whole run, paragraph, row or cell (`{{r x}}`, `{{p x}}`, `{{tr x}}`, `{{tc x}}`)."""

    kind: str                          # "r", "p", "tr", "tc"
    path: tuple[str, ...] | None       # the data it prints, when it is a plain reference
    place: Place


@dataclass
class Scan:
    usages: list[Usage] = field(default_factory=list)
    loops: dict[tuple[str, ...], Place] = field(default_factory=dict)   # collection paths iterated
    bare_items: set[tuple[str, ...]] = field(default_factory=set)       # collections whose items are printed bare
    syntax_errors: list[tuple[Place, str]] = field(default_factory=list)
    refused: list[tuple[Place, str]] = field(default_factory=list)     # features Netkit cannot fill
    docxtpl_tags: list[DocxtplTag] = field(default_factory=list)

    def refuse(self, place: Place, message: str) -> None:
        if (place, message) not in self.refused:
            self.refused.append((place, message))

    def defaulted_names(self) -> set[str]:
        """Top-level names read only through `|default(…)` (never looped over): the template copes without them."""
        return ({u.path[0] for u in self.usages if u.defaulted} - {u.path[0] for u in self.usages if not u.defaulted}
                - {path[0] for path in self.loops})

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
        if part_places[0].kind == "endnotes":  # docxtpl does not render endnotes: a tag there stays as typed
            for place in part_places:
                if TAG.search(place.text):
                    scan.refuse(place, "a tag in an endnote: docxtpl does not fill endnotes, so it would be "
                                       "printed as typed; move it to the body or a footnote")
            continue
        try:
            tree = env.parse(jinja_source(part_places))
        except TemplateSyntaxError as exc:
            index = min(max((exc.lineno or 1) - 1, 0), len(part_places) - 1)
            scan.syntax_errors.append((part_places[index], exc.message or str(exc)))
            continue
        except (RecursionError, MemoryError, ValueError):  # absurdly nested or malformed tag text
            scan.syntax_errors.append((part_places[0], "the tags are too deeply nested or malformed to read"))
            continue
        _Walker(scan, part_places, env).visit_all(tree.body, {})
    return scan


class _Walker:
    def __init__(self, scan: Scan, places: list[Place], env: Environment):
        self.scan = scan
        self.places = places
        self.env = env

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
        self.features(node, scope)
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


    def features(self, node: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> None:
        """docxtpl's own tags, and what a docxtpl script could give a template but Netkit cannot: its own
        filters, tests and functions."""
        place = self.place(node)
        for found in [node, *node.find_all((nodes.Filter, nodes.Test, nodes.Call))]:
            if isinstance(found, nodes.Filter) and found.name.startswith(DOCXTPL_MARK):
                kind = found.name[len(DOCXTPL_MARK):]
                if kind in ("hm", "vm") and "loop" not in scope:
                    self.scan.refuse(place, f"{{% {kind} %}} merges the cells a loop makes; put it inside a "
                                                     "{%tc for … %} (hm) or {%tr for … %} (vm) loop")
                elif kind in ("r", "p", "tr", "tc") and found.node is not None:
                    self.scan.docxtpl_tags.append(DocxtplTag(kind, self.path(found.node, scope), place))
            elif isinstance(found, nodes.Filter) and found.name not in self.env.filters:
                self.scan.refuse(place, f"uses the filter '|{found.name}', which Netkit does not have "
                                                 "(a docxtpl script can add its own filters; a Netkit template "
                                                 "cannot); use Jinja's filters or dato and ja_nej")
            elif isinstance(found, nodes.Test) and found.name not in self.env.tests:
                self.scan.refuse(place, f"uses the test 'is {found.name}', which Netkit does not have "
                                                 "(a docxtpl script can add its own tests; a Netkit template "
                                                 "cannot)")
            elif isinstance(found, nodes.Call) and isinstance(found.node, nodes.Name) \
                    and found.node.name not in scope and found.node.name not in self.env.globals \
                    and found.node.name not in JINJA_GLOBALS:
                self.scan.refuse(place, f"calls '{found.node.name}(…)', a function a docxtpl script would "
                                                 "pass in; Netkit templates get answers, not Python functions "
                                                 "(for a picture, use an image question and print it with "
                                                 "{{ name }})")


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
    if isinstance(node, nodes.Call):
        if isinstance(node.node, nodes.Getattr):  # a method of a value: x.upper() reads x
            yield from _reads(node.node.node, False)
        elif not isinstance(node.node, nodes.Name):  # a called name is a function, not data (see features)
            yield from _reads(node.node, False)
        for child in [*node.args, *(kw.value for kw in node.kwargs), node.dyn_args, node.dyn_kwargs]:
            if child is not None:
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
