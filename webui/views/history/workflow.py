"""The review workflow in the browser: a member asks for review (with a note); a facilitator approves it or
returns it with a comment, publishes it as a new edition (major/minor/patch and the changelog line), or
retires it with a pointer to the material that replaces it.

What is offered comes from toolkit.people.permissions.workflow_actions (the status rules and the roles).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from toolkit.errors import Conflict, Forbidden, Invalid, Problem, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.people.accounts import User
from toolkit.people.permissions import WORKFLOW, can, workflow_actions
from webui import csrf
from webui.context import instance, library
from webui.coremessages import core_error
from webui.errors import not_saved
from webui.filters import local_datetime
from webui.guards import signed_in
from webui.names import person
from webui.refusals import refuse, why_not
from webui.views.history.comments import status_threads
from webui.visibility import publication_state

bp = Blueprint("workflow", __name__)


@bp.route("/m/<slug>/status", methods=["GET", "POST"])
@signed_in
def status(slug: str, user: User):
    versioned, material = instance(), library().get(slug)
    actions = workflow_actions(user, material)
    form = {"action": request.form.get("action", ""), "note": request.form.get("note", "")[:500],
            "replaced_by": request.form.get("replaced_by", "")[:80], "bump": request.form.get("bump", "minor"),
            "confirm_open": request.form.get("confirm_open", "")[:6],
            "revision": request.form.get("revision", "")[:64] or versioned.latest_revision(slug) or ""}
    threads = status_threads(material)  # open comment threads: listed; approving or publishing asks to confirm them

    def page(message: str | None = None, errors: dict[str, str] | None = None, changed: dict | None = None) -> str:
        others = [m for m in library().materials() if m.slug != slug and m.status != "retired"]
        return render_template("workflow/status.html", material=material, actions=actions, form=form,
                               others=others, message=message, errors=errors or {}, changed=changed,
                               state=publication_state(material), threads=threads,
                               no_action="" if actions else _why_no_action(user, material))

    if request.method == "GET":
        return page()
    if not csrf.valid():
        return page(_("Formularen var for gammel. Prøv igen.")), 400
    if form["action"] not in actions:
        return _not_offered(form["action"], user, material, page)
    if errors := _form_errors(form, len(threads)):
        return page(_("Status blev ikke ændret. Ret det markerede, og prøv igen."), errors), 400
    seen = request.form.get("revision", "")[:64] or None
    if seen is None and form["action"] in ("approve", "publish"):  # approving needs to say which text it approves
        return page(_("Status blev ikke ændret: siden sagde ikke, hvilken udgave af teksten du godkender eller "
                      "udgiver (den var åbnet før en opdatering). Læs teksten, og prøv igen.")), 400
    try:
        return _carry_out(versioned, slug, form, user, seen)
    except Conflict as exc:
        form["revision"] = exc.theirs_revision or ""  # the page as it is now: the next submit is about this text
        return page(_("Status blev ikke ændret: teksten er ændret, siden du åbnede siden."),
                    changed=_changed_since(versioned, slug, seen or "", form["revision"])), 409
    except (Invalid, Forbidden) as exc:
        return page(*_refusal(exc)), 400
    except WriteFailed as exc:
        return page(not_saved(exc)), 503


def _form_errors(form: dict, open_threads: int) -> dict[str, str]:
    """Every error of the form at its field, all at once (the core checks again)."""
    errors = {}
    if form["action"] in ("approve", "publish") and (unconfirmed := _unconfirmed(form, open_threads)):
        errors["confirm_open"] = unconfirmed
    if form["action"] == "publish" and not form["note"].strip():
        errors["note"] = _("Skriv en note om, hvad der er ændret: den bliver ændringsloggen for den nye udgave.")
    if form["action"] == "publish" and form["bump"] not in ("major", "minor", "patch"):
        errors["bump"] = _("Vælg, hvor stor ændringen er.")
    return errors


def _changed_since(versioned: Instance, slug: str, seen: str, now: str) -> dict:
    """Who changed the text after the revision `seen`, when (the newest change), and the diff's address."""
    history = versioned.history(slug)
    ids = [r.id for r in history]
    known = seen in ids  # a form's field is typed by anyone: an unknown revision names the newest change only
    newer = history[:ids.index(seen)] if known else history[:1]
    names = list(dict.fromkeys(person(r.author) for r in newer))
    return {"who": ", ".join(names), "when": local_datetime(newer[0].time) if newer else "",
            "diff": url_for("history.compare", slug=slug, fra=seen, til=now) if known and newer else ""}


