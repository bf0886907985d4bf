"""Meetings and the annual plan (`/moeder/`), and topic proposals (`/emner/`).

Everyone reads the annual plan and the meeting pages and takes them into a calendar (.ics) or Word; facilitators
create and edit meetings and download a meeting's decision minutes generated from the `beslutningsreferat`
template. Signed-in members propose topics and follow them; facilitators merge duplicates, plan a proposal into
a meeting or decline it. Every form has a CSRF token, rights come from toolkit.people.permissions, and what was typed
comes back with the problems when a save is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import groupby
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from toolkit.errors import Conflict, Forbidden, Invalid, InvalidSlug, NotFound, Problem, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.library.folder import TAXONOMY_FILE
from toolkit.network.annualplan import annual_plan_docx
from toolkit.network.icsfile import meeting_ics, plan_ics
from toolkit.network.meetings import (
    STATUSES,
    Meeting,
    default_year,
    meeting_records,
    meetings_of_year,
    new_slug,
    next_meeting,
    save_meeting,
    years,
)
from toolkit.network.minutes import MINUTES_TEMPLATE, minutes_answers, minutes_docx
from toolkit.network.proposals import decline, final, merge, merged_here, plan, proposal_records, propose, queue
from toolkit.people.permissions import can
from webui import csrf
from webui.auth import current_user, resumed_form, sign_in_again
from webui.context import hidden_from_reader, instance, library, templates
from webui.errors import error_page, not_saved
from webui.filters import DANISH_MONTHS, ENGLISH_MONTHS
from webui.i18n import current_lang
from webui.templatepages import DOCX_MIMETYPE

bp = Blueprint("meetings", __name__)

RECORDS_KEY = "netkit.meeting-records"
GROUPS_KEY = "netkit.groups"  # the working groups' records, when the app has them (webui.auth)
ICS_MIMETYPE = "text/calendar"  # werkzeug adds "; charset=utf-8"
MEETING_STATUS = {"planned": _l("Planlagt"), "invited": _l("Inviteret"), "held": _l("Afholdt"),
                  "cancelled": _l("Aflyst")}
PROPOSAL_STATUS = {"new": _l("Ny"), "merged": _l("Slået sammen"), "planned": _l("Planlagt"),
                   "declined": _l("Afvist")}
FIELD_LABELS = {"theme": _l("Tema"), "date": _l("Dato"), "start": _l("Starttid"), "end": _l("Sluttid"),
                "place": _l("Sted"), "status": _l("Status"), "facilitator": _l("Facilitator"),
                "topics": _l("Emneområder"), "invited_roles": _l("Inviterede roller"),
                "problem": _l("Problemformulering"), "invitees": _l("Inviterede"), "speakers": _l("Oplægsholdere"),
                "agenda": _l("Dagsorden"), "minutes": _l("Referat"), "minutes_material": _l("Referat som materiale"),
                "formed_groups": _l("Arbejdsgrupper dannet på mødet"), "title": _l("Titel"),
                "why": _l("Hvorfor det er vigtigt på tværs af værdikæden"), "proposer": _l("Forslagsstiller"),
                "merged_into": _l("Slå sammen med"), "meeting": _l("Møde"), "note": _l("Facilitatorens note:")}
EXPIRED = _l("Formularen var for gammel (eller din session udløb). Det, du skrev, er bevaret – send den igen.")
RESUMED = _l("Du er logget ind igen. Det, du skrev, er bevaret – gem det nu.")
FORM_FIELDS = ("theme", "date", "start", "end", "place", "status", "facilitator", "problem", "invitees", "speakers",
               "agenda", "minutes", "minutes_material", "formed_groups", "message", "base")
FORM_LISTS = ("topics", "invited_roles")
PROPOSAL_FIELDS = ("title", "problem", "why")


# -- shared helpers ------------------------------------------------------------------------------------------------


def records():
    """(meetings, proposals) of the current library, made again when the folder or its taxonomy changes."""
    root = library().root
    taxonomy = root / TAXONOMY_FILE
    key = (str(root), taxonomy.stat().st_mtime_ns if taxonomy.exists() else 0)
    cached = current_app.extensions.get(RECORDS_KEY)
    if cached is None or cached[0] != key:
        cached = (key, meeting_records(root), proposal_records(root))
        current_app.extensions[RECORDS_KEY] = cached
    return cached[1], cached[2]


def _author(user) -> Author:
    return Author(user.name, f"{user.name}@netkit.localhost")


def _signed_in_or_login(needs: str | None = None):
    """The signed-in user, or a response: the sign-in page (a POST carries what was typed through it); with
    `needs`, a user without that permission gets the 403 page."""
    user = current_user()
    if user is not None:
        if needs is not None and not can(user, needs):
            abort(403)
        return user, None
    if request.method == "POST":
        return None, sign_in_again(request.path)
    return None, redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def _month_name(month: int) -> str:
    return (ENGLISH_MONTHS if current_lang() == "en" else DANISH_MONTHS)[month - 1]


def _group_names() -> dict[str, tuple[str, str]]:
    """Working-group id → (name, mandate) from the groups' records, when the app keeps them."""
    groups = current_app.extensions.get(GROUPS_KEY)
    try:
        return {g.slug: (g.name, getattr(g, "mandate", "")) for g in groups.all()} if groups is not None else {}
    except Exception:  # the groups' records are another module's; never let them break a meeting page
        return {}


