"""The network's meetings as search documents (doctype and kind "meeting", at `/moeder/<slug>/`), so a search
for "dataadgang" or "Aarhus" also finds the meeting about it. Indexed: the theme (title), date, place and
problem statement (summary), facilitator, topic areas, invited roles, speakers, agenda and the written minutes;
never the invitees' e-mail addresses. Topics are the meeting's topic areas, the audience its invited roles.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from toolkit.documents.sandboxfilters import danish_date
from toolkit.library.folder import Library
from toolkit.library.render import plain_text
from toolkit.network.meetings import STATUS_DA, Meeting, meeting_records
from toolkit.search.documents import SearchDoc

MEETING_URL = "/moeder/{slug}/"


class MeetingSource:
    """The meetings of a library folder as a DocSource (see toolkit.documents.templatesearch)."""

    def __init__(self, library_dir: Path, url_pattern: str = MEETING_URL):
        self.records = meeting_records(library_dir)
        self.url_pattern = url_pattern
        self._cache: dict[str, tuple[Meeting, SearchDoc]] = {}

    def signature(self) -> Hashable:
        """Changes when a meeting file is added, removed or changed."""
        return self.records.signature()

    def docs(self, library: Library) -> list[SearchDoc]:
        docs = []
        for meeting in self.records.all():
            cached = self._cache.get(meeting.slug)
            if cached is None or cached[0] != meeting:
                cached = (meeting, self._doc(meeting, library))
                self._cache[meeting.slug] = cached
            docs.append(cached[1])
        return docs

    def _doc(self, meeting: Meeting, library: Library) -> SearchDoc:
        taxonomy = library.taxonomy
        when = danish_date(meeting.date) + (f", {meeting.time_text}" if meeting.time_text else "")
        summary = f"Møde {when}, {meeting.place}. {STATUS_DA[meeting.status]}." + (
            f" {meeting.problem}" if meeting.problem else "")
        text = "\n".join([
            meeting.place, f"Facilitator: {meeting.facilitator}",
            *(taxonomy.label("topics", t) for t in meeting.topics),
            *(taxonomy.label("audiences", a) for a in meeting.invited_roles),
            *(f"{s.name} {s.organisation} {s.topic}".strip() for s in meeting.speakers),
            *(f"{i.topic} {i.presenter} {i.decision}".strip() for i in meeting.agenda),
            plain_text(meeting.minutes) if meeting.minutes else "",
        ])
        return SearchDoc(
            id=f"meeting:{meeting.slug}", doctype="meeting", slug=meeting.slug, title=meeting.theme, summary=summary,
            text=text, url=self.url_pattern.format(slug=meeting.slug), language="da", kind="meeting",
            topics=meeting.topics, audience=meeting.invited_roles, status="published",
            updated=meeting.date.isoformat())
