"""The facilitators' activity page (`/aktivitet`): recent saves, publications, status changes, sign-ins and
failed sign-ins (the log is written through webui/audit.py)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from toolkit.people.activity import ActivityLog, timeline
from webui.context import LOG_KEY, activity_log, instance
from webui.guards import needs

bp = Blueprint("activity", __name__)


@bp.get("/aktivitet")
@needs("see_activity")
def activity(user):
    events = timeline(activity_log(), instance().recent_changes(100), limit=100)
    return render_template("activity/activity.html", events=events)


def init_app(app: Flask, log: ActivityLog) -> None:
    app.extensions[LOG_KEY] = log