def _why_no_action(user: User, material) -> str:
    """Why the page offers no status change, for this person and this status."""
    if not can(user, "edit", material):
        return why_not("edit", material)
    if material.status == "review":
        return _("Materialet er til review; en facilitator godkender det eller sender det tilbage til kladde.")
    if material.status == "approved":
        return _("Materialet er godkendt; en facilitator udgiver det eller sender det tilbage til kladde.")
    return why_not("review", material)


def _not_offered(action: str, user: User, material, page):
    """An action the page did not offer: refused with what it takes when the user may not, else the status moved
    on since the page was opened (the page is shown again with the actions of the status now)."""
    needed = WORKFLOW.get(action)
    if needed is None or not can(user, needed[1], material):
        refuse(needed[1] if needed else "review", material)
    return page(_("Status blev ikke ændret: handlingen passer ikke til materialets status nu – en anden har måske "
                  "lige ændret den. Vælg igen nedenfor.")), 409


def _refusal(exc: Invalid | Forbidden) -> tuple[str, dict[str, str]]:
    """(what the page says on top, the errors at their fields) for a refused status change, in Danish."""
    problems = getattr(exc, "problems", [])
    errors = {}
    for problem in problems:
        if problem.field == "message":
            errors["note"] = _("Skriv en note om, hvad der er ændret: den bliver ændringsloggen for den nye udgave.")
        elif problem.field == "bump":
            errors["bump"] = _("Vælg, hvor stor ændringen er.")
    rest = [core_error(p) for p in problems if p.field not in ("message", "bump")]
    if errors and not rest:
        return _("Status blev ikke ændret. Ret det markerede, og prøv igen."), errors
    return _("Status blev ikke ændret: %(reason)s", reason="; ".join(rest) or core_error(exc)), errors


def _unconfirmed(form: dict, count: int) -> str:
    """The error at the confirmation box when approving or publishing with open comment threads it does not confirm
    (the box carries the number seen: more threads opened since is asked again)."""
    seen = form["confirm_open"]
    if not count or (seen.isdigit() and int(seen) >= count):
        return ""
    if seen.isdigit():
        return ngettext("Der er kommet nye kommentarer, siden siden blev åbnet: nu er der %(num)s åben. Læs den, "
                        "eller sæt flueben igen.", "Der er kommet nye kommentarer, siden siden blev åbnet: nu er der "
                        "%(num)s åbne. Læs dem, eller sæt flueben igen.", count)
    return ngettext("Der er %(num)s åben kommentar. Læs den, eller sæt flueben for at fortsætte alligevel.",
                    "Der er %(num)s åbne kommentarer. Læs dem, eller sæt flueben for at fortsætte alligevel.", count)


def _carry_out(versioned: Instance, slug: str, form: dict, user: User, seen: str | None):
    """Publish (with the bump chosen) or change the status; the material page then says what happened. Approving
    and publishing are about the text seen (`seen`, the revision the page was opened on)."""
    author = Author(user.name, f"{user.name}@netkit.localhost")
    if form["action"] == "publish":
        if form["bump"] not in ("major", "minor", "patch"):
            raise Invalid("bump", [Problem.at(slug, "choose major, minor or patch", field="bump")])
        edition = versioned.publish(slug, form["bump"], form["note"], author,  # type: ignore[arg-type]
                                    base_revision=seen)
        return redirect(url_for("reader.material", slug=slug, udgivet=edition.version))
    target, _permission = WORKFLOW[form["action"]]
    versioned.set_status(slug, target, author, form["note"].strip() or None,
                         replaced_by=(form["replaced_by"] or None) if form["action"] == "retire" else None,
                         base_revision=seen if form["action"] == "approve" else None)
    return redirect(url_for("reader.material", slug=slug, status=target))
