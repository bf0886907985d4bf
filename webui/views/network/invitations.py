"""Facilitators invite to a meeting (`/moeder/<slug>/inviter`) and download its participant list
(`/moeder/<slug>/deltagere.csv`). The invitation form takes named people (one per line) and every account of a
role or working group; the core mails each new invitee once (toolkit.network.invitations). A refused form keeps
what was typed and names the problem at its field."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.errors import Invalid, WriteFailed
from toolkit.network.invitations import INVITE_MAX
from toolkit.network.participants import to_csv
from toolkit.people.accounts import User
from webui import csrf
from webui.errors import not_saved
from webui.guards import needs
from webui.views.network.meetingdata import EXPIRED, group_names, records
from webui.views.network.signupdata import invitations

bp = Blueprint("invitations", __name__)
ROLE_LABELS = {"all": _l("Alle med en konto"), "member": _l("Medlemmer"), "facilitator": _l("Facilitatorer"),
               "admin": _l("Administratorer")}
PEOPLE_MAX = 50_000  # characters in the people field


def _found():
    found = invitations()
    if found is None:  # served from a plain folder: no instance, nothing to send from
        abort(404)
    return found


def _form_page(meeting, form: dict, *, errors: dict | None = None, message: str = "", status: int = 200):
    return render_template("meetings/invite.html", meeting=meeting, form=form, errors=errors or {},
                           message=message, roles=ROLE_LABELS, groups=sorted(group_names().items()),
                           server=_found().outbox.server is not None), status


@bp.route("/moeder/<slug>/inviter", methods=["GET", "POST"])
@needs("plan_meetings")
def invite(slug: str, user: User):
    meetings, _proposals = records()
    meeting = meetings.get(slug)
    found = _found()
    if request.method == "GET":
        invited = {s.address for s in found.store.of(slug)}
        named = "\n".join("; ".join(part for part in (p.name, p.organisation, p.email) if part)
                          for p in meeting.invitees if p.email and p.email.casefold() not in invited)
        return _form_page(meeting, {"people": named, "roles": [], "groups": []})
    form = {"people": request.form.get("people", "")[:PEOPLE_MAX], "roles": request.form.getlist("roles"),
            "groups": request.form.getlist("groups")}
    if not csrf.valid():
        return _form_page(meeting, form, message=str(EXPIRED), status=400)
    lines = [line.strip() for line in form["people"].splitlines() if line.strip()]
    groups = [f"group:{group}" for group in form["groups"] if group in group_names()]
    targets = lines + [role for role in form["roles"] if role in ROLE_LABELS] + groups
    errors = {}
    if not targets:
        errors["people"] = _("Skriv mindst én person, eller vælg en rolle eller en arbejdsgruppe.")
    if wrong := [line for line in lines if found.resolve([line])[2]]:
        errors["people"] = _("Disse linjer er ikke en person med e-mailadresse (skriv navn; organisation; e-mail): "
                             "%(lines)s", lines=" · ".join(line[:100] for line in wrong[:10]))
    if empty := [group[6:] for group in groups if found.resolve([group])[2]]:
        errors["groups"] = _("Disse arbejdsgrupper har ingen medlemmer: %(groups)s",
                             groups=", ".join(group_names()[g][0] for g in empty))
    if errors:
        return _form_page(meeting, form, errors=errors, status=400)
    people, without, problems = found.resolve(targets)
    if problems:  # what the per-line checks above cannot see: too many people at once
        return _form_page(meeting, form, errors={"people": _("Højst %(max)s personer ad gangen. Invitér i flere "
                                                             "omgange.", max=INVITE_MAX)}, status=400)
    try:
        done = found.invite(slug, people)
    except Invalid:
        return _form_page(meeting, form, message=_("Mødet er ikke åbent for invitationer (det er afholdt eller "
                                                   "aflyst)."), status=409)
    except WriteFailed as exc:
        return _form_page(meeting, form, message=not_saved(exc), status=503)
    return redirect(url_for("meetings.meeting", slug=slug, inviteret=len(done.added), tidligere=len(done.already),
                            uden=len(without), sendt=0 if done.unsent else 1) + "#tilmeldinger")


@bp.get("/moeder/<slug>/deltagere.csv")
@needs("plan_meetings")
def participants_csv(slug: str, user: User) -> Response:
    meetings, _proposals = records()
    meeting = meetings.get(slug)
    data = to_csv(_found().store.of(meeting.slug))
    return Response(data, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="deltagere-{slug}.csv"', "Cache-Control": "no-store"})
