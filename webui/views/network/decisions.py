"""Decisions and action items as data (toolkit.network.decisions): a meeting's minutes entered by a facilitator
(`/moeder/<slug>/referat/rediger`), approved and mailed to the participants (`…/referat/godkend`; mails that could
not be queued then are sent once, later, by `…/referat/send`), read at a stable
address (`/moeder/<slug>/referat/`) and as Word (`…/referat/referat.docx`); an action item marked done or open
again by its owner or a facilitator; and the register of every decision (`/beslutninger/`).

Approved minutes are for everyone to read; a draft only for facilitators. Action items name people, so they are
shown to signed-in members. Every form has a CSRF token, rights are checked here on the server, and a refused
save shows the problems at their fields with everything typed kept.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Conflict, Invalid, NotFound, WriteFailed
from toolkit.library.folder import TAXONOMY_FILE
from toolkit.network.attendees import attendees
from toolkit.network.decisions import ACTION_STATUSES, Minutes, minutes_records
from toolkit.network.meetings import ZONE, Meeting, next_meeting, today_here
from toolkit.network.minutesflow import (
    Entry,
    Frozen,
    Refused,
    all_actions,
    all_decisions,
    approved_minutes,
    owned_by,
    previous_minutes,
    save_minutes,
    set_action_status,
)
from toolkit.network.minutesmail import Announced, announce, announced, approve_and_announce
from toolkit.network.minutesword import record_docx
from toolkit.people.accounts import User
from toolkit.people.permissions import can
from toolkit.publishing.feeds import TAG, FeedEntry, atom_feed
from webui import csrf
from webui.addresses import absolute, configured_root, public_root
from webui.context import accounts, instance, library, templates
from webui.errors import error_page, not_saved
from webui.guards import needs, signed_in, to_sign_in
from webui.identity import current_user
from webui.notifying import parts
from webui.views.documents.templates import DOCX_MIMETYPE
from webui.views.network.meetingdata import EXPIRED, author, group_names, records
from webui.views.network.minutesform import field_problems, form_of, posted, record_data

bp = Blueprint("decisions", __name__)
RECORDS_KEY = "netkit.minutes-records"


def minutes_store():
    """The minutes records of the current library, made again when the folder or its taxonomy changes."""
    root = library().root
    taxonomy = root / TAXONOMY_FILE
    key = (str(root), taxonomy.stat().st_mtime_ns if taxonomy.exists() else 0)
    cached = current_app.extensions.get(RECORDS_KEY)
    if cached is None or cached[0] != key:
        cached = (key, minutes_records(root))
        current_app.extensions[RECORDS_KEY] = cached
    return cached[1]


def _minutes(slug: str) -> Minutes | None:
    store = minutes_store()
    return store.get(slug) if slug in store else None


def _mine(user: User):
    return owned_by(user.full_name or "", user.email or "", user.name)


def _may_mark(user: User | None):
    """Who may mark an action item: a facilitator, or the item's owner."""
    return lambda action: user is not None and (can(user, "plan_meetings") or _mine(user)(action))


# -- reading ----------------------------------------------------------------------------------------------------------


@bp.get("/moeder/<slug>/referat/")
def minutes_page(slug: str):
    meeting = records()[0].get(slug)
    minutes = _minutes(slug)
    user = current_user()
    manage = can(user, "plan_meetings")
    if minutes is None or (not minutes.approved and not manage):
        return error_page(404, _("Referatet af mødet er ikke godkendt endnu."))
    return render_template("decisions/minutes.html", meeting=meeting, minutes=minutes, manage=manage,
                           actions=_rows(meeting.slug, minutes),
                           signed_in=user is not None, today=today_here(), may_mark=_may_mark(user),
                           base=minutes_store().digest(slug), done=request.args.get("udfoert"),
                           approved=request.args.get("godkendt"), saved=request.args.get("gemt"),
                           sent=request.args.get("sendt"), unannounced=_unannounced(slug, minutes, manage))


