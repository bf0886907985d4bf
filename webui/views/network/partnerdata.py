"""What the partner pages and the project form share: the funding calls' records of the current library, the
partner kinds' labels in the reader's language, and the core's problems with what a project seeks, offers and
seeks funding from said in the reader's language (the core writes English for the CLI and the log)."""

from __future__ import annotations

import re
from dataclasses import replace

from flask import current_app
from flask_babel import gettext as _

from toolkit.errors import Problem
from toolkit.history.records import Records
from toolkit.network.calls import Call, call_records, calls_of_year
from toolkit.network.projects.model import PARTNER_KINDS, label
from webui.context import library
from webui.i18n import current_lang

CALLS_KEY = "netkit.call-records"
PARTNER_FIELDS = ("seeks", "offers", "seeks_funding_from")


def calls() -> Records[Call]:
    """The funding calls of the current library (made again when the library's folder changes)."""
    root = library().root
    cached = current_app.extensions.get(CALLS_KEY)
    if cached is None or cached[0] != str(root):
        cached = (str(root), call_records(root))
        current_app.extensions[CALLS_KEY] = cached
    return cached[1]


def call_deadlines(year: int) -> list[Call]:
    """The calls whose deadline falls in this year, by deadline (the annual plan's and its calendar's)."""
    return calls_of_year(calls().all(), year)


def kind_label(kind: str) -> str:
    return label(PARTNER_KINDS, kind, current_lang())


_ENTRY = r"entry (?P<n>\d+): "
_RULES: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(_ENTRY + r"choose a kind; .*"),
     lambda m: _("Række %(n)s: vælg, hvad projektet søger eller tilbyder.", n=m["n"])),
    (re.compile(_ENTRY + r"'(?P<kind>.*)' is not a partner kind.*"),
     lambda m: _("Række %(n)s: »%(kind)s« er ikke en af mulighederne; vælg en på listen.", n=m["n"],
                 kind=m["kind"][:40])),
    (re.compile(_ENTRY + r"the text is one line; .*"),
     lambda m: _("Række %(n)s: beskrivelsen skal være én linje; fjern linjeskiftet.", n=m["n"])),
    (re.compile(_ENTRY + r"the text holds a control character; .*"),
     lambda m: _("Række %(n)s: beskrivelsen indeholder et kontroltegn; fjern det.", n=m["n"])),
    (re.compile(_ENTRY + r"the text is (?P<len>\d+) characters; keep it to (?P<max>\d+)"),
     lambda m: _("Række %(n)s: beskrivelsen er %(len)s tegn; skriv højst %(max)s.", n=m["n"], len=m["len"],
                 max=m["max"])),
    (re.compile(r"has (?P<len>\d+) entries; keep it to (?P<max>\d+)"),
     lambda m: _("Der er %(len)s rækker; højst %(max)s.", len=m["len"], max=m["max"])),
    (re.compile(r"'(?P<slug>.*)' is (?:no funding call|not the id of a funding call).*"),
     lambda m: _("»%(slug)s« er ikke et opslag i Netkit; vælg et på listen.", slug=m["slug"][:60])),
)


def rows_in_error(problems: list[Problem]) -> dict[str, set[int]]:
    """The rows (1-based) of seeks and offers that a problem names ("entry 3: …"), to mark them in the form."""
    rows: dict[str, set[int]] = {}
    for problem in problems:
        found = re.match(r"entry (\d+): ", problem.message)
        if problem.field in ("seeks", "offers") and found:
            rows.setdefault(problem.field, set()).add(int(found[1]))
    return rows


def in_reader_language(problems: list[Problem]) -> list[Problem]:
    """The problems of the partner fields in the reader's language; the others as they are."""
    return [_translated(p) if p.field in PARTNER_FIELDS else p for p in problems]


def _translated(problem: Problem) -> Problem:
    for pattern, render in _RULES:
        match = pattern.fullmatch(problem.message.strip())
        if match is not None:
            return replace(problem, message=render(match))
    return problem