def _formed_groups(meeting: Meeting) -> list[str]:
    """The groups the meeting formed: its own list, and groups whose record names it (`formed_at`)."""
    groups = current_app.extensions.get(GROUPS_KEY)
    try:
        named = [g.slug for g in groups.all() if getattr(g, "formed_at", None) == meeting.slug] if groups else []
    except Exception:  # another module's records; never let them break a meeting page
        named = []
    return list(meeting.formed_groups) + [g for g in named if g not in meeting.formed_groups]


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
    return url_for("meetings.meeting", slug=meeting.slug, _external=True)


def _problems_with_labels(problems: list[Problem]) -> list[tuple[str, str]]:
    """(the field's label, the message) for the problem summary of a form: `invitees[2].email` is shown as
    "Inviterede nr. 2 (email)"."""
    shown = []
    for problem in problems:
        field = problem.field or ""
        base = field.split("[", 1)[0].split(".", 1)[0]
        label = str(FIELD_LABELS.get(base, field))
        entry = re.match(r"\[(\d+)\](?:\.(\w+))?", field[len(base):])
        if entry:
            label += " " + _("nr. %(number)s", number=entry[1]) + (f" ({entry[2]})" if entry[2] else "")
        shown.append((label, problem.message))
    return shown


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
    text = plan_ics(meetings.all(), year=year, url_for=_meeting_url, taxonomy=library().taxonomy)
    return _ics_response(text, f"netvaerksmoeder-{year}.ics")


