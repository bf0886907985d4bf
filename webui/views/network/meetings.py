"""Meetings and the annual plan (`/moeder/`).

Everyone reads the annual plan and the meeting pages and takes them into a calendar (.ics) or Word; facilitators
create and edit meetings and download a meeting's decision minutes generated from the `beslutningsreferat`
template. Every form has a CSRF token, rights come from toolkit.people.permissions, and what was typed comes back
with the problems when a save is refused. Topic proposals are in proposals.py.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from toolkit.errors import Conflict, Invalid, InvalidSlug, Problem, WriteFailed
from toolkit.network.annualplan import annual_plan_docx
from toolkit.network.icsfile import meeting_ics, plan_ics
from toolkit.network.meetings import (
    Meeting,
    default_year,
    meetings_of_year,
    new_slug,
    next_meeting,
    save_meeting,
    years,
)
from toolkit.network.minutes import MINUTES_TEMPLATE, minutes_answers
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from webui import csrf
from webui.addresses import absolute, site_links
from webui.context import instance, library
from webui.errors import error_page, not_saved
from webui.filters import DANISH_MONTHS, ENGLISH_MONTHS
from webui.guards import needs
from webui.i18n import current_lang
from webui.identity import current_user, resumed_form
from webui.views.documents.templates import DOCX_MIMETYPE
from webui.views.network.meetingdata import (
    EXPIRED,
    MEETING_STATUS,
    RESUMED,
    author,
    formed_groups,
    group_names,
    problems_with_labels,
    records,
)
from webui.views.network.meetingform import empty_form, form_of, posted, record_data
from webui.views.network.partnerdata import call_deadlines
from webui.views.network.signupdata import follow_up, invited_notice, page_data
from webui.visibility import hidden_from_reader

bp = Blueprint("meetings", __name__)
ICS_MIMETYPE = "text/calendar"  # werkzeug adds "; charset=utf-8"


def _month_name(month: int) -> str:
    return (ENGLISH_MONTHS if current_lang() == "en" else DANISH_MONTHS)[month - 1]


def _year_argument() -> int | None:
    raw = request.args.get("aar")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400)
    return int(raw)


def _ics_response(text: str, filename: str) -> Response:
    return Response(text.encode("utf-8"), mimetype=ICS_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, max-age=300"})


def _meeting_url(meeting: Meeting) -> str:
    """The meeting page's absolute address: NETKIT_BASE_URL's, else the (proxy-corrected) request's, as feeds."""
    return absolute("meetings.meeting", slug=meeting.slug)


# -- the annual plan -----------------------------------------------------------------------------------------------


@bp.get("/moeder/")
def annual_plan():
    meetings, _proposals = records()
    year = _year_argument() or default_year(meetings, dt.date.today())
    chosen = meetings_of_year(meetings, year)
    months = [(_month_name(month), list(items)) for month, items in groupby(chosen, key=lambda m: m.date.month)]
    known = sorted(set(years(meetings)) | {year, dt.date.today().year})
    return render_template("meetings/plan.html", year=year, months=months, count=len(chosen), years=known,
                           statuses=MEETING_STATUS, manage=can(current_user(), "plan_meetings"))


@bp.get("/moeder/aarsplan/<int:year>.ics")
def plan_calendar(year: int) -> Response:
    meetings, _proposals = records()
    text = plan_ics(meetings.all(), year=year, url_for=_meeting_url, taxonomy=library().taxonomy,
                    calls=call_deadlines(year))  # the funding calls' deadlines beside the meetings
    return _ics_response(text, f"netvaerksmoeder-{year}.ics")


