"""A meeting's participant list for its facilitators: the rows of the page and the CSV download.

CSV as Danish Excel opens it (like the project export): UTF-8 with a byte-order mark, semicolons, CRLF; Danish
headers and values; a cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return that some programs skip first) gets a leading apostrophe, so a name typed as "=HYPERLINK(…)" stays text.
Ordered as the facilitator reads it: those with a seat, the waiting list in its order, maybe, not answered, no.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from toolkit.network.meetings import ZONE
from toolkit.network.signups import Signup

HEADERS = ("Navn", "Organisation", "E-mail", "Svar", "Plads", "Besvaret", "Inviteret")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ORDER = {"seat": 0, "waiting": 1}
_ANSWER_ORDER = {"maybe": 2, "": 3, "no": 4}


def ordered(signups: Iterable[Signup]) -> list[Signup]:
    return sorted(signups, key=lambda s: (_ORDER.get(s.place, _ANSWER_ORDER.get(s.answer, 3)),
                                          s.waiting_since or 0, s.name.casefold()))


def local_time(stamp: float | None) -> str:
    """"2027-01-10 14:03" in Danish time ("" when not given)."""
    return dt.datetime.fromtimestamp(stamp, ZONE).strftime("%Y-%m-%d %H:%M") if stamp else ""


def to_csv(signups: Iterable[Signup]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for signup in ordered(signups):
        writer.writerow([_cell(value) for value in (signup.name, signup.organisation, signup.email, signup.answer_da,
                                                    signup.place_da, local_time(signup.answered),
                                                    local_time(signup.invited))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text
