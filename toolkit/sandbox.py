"""Jinja's sandbox: the one place that evaluates expressions from form.yaml and rules, and renders Word templates.

Nothing written by a template author is ever given to `eval`. Expressions (`show_if`, computed values,
rule conditions) and template tags run in a `SandboxedEnvironment`, so `{{ ''.__class__ }}` and friends
raise `SecurityError` instead of reaching Python internals. Undefined names are errors, not silent blanks.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from toolkit.errors import NetkitError

__all__ = ["ExpressionError", "SecurityError", "TemplateError", "compile_expression", "document_environment",
           "evaluate", "expression_names", "render_text", "text_names"]

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")


class ExpressionError(NetkitError):
    """An expression in form.yaml or rules that does not parse or fails when evaluated."""


def danish_date(value: Any) -> str:
    """26. november 2026 — the way Danish documents write a date; other values pass through as text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}. {DANISH_MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, str):
        try:
            return danish_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


def yes_no(value: Any) -> str:
    return "Ja" if value else "Nej"


def _environment(*, autoescape: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True)
    env.filters["dato"] = danish_date
    env.filters["ja_nej"] = yes_no
    return env


@functools.cache
def _expression_environment() -> SandboxedEnvironment:
    return _environment(autoescape=False)


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


def document_environment() -> SandboxedEnvironment:
    """A fresh sandboxed environment for rendering a Word template; answers are XML-escaped (autoescape).

    An unanswered optional question prints as nothing, never as the word "None".
    """
    env = _environment(autoescape=True)
    env.finalize = _blank_none
    return env


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> Callable[..., Any]:
    """Compile an expression once (cached); raises ExpressionError naming the problem if it does not parse."""
    try:
        return _expression_environment().compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression over `names` in the sandbox; unknown names and unsafe access raise ExpressionError."""
    function = compile_expression(source)
    try:
        return function(**names)
    except SecurityError as exc:
        raise ExpressionError(f"expression '{source}' was refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' failed: {exc.message or exc}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise ExpressionError(f"expression '{source}' failed: {exc}") from None


@functools.lru_cache(maxsize=4096)
def expression_names(source: str) -> frozenset[str]:
    """The names an expression reads (lint uses it for unknown names and for the order of conditions)."""
    try:
        ast = _expression_environment().parse("{{ " + source + " }}")
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None
    return frozenset(meta.find_undeclared_variables(ast))


def text_names(source: str) -> frozenset[str]:
    """The names a short text template reads."""
    try:
        return frozenset(meta.find_undeclared_variables(_expression_environment().parse(source)))
    except TemplateError as exc:
        raise ExpressionError(f"text '{source[:60]}' does not parse: {exc.message or exc}") from None


@functools.lru_cache(maxsize=1024)
def _text_template(source: str) -> Any:
    try:
        return _expression_environment().from_string(source)
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