@bp.get("/moeder/aarsplan/<int:year>.docx")
def plan_document(year: int) -> Response:
    meetings, _proposals = records()
    settings = current_app.config.get("NETKIT_SETTINGS")
    name = getattr(settings, "network_name", None) or "Netværket for AI på sundhedsdata"
    data = annual_plan_docx(meetings.all(), year, library().taxonomy, network_name=name, calls=call_deadlines(year))
    return Response(data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="aarsplan-{year}.docx"', "Cache-Control": "private, max-age=300"})


# -- one meeting ---------------------------------------------------------------------------------------------------


@bp.get("/moeder/<slug>/")
def meeting(slug: str):
    meetings, proposals = records()
    current = meetings.get(slug)
    lib = library()
    user = current_user()
    minutes_html = Markup(site_links(lib.renderer.render(current.minutes, lib.targets).html)) \
        if current.minutes else None
    material = (lib.get(current.minutes_material) if current.minutes_material in lib
                and current.minutes_material not in hidden_from_reader() else None)
    planned = [proposals.get(p) for p in current.proposals if p in proposals] if user else []
    groups = group_names()
    manage = can(user, "plan_meetings")
    prefill = _prefill_fields(current, meetings) if manage and current.agenda else []
    return render_template("meetings/meeting.html", meeting=current, minutes_html=minutes_html, material=material,
                           planned=planned, groups=groups, formed=formed_groups(current), manage=manage,
                           signed_in=user is not None,
                           statuses=MEETING_STATUS, prefill=prefill, template_name=MINUTES_TEMPLATE,
                           saved=request.args.get("gemt"), signups=page_data(current, user, manage),
                           invited=invited_notice(request.args) if manage else "", answer=request.args.get("svar"))


@bp.get("/moeder/<slug>.ics")
def meeting_calendar(slug: str):
    meetings, _proposals = records()
    current = meetings.get(slug)
    try:
        text = meeting_ics(current, url=_meeting_url(current), taxonomy=library().taxonomy)
    except Invalid:
        return error_page(410, _("Mødet er aflyst, så der er ingen kalenderfil til det. Årsplanens kalenderfil "
                                 "viser det som aflyst."))
    return _ics_response(text, f"{slug}.ics")


@bp.get("/moeder/<slug>/referat.docx")
@needs("plan_meetings")
def minutes_download(slug: str, user: User):
    """The Word minutes as the minutes record makes them (decisions and action items entered in the browser, the
    attendees from the sign-ups): one Word minutes whichever button a facilitator uses."""
    from webui.views.network.decisions import minutes_docx as record_minutes

    records()[0].get(slug)  # an unknown meeting is a 404 before anything is generated
    return record_minutes(slug)


def _prefill_fields(meeting: Meeting, meetings) -> list[tuple[str, str]]:
    """The minutes answers as the template form's fields (`q.<id>`, `q.<group>.<row>.<field>`), so a
    facilitator can open the questionnaire filled in and complete it there."""
    answers = minutes_answers(meeting, next_meeting=next_meeting(meetings, meeting), taxonomy=library().taxonomy,
                              groups=group_names())
    fields: list[tuple[str, str]] = []
    for key, value in answers.items():
        if isinstance(value, list):
            for row, record in enumerate(value):
                fields += [(f"q.{key}.{row}.{name}", str(item)) for name, item in record.items() if item]
        elif isinstance(value, bool):
            if value:
                fields.append((f"q.{key}", "ja"))
        elif isinstance(value, dt.date):
            fields.append((f"q.{key}", value.isoformat()))
        else:
            fields.append((f"q.{key}", str(value)))
    return fields


# -- creating and editing meetings ---------------------------------------------------------------------------------


def _form_page(form: dict, *, meeting: Meeting | None, status: int = 200, problems=None, message: str | None = None):
    taxonomy = library().taxonomy
    return render_template("meetings/edit.html", form=form, meeting=meeting, statuses=MEETING_STATUS,
                           topics=taxonomy.ids("topics"), roles=taxonomy.ids("audiences"),
                           groups=sorted(group_names().items()), problems=problems_with_labels(problems or []),
                           message=message), status


@bp.route("/moeder/ny", methods=["GET", "POST"])
@needs("plan_meetings")
def create(user: User):
    if request.method == "GET":
        kept = resumed_form()  # typed before the session ended
        return (_form_page(posted(kept), meeting=None, message=str(RESUMED)) if kept is not None
                else _form_page(empty_form(user.name), meeting=None))
    form = posted()
    if not csrf.valid():
        return _form_page(form, meeting=None, status=400, message=str(EXPIRED))
    return _save_new(form, user)


def _save_new(form: dict, user: User):
    try:
        day = dt.date.fromisoformat(form["date"].strip())
    except ValueError:
        day = None
    slug = (new_slug(day, form["theme"]) if day else "") or "nyt-moede"  # no date: the core names every problem
    meetings, _proposals = records()
    try:
        saved = save_meeting(instance(), meetings, slug, record_data(form), author(user),
                             form["message"].strip() or _("Nyt møde: %(theme)s", theme=form["theme"].strip()[:80]),
                             create=True)
    except Conflict:
        return _form_page(form, meeting=None, status=409, problems=[Problem.at(
            "slug", _("Der er allerede et møde med samme dato og tema (%(slug)s).", slug=slug), field="theme")])
    except WriteFailed as exc:
        return _form_page(form, meeting=None, status=503, message=not_saved(exc))
    except (Invalid, InvalidSlug) as exc:
        return _form_page(form, meeting=None, status=400, problems=getattr(exc, "problems", None) or [
            Problem.at("theme", str(exc), field="theme")])
    return redirect(url_for("meetings.meeting", slug=saved.slug, gemt="gemt"))


@bp.route("/moeder/<slug>/rediger", methods=["GET", "POST"])
@needs("plan_meetings")
def edit(slug: str, user: User):
    meetings, _proposals = records()
    current = meetings.get(slug)
    if request.method == "GET" and (kept := resumed_form()) is not None:
        return _form_page(posted(kept), meeting=current, message=str(RESUMED))
    if request.method == "GET":
        current, base = meetings.current(slug)
        return _form_page(form_of(current) | {"base": base}, meeting=current)
    form = posted()
    if not csrf.valid():
        return _form_page(form, meeting=current, status=400, message=str(EXPIRED))
    return _save_edit(current, form, user)


def _save_edit(current: Meeting, form: dict, user: User):
    meetings, _proposals = records()
    try:
        save_meeting(instance(), meetings, current.slug, record_data(form), author(user),
                     form["message"].strip() or _("Møde redigeret i browseren"), create=False,
                     base=form["base"])  # a form without its base is refused like a stale one
    except Invalid as exc:
        return _form_page(form, meeting=current, status=400, problems=exc.problems)
    except WriteFailed as exc:
        return _form_page(form, meeting=current, status=503, message=not_saved(exc))
    except Conflict:
        form["base"] = meetings.digest(current.slug)  # saving again keeps this text, now knowingly
        return _form_page(form, meeting=meetings.get(current.slug), status=409, message=_(
            "En anden har gemt mødet, siden du åbnede det. Din udgave er bevaret nedenfor: se mødets side i en ny "
            "fane, og gem igen for at bruge din."))
    follow_up(current.slug)  # a new time, place or the cancellation: the invitees hear of it
    return redirect(url_for("meetings.meeting", slug=current.slug, gemt="gemt"))
