"""The facilitators' list of materials to review (`/gennemgang`): reviews overdue or due within a month,
materials without review months, and "tjekket" markers older than six months (toolkit.library.freshness)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template

from toolkit.library.freshness import DUE_AHEAD_MONTHS, STALE_AFTER_MONTHS, due, month_of, stale_markers
from webui.context import library
from webui.guards import needs

bp = Blueprint("review", __name__)


@bp.get("/gennemgang")
@needs("see_reviews")
def due_reviews(user):
    today, lib = dt.date.today(), library()
    return render_template("review/due.html", reviews=due(lib, today), markers=stale_markers(lib, today),
                           this_month=month_of(today), ahead=DUE_AHEAD_MONTHS, stale_after=STALE_AFTER_MONTHS)