@bp.get("/moeder/<slug>/referat/referat.docx")
def minutes_docx(slug: str) -> Response:
    meetings = records()[0]
    meeting = meetings.get(slug)
    minutes = _minutes(slug)
    user = current_user()
    if (minutes is None or not minutes.approved) and not can(user, "plan_meetings"):
        abort(404)
    if user is None:  # the Word minutes name the attendees and the owners of action items: members only
        return to_sign_in()
    found = parts()
    try:
        generated = record_docx(templates(), meeting, minutes, attendees(meeting, found.store if found else None),
                                next_meeting=next_meeting(meetings, meeting), taxonomy=library().taxonomy,
                                groups=group_names(), previous=previous_minutes(minutes_store(), meetings, meeting))
    except Invalid as exc:
        current_app.logger.warning("minutes of %s: %s", slug, exc)
        return error_page(400, _("Referatet kan laves, når mødet har en dagsorden eller en beslutning."))
    return Response(generated.data, mimetype=DOCX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{generated.filename}"', "Cache-Control": "private, no-cache"})


@bp.get("/beslutninger/feed.atom")
def register_feed() -> Response:
    """Approved minutes as an Atom feed: each is an entry when it is approved (its decisions as the summary, no
    action items: they name people), so following the network's decisions needs no visit."""
    root = public_root()
    entries = []
    for meeting, minutes in approved_minutes(minutes_store(), records()[0])[:50]:
        approved = dt.datetime.combine(minutes.approved_on or meeting.date, dt.time(12), tzinfo=ZONE)
        entries.append(FeedEntry(
            id=f"{TAG}referat/{meeting.slug}", title=_("Referat: %(theme)s", theme=meeting.theme),
            link=f"{root}moeder/{meeting.slug}/referat/", updated=approved, published=approved,
            summary=" · ".join(d.text for d in minutes.decisions)[:1000], authors=(minutes.approved_by or "Netkit",)))
    body = atom_feed(entries, feed_id=f"{TAG}beslutninger", title=_("Netværkets beslutninger"),
                     self_url=absolute("decisions.register_feed"), alternate_url=absolute("decisions.register"))
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    response.headers["Cache-Control"] = f"{'public' if configured_root() else 'private'}, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/beslutninger/")
def register():
    """Every decision of approved minutes (facilitators also see drafts), filtered by topic and year."""
    taxonomy = library().taxonomy
    topic = request.args.get("emne", "")
    if topic and topic not in taxonomy.ids("topics"):
        abort(400)
    raw_year = request.args.get("aar", "")
    if raw_year and not (raw_year.isascii() and raw_year.isdecimal() and 2000 <= int(raw_year) <= 2100):
        abort(400)
    manage = can(current_user(), "plan_meetings")
    every = all_decisions(minutes_store(), records()[0], approved_only=not manage)
    shown = [e for e in every if (not topic or e.item.topic == topic)
             and (not raw_year or e.meeting.year == int(raw_year))]
    return render_template("decisions/register.html", entries=shown, topic=topic, year=raw_year,
                           topics=sorted({e.item.topic for e in every}), years=sorted({e.meeting.year for e in every},
                                                                                      reverse=True))


# -- the page sections (meeting page, "Mit arbejde") ----------------------------------------------------------------


@bp.app_template_global("meeting_minutes")
def meeting_minutes(meeting: Meeting) -> dict:
    """What the meeting page shows of its minutes record."""
    user = current_user()
    minutes = _minutes(meeting.slug)
    return {"minutes": minutes, "manage": can(user, "plan_meetings"), "signed_in": user is not None,
            "actions": _rows(meeting.slug, minutes),
            "today": today_here(), "may_mark": _may_mark(user)}


@bp.app_template_global("my_action_items")
def my_action_items() -> dict:
    """The signed-in person's action items across meetings (open ones first, earliest due first)."""
    user = current_user()
    entries: list[Entry] = []
    if user is not None:
        try:
            manage = can(user, "plan_meetings")
            entries = [e for e in all_actions(minutes_store(), records()[0], mine=_mine(user)) if e.approved or manage]
        except Exception:  # another room's section must never take "Mit arbejde" down with it
            current_app.logger.exception("the action items of %s failed", user.name)
    return {"rows": [(e.meeting, e.meeting.slug, e.number, e.item) for e in entries], "today": today_here(),
            "may_mark": lambda _item: True, "open": sum(1 for e in entries if not e.item.done)}


def _rows(slug: str, minutes: Minutes | None) -> list[tuple]:
    return [(None, slug, number, action) for number, action in enumerate(minutes.actions, 1)] if minutes else []


# -- writing ----------------------------------------------------------------------------------------------------------


def _form_page(meeting: Meeting, form: dict, *, status: int = 200, problems=None, message: str | None = None):
    at, summary = field_problems(problems or [])
    return render_template("decisions/edit.html", meeting=meeting, form=form, errors=at, summary=summary,
                           message=message, topics=library().taxonomy.ids("topics"),
                           statuses=ACTION_STATUSES), status


@bp.route("/moeder/<slug>/referat/rediger", methods=["GET", "POST"])
@needs("plan_meetings")
def edit(slug: str, user: User):
    meeting = records()[0].get(slug)
    store = minutes_store()
    if request.method == "GET":
        minutes, base = store.current(slug) if store.digest(slug) else (None, "")
        if minutes is not None and minutes.approved:
            return redirect(url_for("decisions.minutes_page", slug=slug))
        return _form_page(meeting, form_of(minutes) | {"base": base})
    more = request.form.get("action") == "more"
    form = posted(more=more)
    if not csrf.valid():
        return _form_page(meeting, form, status=400, message=str(EXPIRED))
    if more:
        return _form_page(meeting, form)
    owners = {}
    for account in accounts().users():
        if account.email:
            owners[account.email.casefold()] = account.name
        if account.full_name and len(account.full_name.split()) >= 2:
            owners.setdefault(" ".join(account.full_name.split()).casefold(), account.name)
    try:
        save_minutes(instance(), store, slug, record_data(form, owners), author(user),
                     form["message"].strip() or f"Minutes of {slug} edited in the browser", base=form["base"])
    except Invalid as exc:
        return _form_page(meeting, form, status=400, problems=exc.problems)
    except Frozen:
        return _form_page(meeting, form, status=409, message=_(
            "Referatet er godkendt, mens du skrev, og kan ikke længere ændres. Det, du skrev, er bevaret nedenfor."))
    except Conflict:
        form["base"] = store.digest(slug)  # saving again keeps this text, now knowingly
        return _form_page(meeting, form, status=409, message=_(
            "En anden har gemt referatet, siden du åbnede det. Din udgave er bevaret nedenfor: se referatet i en ny "
            "fane, og gem igen for at bruge din."))
    except WriteFailed as exc:
        return _form_page(meeting, form, status=503, message=not_saved(exc))
    return redirect(url_for("decisions.minutes_page", slug=slug, gemt="gemt"))


