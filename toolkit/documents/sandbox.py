"""Jinja's sandbox: the one place that evaluates expressions from form.yaml and rules, and renders Word templates.

Nothing written by a template author is ever given to `eval`. Expressions (`show_if`, computed values,
rule conditions) and template tags run in a sandboxed environment, so `{{ ''.__class__ }}` and friends
raise `SecurityError` instead of reaching Python internals. Undefined names are errors, not silent blanks.

The sandbox also bounds the work a template can ask for, so `{{ 'A'*3000000000 }}`, `2**100000000` or a loop
inside a loop over large ranges is refused at once instead of taking the server's memory or minutes of time:

- a text or list made inside the sandbox (by `*`, `+`, `~`, `%`, a filter or a method) holds at most
  MAX_VALUE_LENGTH characters or items; where the size can be known beforehand (`*`, `+`, `~`, padding, `replace`,
  `join`, format widths …) it is checked before the value is made. A whole number has at most MAX_INTEGER_DIGITS.
- `range` gives at most MAX_RANGE numbers.
- one render (a Word document with all its parts, one short text, one expression) runs at most MAX_STEPS loop
  iterations and calls, and makes at most MAX_CHARACTERS characters (its output and the texts made on the way).
- lists, dicts and sets cannot be changed in place (Jinja's ImmutableSandboxedEnvironment), so a loop cannot
  grow one (`l.extend(l)`); `namespace()` attributes can still be set, and what is assigned is checked as above.

A refused operation raises LimitExceeded (a SecurityError) saying which limit it reached. The checks are Jinja's own
hooks: `intercepted_binops`/`call_binop`, `call`, the `range` global, `finalize`, `concat`, and a code generator
that routes each `{% for %}` through a counter and each `~` through a size check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import re
import string
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, filters, meta, nodes, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateExpression
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from toolkit.errors import NetkitError

__all__ = ["MAX_CHARACTERS", "MAX_INTEGER_DIGITS", "MAX_RANGE", "MAX_STEPS", "MAX_VALUE_LENGTH", "ExpressionError",
           "LimitExceeded", "SecurityError", "TemplateError", "compile_expression", "document_environment", "evaluate",
           "evaluate_node", "expression_names", "parse_expression", "render_text", "text_names"]

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")

MAX_VALUE_LENGTH = 100_000  # characters of one text, or items (and the characters they hold) of one list
MAX_INTEGER_DIGITS = 1_000
MAX_RANGE = 10_000  # Jinja's own is 100,000; a document's tables have tens or hundreds of rows
MAX_STEPS = 100_000  # loop iterations and calls in one render
MAX_CHARACTERS = 20_000_000  # the bundled templates make ~1 million characters of XML per document

_MAX_INTEGER_BITS = int(MAX_INTEGER_DIGITS / math.log10(2))


class ExpressionError(NetkitError):
    """An expression in form.yaml or rules that does not parse or fails when evaluated."""


class LimitExceeded(SecurityError):
    """A template or expression asked for more memory or time than the sandbox allows."""


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


# --- the budget of one render --------------------------------------------------------------------------------

@dataclass
class RenderBudget:
    """What one render has used so far: loop iterations and calls, and characters made."""

    steps: int = 0
    characters: int = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"more than {MAX_STEPS:,} loop iterations and calls in one render; "
                                "is there a loop inside a loop over many items, or a macro that calls itself?")

    def make(self, characters: int) -> None:
        self.characters += characters
        if self.characters > MAX_CHARACTERS:
            raise LimitExceeded(f"more than {MAX_CHARACTERS:,} characters made in one render; "
                                "does a loop repeat a long text?")


_active_budget: ContextVar[RenderBudget | None] = ContextVar("netkit_sandbox_budget", default=None)


def _budget() -> RenderBudget:
    """The budget of the render in progress; outside a render (compiling, constant folding) a throwaway one."""
    return _active_budget.get() or RenderBudget()


@contextlib.contextmanager
def _render_scope(budget: RenderBudget | None = None) -> Iterator[None]:
    """Count what happens inside against `budget` (or a new one), unless a render is already being counted."""
    if _active_budget.get() is not None:
        yield
        return
    token = _active_budget.set(budget if budget is not None else RenderBudget())
    try:
        yield
    finally:
        _active_budget.reset(token)


# --- sizes ---------------------------------------------------------------------------------------------------

_SEQUENCES = (str, bytes, list, tuple)
_CONTAINERS = (list, tuple, set, frozenset)


def _size(value: Any) -> int:
    """Characters of the texts plus items of the lists/dicts in `value`, nested ones included; what printing it
    makes. Counting stops just past MAX_VALUE_LENGTH, so measuring is cheap even for a list that repeats one
    large text many times."""
    total, pending = 0, [value]
    while pending and total <= MAX_VALUE_LENGTH:
        item = pending.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, _CONTAINERS):
            total += len(item)
            pending.extend(item)
        elif isinstance(item, Mapping):
            total += len(item)
            pending.extend(item.keys())
            pending.extend(item.values())
    return total


def _refuse_if_too_long(length: int, what: str) -> None:
    if length > MAX_VALUE_LENGTH:
        raise LimitExceeded(f"{what} would make a value of {length:,} characters or items; "
                            f"the sandbox allows at most {MAX_VALUE_LENGTH:,}")


def _made(value: Any, what: str) -> Any:
    """Check a value an operation has just made: not too long, and its characters count against the budget."""
    if isinstance(value, str | bytes | list | tuple | set | frozenset | dict):
        _refuse_if_too_long(len(value), what)
        if isinstance(value, str):
            _budget().make(len(value))
    return value


# --- operators -----------------------------------------------------------------------------------------------

def _check_operation(operator: str, left: Any, right: Any) -> None:
    what = f"'{operator}'"
    if operator == "*":
        _check_multiplication(left, right, what)
    elif operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        _refuse_if_too_long(_size(left) + _size(right), what)
    elif operator == "**":
        _check_power(left, right, what)
    elif operator == "%" and isinstance(left, str):
        _check_printf(left, what)
        _refuse_if_too_long(_size(right), what)


def _check_multiplication(left: Any, right: Any, what: str) -> None:
    if isinstance(left, int) and isinstance(right, _SEQUENCES):
        left, right = right, left
    if isinstance(left, _SEQUENCES) and isinstance(right, int):
        _refuse_if_too_long(_size(left) * max(right, 0), what)
    elif isinstance(left, int) and isinstance(right, int):
        _refuse_if_too_many_digits(left.bit_length() + right.bit_length(), what)


def _check_power(base: Any, exponent: Any, what: str) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        _refuse_if_too_many_digits(math.ceil(math.log2(abs(base)) * exponent), what)


def _refuse_if_too_many_digits(bits: int, what: str) -> None:
    if bits > _MAX_INTEGER_BITS:
        raise LimitExceeded(f"{what} would make a number of about {int(bits * math.log10(2)):,} digits; "
                            f"the sandbox allows at most {MAX_INTEGER_DIGITS:,}")


_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def _too_wide(number: str) -> bool:
    """A field width or precision in a format that would pad a value out to more than the sandbox allows."""
    return number == "*" or len(number) > 9 or int(number) > MAX_VALUE_LENGTH


def _refuse_width(what: str, field: str) -> None:
    raise LimitExceeded(f"{what}: the width in '{field}' is taken from a value or above "
                        f"{MAX_VALUE_LENGTH:,}; write a fixed width up to that")


def _check_printf(template: str, what: str) -> None:
    """`'%5d' % n` and `|format`: widths and precisions are fixed numbers within the limit."""
    for field in _PRINTF_FIELD.finditer(template):
        if any(number and _too_wide(number) for number in field.groups()):
            _refuse_width(what, field.group())


def _check_str_format(template: str, what: str) -> None:
    """`'{:>5}'.format(n)`: the same for the format specs of str.format."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # a malformed format; str.format itself reports it
    for _, _, spec, _ in fields:
        if spec and ("{" in spec or any(_too_wide(number) for number in _DIGITS.findall(spec))):
            _refuse_width(what, "{:" + spec + "}")


