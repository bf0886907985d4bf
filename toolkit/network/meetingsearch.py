"""The network's meetings as search documents (doctype and kind "meeting", at `/moeder/<slug>/`), so a search
for "dataadgang" or "Aarhus" also finds the meeting about it. Indexed: the theme (title), date, place and
problem statement (summary), facilitator, topic areas, invited roles, speakers, agenda and the written minutes;
never the invitees' e-mail addresses. Topics are the meeting's topic areas, the audience its invited roles.

The text snippets show (`shown`) is written as sentences, the meeting's own first ("Netværksmøde om Adgang til
data, 4. februar 2027, kl. 13.00–16.00, i Regionshuset Aarhus …"), so a search matching its theme, place or
date shows that sentence, not a run of labels.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from toolkit.documents.sandboxfilters import danish_date
from toolkit.library.folder import Library
from toolkit.network.meetings import STATUS_DA, AgendaItem, Meeting, meeting_records
from toolkit.search.documents import SearchDoc
from toolkit.search.readable import readable_text

MEETING_URL = "/moeder/{slug}/"


class MeetingSource:
    """The meetings of a library folder as a DocSource (see toolkit.documents.templatesearch)."""

    def __init__(self, library_dir: Path, url_pattern: str = MEETING_URL):
        self.records = meeting_records(library_dir)
        self.url_pattern = url_pattern
        self._cache: dict[str, tuple[Meeting, str, SearchDoc]] = {}

    def signature(self) -> Hashable:
        """Changes when a meeting file is added, removed or changed."""
        return self.records.signature()

    def docs(self, library: Library) -> list[SearchDoc]:
        docs = []
        titles = library.targets.fingerprint  # minutes name linked materials by title
        for meeting in self.records.all():
            cached = self._cache.get(meeting.slug)
            if cached is None or cached[0] != meeting or cached[1] != titles:
                cached = (meeting, titles, self._doc(meeting, library))
                self._cache[meeting.slug] = cached
            docs.append(cached[2])
        return docs

    def _doc(self, meeting: Meeting, library: Library) -> SearchDoc:
        taxonomy = library.taxonomy
        when = danish_date(meeting.date) + (f", {meeting.time_text}" if meeting.time_text else "")
        summary = f"Møde {when}, {meeting.place}. {STATUS_DA[meeting.status]}." + (
            f" {meeting.problem}" if meeting.problem else "")
        minutes = readable_text(meeting.minutes, library.targets.titles) if meeting.minutes else ""
        text = "\n".join([  # what is indexed (as before: ranking stays as it was)
            meeting.place, f"Facilitator: {meeting.facilitator}",
            *(taxonomy.label("topics", t) for t in meeting.topics),
            *(taxonomy.label("audiences", a) for a in meeting.invited_roles),
            *(f"{s.name} {s.organisation} {s.topic}".strip() for s in meeting.speakers),
            *(f"{i.topic} {i.presenter} {i.decision}".strip() for i in meeting.agenda),
            minutes,
        ])
        shown = "\n".join(part for part in [  # what snippets show: sentences, the meeting's own first
            meeting_sentence(meeting, when), meeting.problem, _sentence(f"Facilitator: {meeting.facilitator}"),
            _listed("Emner", [taxonomy.label("topics", t) for t in meeting.topics]),
            _listed("For", [taxonomy.label("audiences", a) for a in meeting.invited_roles]),
            *(_sentence(f"Oplæg ved {s.name}" + (f" ({s.organisation})" if s.organisation else "")
                        + (f": {s.topic}" if s.topic else "")) for s in meeting.speakers),
            _listed("Dagsorden", [_agenda_item(item) for item in meeting.agenda], "; "),
            minutes,
        ] if part)
        return SearchDoc(
            id=f"meeting:{meeting.slug}", doctype="meeting", slug=meeting.slug, title=meeting.theme, summary=summary,
            text=text, url=self.url_pattern.format(slug=meeting.slug), language="da", kind="meeting",
            topics=meeting.topics, audience=meeting.invited_roles, status="published",
            updated=meeting.date.isoformat(), shown=shown)


# The meeting's status as the end of its own sentence.
_STATUS_SENTENCE = {"planned": "Mødet er planlagt.", "invited": "Der er inviteret til mødet.",
                    "held": "Mødet er afholdt.", "cancelled": "Mødet er aflyst."}


def meeting_sentence(meeting: Meeting, when: str) -> str:
    """The meeting in one sentence: theme, date and time, place; then its status."""
    status = _STATUS_SENTENCE.get(meeting.status, _sentence(STATUS_DA.get(meeting.status, "")))
    return f"Netværksmøde om {_sentence(f'{meeting.theme}, {when}, i {meeting.place}')} {status}".strip()


def _listed(lead: str, items: list[str], separator: str = ", ") -> str:
    """'Emner: Jura, Forskning.' — or nothing for no items."""
    items = [item.strip().rstrip(".") for item in items if item and item.strip()]
    return f"{lead}: {separator.join(items)}." if items else ""


def _agenda_item(item: AgendaItem) -> str:
    presenter = f" ({item.presenter})" if item.presenter else ""
    decision = f" – {item.decision.strip().rstrip('.')}" if item.decision else ""
    return f"{item.topic.strip().rstrip('.')}{presenter}{decision}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."
