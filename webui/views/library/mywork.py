"""The page "Mit arbejde" (`/mit-arbejde`): a signed-in person's drafts, what they asked to have reviewed and what came
back to them with the reviewer's comment; for facilitators also everything waiting for review or publishing,
oldest waiting first (toolkit.history.worklist). The header's count comes from the same entries, kept per
library version, so no page reads the history for it."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, current_app, render_template

from toolkit.history.worklist import Entry, Queue, Worklist, entries, history_commits, identities, worklist
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from webui.context import accounts, has_history, instance, library
from webui.guards import signed_in
from webui.identity import current_user

bp = Blueprint("mywork", __name__)
log = logging.getLogger(__name__)
QUEUE_KEY = "netkit.worklist"


@bp.get("/mit-arbejde")
@signed_in
def mywork(user: User) -> str:
    work = worklist_of(user)
    names = {u.name: u.display_name for u in accounts().users()}
    return render_template("mywork/mywork.html", work=work, names=names, now=dt.datetime.now(dt.UTC))


def worklist_of(user: User) -> Worklist:
    me = identities(user.name, f"{user.name}@netkit.localhost", user.email)  # the web commits as name@netkit.localhost
    return worklist(_entries(), me, reviewer=can(user, "review"))


def _entries() -> list[Entry]:
    lib = library()
    if not has_history():  # a plain folder: the statuses, without when or by whom
        return entries(lib, lambda slug: ())
    queue = current_app.extensions.setdefault(QUEUE_KEY, Queue())
    versioned = instance()
    return queue.entries(lib, versioned.head(), history_commits(versioned.revisions))


@bp.app_template_global("work_waiting")
def work_waiting() -> int | None:
    """For the header: how much waits for the signed-in person (returned drafts; a reviewer's queue too)."""
    user = current_user()
    if user is None:
        return None
    try:
        return worklist_of(user).waiting_for_me
    except Exception:  # a count in the header must never take the page down with it
        log.exception("the worklist count for the header failed")
        return None
