"""Answers written for an earlier version of a form, read as the current version reads them (form.yaml
`legacy_answers`): a rule whose `when` holds for the answers as given renames old keys, sets answers that are not
given (marking those an earlier version took for granted as assumed) and removes old keys.

The rules are read from form.yaml by toolkit.documents.formfile; `Form.upgrade` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.documents.expressions import ExpressionError, evaluate


@dataclass(frozen=True)
class LegacyAnswer:
    """How answers written for an earlier version of a form are read (form.yaml `legacy_answers`): when `when`
    holds for the answers as given, `rename` old keys, `set` answers that are not given (those an earlier
    version took for granted are marked `assumed`, and the document names them), and `remove` old keys."""

    when: str
    set: tuple[tuple[str, Any], ...] = ()
    assumed: bool = False
    rename: tuple[tuple[str, str], ...] = ()
    remove: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Upgraded:
    answers: dict[str, Any]
    assumed: tuple[str, ...]  # question ids answered by a legacy rule, not by the person


def upgrade_answers(rules: tuple[LegacyAnswer, ...], raw: Mapping[str, Any]) -> Upgraded:
    """The answers as `rules` read them: every rule is decided on the answers as given, then applied in order;
    an answer given is never replaced."""
    if not rules or not isinstance(raw, Mapping):
        return Upgraded(dict(raw) if isinstance(raw, Mapping) else raw, ())
    given = dict(raw)
    chosen = [rule for rule in rules if _legacy_applies(rule.when, given)]
    answers, assumed = dict(given), []
    for rule in chosen:
        for old, new in rule.rename:
            if old in answers and new not in answers:
                answers[new] = answers.pop(old)
        for key, value in rule.set:
            if key not in answers:
                answers[key] = value
                if rule.assumed:
                    assumed.append(key)
        for key in rule.remove:
            answers.pop(key, None)
    return Upgraded(answers, tuple(assumed))


def _legacy_applies(when: str, given: Mapping[str, Any]) -> bool:
    """Whether a legacy rule's condition holds for the answers as given (a name not given makes it false)."""
    try:
        return bool(evaluate(when, given))
    except ExpressionError:
        return False