@bp.post("/moeder/<slug>/referat/godkend")
@needs("plan_meetings")
def approve(slug: str, user: User):
    meeting = records()[0].get(slug)
    if not csrf.valid():
        return error_page(400, _("Formularen var for gammel (eller din session udløb). Åbn siden igen, og prøv "
                                 "igen."))
    found = parts()
    if found is None:
        return error_page(503, _("Referatet kan kun godkendes i en instans med historik."))
    users = {account.email.casefold(): account.name for account in accounts().users() if account.email}
    try:
        _approved, sent = approve_and_announce(
            instance(), minutes_store(), meeting, author(user), user.full_name or user.name,
            base=request.form.get("base", ""), outbox=found.outbox, site=found.notifier.site,
            page_url=absolute("decisions.minutes_page", slug=slug),
            docx_url=absolute("decisions.minutes_docx", slug=slug), users=users)
    except Frozen:
        return redirect(url_for("decisions.minutes_page", slug=slug))
    except Conflict:
        return error_page(409, _("Referatet er ændret, siden du så det. Læs det igen, før du godkender."))
    except (Invalid, NotFound):
        return error_page(400, _("Der er ingen beslutninger eller handlingspunkter at godkende endnu."))
    except WriteFailed as exc:
        return error_page(503, not_saved(exc))
    if found.outbox.server is not None:
        found.sender.wake()
    return redirect(url_for("decisions.minutes_page", slug=slug, godkendt=str(sent)))


def _unannounced(slug: str, minutes: Minutes, manage: bool) -> str:
    """For a facilitator, approved minutes whose mails were never queued: "send" (the button) or "offline" (no mail
    server now); "" otherwise."""
    found = parts()
    if not manage or not minutes.approved or found is None or announced(found.store, slug):
        return ""
    return "send" if found.outbox.server is not None else "offline"


@bp.post("/moeder/<slug>/referat/send")
@needs("plan_meetings")
def announce_minutes(slug: str, user: User):
    """Mail approved minutes whose mails were never queued (no mail server at the approval, a failure), once."""
    meeting = records()[0].get(slug)
    if not csrf.valid():
        return error_page(400, _("Formularen var for gammel (eller din session udløb). Åbn siden igen, og prøv "
                                 "igen."))
    found = parts()
    if found is None or found.outbox.server is None:
        return error_page(503, _("E-mails kan ikke sendes nu: der er ingen mailserver sat op."))
    users = {account.email.casefold(): account.name for account in accounts().users() if account.email}
    try:
        sent = announce(instance(), minutes_store(), meeting, outbox=found.outbox, site=found.notifier.site,
                        page_url=absolute("decisions.minutes_page", slug=slug),
                        docx_url=absolute("decisions.minutes_docx", slug=slug), users=users)
    except Announced:  # sent already (a second click, another facilitator): never twice
        return redirect(url_for("decisions.minutes_page", slug=slug))
    except (Invalid, NotFound):
        return error_page(409, _("Referatet er ikke godkendt endnu, så det kan ikke sendes."))
    except WriteFailed as exc:
        return error_page(503, not_saved(exc))
    found.sender.wake()
    return redirect(url_for("decisions.minutes_page", slug=slug, sendt=str(sent)))


@bp.post("/moeder/<slug>/handlinger/<int:number>")
@signed_in
def mark(slug: str, number: int, user: User):
    records()[0].get(slug)
    minutes = _minutes(slug)
    if minutes is None or (not minutes.approved and not can(user, "plan_meetings")):
        abort(404)  # a draft's action items are not anyone's yet
    status = request.form.get("status", "")
    if not csrf.valid() or status not in ACTION_STATUSES:
        return error_page(400, _("Formularen var for gammel (eller din session udløb). Åbn siden igen, og prøv "
                                 "igen."))
    try:
        set_action_status(instance(), minutes_store(), slug, number, request.form.get("what", ""), status,
                          author(user), _may_mark(user))
    except Refused:
        abort(403)
    except (Invalid, NotFound):
        return error_page(409, _("Handlingspunkterne er ændret, siden du så dem. Åbn siden igen."))
    except WriteFailed as exc:
        return error_page(503, not_saved(exc))
    back = request.form.get("next", "")
    if back == "mywork":
        return redirect(url_for("mywork.mywork") + "#handlingspunkter")
    return redirect(url_for("decisions.minutes_page", slug=slug, udfoert=str(number)) + f"#handling-{number}")