def _is_undetermined(value: Any) -> bool:
    from toolkit.documents.undetermined import Undetermined  # the rules' three-valued logic (it uses this sandbox)

    return isinstance(value, Undetermined)


def guarded_range(*args: int) -> range:
    """`range` in templates: at most MAX_RANGE numbers."""
    numbers = range(*args)
    try:
        count: int | None = len(numbers)
    except OverflowError:  # more than sys.maxsize
        count = None
    if count is None or count > MAX_RANGE:
        given = "too many" if count is None else f"{count:,}"
        raise LimitExceeded(f"range() would give {given} numbers; the sandbox allows at most {MAX_RANGE:,}")
    return numbers


# --- methods of texts ----------------------------------------------------------------------------------------

_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def _text_method(function: Any) -> tuple[str, str] | None:
    """(the text, the method name) when `function` is a bound method of a text (str.format is wrapped by Jinja)."""
    target = getattr(function, "__wrapped__", function)
    owner = getattr(target, "__self__", None)
    if isinstance(target, types.BuiltinMethodType) and isinstance(owner, str):
        return owner, target.__name__
    return None


def _check_text_method(text: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """Refuse a method call on a text whose result would be too long; returns the arguments to call it with."""
    what = f"'.{name}()'"
    if name in _PADDING_METHODS and args and isinstance(args[0], int):
        _refuse_if_too_long(args[0], what)
    elif name == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tabsize, int):
            _refuse_if_too_long(len(text) + text.count("\t") * tabsize, what)
    elif name == "replace" and len(args) >= 2:
        _refuse_if_too_long(_replaced_length(text, *args[:3]), what)
    elif name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        _refuse_if_too_long(len(text) * longest, what)
    elif name == "join" and len(args) == 1:
        items = list(args[0])  # an iterator is read once here and handed on as a list
        _refuse_if_too_long(_size(items) + len(items) * len(text), what)
        return (items,)
    elif name in ("format", "format_map"):
        _check_str_format(text, what)
        _refuse_if_too_long(_size([args, kwargs]), what)
    return args