@bp.get("/moeder/aarsplan/<int:year>.docx")
def plan_document(year: int) -> Response:
    meetings, _proposals = records()
    settings = current_app.config.get("NETKIT_SETTINGS")
    name = getattr(settings, "network_name", None) or "Netværket for AI på sundhedsdata"
    data = annual_plan_docx(meetings.all(), year, library().taxonomy, network_name=name)
    return Response(data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="aarsplan-{year}.docx"', "Cache-Control": "private, max-age=300"})


# -- one meeting ---------------------------------------------------------------------------------------------------


@bp.get("/moeder/<slug>/")
def meeting(slug: str):
    meetings, proposals = records()
    current = meetings.get(slug)
    lib = library()
    user = current_user()
    minutes_html = Markup(lib.renderer.render(current.minutes, lib.targets).html) if current.minutes else None
    material = (lib.get(current.minutes_material) if current.minutes_material in lib
                and current.minutes_material not in hidden_from_reader() else None)
    planned = [proposals.get(p) for p in current.proposals if p in proposals] if user else []
    groups = _group_names()
    manage = can(user, "plan_meetings")
    prefill = _prefill_fields(current, meetings) if manage and current.agenda else []
    return render_template("meetings/meeting.html", meeting=current, minutes_html=minutes_html, material=material,
                           planned=planned, groups=groups, formed=_formed_groups(current), manage=manage,
                           signed_in=user is not None,
                           statuses=MEETING_STATUS, prefill=prefill, template_name=MINUTES_TEMPLATE,
                           saved=request.args.get("gemt"))


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
def minutes_download(slug: str):
    _user, response = _signed_in_or_login(needs="plan_meetings")
    if response is not None:
        return response
    meetings, _proposals = records()
    current = meetings.get(slug)
    try:
        generated = minutes_docx(templates(), current, next_meeting=next_meeting(meetings, current),
                                 taxonomy=library().taxonomy, groups=_group_names())
    except Invalid as exc:
        if current.agenda:
            current_app.logger.warning("minutes of %s: %s", slug, exc)
            return error_page(400, "; ".join(p.message for p in exc.problems[:3]) or str(exc))
        return error_page(400, _("Mødet har ingen dagsorden endnu. Tilføj mindst ét dagsordenspunkt, før "
                                 "referatet laves."))
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{generated.filename}"', "Cache-Control": "no-store"})


def _prefill_fields(meeting: Meeting, meetings) -> list[tuple[str, str]]:
    """The minutes answers as the template form's fields (`q.<id>`, `q.<group>.<row>.<field>`), so a
    facilitator can open the questionnaire filled in and complete it there."""
    answers = minutes_answers(meeting, next_meeting=next_meeting(meetings, meeting), taxonomy=library().taxonomy,
                              groups=_group_names())
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


def _lines(text: str, width: int) -> list[list[str]]:
    """Lines typed as "a; b; c" → their parts (at most `width`; the last part keeps any further semicolons)."""
    rows = []
    for raw in text.splitlines():
        if raw.strip():
            parts = [part.strip() for part in raw.split(";", width - 1)]
            rows.append(parts + [""] * (width - len(parts)))
    return rows


def _people(text: str, third: str) -> list[dict[str, str]]:
    people = []
    for name, second, last in _lines(text, 3):
        if third == "email" and "@" in second and "@" not in last:  # "Navn; e-mail" also works
            second, last = last, second
        person = {"name": name, "organisation": second, third: last}
        people.append({key: value for key, value in person.items() if value})
    return people


def _people_text(people, third: str) -> str:
    return "\n".join("; ".join([p.name, p.organisation, getattr(p, third)]).rstrip("; ") for p in people)


def _form_data(form: dict) -> dict[str, Any]:
    """A posted meeting form as record data (validated by the core)."""
    data: dict[str, Any] = {
        "theme": form["theme"].strip(), "date": form["date"].strip(), "start": form["start"].strip(),
        "end": form["end"].strip(), "place": form["place"].strip(), "status": form["status"],
        "facilitator": form["facilitator"].strip(), "topics": form["topics"], "problem": form["problem"].strip(),
        "invited_roles": form["invited_roles"], "invitees": _people(form["invitees"], "email"),
        "speakers": _people(form["speakers"], "topic"),
        "agenda": [{k: v for k, v in zip(("topic", "presenter", "decision"), row, strict=True) if v}
                   for row in _lines(form["agenda"], 3)],
        "minutes": form["minutes"].strip(), "minutes_material": form["minutes_material"].strip(),
        "formed_groups": [g.strip() for g in form["formed_groups"].replace(";", ",").split(",") if g.strip()],
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def _form_of(meeting: Meeting) -> dict:
    return {
        "theme": meeting.theme, "date": meeting.date.isoformat(),
        "start": f"{meeting.start:%H:%M}" if meeting.start else "",
        "end": f"{meeting.end:%H:%M}" if meeting.end else "",
        "place": meeting.place, "status": meeting.status, "facilitator": meeting.facilitator,
        "topics": list(meeting.topics), "invited_roles": list(meeting.invited_roles), "problem": meeting.problem,
        "invitees": _people_text(meeting.invitees, "email"), "speakers": _people_text(meeting.speakers, "topic"),
        "agenda": "\n".join("; ".join([i.topic, i.presenter, i.decision]).rstrip("; ") for i in meeting.agenda),
        "minutes": meeting.minutes, "minutes_material": meeting.minutes_material or "",
        "formed_groups": ", ".join(meeting.formed_groups), "message": "",
    }


def _posted_meeting_form(data: MultiDict | None = None) -> dict:
    """The meeting form's fields as posted (or as kept through signing in again)."""
    data = request.form if data is None else data
    form = {key: data.get(key, "")[:25_000] for key in FORM_FIELDS}
    form.update({key: data.getlist(key) for key in FORM_LISTS})
    if form["status"] not in STATUSES:
        form["status"] = "planned"
    return form


def _meeting_form_page(form: dict, *, meeting: Meeting | None, status: int = 200, problems=None,
                       message: str | None = None):
    taxonomy = library().taxonomy
    return render_template("meetings/edit.html", form=form, meeting=meeting, statuses=MEETING_STATUS,
                           topics=taxonomy.ids("topics"), roles=taxonomy.ids("audiences"),
                           groups=sorted(_group_names().items()), problems=_problems_with_labels(problems or []),
                           message=message), status


@bp.route("/moeder/ny", methods=["GET", "POST"])
def create():
    user, response = _signed_in_or_login(needs="plan_meetings")
    if response is not None:
        return response
    if request.method == "GET" and (kept := resumed_form()) is not None:  # typed before the session ended
        return _meeting_form_page(_posted_meeting_form(kept), meeting=None, message=str(RESUMED))
    if request.method == "GET":
        empty = {key: "" for key in FORM_FIELDS} | {key: [] for key in FORM_LISTS}
        return _meeting_form_page(empty | {"status": "planned", "facilitator": user.name}, meeting=None)
    form = _posted_meeting_form()
    if not csrf.valid():
        return _meeting_form_page(form, meeting=None, status=400, message=str(EXPIRED))
    data = _form_data(form)
    meetings, _proposals = records()
    try:
        day = dt.date.fromisoformat(form["date"].strip())
    except ValueError:
        day = None
    slug = new_slug(day, form["theme"]) if day else ""
    try:
        if not slug:  # no date: let the core name every problem
            slug = "nyt-moede"
        saved = save_meeting(instance(), meetings, slug, data, _author(user),
                             form["message"].strip() or _("Nyt møde: %(theme)s", theme=form["theme"].strip()[:80]),
                             create=True)
    except Conflict:
        return _meeting_form_page(form, meeting=None, status=409, problems=[Problem.at(
            "slug", _("Der er allerede et møde med samme dato og tema (%(slug)s).", slug=slug), field="theme")])
    except WriteFailed as exc:
        return _meeting_form_page(form, meeting=None, status=503, message=not_saved(exc))
    except (Invalid, InvalidSlug) as exc:
        return _meeting_form_page(form, meeting=None, status=400, problems=getattr(exc, "problems", None) or [
            Problem.at("theme", str(exc), field="theme")])
    return redirect(url_for("meetings.meeting", slug=saved.slug, gemt="gemt"))


@bp.route("/moeder/<slug>/rediger", methods=["GET", "POST"])
def edit(slug: str):
    user, response = _signed_in_or_login(needs="plan_meetings")
    if response is not None:
        return response
    meetings, _proposals = records()
    current = meetings.get(slug)
    if request.method == "GET" and (kept := resumed_form()) is not None:
        return _meeting_form_page(_posted_meeting_form(kept), meeting=current, message=str(RESUMED))
    if request.method == "GET":
        current, base = meetings.current(slug)
        return _meeting_form_page(_form_of(current) | {"base": base}, meeting=current)
    form = _posted_meeting_form()
    if not csrf.valid():
        return _meeting_form_page(form, meeting=current, status=400, message=str(EXPIRED))
    try:
        save_meeting(instance(), meetings, slug, _form_data(form), _author(user),
                     form["message"].strip() or _("Møde redigeret i browseren"), create=False,
                     base=form["base"])  # a form without its base is refused like a stale one
    except Invalid as exc:
        return _meeting_form_page(form, meeting=current, status=400, problems=exc.problems)
    except WriteFailed as exc:
        return _meeting_form_page(form, meeting=current, status=503, message=not_saved(exc))
    except Conflict:
        form["base"] = meetings.digest(slug)  # saving again keeps this text, now knowingly
        return _meeting_form_page(form, meeting=meetings.get(slug), status=409, message=_(
            "En anden har gemt mødet, siden du åbnede det. Din udgave er bevaret nedenfor: se mødets side i en ny "
            "fane, og gem igen for at bruge din."))
    return redirect(url_for("meetings.meeting", slug=slug, gemt="gemt"))


# -- topic proposals -----------------------------------------------------------------------------------------------


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
        problems=_problems_with_labels(problems or []), message=message, sent=request.args.get("sendt"),
        done=request.args.get("udfoert")), status


@bp.route("/emner/", methods=["GET", "POST"])
def proposals_page():
    user, response = _signed_in_or_login()
    if response is not None:
        return response
    if request.method == "GET" and (kept := resumed_form()) is not None:
        return _proposals_page({key: kept.get(key, "")[:5000] for key in PROPOSAL_FIELDS}, message=str(RESUMED))
    if request.method == "GET":
        return _proposals_page()
    if not can(user, "propose_topic"):
        abort(403)
    form = {key: request.form.get(key, "")[:5000] for key in PROPOSAL_FIELDS}
    if not csrf.valid():
        return _proposals_page(form, status=400, message=str(EXPIRED))
    _meetings, proposals = records()
    try:
        saved = propose(instance(), proposals, title=form["title"], problem=form["problem"], why=form["why"],
                        proposer=user.name, author=_author(user))
    except Invalid as exc:
        return _proposals_page(form, status=400, problems=exc.problems)
    except WriteFailed as exc:
        return _proposals_page(form, status=503, message=not_saved(exc))
    return redirect(url_for("meetings.proposals_page", sendt=saved.slug) + f"#forslag-{saved.slug}")


@bp.post("/emner/<slug>/handling")
def proposal_action(slug: str):
    user, response = _signed_in_or_login(needs="plan_meetings")
    if response is not None:
        return response
    if not csrf.valid():
        return _proposals_page(status=400, message=str(_("Formularen var for gammel. Prøv igen.")))
    meetings, proposals = records()
    action = request.form.get("action")
    try:
        if action == "merge":
            target = request.form.get("into", "")
            if not target:
                raise Invalid("choose a proposal", [Problem.at(slug, _("Vælg det forslag, det skal slås sammen med."),
                                                               field="merged_into")])
            merge(instance(), proposals, slug, target, _author(user))
        elif action == "plan":
            chosen = request.form.get("meeting", "")
            if not chosen:
                raise Invalid("choose a meeting", [Problem.at(slug, _("Vælg det møde, forslaget skal planlægges til."),
                                                              field="meeting")])
            plan(instance(), proposals, meetings, slug, chosen, _author(user))
        elif action == "decline":
            decline(instance(), proposals, slug, _author(user), request.form.get("note", "")[:500])
        else:
            abort(400)
    except (Invalid, InvalidSlug) as exc:
        return _proposals_page(status=400, problems=getattr(exc, "problems", None) or [
            Problem.at(slug, str(exc), field="meeting")])
    except Forbidden as exc:
        return _proposals_page(status=409, message=str(exc))
    except NotFound as exc:
        return _proposals_page(status=404, message=str(exc))
    return redirect(url_for("meetings.proposals_page", udfoert=f"{action}:{slug}") + f"#forslag-{slug}")
