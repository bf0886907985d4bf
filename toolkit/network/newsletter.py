"""The newsletter "Nyt fra netværket": a month's digest of the network, assembled from what the instance holds.

`assemble(instance, month, today)` gathers, as plain data (`Digest` of `Item`s, in sections):

- "editions": material editions published in the month (the git tags' dates);
- "meetings": meetings held in the month (not cancelled), and meetings coming up after it (planned or invited,
  within UPCOMING_DAYS of the later of the month's end and `today`);
- "groups": working groups created or changed in the month (their file's commits);
- "projects": projects added to the registry in the month (their file's first commit);
- "calls": funding calls whose deadline is still ahead (from the later of the month's end and `today`, within
  CALL_DAYS); those added in the month are marked new.

Meetings coming up and deadlines ahead are reminders (`Item.news` False): a month with nothing but reminders
has nothing to send (`Digest.has_news`).

Nothing here writes: the issue record (toolkit.network.newsletterissue) keeps the facilitator's intro, the items
they dropped and, once sent, the items as they were sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import InvalidSlug
from toolkit.history.instance import Instance
from toolkit.history.records import Records
from toolkit.library.freshness import DANISH_MONTHS
from toolkit.network.calls import call_records
from toolkit.network.groups import GROUP
from toolkit.network.meetings import OPEN_STATUSES, ZONE, meeting_records
from toolkit.network.projects.registry import Registry

MONTH_RE = re.compile(r"(?P<year>20\d\d)-(?P<month>0[1-9]|1[0-2])\Z")
SECTIONS = ("editions", "meetings", "groups", "projects", "calls")
SECTION_DA = {"editions": "Nye udgaver af materialer", "meetings": "Møder", "groups": "Arbejdsgrupper",
              "projects": "Nye projekter", "calls": "Opslag med frist forude"}
UPCOMING_DAYS = 92  # meetings this far ahead are "coming up"
CALL_DAYS = 183  # funding calls with a deadline this far ahead


@dataclass(frozen=True)
class Item:
    """One line of the digest. `key` is stable for the month ("edition:slug@1.2.0", "project:slug" …): what a
    facilitator drops is kept by it. `path` is the site path it links to (no leading slash)."""

    section: str  # one of SECTIONS
    key: str
    title: str
    text: str  # one line: what happened ("Udgave 1.2.0", "Afholdt 12. november 2026" …)
    path: str
    day: dt.date
    news: bool = True  # happened in the month; False: a reminder of what is ahead (a meeting, a deadline)

    def to_data(self) -> dict[str, Any]:
        return {"section": self.section, "key": self.key, "title": self.title, "text": self.text,
                "path": self.path, "day": self.day.isoformat()}


@dataclass(frozen=True)
class Digest:
    month: str  # YYYY-MM
    items: tuple[Item, ...]
    intro: str = ""
    dropped: tuple[str, ...] = field(default=())  # keys left out by the facilitator

    @property
    def kept(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.key not in self.dropped)

    def sections(self, *, everything: bool = False) -> list[tuple[str, str, list[Item]]]:
        """(section, Danish heading, items) for each section with items, in SECTIONS order."""
        chosen = self.items if everything else self.kept
        return [(name, SECTION_DA[name], [i for i in chosen if i.section == name]) for name in SECTIONS
                if any(i.section == name for i in chosen)]

    @property
    def has_news(self) -> bool:
        """Whether something kept happened in the month: an issue of reminders alone is not worth sending."""
        return any(item.news for item in self.kept)

    @property
    def title(self) -> str:
        return f"Nyt fra netværket – {month_name(self.month)}"


def parse_month(text: str) -> str:
    """"2026-11" as given, or InvalidSlug (the CLI's misuse, the web's 404) for anything else."""
    if not isinstance(text, str) or not MONTH_RE.match(text.strip()):
        raise InvalidSlug(f"'{str(text)[:20]}' is not a month; write YYYY-MM, e.g. 2026-11")
    return text.strip()


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The month's first day and the first day of the next month."""
    found = MONTH_RE.match(parse_month(month))
    assert found is not None
    first = dt.date(int(found["year"]), int(found["month"]), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def previous_month(today: dt.date) -> str:
    """The default issue: the month before this one."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def month_name(month: str) -> str:
    """"november 2026"."""
    first, _ = month_bounds(month)
    return f"{DANISH_MONTHS[first.month - 1]} {first.year}"


def danish_date(day: dt.date) -> str:
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


def assemble(instance: Instance, month: str, *, today: dt.date | None = None, intro: str = "",
             dropped: Iterable[str] = ()) -> Digest:
    """The digest of `month` as the instance is now."""
    first, following = month_bounds(month)
    today = today or dt.datetime.now(ZONE).date()
    ahead = max(following, today)
    items = [*_editions(instance, first, following), *_meetings(instance, first, following, ahead),
             *_groups(instance, first, following), *_projects(instance, first, following),
             *_calls(instance, first, following, ahead)]
    return Digest(month, tuple(items), intro, tuple(dropped))


def shorten(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters, cut at a word with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _local_day(moment: dt.datetime) -> dt.date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(ZONE).date()


def _in(day: dt.date, first: dt.date, following: dt.date) -> bool:
    return first <= day < following


def _editions(instance: Instance, first: dt.date, following: dt.date) -> list[Item]:
    library = instance.library()
    items = []
    present = {m.slug for m in library.materials()}
    for slug, newest in sorted(instance.revisions.last_published().items()):
        if _local_day(newest) < first or slug not in present:
            continue  # nothing published since the month began (or the material is gone)
        title = library.get(slug).title
        for edition in instance.versions(slug):
            day = _local_day(edition.time)
            if _in(day, first, following):
                items.append(Item("editions", f"edition:{slug}@{edition.version}", title,
                                  f"Udgave {edition.version}, udgivet {danish_date(day)}", f"m/{slug}/", day))
    return sorted(items, key=lambda i: (i.day, i.title.casefold()))


def _meetings(instance: Instance, first: dt.date, following: dt.date, ahead: dt.date) -> list[Item]:
    items = []
    until = ahead + dt.timedelta(days=UPCOMING_DAYS)
    for meeting in sorted(meeting_records(instance.library_dir).all(), key=lambda m: (m.date, m.slug)):
        news = _in(meeting.date, first, following) and meeting.status != "cancelled"
        if news:
            text = f"Afholdt {danish_date(meeting.date)}, {meeting.place}" if meeting.date < ahead else \
                f"{danish_date(meeting.date)}, {meeting.place}"
        elif ahead <= meeting.date < until and meeting.status in OPEN_STATUSES:
            text = f"Kommende møde {danish_date(meeting.date)}, {meeting.place}"
        else:
            continue
        items.append(Item("meetings", f"meeting:{meeting.slug}", meeting.theme, text, f"moeder/{meeting.slug}/",
                          meeting.date, news))
    return items


def _first_and_changes(instance: Instance, path: str) -> tuple[dt.date | None, list[dt.date]]:
    """When a library file was added, and the days of every commit that changed it (local days)."""
    days = [_local_day(commit.time) for commit in instance.revisions.index.log(path)]  # newest first
    return (days[-1] if days else None), days


def _groups(instance: Instance, first: dt.date, following: dt.date) -> list[Item]:
    items = []
    for group in sorted(Records(instance.library_dir, GROUP).all(), key=lambda g: g.name.casefold()):
        added, days = _first_and_changes(instance, f"library/groups/{group.slug}.yaml")
        if added is not None and _in(added, first, following):
            text, day = f"Ny arbejdsgruppe, oprettet {danish_date(added)}", added
        elif changed := [d for d in days if _in(d, first, following)]:
            text, day = f"Ændret {danish_date(changed[0])}", changed[0]
        else:
            continue
        items.append(Item("groups", f"group:{group.slug}", group.name, text, f"grupper/{group.slug}/", day))
    return items


def _projects(instance: Instance, first: dt.date, following: dt.date) -> list[Item]:
    items = []
    registry = Registry(instance.library_dir)
    for project in registry.all():
        added, _days = _first_and_changes(instance, f"library/projects/{project.slug}.yaml")
        if added is not None and _in(added, first, following):
            owner = registry.organisations.label(project.owner) if project.owner else ""
            items.append(Item("projects", f"project:{project.slug}", project.title,
                              " – ".join(part for part in (owner, shorten(project.summary)) if part),
                              f"projekter/{project.slug}/", added))
    return sorted(items, key=lambda i: (i.day, i.title.casefold()))


def _calls(instance: Instance, first: dt.date, following: dt.date, ahead: dt.date) -> list[Item]:
    items = []
    until = ahead + dt.timedelta(days=CALL_DAYS)
    for call in sorted(call_records(instance.library_dir).all(), key=lambda c: (c.deadline, c.title.casefold())):
        if not ahead <= call.deadline < until:
            continue
        added, _days = _first_and_changes(instance, f"library/calls/{call.slug}.yaml")
        new = added is not None and _in(added, first, following)
        items.append(Item("calls", f"call:{call.slug}", call.title,
                          f"{'Nyt opslag. ' if new else ''}{call.funder}, frist {danish_date(call.deadline)}",
                          "opslag/", call.deadline, new))
    return items
