"""Answering an invitation: by the personal link of the mail (`/moeder/<slug>/svar/<token>`, no account needed) or
signed in on the meeting page (`POST /moeder/<slug>/tilmelding`). A GET of the link only shows the meeting and the
question — mail systems open links to check them — and the answer is a POST with the form's CSRF token. A link
that was altered answers 404, one for a meeting that has taken place or is cancelled 410, each with a Danish page
that says why."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Invalid, WriteFailed
from toolkit.network.invitations import Refused
from toolkit.network.rsvp import expired
from toolkit.network.signups import ANSWERS
from toolkit.people.accounts import User
from webui import csrf
from webui.errors import error_page, not_saved
from webui.guards import signed_in
from webui.identity import current_user
from webui.views.network.meetingdata import EXPIRED, records
from webui.views.network.signupdata import ANSWER_LABELS, invitations, waiting_position

bp = Blueprint("rsvp", __name__)


def _refusal(reason: str):
    if reason == "cancelled":
        return error_page(410, _("Mødet er aflyst, så der kan ikke svares på invitationen længere."))
    if reason == "expired":
        return error_page(410, _("Linket er udløbet: mødet har fundet sted. Svar på invitationen kan kun gives "
                                 "indtil mødets dag."))
    return error_page(404, _("Linket er ikke gyldigt. Brug linket i den seneste invitation, eller spørg mødets "
                             "facilitator."))


def _found():
    found = invitations()
    if found is None:
        abort(404)
    return found


@bp.route("/moeder/<slug>/svar/<token>", methods=["GET", "POST"])
def answer_by_link(slug: str, token: str):
    meetings, _proposals = records()
    meeting = meetings.get(slug)
    found = _found()
    signup = found.from_token(slug, token)
    if signup is None:
        return _refusal("unknown")
    error = ""
    if request.method == "POST":
        chosen = request.form.get("answer", "")
        if not csrf.valid():
            error = str(EXPIRED)
        elif chosen not in ANSWERS:
            error = _("Vælg ja, nej eller måske.")
        else:
            try:
                found.answer(slug, chosen, key=signup.key)
            except Refused as exc:
                return _refusal(exc.reason)
            except WriteFailed as exc:
                return error_page(503, not_saved(exc))
            return redirect(url_for("rsvp.answer_by_link", slug=slug, token=token, svaret=1))
    elif meeting.status == "cancelled":
        return _refusal("cancelled")
    elif meeting.status == "held" or expired(meeting):
        return _refusal("expired")
    signup = found.from_token(slug, token) or signup
    return render_template("meetings/rsvp.html", meeting=meeting, signup=signup, error=error,
                           answered=request.args.get("svaret") == "1",
                           position=waiting_position(found.store.of(slug), signup),
                           summary=found.store.summary(slug, meeting.capacity)), 400 if error else 200


@bp.post("/moeder/<slug>/tilmelding")
@signed_in
def answer_signed_in(slug: str, user: User):
    meetings, _proposals = records()
    meeting = meetings.get(slug)
    found = _found()
    chosen = request.form.get("answer", "")
    if not csrf.valid():
        return error_page(400, str(EXPIRED))
    if not user.email:
        return error_page(400, _("Din konto har ingen e-mailadresse. Bed en administrator om at tilføje den, så du "
                                 "kan tilmelde dig."))
    if chosen not in ANSWERS:
        return redirect(url_for("meetings.meeting", slug=slug, svar="mangler") + "#tilmelding")
    try:
        found.answer(meeting.slug, chosen, email=user.email, name=user.display_name, user=user.name)
    except Refused as exc:
        return _refusal(exc.reason)
    except Invalid:
        abort(400)
    except WriteFailed as exc:
        return error_page(503, not_saved(exc))
    return redirect(url_for("meetings.meeting", slug=slug, svar="gemt") + "#tilmelding")


@bp.app_template_global("my_invitations")
def my_invitations() -> list[dict]:
    """"Mit arbejde": the signed-in person's invitations to meetings still to come, the unanswered first."""
    user, found = current_user(), invitations()
    if user is None or found is None or not user.email:
        return []
    meetings, _proposals = records()
    rows = []
    for signup in found.store.with_address(user.email):
        meeting = meetings.get(signup.meeting) if signup.meeting in meetings else None
        if meeting is not None and meeting.is_open and not expired(meeting):
            rows.append({"meeting": meeting, "answer": ANSWER_LABELS.get(signup.answer, ""),
                         "answered": bool(signup.answer), "waiting": signup.place == "waiting"})
    return sorted(rows, key=lambda row: (row["answered"], row["meeting"].date))
