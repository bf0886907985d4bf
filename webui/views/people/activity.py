"""The facilitators' activity page (`/aktivitet`): recent saves, publications, status changes, sign-ins and
failed sign-ins (the log is written through webui/audit.py).

A row names its materials by title (a comment's commit touches no material file: its message names the
material), and a change that touched many materials (the instance's creation, a rename that moved links in a
dozen others) says how many instead of listing them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import Blueprint, Flask, render_template
from flask_babel import ngettext

from toolkit.errors import NetkitError
from toolkit.people.activity import ActivityLog, Event, timeline
from webui.context import LOG_KEY, activity_log, instance, library
from webui.coremessages import SLUG, core_message
from webui.guards import needs

bp = Blueprint("activity", __name__)

MOST_LISTED = 3  # more materials than this are counted, not listed
COMMENT = re.compile(rf"(?P<slug>{SLUG}): (?:ny kommentar|svar|kommentar løst|kommentar genåbnet) \(")
RENAME = re.compile(rf"Rename (?P<old>{SLUG}) → (?P<new>{SLUG})\b")


@dataclass(frozen=True)
class Row:
    time: dt.datetime
    kind: str
    who: str
    materials: tuple[tuple[str, str], ...]  # (slug, title), listed
    counted: int  # materials touched, when too many to list (0: none counted)
    detail: str  # in the reader's language


@bp.get("/aktivitet")
@needs("see_activity")
def activity(user):
    events = timeline(activity_log(), instance().recent_changes(100), limit=100)
    moved = instance().revisions.redirects.current()  # old address → new: a material renamed since
    return render_template("activity/activity.html", rows=[_row(e, moved) for e in events])


def _row(event: Event, moved: dict[str, str]) -> Row:
    slugs, detail = event.slugs, core_message(event.detail) if event.revision else event.detail  # else: an address
    if comment := COMMENT.match(event.detail):
        slugs = (comment["slug"],)
    elif rename := RENAME.match(event.detail):
        linked = [s for s in slugs if s not in (rename["old"], rename["new"])]
        slugs = (rename["new"],)
        if linked:
            detail = "{} · {}".format(detail, ngettext("Links opdateret i %(num)s materiale",
                                                        "Links opdateret i %(num)s materialer", len(linked)))
    if len(slugs) > MOST_LISTED:
        return Row(event.time, event.kind, event.who, (), len(slugs), detail)
    named = tuple((s, _title(s)) for s in dict.fromkeys(moved.get(s, s) for s in slugs))
    return Row(event.time, event.kind, event.who, named, 0, detail)


def _title(slug: str) -> str:
    try:
        return library().get(slug).title
    except (KeyError, NetkitError):  # a material since removed: its address as written
        return slug


def init_app(app: Flask, log: ActivityLog) -> None:
    app.extensions[LOG_KEY] = log
    try:
        log.expire()  # lines past NETKIT_ACTIVITY_DAYS leave the file at start, not only at the next sign-in
    except OSError as exc:
        app.logger.warning("the activity log could not be cut to its age limit: %s", exc)
