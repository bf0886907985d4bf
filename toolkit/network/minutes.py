"""A meeting's decision minutes from the `beslutningsreferat` Word template: the meeting mapped to the
template's answers (validated by the template's own questionnaire), then rendered like any template.

What the meeting knows is filled in: title (the theme), date and time, place, the theme in the value chain
(the first of the meeting's topic areas; another topic becomes "Andet" with its label), problem statement,
facilitator, attendees (facilitator, speakers and invitees; an
unknown organisation is written "Ikke oplyst"), the agenda with presenters and the decisions entered (an item
without a decision says so), the working groups the meeting formed, and the next meeting of the plan. The
rest (action items, apologies, the approval) is for the minutes taker to add in Word or in the template's form;
until then the minutes print empty lines for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.documents.generate import GeneratedDocument, render_docx
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Invalid, Problem
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.meetings import TOPIC_AREAS, Meeting

MINUTES_TEMPLATE = "beslutningsreferat"
UNKNOWN_ORGANISATION = "Ikke oplyst"
NO_DECISION = "Beslutningen er ikke skrevet ind endnu."
GROUP_FORMED = "Arbejdsgruppen blev dannet på mødet; se gruppens kommissorium."


def minutes_answers(meeting: Meeting, *, next_meeting: Meeting | None = None, taxonomy: Taxonomy | None = None,
                    groups: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """The template's answers for this meeting. `groups`: working-group id → (name, mandate), where known."""
    answers: dict[str, Any] = {
        "meeting_title": meeting.theme,
        "meeting_date": meeting.date,
        "place": meeting.place,
        "facilitator": meeting.facilitator,
    }
    if meeting.time_text:
        answers["meeting_time"] = meeting.time_text
    area = next((t for t in meeting.topics if t in TOPIC_AREAS), None)
    if area is not None:
        answers["theme"] = area.replace("-", "_")
    else:
        answers["theme"] = "other"
        first = meeting.topics[0] if meeting.topics else None
        answers["theme_other"] = (taxonomy.label("topics", first) if taxonomy and first else first) or "Netværksmøde"
    if meeting.problem:
        answers["problem_statement"] = meeting.problem
    answers["attendees"] = _attendees(meeting)
    answers["agenda_items"] = [{"topic": item.topic, "presenter": item.presenter,
                                "decision": item.decision or NO_DECISION} for item in meeting.agenda]
    answers["working_group_proposed"] = bool(meeting.formed_groups)
    if meeting.formed_groups:
        known = groups or {}
        answers["working_group_proposals"] = [
            {"name": known.get(group, (group, ""))[0] or group,
             "mandate_summary": (known.get(group, ("", ""))[1] or GROUP_FORMED)[:800]}
            for group in meeting.formed_groups]
    if next_meeting is not None:
        answers["next_meeting_date"] = next_meeting.date
        answers["next_meeting_theme"] = next_meeting.theme
    return answers


def _attendees(meeting: Meeting) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(name: str, organisation: str, role: str) -> None:
        if name.casefold() in seen:
            return
        seen.add(name.casefold())
        rows.append({"name": name, "organisation": organisation or UNKNOWN_ORGANISATION, "role": role})

    name, _, organisation = meeting.facilitator.partition(",")
    add(name.strip(), organisation.strip(), "Facilitator")
    for speaker in meeting.speakers:
        add(speaker.name, speaker.organisation, "Oplægsholder")
    for invitee in meeting.invitees:
        add(invitee.name, invitee.organisation, "")
    return rows


def minutes_docx(catalogue: TemplateCatalogue, meeting: Meeting, *, next_meeting: Meeting | None = None,
                 taxonomy: Taxonomy | None = None, groups: Mapping[str, tuple[str, str]] | None = None
                 ) -> GeneratedDocument:
    """The minutes as a Word file; Invalid with a clear message when the meeting has no agenda yet, or (naming
    the template's fields) when an answer does not fit the template."""
    if not meeting.agenda:
        raise Invalid(f"'{meeting.slug}' has no agenda yet", [Problem.at(
            meeting.path, "the meeting has no agenda: add at least one agenda item before making its minutes",
            field="agenda")])
    package = catalogue.get(MINUTES_TEMPLATE)
    return render_docx(package, minutes_answers(meeting, next_meeting=next_meeting, taxonomy=taxonomy,
                                                groups=groups))
