"""Conclusions drawn from answers some of which are missing: unanswered is not "no".

A question left unanswered reaches the rules as `Undetermined.question(id, answers)`: one of the answers it could
still get (a yes/no: true or false; a choice: its options). An expression reading such values is evaluated for
every combination of answers to the open questions behind them — exactly as with complete answers, in the sandbox.
When every combination gives the same value, that is the value: software that is not software is no medical
device, whatever else is blank. Otherwise the result is `Undetermined`, and it keeps its value for each
combination (its table), so a fact built on two others that hang on the same open question is still decided
exactly. Its `needs` are the open questions whose answer changes it. Nothing ever falls back to the permissive
value of a missing answer.

When the combinations would be too many, the logic falls back to three-valued (Kleene) evaluation: `x and y` is
false as soon as one side is false; `not x`, a comparison or a lookup on an undetermined value is undetermined;
`a if c else b` with an undetermined `c` is `a` only when both agree. That is never wrong, only less precise.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import nodes

from toolkit.documents.expressions import ExpressionError, evaluate, evaluate_node, expression_names, parse_expression

__all__ = ["Undetermined", "UndeterminedUse", "evaluate3", "is_undetermined", "needs_of"]

COMBINATIONS_MAX = 1024  # evaluations of one expression; beyond it, three-valued logic


class UndeterminedUse(TypeError):
    """An undetermined value was used where a plain yes or no is needed (a text's `{% if %}`, a template)."""


class Undetermined:
    """A value the answers do not decide. `needs`: the open questions whose answers would decide it. `domain`
    and `table`, when known: the answers each of those questions could get, and the value for each combination
    of them (in the order of `domain`)."""

    __slots__ = ("domain", "needs", "table")

    def __init__(self, needs: Iterable[str], *, domain: Mapping[str, tuple] | None = None,
                 table: Mapping[tuple, Any] | None = None):
        self.needs = frozenset(needs)
        self.domain = dict(domain) if domain is not None else None
        self.table = dict(table) if table is not None else None

    @classmethod
    def question(cls, question_id: str, answers: Iterable[Any]) -> Undetermined:
        """An unanswered question that could still get any of `answers`."""
        choices = tuple(answers)
        return cls({question_id}, domain={question_id: choices}, table={(a,): a for a in choices})

    @property
    def values(self) -> frozenset | None:
        return frozenset(self.table.values()) if self.table is not None else None

    def value_for(self, answers: Mapping[str, Any]) -> Any:
        return self.table[tuple(answers[question] for question in self.domain)]

    def __bool__(self) -> bool:
        raise UndeterminedUse("this cannot be decided from the answers given (unanswered: "
                              f"{', '.join(sorted(self.needs))}); test it with `is undetermined` first")

    def __str__(self) -> str:
        return "kan ikke afgøres"

    def __repr__(self) -> str:
        return f"Undetermined({sorted(self.needs)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Undetermined):  # `x == 'I'` on an undecided x has no answer: never a silent False
            raise UndeterminedUse(f"{self!r} was compared with {other!r}; test it with `is undetermined` first")
        return (other.needs, other.values) == (self.needs, self.values)

    def __hash__(self) -> int:
        return hash((self.needs, self.values))


def is_undetermined(value: Any) -> bool:
    return isinstance(value, Undetermined)


def needs_of(*values: Any) -> frozenset[str]:
    return frozenset().union(*(v.needs for v in values if isinstance(v, Undetermined)))


def evaluate3(source: str, names: Mapping[str, Any], impossible: Iterable[str] = ()) -> Any:
    """Evaluate an expression whose names may hold Undetermined values (see the module's docstring). Answers for
    which one of the `impossible` expressions holds (answers that contradict each other) are not considered."""
    open_names = {name: names[name] for name in sorted(expression_names(source))
                  if isinstance(names.get(name), Undetermined)}
    if not open_names:
        return evaluate(source, names)  # nothing undetermined: the sandbox's plain answer
    if _asks_if_undetermined(source):  # about the values themselves, not what they could be
        return _Evaluation(source, names).value(parse_expression(source))
    combined = _every_combination(source, names, open_names, tuple(impossible))
    return combined if combined is not _TOO_MANY else _Evaluation(source, names).value(parse_expression(source))


_TOO_MANY = object()


def _asks_if_undetermined(source: str) -> bool:
    root = parse_expression(source)
    return any(isinstance(node, nodes.Test) and node.name == "undetermined"
               for node in (root, *root.find_all(nodes.Test)))


def _every_combination(source: str, names: Mapping[str, Any], open_names: Mapping[str, Undetermined],
                       impossible: tuple[str, ...] = ()) -> Any:
    """The expression's value for every combination of answers to the open questions behind the open names: the
    value if they all agree, else Undetermined with its table. _TOO_MANY when a name's table is not known, there
    are too many combinations, or one cannot be evaluated (then the three-valued logic decides)."""
    domain: dict[str, tuple] = {}
    for value in open_names.values():
        if value.domain is None or value.table is None:
            return _TOO_MANY
        domain.update(value.domain)
    if _product(len(answers) for answers in domain.values()) > COMBINATIONS_MAX:
        return _TOO_MANY
    questions = list(domain)
    results: dict[tuple, Any] = {}
    try:
        for combination in itertools.product(*domain.values()):
            answers = dict(zip(questions, combination, strict=True))
            if _contradictory(impossible, names, answers):
                continue
            value = evaluate(source, {**names, **{name: open_value.value_for(answers)
                                                  for name, open_value in open_names.items()}})
            hash(value)
            results[combination] = value
    except (ExpressionError, TypeError):
        return _TOO_MANY
    if not results:
        return _TOO_MANY
    if len(set(results.values())) == 1:
        return next(iter(results.values()))
    deciding = [index for index in range(len(questions)) if _changes(results, index)]
    table = {tuple(combination[i] for i in deciding): value for combination, value in results.items()}
    return Undetermined((questions[i] for i in deciding), domain={questions[i]: domain[questions[i]] for i in deciding},
                        table=table)


def _contradictory(impossible: tuple[str, ...], names: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether these answers to open questions contradict the answers given (a check that holds outright)."""
    for source in impossible:
        read = expression_names(source)
        if not read & answers.keys():
            continue
        scope = {**names, **answers}
        if any(isinstance(scope.get(name), Undetermined) for name in read):
            continue  # it also reads another open question: it cannot rule these answers out by itself
        if evaluate(source, scope):
            return True
    return False


def _changes(results: Mapping[tuple, Any], index: int) -> bool:
    """Whether the question at `index` changes the value for some answers to the others."""
    seen: dict[tuple, Any] = {}
    for combination, value in results.items():
        others = combination[:index] + combination[index + 1:]
        if others in seen and seen[others] != value:
            return True
        seen.setdefault(others, value)
    return False


def _product(numbers: Iterable[int]) -> int:
    total = 1
    for number in numbers:
        total *= number
    return total


class _Evaluation:
    def __init__(self, source: str, names: Mapping[str, Any]):
        self.source = source
        self.names = names

    def value(self, node: nodes.Expr) -> Any:
        unknown = self._undetermined_in(node)
        if not unknown:
            return evaluate_node(node, self.names, self.source)
        if isinstance(node, nodes.Name):
            return self.names[node.name]
        if isinstance(node, nodes.And):
            return self._and(node.left, node.right)
        if isinstance(node, nodes.Or):
            return self._or(node.left, node.right)
        if isinstance(node, nodes.Not):
            operand = self.value(node.node)
            return operand if isinstance(operand, Undetermined) else not operand
        if isinstance(node, nodes.CondExpr):
            return self._conditional(node)
        if isinstance(node, nodes.Test) and node.name == "undetermined" and not node.args:
            return isinstance(self.value(node.node), Undetermined)
        # Anything else that reads an undetermined value (a comparison, a lookup, arithmetic, a call) is
        # undetermined as a whole: its parts are evaluated only to learn which answers it needs.
        return Undetermined(needs_of(*(self.names[name] for name in unknown)))

    def _and(self, left: nodes.Expr, right: nodes.Expr) -> Any:
        first = self.value(left)
        if not isinstance(first, Undetermined) and not first:
            return first
        second = self.value(right)
        if not isinstance(second, Undetermined) and not second:
            return second  # false on the right decides it, whatever the left is
        if isinstance(first, Undetermined) or isinstance(second, Undetermined):
            return Undetermined(needs_of(first, second))
        return second

    def _or(self, left: nodes.Expr, right: nodes.Expr) -> Any:
        first = self.value(left)
        if not isinstance(first, Undetermined) and first:
            return first
        second = self.value(right)
        if not isinstance(second, Undetermined) and second:
            return second  # true on the right decides it, whatever the left is
        if isinstance(first, Undetermined) or isinstance(second, Undetermined):
            return Undetermined(needs_of(first, second))
        return second

    def _conditional(self, node: nodes.CondExpr) -> Any:
        test = self.value(node.test)
        if not isinstance(test, Undetermined):
            chosen = node.expr1 if test else node.expr2
            return self.value(chosen) if chosen is not None else None
        when_true = self.value(node.expr1)
        when_false = self.value(node.expr2) if node.expr2 is not None else None
        if not isinstance(when_true, Undetermined) and not isinstance(when_false, Undetermined) \
                and type(when_true) is type(when_false) and when_true == when_false:
            return when_true  # both ways give the same: the unanswered question does not matter here
        return Undetermined(needs_of(test, when_true, when_false))

    def _undetermined_in(self, node: nodes.Node) -> set[str]:
        return {name.name for name in node.find_all(nodes.Name)
                if name.ctx == "load" and isinstance(self.names.get(name.name), Undetermined)} | (
            {node.name} if isinstance(node, nodes.Name) and isinstance(self.names.get(node.name), Undetermined)
            else set())
