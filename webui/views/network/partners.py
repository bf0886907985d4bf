"""Partners for consortia and funding calls on the web.

`/partnere/`: what the projects seek beside what other projects offer, kind by kind (filter `?type=<kind>`).
`/partnere/<slug>/interesse`: "Vis interesse" — a signed-in member writes a short message and Netkit mails it to
the project's contact through the outbox (toolkit.network.interest: once per member and project a day, Reply-To
the member; no page shows the contact's or the member's address). `/opslag/`: the funding calls by deadline, each
with the projects that seek support from it, and their deadlines as a calendar file (`/opslag/frister.ics`).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Forbidden, Invalid
from toolkit.network.calls import by_deadline
from toolkit.network.icsfile import calls_ics
from toolkit.network.interest import MESSAGE_RANGE, TooSoon, show_interest
from toolkit.network.meetings import today_here
from toolkit.network.projects.model import PARTNER_KINDS
from toolkit.network.projects.partners import counts, partner_kinds
from toolkit.people.accounts import User
from webui import csrf
from webui.addresses import absolute
from webui.context import projects
from webui.filters import local_datetime
from webui.guards import signed_in
from webui.notifying import parts
from webui.views.network.partnerdata import call_deadlines, calls, kind_label

bp = Blueprint("partners", __name__)


@bp.app_template_filter("partner_kind")
def partner_kind(value: str) -> str:
    return kind_label(value)


@bp.app_template_global("call_deadlines")
def deadlines_of(year: int) -> list:
    """For the annual plan's page: the funding calls with a deadline in `year` (partners/deadlines.html)."""
    return call_deadlines(year)


@bp.get("/partnere/")
def partners() -> str:
    everything = projects().all()
    chosen = request.args.get("type") or None
    if chosen not in PARTNER_KINDS:
        chosen = None  # an unknown filter value is ignored, as on the project list
    kinds = partner_kinds(everything, chosen)
    filters = [(kind, count, kind == chosen) for kind, count in counts(everything).items() if count]
    return render_template("partners/partners.html", kinds=kinds, filters=filters, chosen=chosen)


# -- "Vis interesse" ------------------------------------------------------------------------------------------------


@bp.route("/partnere/<slug>/interesse", methods=["GET", "POST"])
@signed_in
def interest(slug: str, user: User):
    project = projects().get(slug)
    kind = request.values.get("om", "")
    kind = kind if kind in PARTNER_KINDS else ""

    def page(status: int = 200, message: str = "", error: str = "", notice: str = ""):
        return render_template("partners/interest.html", project=project, kind=kind, message=message, error=error,
                               notice=notice, sent=request.args.get("sendt") == "1", limits=MESSAGE_RANGE), status

    if request.method == "GET":
        found = parts()
        if found is None or found.outbox.server is None:  # say so before anything is typed
            return page(notice=_("Netkit kan ikke sende e-mails lige nu (der er ingen mailserver sat op). Din "
                                 "besked er ikke sendt."))
        return page()
    message = request.form.get("message", "")
    if not csrf.valid():
        return page(400, message, notice=_("Formularen var for gammel (eller din session udløb). Din besked er "
                                           "bevaret – send den igen."))
    notifications = parts()
    if notifications is None:
        return page(503, message, notice=_("Netkit kan ikke sende e-mails herfra. Din besked er ikke sendt."))
    try:
        show_interest(notifications.store, notifications.outbox, notifications.notifier.site, project, user, message,
                      kind=kind)
    except Invalid:
        low, high = MESSAGE_RANGE
        return page(400, message, error=_("Skriv en besked på %(low)s–%(high)s tegn (uden kontroltegn).", low=low,
                                          high=high))
    except TooSoon as exc:
        when = local_datetime(dt.datetime.fromtimestamp(exc.until, dt.UTC))
        return page(429, message, notice=_("Du har allerede vist interesse for dette projekt inden for det sidste "
                                           "døgn. Du kan skrive igen fra %(when)s.", when=when))
    except Forbidden:
        if not user.email:
            text = _("Din konto har ingen e-mailadresse, så kontaktpersonen kan ikke svare dig. Bed en "
                     "administrator om at tilføje den. Din besked er ikke sendt.")
        else:
            text = _("Netkit kan ikke sende e-mails lige nu (der er ingen mailserver sat op). Din besked er ikke "
                     "sendt.")
        return page(503, message, notice=text)
    target = url_for("partners.interest", slug=slug, sendt="1", **({"om": kind} if kind else {}))
    return redirect(target)


# -- funding calls --------------------------------------------------------------------------------------------------


@bp.get("/opslag/")
def funding_calls() -> str:
    today = today_here()
    every = by_deadline(calls().all())
    seeking: dict[str, list] = {}
    for project in projects().all():
        for slug in project.seeks_funding_from:
            seeking.setdefault(slug, []).append(project)
    return render_template("partners/calls.html", open_calls=[c for c in every if c.is_open(today)],
                           past_calls=[c for c in every if not c.is_open(today)], seeking=seeking)


@bp.get("/opslag/frister.ics")
def calls_calendar() -> Response:
    text = calls_ics(calls().all(), call_url=lambda c: absolute("partners.funding_calls") + f"#opslag-{c.slug}")
    return Response(text.encode("utf-8"), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="ansoegningsfrister.ics"',
                             "Cache-Control": "private, max-age=300"})

