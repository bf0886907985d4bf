"""The sandbox's limits: how much memory and time one template or expression may ask for.

They make `{{ 'A'*3000000000 }}`, `2**100000000` or a loop inside a loop over large ranges refused at once instead of
taking the server's memory or minutes of time:

- a text or list made inside the sandbox (by `*`, `+`, `~`, `%`, a filter or a method) holds at most
  MAX_VALUE_LENGTH characters or items; where the size can be known beforehand (`*`, `+`, `~`, padding, `replace`,
  `join`, format widths …) it is checked before the value is made. A whole number has at most MAX_INTEGER_DIGITS.
- `range` gives at most MAX_RANGE numbers.
- one render (a Word document with all its parts, one short text, one expression) runs at most MAX_STEPS loop
  iterations and calls, and makes at most MAX_CHARACTERS characters (its output and the texts made on the way).

A refused operation raises LimitExceeded (a SecurityError) saying which limit it reached. This module holds the
limits, the budget of the render in progress and the checks; the environment that calls them from Jinja's hooks is
toolkit.documents.sandbox, the guarded filters toolkit.documents.sandboxfilters.
"""

from __future__ import annotations

import contextlib
import math
import re
import string
import types
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SecurityError

MAX_VALUE_LENGTH = 100_000  # characters of one text, or items (and the characters they hold) of one list
MAX_INTEGER_DIGITS = 1_000
MAX_RANGE = 10_000  # Jinja's own is 100,000; a document's tables have tens or hundreds of rows
MAX_STEPS = 100_000  # loop iterations and calls in one render
MAX_CHARACTERS = 20_000_000  # the bundled templates make ~1 million characters of XML per document

_MAX_INTEGER_BITS = int(MAX_INTEGER_DIGITS / math.log10(2))


class LimitExceeded(SecurityError):
    """A template or expression asked for more memory or time than the sandbox allows."""


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


def current_budget() -> RenderBudget:
    """The budget of the render in progress; outside a render (compiling, constant folding) a throwaway one."""
    return _active_budget.get() or RenderBudget()


@contextlib.contextmanager
def render_scope(budget: RenderBudget | None = None) -> Iterator[None]:
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


def size_of(value: Any) -> int:
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


def refuse_if_too_long(length: int, what: str) -> None:
    if length > MAX_VALUE_LENGTH:
        raise LimitExceeded(f"{what} would make a value of {length:,} characters or items; "
                            f"the sandbox allows at most {MAX_VALUE_LENGTH:,}")


def made(value: Any, what: str) -> Any:
    """Check a value an operation has just made: not too long, and its characters count against the budget."""
    if isinstance(value, str | bytes | list | tuple | set | frozenset | dict):
        refuse_if_too_long(len(value), what)
        if isinstance(value, str):
            current_budget().make(len(value))
    return value


# --- operators -----------------------------------------------------------------------------------------------

def check_operation(operator: str, left: Any, right: Any) -> None:
    what = f"'{operator}'"
    if operator == "*":
        _check_multiplication(left, right, what)
    elif operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        refuse_if_too_long(size_of(left) + size_of(right), what)
    elif operator == "**":
        _check_power(left, right, what)
    elif operator == "%" and isinstance(left, str):
        check_printf(left, what)
        refuse_if_too_long(size_of(right), what)


def _check_multiplication(left: Any, right: Any, what: str) -> None:
    if isinstance(left, int) and isinstance(right, _SEQUENCES):
        left, right = right, left
    if isinstance(left, _SEQUENCES) and isinstance(right, int):
        refuse_if_too_long(size_of(left) * max(right, 0), what)
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


def check_printf(template: str, what: str) -> None:
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


def text_method(function: Any) -> tuple[str, str] | None:
    """(the text, the method name) when `function` is a bound method of a text (str.format is wrapped by Jinja)."""
    target = getattr(function, "__wrapped__", function)
    owner = getattr(target, "__self__", None)
    if isinstance(target, types.BuiltinMethodType) and isinstance(owner, str):
        return owner, target.__name__
    return None


def check_text_method(text: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """Refuse a method call on a text whose result would be too long; returns the arguments to call it with."""
    what = f"'.{name}()'"
    if name in _PADDING_METHODS and args and isinstance(args[0], int):
        refuse_if_too_long(args[0], what)
    elif name == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tabsize, int):
            refuse_if_too_long(len(text) + text.count("\t") * tabsize, what)
    elif name == "replace" and len(args) >= 2:
        refuse_if_too_long(replaced_length(text, *args[:3]), what)
    elif name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        refuse_if_too_long(len(text) * longest, what)
    elif name == "join" and len(args) == 1:
        items = list(args[0])  # an iterator is read once here and handed on as a list
        refuse_if_too_long(size_of(items) + len(items) * len(text), what)
        return (items,)
    elif name in ("format", "format_map"):
        _check_str_format(text, what)
        refuse_if_too_long(size_of([args, kwargs]), what)
    return args


def replaced_length(text: str, old: Any, new: Any, count: Any = None) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)  # replace itself refuses other types
    occurrences = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * max(len(new) - len(old), 0)


