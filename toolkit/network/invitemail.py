"""The mails of a meeting's invitations, Danish plain text like every Netkit mail (toolkit.people.mail):

- "invite": the invitation, with the agenda, the personal answer link and the calendar invitation (a
  text/calendar; method=REQUEST alternative of the text — calendar programs show their own Accept/Decline for it —
  and the same file attached as invitation.ics);
- "update": the same after the date, time or place changed (a higher SEQUENCE replaces the event);
- "cancel": the meeting is cancelled (method=CANCEL removes it from the calendar);
- "moved_up": a seat came free and the first on the waiting list has it now;
- "reminder": the meeting is in a few days (to those who said yes or maybe).

Each goes to one person, and is queued by toolkit.network.invitations in the transaction that records why.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from toolkit.library.freshness import DANISH_MONTHS
from toolkit.network.icsinvite import invitation_ics
from toolkit.network.meetings import Meeting
from toolkit.network.signups import Signup
from toolkit.people.mail import Site

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
SUBJECTS = {
    "invite": "Invitation: {theme} {day}",
    "update": "Ændret: {theme} {day}",
    "cancel": "Aflyst: {theme} {day}",
    "moved_up": "Du har fået en plads: {theme} {day}",
    "reminder": "Påmindelse: {theme} {day}",
}
OPENINGS = {
    "invite": "{facilitator} inviterer dig til netværksmødet »{theme}«.",
    "update": "Tidspunktet eller stedet for netværksmødet »{theme}« er ændret. Her er det, som det er nu.",
    "cancel": "Netværksmødet »{theme}« er aflyst. Kalenderfilen fjerner det fra din kalender.",
    "moved_up": "Der er blevet en plads ledig til netværksmødet »{theme}«, og du stod først på ventelisten. "
                "Du er nu tilmeldt.",
    "reminder": "En påmindelse: netværksmødet »{theme}« er snart.",
}
CALENDAR = {"invite": "REQUEST", "update": "REQUEST", "cancel": "CANCEL"}
SUBJECT_MAX = 200


def danish_day(meeting: Meeting) -> str:
    """"torsdag den 4. februar 2027, kl. 13.00–16.00"."""
    day = meeting.date
    text = f"{WEEKDAYS[day.weekday()]} den {day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"
    return f"{text}, {meeting.time_text}" if meeting.time_text else text


def meeting_mail(site: Site, meeting: Meeting, signup: Signup, what: str, *, sequence: int, answer_link: str,
                 meeting_url: str, now: dt.datetime | None = None) -> EmailMessage:
    """One mail about a meeting to one person; the invitation, update and cancellation carry the calendar part."""
    day = meeting.date
    fields = {"theme": meeting.theme, "facilitator": meeting.facilitator,
              "day": f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"}
    lines = [f"Kære {signup.name}" if signup.name else "Hej", "", OPENINGS[what].format_map(fields), "",
             f"Tid: {danish_day(meeting)}", f"Sted: {meeting.place}"]
    if what != "cancel":
        if meeting.problem:
            lines += ["", meeting.problem]
        if meeting.agenda:
            lines += ["", "Dagsorden:"] + [f"{number}. {item.topic}" + (f" ({item.presenter})" if item.presenter
                                                                        else "")
                                          for number, item in enumerate(meeting.agenda, 1)]
        if what == "reminder":
            lines += ["", f"Du har svaret: {signup.answer_da}. Kan du ikke komme alligevel, så svar her, så en "
                          "anden kan få din plads:", answer_link]
        elif what != "moved_up":
            lines += ["", "Svar ja, nej eller måske med dit personlige link (det virker indtil mødet):", answer_link]
        else:
            lines += ["", "Kan du ikke komme alligevel, så svar nej her, så den næste får pladsen:", answer_link]
    lines += ["", f"Mødets side: {meeting_url}"]
    if what in CALENDAR:
        lines += ["", "Kalenderinvitationen er vedhæftet (invitation.ics)."]
    lines += ["", "-- ", f"Du får denne e-mail, fordi du er inviteret til mødet af netværkets facilitator "
                         f"({meeting.facilitator}). Linket ovenfor er personligt: send det ikke videre."]
    message = EmailMessage()
    message["From"] = site.sender
    message["To"] = formataddr((_one_line(signup.name), signup.email))
    message["Subject"] = _one_line(SUBJECTS[what].format_map(fields))[:SUBJECT_MAX]
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid("netkit-meeting", domain=site.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    if what in CALENDAR:
        sender = parseaddr(site.sender)[1] or f"netkit@{site.domain}"
        calendar = invitation_ics(meeting, method=CALENDAR[what], sequence=sequence,
                                  organizer=(meeting.facilitator, sender), attendee=(signup.name, signup.email),
                                  url=meeting_url, now=now)
        # As calendar programs send it (RFC 6047): the invitation as an alternative of the text — what Outlook and
        # Gmail show with their own Accept/Decline — and the same file attached for those that only save it.
        message.add_alternative(calendar, subtype="calendar", charset="utf-8", params={"method": CALENDAR[what]})
        message.add_attachment(calendar.encode("utf-8"), maintype="application", subtype="ics",
                               filename="invitation.ics")
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())
