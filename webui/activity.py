"""The facilitators' activity page (`/aktivitet`): recent saves, publications, status changes, sign-ins and
failed sign-ins; and `record`, which the sign-in page uses to write to the activity log."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for

from toolkit.people.activity import ActivityLog, timeline
from toolkit.people.permissions import can
from webui.context import instance

bp = Blueprint("activity", __name__)
LOG_KEY = "netkit.activity"


def record(app: Flask, kind: str, who: str, detail: str = "") -> None:
    log = app.extensions.get(LOG_KEY)
    if log is not None:
        log.record(kind, who, detail)


@bp.get("/aktivitet")
def activity():
    from webui.auth import current_user  # here, not at the top: the sign-in page imports this module

    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if not can(user, "see_activity"):
        abort(403)
    events = timeline(current_app.extensions[LOG_KEY], instance().recent_changes(100), limit=100)
    return render_template("activity/activity.html", events=events)


def init_app(app: Flask, log: ActivityLog) -> None:
    app.extensions[LOG_KEY] = log
    app.register_blueprint(bp)