def _replaced_length(text: str, old: Any, new: Any, count: Any = None) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)  # replace itself refuses other types
    occurrences = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * max(len(new) - len(old), 0)


# --- filters -------------------------------------------------------------------------------------------------
# Jinja's filters that can make a value much larger than their input, each checked before it runs; every filter's
# result is checked after (so no filter applied again and again in a loop can grow a value past the limit).

def _center(value: Any, width: int = 80) -> str:
    if isinstance(width, int):
        _refuse_if_too_long(max(len(str(value)), width), "'|center'")
    return filters.do_center(value, width)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(s)
    indentation = width if isinstance(width, int) else len(str(width))
    _refuse_if_too_long(len(text) + (text.count("\n") + 1) * indentation, "'|indent'")
    return filters.do_indent(s, width, first, blank)


@pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    _refuse_if_too_long(_replaced_length(str(s), old, new, count), "'|replace'")
    return filters.do_replace(eval_ctx, s, old, new, count)


@pass_environment
def _wordwrap(environment: Any, s: Any, width: int = 79, break_long_words: bool = True, wrapstring: str | None = None,
              break_on_hyphens: bool = True) -> str:
    text = str(s)
    if isinstance(width, int):
        lines = len(text.split()) + text.count("\n") + len(text) // max(width, 1) + 1  # an upper bound
        _refuse_if_too_long(len(text) + lines * len(wrapstring or "\n"), "'|wordwrap'")
    return filters.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_printf(str(value), "'|format'")
    _refuse_if_too_long(_size([args, kwargs]), "'|format'")
    return filters.do_format(value, *args, **kwargs)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list]:
    if isinstance(linecount, int):
        _refuse_if_too_long(linecount, "'|batch'")
    return filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list]:
    if isinstance(slices, int):
        _refuse_if_too_long(slices, "'|slice'")
    return filters.sync_do_slice(value, slices, fill_with)


@pass_environment
def _sum(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, int | float):
        raise LimitExceeded("'|sum' adds numbers only in the sandbox; join lists with '+' or texts with '|join'")
    return filters.sync_do_sum(environment, iterable, attribute, start)


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    items = list(value)  # an iterator is read once here and handed on as a list
    if attribute is not None:
        items = [filters.make_attrgetter(eval_ctx.environment, attribute)(item) for item in items]
    _refuse_if_too_long(_size(items) + len(items) * len(str(d)), "'|join'")
    return filters.sync_do_join(eval_ctx, items, d)


def _printing_whole(name: str, function: Callable[..., Any], position: int) -> Callable[..., Any]:
    """|string, |tojson, |pprint print everything a value holds: measure it first (a list of 100,000 references
    to one long text is small in memory but enormous in print)."""
    @functools.wraps(function)
    def printed(*args: Any, **kwargs: Any) -> Any:
        if len(args) > position:
            _refuse_if_too_long(_size(args[position]), f"'|{name}'")
        return function(*args, **kwargs)
    return printed


_GUARDED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _center, "indent": _indent, "replace": _replace, "wordwrap": _wordwrap, "format": _format,
    "batch": _batch, "slice": _slice, "sum": _sum, "join": _join,
}


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
    def checked(*args: Any, **kwargs: Any) -> Any:
        return _made(function(*args, **kwargs), f"'|{name}'")
    return checked


