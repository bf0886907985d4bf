"""Expressions (`show_if`, computed values, rule conditions) and short texts (a reason in rules.yaml, a file
name) compiled, evaluated and read in the sandbox (toolkit.documents.sandbox); whatever goes wrong — a syntax error,
an unknown name, a refused operation — is an ExpressionError naming the expression.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import TemplateError, meta, nodes
from jinja2.environment import TemplateExpression
from jinja2.sandbox import SecurityError

from toolkit.documents.sandbox import expression_environment
from toolkit.documents.sandboxlimits import render_scope
from toolkit.errors import NetkitError


class ExpressionError(NetkitError):
    """An expression in form.yaml or rules that does not parse or fails when evaluated."""


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> Callable[..., Any]:
    """Compile an expression once (cached); raises ExpressionError naming the problem if it does not parse."""
    try:
        return expression_environment().compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression over `names` in the sandbox; unknown names and unsafe access raise ExpressionError."""
    return _run(compile_expression(source), names, source)


def _run(function: Callable[..., Any], names: Mapping[str, Any], source: str) -> Any:
    """Call a compiled expression in the render scope; what goes wrong becomes an ExpressionError naming it."""
    try:
        with render_scope():
            return function(**names)
    except SecurityError as exc:
        raise ExpressionError(f"expression '{source}' was refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' failed: {exc.message or exc}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise ExpressionError(f"expression '{source}' failed: {exc}") from None


@functools.lru_cache(maxsize=4096)
def parse_expression(source: str) -> nodes.Expr:
    """The expression's syntax tree (for evaluation with undetermined values, toolkit.documents.undetermined)."""
    try:
        ast = expression_environment().parse("{{ " + source + " }}")
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None
    output = ast.body[0]
    if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
        raise ExpressionError(f"'{source}' is not one expression")
    return output.nodes[0]


_node_functions: dict[int, tuple[nodes.Expr, Callable[..., Any]]] = {}


def evaluate_node(node: nodes.Expr, names: Mapping[str, Any], source: str) -> Any:
    """Evaluate one part of a parsed expression in the sandbox, exactly as `evaluate` would (compiled once)."""
    cached = _node_functions.get(id(node))
    if cached is None or cached[0] is not node:
        if len(_node_functions) > 20_000:  # the parsed rules are cached (parse_expression); this follows them
            _node_functions.clear()
        env = expression_environment()
        body = [nodes.Assign(nodes.Name("result", "store"), node, lineno=1)]
        template = env.from_string(nodes.Template(body, lineno=1))
        cached = (node, TemplateExpression(template, False))
        _node_functions[id(node)] = cached
    return _run(cached[1], names, source)


@functools.lru_cache(maxsize=4096)
def expression_names(source: str) -> frozenset[str]:
    """The names an expression reads (lint uses it for unknown names and for the order of conditions)."""
    try:
        ast = expression_environment().parse("{{ " + source + " }}")
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None
    return frozenset(meta.find_undeclared_variables(ast))


def text_names(source: str) -> frozenset[str]:
    """The names a short text template reads."""
    try:
        return frozenset(meta.find_undeclared_variables(expression_environment().parse(source)))
    except TemplateError as exc:
        raise ExpressionError(f"text '{source[:60]}' does not parse: {exc.message or exc}") from None


@functools.lru_cache(maxsize=1024)
def _text_template(source: str) -> Any:
    try:
        return expression_environment().from_string(source)
    except TemplateError as exc:
        raise ExpressionError(f"text '{source[:60]}' does not parse: {exc.message or exc}") from None


def render_text(source: str, names: Mapping[str, Any]) -> str:
    """Render a short text template (a reason in rules.yaml, a file name) in the sandbox."""
    try:
        return _text_template(source).render(**names)
    except SecurityError as exc:
        raise ExpressionError(f"text '{source[:60]}' was refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise ExpressionError(f"text '{source[:60]}' failed: {exc.message or exc}") from None
