"""The filters of the sandbox: `dato` (danish_date) and `ja_nej` (yes_no) for Danish documents, and Jinja's
own filters guarded by the sandbox's limits (toolkit.documents.sandboxlimits).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jinja2 import filters, pass_environment, pass_eval_context

from toolkit.documents.sandboxlimits import (
    LimitExceeded,
    check_printf,
    made,
    refuse_if_too_long,
    replaced_length,
    size_of,
)

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")


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


# --- Jinja's filters, guarded -----------------------------------------------------------------------------------
# Jinja's filters that can make a value much larger than their input, each checked before it runs; every filter's
# result is checked after (so no filter applied again and again in a loop can grow a value past the limit).

def _center(value: Any, width: int = 80) -> str:
    if isinstance(width, int):
        refuse_if_too_long(max(len(str(value)), width), "'|center'")
    return filters.do_center(value, width)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(s)
    indentation = width if isinstance(width, int) else len(str(width))
    refuse_if_too_long(len(text) + (text.count("\n") + 1) * indentation, "'|indent'")
    return filters.do_indent(s, width, first, blank)


@pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    refuse_if_too_long(replaced_length(str(s), old, new, count), "'|replace'")
    return filters.do_replace(eval_ctx, s, old, new, count)


@pass_environment
def _wordwrap(environment: Any, s: Any, width: int = 79, break_long_words: bool = True, wrapstring: str | None = None,
              break_on_hyphens: bool = True) -> str:
    text = str(s)
    if isinstance(width, int):
        lines = len(text.split()) + text.count("\n") + len(text) // max(width, 1) + 1  # an upper bound
        refuse_if_too_long(len(text) + lines * len(wrapstring or "\n"), "'|wordwrap'")
    return filters.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    check_printf(str(value), "'|format'")
    refuse_if_too_long(size_of([args, kwargs]), "'|format'")
    return filters.do_format(value, *args, **kwargs)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list]:
    if isinstance(linecount, int):
        refuse_if_too_long(linecount, "'|batch'")
    return filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list]:
    if isinstance(slices, int):
        refuse_if_too_long(slices, "'|slice'")
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
    refuse_if_too_long(size_of(items) + len(items) * len(str(d)), "'|join'")
    return filters.sync_do_join(eval_ctx, items, d)


def _printing_whole(name: str, function: Callable[..., Any], position: int) -> Callable[..., Any]:
    """|string, |tojson, |pprint print everything a value holds: measure it first (a list of 100,000 references
    to one long text is small in memory but enormous in print)."""
    @functools.wraps(function)
    def printed(*args: Any, **kwargs: Any) -> Any:
        if len(args) > position:
            refuse_if_too_long(size_of(args[position]), f"'|{name}'")
        return function(*args, **kwargs)
    return printed


_GUARDED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _center, "indent": _indent, "replace": _replace, "wordwrap": _wordwrap, "format": _format,
    "batch": _batch, "slice": _slice, "sum": _sum, "join": _join,
}


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
    def checked(*args: Any, **kwargs: Any) -> Any:
        return made(function(*args, **kwargs), f"'|{name}'")
    return checked


def guarded_filters(available: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    guarded = {**available, **_GUARDED_FILTERS}
    for name, position in (("string", 0), ("pprint", 0), ("tojson", 1)):
        guarded[name] = _printing_whole(name, available[name], position)
    return {name: _checked_filter(name, function) for name, function in guarded.items()}