def _guarded_filters(available: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    guarded = {**available, **_GUARDED_FILTERS}
    for name, position in (("string", 0), ("pprint", 0), ("tojson", 1)):
        guarded[name] = _printing_whole(name, available[name], position)
    return {name: _checked_filter(name, function) for name, function in guarded.items()}


# --- the environment -----------------------------------------------------------------------------------------

_OUTPUT_CALLABLES = (Macro, LoopContext, BlockReference)  # their result is template output, counted by concat


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles `{% for %}` so each iteration is counted, and `~` so its operands and result are measured."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.Call(nodes.EnvironmentAttribute("counted_loop"), [node.iter], [], None, None,
                             lineno=node.iter.lineno)
        counted.set_environment(self.environment)
        super().visit_For(nodes.For(node.target, counted, node.body, node.else_, node.test, node.recursive,
                                    lineno=node.lineno), frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # Jinja's own visit_Concat, with each operand measured before it is turned into text
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined_text({join}((")
        for operand in node.nodes:
            self.write("environment.measured_operand(")
            self.visit(operand, frame)
            self.write("), ")
        self.write(")))")


class _GuardedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        with _render_scope(getattr(self.environment, "document_budget", None)):
            return super().render(*args, **kwargs)


class GuardedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits above. A document environment is made for one document: its
    budget spans every part docxtpl renders (body, headers, footers, properties), and None prints as nothing."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _GuardedCodeGenerator
    template_class = _GuardedTemplate

    def __init__(self, *, document: bool) -> None:
        self.blank_none = document
        self.document_budget = RenderBudget() if document else None
        super().__init__(undefined=StrictUndefined, autoescape=document, keep_trailing_newline=True,
                         finalize=self._finalize)
        self.globals["range"] = guarded_range
        self.tests["undetermined"] = _is_undetermined  # `x is undetermined`: an answer or fact not decided
        del self.globals["lipsum"]  # placeholder text on demand: lipsum(10**6) is a minute of work, and no use
        self.filters["dato"] = danish_date
        self.filters["ja_nej"] = yes_no
        self.filters = _guarded_filters(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_operation(operator, left, right)
        return _made(super().call_binop(context, operator, left, right), f"'{operator}'")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # double underscores as in Jinja: they cannot clash with the keyword arguments of the function called
        _budget().step()
        method = _text_method(__obj)
        if method is not None:
            args = _check_text_method(*method, args, kwargs)
        elif isinstance(__obj, LoopContext) and args:  # `loop(children)` in a recursive loop: count those too
            args = (__self.counted_loop(args[0]), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, _OUTPUT_CALLABLES):
            return result
        return _made(result, f"'{getattr(__obj, '__name__', type(__obj).__name__)}()'")

    def counted_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every `{% for %}` iterates through this (see _GuardedCodeGenerator): one step per iteration."""
        budget = _budget()
        for item in iterable:
            budget.step()
            yield item

    def measured_operand(self, value: Any) -> Any:
        if not isinstance(value, str):  # `~` prints it whole
            _refuse_if_too_long(_size(value), "'~'")
        return value

    def joined_text(self, text: str) -> str:
        return _made(text, "'~'")

    def _finalize(self, value: Any) -> Any:
        """Every `{{ … }}` passes here before it is printed."""
        if value is None and self.blank_none:
            return ""
        if isinstance(value, str):
            _budget().make(len(value))
        else:
            _refuse_if_too_long(_size(value), "'{{ … }}'")
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]  (Jinja's is "".join)
        """Joins a render's output (and each macro's and {% set %} block's): counted piece by piece before the
        whole is made, so a loop repeating a long text is stopped before the text exists."""
        budget = _budget()
        collected = []
        for piece in pieces:
            budget.make(len(piece))
            collected.append(piece)
        return "".join(collected)


@functools.cache
def _expression_environment() -> GuardedEnvironment:
    return GuardedEnvironment(document=False)


def document_environment() -> GuardedEnvironment:
    """A fresh sandboxed environment for rendering one Word document; answers are XML-escaped (autoescape).

    An unanswered optional question prints as nothing, never as the word "None".
    """
    return GuardedEnvironment(document=True)


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> Callable[..., Any]:
    """Compile an expression once (cached); raises ExpressionError naming the problem if it does not parse."""
    try:
        return _expression_environment().compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise ExpressionError(f"expression '{source}' does not parse: {exc.message or exc}") from None


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression over `names` in the sandbox; unknown names and unsafe access raise ExpressionError."""
    return _run(compile_expression(source), names, source)


def _run(function: Callable[..., Any], names: Mapping[str, Any], source: str) -> Any:
    """Call a compiled expression in the render scope; what goes wrong becomes an ExpressionError naming it."""
    try:
        with _render_scope():
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
        ast = _expression_environment().parse("{{ " + source + " }}")
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
        env = _expression_environment()
        body = [nodes.Assign(nodes.Name("result", "store"), node, lineno=1)]
        template = env.from_string(nodes.Template(body, lineno=1))
        cached = (node, TemplateExpression(template, False))
        _node_functions[id(node)] = cached
    return _run(cached[1], names, source)


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
