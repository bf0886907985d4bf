"""The review queue ("Mit arbejde"): where each unpublished material stands in the workflow, since when and by
whose hand, read from the status lines of the history — and what of it is one person's work.

A status change is a commit whose first line is `slug: old → new` and whose rest, after ": ", is the note given
with it (Instance.set_status); a publication is `Publish slug X.Y.Z: message`. The note of a change back to draft
from review or approval is the reviewer's comment ("sendt tilbage"). An edit can move a status too (an approved
text that changes is back in review, a published one becomes a draft: workflow.after_edit): then the material
has been in its status since the first commit after the last status change.

Pure functions over the library and each material's commits (newest first, as HistoryIndex.log gives them), and
`Queue`, which keeps the entries of one library version so a page header can count them on every request.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from toolkit.errors import NotFound
from toolkit.history.revisions import Revisions, material_path
from toolkit.library.folder import Library
from toolkit.library.materials import Material

WAITING = ("review", "approved")  # waiting for a reviewer: to be approved, or to be published
RETURNED_FROM = ("review", "approved")  # a change from these back to draft is a return with a comment
UNPUBLISHED = ("draft", *WAITING)

_CHANGE = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*): (?P<old>[a-z]+) → (?P<new>[a-z]+)(?:: (?P<note>.*))?\Z",
                     re.S)
_PUBLISH = re.compile(r"Publish (?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*) (?P<version>\S+)(?:: (?P<note>.*))?\Z", re.S)


class CommitLike(Protocol):
    """What is read of a commit (gitstore.Commit and revisions.Revision both have it)."""

    id: str
    author: str
    email: str
    time: dt.datetime
    message: str


@dataclass(frozen=True)
class StatusChange:
    old: str | None  # None for a publication (from whichever status it had)
    new: str
    note: str


def status_change(message: str) -> StatusChange | None:
    """The status change a commit message records, or None for any other commit."""
    message = message.strip()
    if found := _CHANGE.match(message):
        return StatusChange(found["old"], found["new"], (found["note"] or "").strip())
    if found := _PUBLISH.match(message):
        return StatusChange(None, "published", (found["note"] or "").strip())
    return None


@dataclass(frozen=True)
class Entry:
    """One unpublished material and how it came to its status."""

    material: Material
    since: dt.datetime | None  # when it came to its current status (None: no history at all)
    moved_by: str  # who moved it there (the commit's author name; "" when unknown)
    note: str  # the note given with that change: the reviewer's comment on a return
    returned: bool  # a draft sent back from review or approval
    requested_by: tuple[str, str] | None  # (name, e-mail) of who last asked for review
    writers: frozenset[str]  # the names and e-mails (casefolded) of everyone who saved a text of it
    changed: dt.datetime | None = None  # its newest commit
    moved_by_email: str = ""  # the e-mail of who moved it there

    def moved_by_me(self, me: frozenset[str]) -> bool:
        return any(part and part.casefold() in me for part in (self.moved_by, self.moved_by_email))

    @property
    def status(self) -> str:
        return self.material.status

    def asked_by(self, me: frozenset[str]) -> bool:
        return self.requested_by is not None and any(part.casefold() in me for part in self.requested_by)

    def involves(self, me: frozenset[str]) -> bool:
        """Whether this person wrote in it or asked for its review."""
        return bool(self.writers & me) or self.asked_by(me)


def entry_of(material: Material, commits: Sequence[CommitLike]) -> Entry:
    """Where `material` stands, from its commits (newest first)."""
    since: CommitLike | None = commits[-1] if commits else None  # never changed status: since it was made
    change = None
    for index, commit in enumerate(commits):
        found = status_change(commit.message)
        if found is None:
            continue
        if found.new == material.status:
            since, change = commit, found
        else:  # moved on by an edit (approved → review, published → draft): since the first commit after
            since = commits[index - 1] if index else commit
        break
    requested = next((c for c in commits if (found := status_change(c.message)) and found.new == "review"), None)
    return Entry(material=material, since=since.time if since else None, moved_by=since.author if since else "",
                 note=change.note if change else "",
                 returned=material.status == "draft" and change is not None and change.old in RETURNED_FROM,
                 requested_by=(requested.author, requested.email) if requested else None,
                 writers=frozenset(part.casefold() for c in commits if status_change(c.message) is None
                                   for part in (c.author, c.email) if part),  # a reviewer's status change is no writing
                 changed=commits[0].time if commits else None, moved_by_email=since.email if since else "")


def entries(library: Library, commits: Callable[[str], Sequence[CommitLike]]) -> list[Entry]:
    """Every unpublished material (draft, in review, approved) of the library with where it stands."""
    return [entry_of(m, commits(m.slug)) for m in library.materials() if m.status in UNPUBLISHED]


@dataclass(frozen=True)
class Worklist:
    """One person's work: their own drafts, what they asked to have reviewed, what came back to them with a
    comment, and — for a reviewer — everything waiting for review or publishing, oldest waiting first."""

    drafts: list[Entry]
    asked: list[Entry]
    returned: list[Entry]
    queue: list[Entry]
    reviewer: bool

    @property
    def waiting_for_me(self) -> int:
        """What this person is to act on: returned drafts, and for a reviewer the queue (the header's count)."""
        return len(self.returned) + len(self.queue)


def identities(*names: str) -> frozenset[str]:
    """A person's names and e-mail addresses as `Entry` compares them (empty ones left out)."""
    return frozenset(name.casefold() for name in names if name)


def worklist(all_entries: Iterable[Entry], me: frozenset[str], *, reviewer: bool) -> Worklist:
    """The worklist of the person known by `me` (identities()); `reviewer`: may approve and publish."""
    listed = list(all_entries)
    _oldest = dt.datetime.min.replace(tzinfo=dt.UTC)

    def newest_first(items: list[Entry]) -> list[Entry]:
        return sorted(items, key=lambda e: (e.since or _oldest, e.material.title), reverse=True)

    mine = [e for e in listed if e.involves(me)]
    returned = [e for e in mine if e.returned and not e.moved_by_me(me)]  # a return is for the authors, not its sender
    queue = [e for e in listed if e.status in WAITING] if reviewer else []
    return Worklist(
        drafts=newest_first([e for e in mine if e.status == "draft" and e not in returned]),
        asked=newest_first([e for e in listed if e.status in WAITING and e.asked_by(me)]),
        returned=newest_first(returned),
        queue=sorted(queue, key=lambda e: (e.since or _oldest, e.material.title)),  # the longest waiting first
        reviewer=reviewer)


def history_commits(revisions: Revisions) -> Callable[[str], Sequence[CommitLike]]:
    """A material's commits, newest first, from the history index (a dict lookup, no git process); a renamed
    material's (rare) through Revisions.history, which follows it across its former slugs."""

    def commits(slug: str) -> Sequence[CommitLike]:
        if not revisions.redirects.former(slug):
            return revisions.index.log(material_path(slug))
        try:
            return revisions.history(slug)
        except NotFound:
            return []

    return commits


class Queue:
    """The entries of the library version last asked for, computed once per (library object, head): every page
    header counts from them without reading the history again."""

    def __init__(self) -> None:
        self._kept: tuple[Library, str, list[Entry]] | None = None
        self._lock = threading.Lock()

    def entries(self, library: Library, head: str, commits: Callable[[str], Sequence[CommitLike]]) -> list[Entry]:
        kept = self._kept
        if kept is not None and kept[0] is library and kept[1] == head:
            return kept[2]
        with self._lock:  # one request computes; the others waiting take its result
            kept = self._kept
            if kept is not None and kept[0] is library and kept[1] == head:
                return kept[2]
            found = entries(library, commits)
            self._kept = (library, head, found)
        return found


__all__ = ["Entry", "Queue", "StatusChange", "Worklist", "entries", "entry_of", "history_commits", "identities",
           "status_change", "worklist"]
