"""Who took part in a meeting, for its minutes and the mail of the approved minutes: the facilitator and the
speakers, and then those who signed up with a seat (toolkit.network.signups: answered yes, not on the waiting
list) — or, for a meeting nobody signed up for through Netkit, its invitees as the meeting record lists them."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.network.meetings import Meeting
from toolkit.network.signups import SignupStore
from toolkit.people.notifystore import NotifyStore


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str = ""
    organisation: str = ""
    role: str = ""


def attendees(meeting: Meeting, store: NotifyStore | None) -> list[Attendee]:
    """The meeting's participants, each once (by name, case-folded), the facilitator first."""
    name, _, organisation = meeting.facilitator.partition(",")
    people = [Attendee(name.strip(), "", organisation.strip(), "Facilitator")]
    people += [Attendee(s.name, s.email, s.organisation, "Oplægsholder") for s in meeting.speakers]
    signed_up = SignupStore(store).of(meeting.slug) if store is not None and store.exists() else []
    if signed_up:
        people += [Attendee(s.name or s.email, s.email, s.organisation) for s in signed_up
                   if s.answer == "yes" and s.place != "waiting"]
    else:
        people += [Attendee(p.name, p.email, p.organisation) for p in meeting.invitees]
    seen: dict[str, Attendee] = {}
    for person in people:
        key = " ".join(person.name.split()).casefold()
        if key and key not in seen:
            seen[key] = person
        elif key and person.email and not seen[key].email:  # the speaker who also signed up: keep the address
            seen[key] = Attendee(seen[key].name, person.email, seen[key].organisation or person.organisation,
                                 seen[key].role)
    return list(seen.values())
