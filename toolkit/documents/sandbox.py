"""Jinja's sandbox: the one place that evaluates expressions from form.yaml and rules, and renders Word templates.

Nothing written by a template author is ever given to `eval`. Expressions (`show_if`, computed values,
rule conditions) and template tags run in a sandboxed environment, so `{{ ''.__class__ }}` and friends
raise `SecurityError` instead of reaching Python internals. Undefined names are errors, not silent blanks.

The environment bounds the work a template can ask for with the limits of toolkit.documents.sandboxlimits. Lists,
dicts and sets cannot be changed in place (Jinja's ImmutableSandboxedEnvironment), so a loop cannot grow one
(`l.extend(l)`); `namespace()` attributes can still be set, and what is assigned is checked. The checks are Jinja's
own hooks: `intercepted_binops`/`call_binop`, `call`, the `range` global, `finalize`, `concat`, and a code generator
that routes each `{% for %}` through a counter and each `~` through a size check. Expressions and short texts are
compiled and evaluated in it by toolkit.documents.expressions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from toolkit.documents.sandboxfilters import danish_date, guarded_filters, yes_no
from toolkit.documents.sandboxlimits import (
    RenderBudget,
    check_operation,
    check_text_method,
    current_budget,
    guarded_range,
    made,
    refuse_if_too_long,
    render_scope,
    size_of,
    text_method,
)

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
        with render_scope(getattr(self.environment, "document_budget", None)):
            return super().render(*args, **kwargs)


class GuardedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits of toolkit.documents.sandboxlimits. A document environment is made
    for one document: its budget spans every part docxtpl renders (body, headers, footers, properties), and None
    prints as nothing."""

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
        self.filters = guarded_filters(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_operation(operator, left, right)
        return made(super().call_binop(context, operator, left, right), f"'{operator}'")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # double underscores as in Jinja: they cannot clash with the keyword arguments of the function called
        current_budget().step()
        method = text_method(__obj)
        if method is not None:
            args = check_text_method(*method, args, kwargs)
        elif isinstance(__obj, LoopContext) and args:  # `loop(children)` in a recursive loop: count those too
            args = (__self.counted_loop(args[0]), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, _OUTPUT_CALLABLES):
            return result
        return made(result, f"'{getattr(__obj, '__name__', type(__obj).__name__)}()'")

    def counted_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every `{% for %}` iterates through this (see _GuardedCodeGenerator): one step per iteration."""
        budget = current_budget()
        for item in iterable:
            budget.step()
            yield item

    def measured_operand(self, value: Any) -> Any:
        if not isinstance(value, str):  # `~` prints it whole
            refuse_if_too_long(size_of(value), "'~'")
        return value

    def joined_text(self, text: str) -> str:
        return made(text, "'~'")

    def _finalize(self, value: Any) -> Any:
        """Every `{{ … }}` passes here before it is printed."""
        if value is None and self.blank_none:
            return ""
        if isinstance(value, str):
            current_budget().make(len(value))
        else:
            refuse_if_too_long(size_of(value), "'{{ … }}'")
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]  (Jinja's is "".join)
        """Joins a render's output (and each macro's and {% set %} block's): counted piece by piece before the
        whole is made, so a loop repeating a long text is stopped before the text exists."""
        budget = current_budget()
        collected = []
        for piece in pieces:
            budget.make(len(piece))
            collected.append(piece)
        return "".join(collected)


@functools.cache
def expression_environment() -> GuardedEnvironment:
    """The one environment expressions and short texts are compiled in (toolkit.documents.expressions)."""
    return GuardedEnvironment(document=False)


def document_environment() -> GuardedEnvironment:
    """A fresh sandboxed environment for rendering one Word document; answers are XML-escaped (autoescape).

    An unanswered optional question prints as nothing, never as the word "None".
    """
    return GuardedEnvironment(document=True)


def _is_undetermined(value: Any) -> bool:
    from toolkit.documents.undetermined import Undetermined  # the rules' three-valued logic (it uses this sandbox)

    return isinstance(value, Undetermined)

