"""What the meeting pages need of the invitations (toolkit.network.invitations): the app's Invitations (None when
the site is served from a plain folder: no instance, no notification store), the counts and the signed-in
person's own answer for the meeting page, the participant list for facilitators, and the follow-up after a
meeting is edited."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.network.invitations import Invitations, invitations_for
from toolkit.network.meetings import Meeting
from toolkit.network.participants import local_time, ordered
from toolkit.network.signups import Signup
from toolkit.people.accounts import User
from webui.context import accounts, instance
from webui.notifying import parts
from webui.views.network.meetingdata import records

ANSWER_LABELS = {"yes": _l("Ja"), "no": _l("Nej"), "maybe": _l("Måske"), "": _l("Ikke svaret")}
PLACE_LABELS = {"seat": _l("Tilmeldt"), "waiting": _l("Venteliste"), "": ""}


def invitations() -> Invitations | None:
    found = parts()
    if found is None:
        return None
    meetings, _proposals = records()
    return invitations_for(found, instance(), accounts(), meetings)


def page_data(meeting: Meeting, user: User | None, manage: bool) -> dict:
    """The meeting page's sign-up part: `summary` (the counts), `mine` (the signed-in person's row), `can_answer`,
    `participants` (facilitators: rows with their labels and times)."""
    found = invitations()
    if found is None:
        return {"summary": None, "mine": None, "can_answer": False, "participants": []}
    signups = found.store.of(meeting.slug)
    summary = found.store.summary(meeting.slug, meeting.capacity)
    mine = next((s for s in signups if user is not None and user.email
                 and s.address == user.email.strip().casefold()), None)
    rows = [participant(s) for s in ordered(signups)] if manage else []
    return {"summary": summary if signups or meeting.capacity else None, "mine": mine,
            "mine_position": waiting_position(signups, mine),
            "can_answer": bool(user is not None and user.email and meeting.is_open),
            "participants": rows}


def waiting_position(signups: list[Signup], signup: Signup | None) -> int | None:
    """1 for the first on the waiting list."""
    if signup is None or signup.place != "waiting":
        return None
    queue = [s.address for s in ordered(signups) if s.place == "waiting"]
    return queue.index(signup.address) + 1


def participant(signup: Signup) -> dict:
    return {"name": signup.name, "organisation": signup.organisation, "email": signup.email,
            "answer": ANSWER_LABELS.get(signup.answer, signup.answer), "place": PLACE_LABELS.get(signup.place, ""),
            "answered": local_time(signup.answered)}


def follow_up(slug: str) -> None:
    """After a meeting was saved: updates, the cancellation, the waiting list (never breaks the save)."""
    found = invitations()
    if found is None:
        return
    try:
        found.follow_up(slug)
    except Exception:  # the save is done; the next change or invitation sends what is due
        current_app.logger.exception("the invitations of %s were not followed up", slug)


def invited_notice(args) -> str:
    """What the meeting page says after the invitation form (its query: inviteret, tidligere, uden, sendt)."""
    if "inviteret" not in args:
        return ""
    numbers = {key: args.get(key, "0") for key in ("inviteret", "tidligere", "uden")}
    if not all(value.isascii() and value.isdecimal() and len(value) < 7 for value in numbers.values()):
        return ""
    text = _("%(count)s inviteret.", count=int(numbers["inviteret"]))
    if int(numbers["tidligere"]):
        text += " " + _("%(count)s var inviteret før og får ikke en e-mail igen.", count=int(numbers["tidligere"]))
    if int(numbers["uden"]):
        text += " " + _("Konti uden e-mailadresse blev ikke inviteret: %(count)s.", count=int(numbers["uden"]))
    if args.get("sendt") == "0":
        text += " " + _("Der er ingen mailserver: invitationerne er registreret, men ikke sendt.")
    return text
