"""Topic proposals (`/emner/`): signed-in members propose topics for the network's meetings and follow them;
facilitators merge duplicates, plan a proposal into a meeting or decline it (toolkit.network.proposals)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Forbidden, Invalid, InvalidSlug, NotFound, Problem, WriteFailed
from toolkit.network.proposals import decline, final, merge, merged_here, plan, propose, queue
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from webui import csrf
from webui.context import instance
from webui.coremessages import core_error
from webui.errors import not_saved
from webui.guards import needs, signed_in
from webui.identity import current_user, resumed_form
from webui.refusals import refuse
from webui.views.network.meetingdata import (
    EXPIRED,
    PROPOSAL_FIELDS,
    PROPOSAL_STATUS,
    RESUMED,
    author,
    problems_with_labels,
    records,
)

bp = Blueprint("proposals", __name__)


def _proposals_page(form: dict | None = None, *, status: int = 200, problems=None, message: str | None = None):
    user = current_user()
    meetings, proposals = records()
    everything = queue(proposals)
    mine = [(p, final(proposals, p)) for p in everything if p.proposer == user.name]
    today = dt.date.today()
    open_meetings = [m for m in meetings.all() if m.is_open and m.date >= today]
    open_meetings.sort(key=lambda m: m.date)
    titles = {p.slug: p for p in everything}
    meeting_of = {m.slug: m for m in meetings.all()}
    return render_template(
        "meetings/proposals.html", form=form or {key: "" for key in PROPOSAL_FIELDS}, proposals=everything,
        mine=mine, titles=titles, meetings=meeting_of, open_meetings=open_meetings,
        merged={p.slug: merged_here(proposals, p) for p in everything}, statuses=PROPOSAL_STATUS,
        propose_allowed=can(user, "propose_topic"), manage=can(user, "plan_meetings"),
        problems=problems_with_labels(problems or []), message=message, sent=request.args.get("sendt"),
        done=request.args.get("udfoert")), status


@bp.route("/emner/", methods=["GET", "POST"])
@signed_in
def proposals_page(user: User):
    if request.method == "GET" and (kept := resumed_form()) is not None:
        return _proposals_page({key: kept.get(key, "")[:5000] for key in PROPOSAL_FIELDS}, message=str(RESUMED))
    if request.method == "GET":
        return _proposals_page()
    if not can(user, "propose_topic"):
        refuse("propose_topic")
    form = {key: request.form.get(key, "")[:5000] for key in PROPOSAL_FIELDS}
    if not csrf.valid():
        return _proposals_page(form, status=400, message=str(EXPIRED))
    _meetings, proposals = records()
    try:
        saved = propose(instance(), proposals, title=form["title"], problem=form["problem"], why=form["why"],
                        proposer=user.name, author=author(user))
    except Invalid as exc:
        return _proposals_page(form, status=400, problems=exc.problems)
    except WriteFailed as exc:
        return _proposals_page(form, status=503, message=not_saved(exc))
    return redirect(url_for("proposals.proposals_page", sendt=saved.slug) + f"#forslag-{saved.slug}")


@bp.post("/emner/<slug>/handling")
@needs("plan_meetings")
def proposal_action(slug: str, user: User):
    if not csrf.valid():
        return _proposals_page(status=400, message=str(_("Formularen var for gammel. Prøv igen.")))
    action = request.form.get("action", "")
    try:
        _carry_out(action, slug, user)
    except (Invalid, InvalidSlug) as exc:
        return _proposals_page(status=400, problems=getattr(exc, "problems", None) or [
            Problem.at(slug, core_error(exc), field="meeting")])
    except Forbidden as exc:
        return _proposals_page(status=409, message=core_error(exc))
    except NotFound as exc:
        return _proposals_page(status=404, message=core_error(exc))
    return redirect(url_for("proposals.proposals_page", udfoert=f"{action}:{slug}") + f"#forslag-{slug}")


def _carry_out(action: str, slug: str, user: User) -> None:
    """Merge the proposal into another, plan it into a meeting or decline it (the core checks the rest)."""
    meetings, proposals = records()
    if action == "merge":
        target = request.form.get("into", "")
        if not target:
            raise Invalid("choose a proposal", [Problem.at(slug, _("Vælg det forslag, det skal slås sammen med."),
                                                           field="merged_into")])
        merge(instance(), proposals, slug, target, author(user))
    elif action == "plan":
        chosen = request.form.get("meeting", "")
        if not chosen:
            raise Invalid("choose a meeting", [Problem.at(slug, _("Vælg det møde, forslaget skal planlægges til."),
                                                          field="meeting")])
        plan(instance(), proposals, meetings, slug, chosen, author(user))
    elif action == "decline":
        decline(instance(), proposals, slug, author(user), request.form.get("note", "")[:500])
    else:
        abort(400)
