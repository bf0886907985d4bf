"""The facilitators' list of materials to review (`/gennemgang`): reviews overdue or due within a month,
materials without review months, and "tjekket" markers older than six months (toolkit.library.freshness)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, render_template, request, url_for

from toolkit.library.freshness import DUE_AHEAD_MONTHS, STALE_AFTER_MONTHS, due, month_of, stale_markers
from toolkit.people.permissions import can
from webui.auth import current_user
from webui.context import library

bp = Blueprint("review", __name__)


@bp.get("/gennemgang")
def due_reviews():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "see_reviews"):
        abort(403)
    today = dt.date.today()
    lib = library()
    return render_template("review/due.html", reviews=due(lib, today), markers=stale_markers(lib, today),
                           this_month=month_of(today), ahead=DUE_AHEAD_MONTHS, stale_after=STALE_AFTER_MONTHS)
