"""The Word minutes from the minutes as data: the meeting's own answers (toolkit.network.minutes) with the
attendees, the decisions per agenda item, the action items and the approval filled in from the record.

A decision that names an agenda item is that item's decision (several are joined); the others go under one last
item, "Øvrige beslutninger" (the template takes 15 items: at the limit they join the last one). An agenda item
without a decision keeps the one typed in the meeting form, or says that none is written yet. The action items of
the previous meeting's minutes are followed up: done, delayed (open past their due date by this meeting) or in
progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.documents.generate import GeneratedDocument, render_docx
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Invalid, Problem
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.attendees import Attendee
from toolkit.network.decisions import Minutes
from toolkit.network.meetings import AGENDA_MAX, Meeting, today_here
from toolkit.network.minutes import MINUTES_TEMPLATE, NO_DECISION, UNKNOWN_ORGANISATION, minutes_answers

OTHER_DECISIONS = "Øvrige beslutninger"
DECISION_MAX = 1000  # the template's limit for one item's decision


def record_answers(meeting: Meeting, minutes: Minutes | None, attendees: list[Attendee], *,
                   next_meeting: Meeting | None = None, taxonomy: Taxonomy | None = None,
                   groups: Mapping[str, tuple[str, str]] | None = None,
                   previous: tuple[Meeting, Minutes] | None = None) -> dict[str, Any]:
    """The template's answers for the meeting and its minutes record; `previous`: the last earlier meeting with
    minutes, whose action items are followed up ("Status på tidligere handlingspunkter")."""
    answers = minutes_answers(meeting, next_meeting=next_meeting, taxonomy=taxonomy, groups=groups)
    if previous is not None and previous[1].actions:
        earlier, before = previous
        answers["previous_actions"] = [
            {"action": a.what, "owner": a.owner, "status": "done" if a.done else (
                "delayed" if a.due < meeting.date else "in_progress"),
             "comment": f"Fra mødet {earlier.date:%d.%m.%Y}, frist {a.due:%d.%m.%Y}"} for a in before.actions]
    if attendees:
        answers["attendees"] = [{"name": a.name, "organisation": a.organisation or UNKNOWN_ORGANISATION,
                                 "role": a.role} for a in attendees]
    if minutes is None:
        return answers
    items = [{"topic": item.topic, "presenter": item.presenter, "decision": item.decision}
             for item in meeting.agenda]
    other: list[str] = []
    for decision in minutes.decisions:
        if decision.item is not None and decision.item <= len(items):
            row = items[decision.item - 1]
            row["decision"] = _joined(row["decision"] if row.get("_ours") else "", decision.text)
            row["_ours"] = True
        else:
            other.append(decision.text)
    if other:
        if len(items) < AGENDA_MAX:
            items.append({"topic": OTHER_DECISIONS, "decision": ""})
        items[-1]["decision"] = _joined(items[-1]["decision"], *other)
    answers["agenda_items"] = [{key: value or (NO_DECISION if key == "decision" else value)
                                for key, value in row.items() if key != "_ours"} for row in items]
    answers["action_items"] = [{"action": a.what, "owner": a.owner, "deadline": a.due} for a in minutes.actions]
    answers["no_action_items"] = not minutes.actions and minutes.approved
    if minutes.approved:
        answers["approved_by"] = minutes.approved_by
        answers["approved_date"] = minutes.approved_on or today_here()
    return answers


def record_docx(catalogue: TemplateCatalogue, meeting: Meeting, minutes: Minutes | None, attendees: list[Attendee],
                **context: Any) -> GeneratedDocument:
    """The minutes as a Word file from the `beslutningsreferat` template; Invalid when there is neither an agenda
    nor a decision to write."""
    if not meeting.agenda and not (minutes and minutes.decisions):
        raise Invalid(f"'{meeting.slug}' has no agenda and no decisions yet", [Problem.at(
            meeting.path, "the meeting has no agenda and no decisions: add one before making its minutes",
            field="agenda")])
    return render_docx(catalogue.get(MINUTES_TEMPLATE), record_answers(meeting, minutes, attendees, **context))


def _joined(*texts: str) -> str:
    """Decisions of one item in one answer, within the template's limit (the register keeps them whole)."""
    text = "\n\n".join(t.strip() for t in texts if t and t.strip())
    return text if len(text) <= DECISION_MAX else text[:DECISION_MAX - 1] + "…"
