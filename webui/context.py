"""Per-request access to the app's core objects, and the keys they are kept under in `app.extensions`
(no logic here, and no import from the rest of webui, so every module can use it)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from flask import current_app, g, has_request_context, request, session

if TYPE_CHECKING:
    from toolkit.documents.packages import TemplateCatalogue
    from toolkit.history.instance import Instance
    from toolkit.history.records import Records
    from toolkit.library.folder import Library, LibraryWatcher
    from toolkit.network.projects.registry import Registry
    from toolkit.people.accounts import Accounts
    from toolkit.people.activity import ActivityLog
    from toolkit.people.signins import SignIns
    from toolkit.publishing.editions import EditionFiles
    from toolkit.search.index import SearchIndex

SOURCE_KEY = "netkit.source"
SEARCH_KEY = "netkit.search"
TEMPLATES_KEY = "netkit.templates"
EDITIONS_KEY = "netkit.editions"
PROJECTS_KEY = "netkit.projects"
ACCOUNTS_KEY = "netkit.accounts"
GROUPS_KEY = "netkit.groups"  # the working groups' records (optional: an app may serve without them)
SIGNINS_KEY = "netkit.signins"
LOG_KEY = "netkit.activity"
NOTIFY_KEY = "netkit.notifications"  # toolkit.people.notifications, wired by webui/notifying.py


def source() -> Instance | LibraryWatcher:
    """The app's source of content: the versioned Instance, or a LibraryWatcher over a plain folder."""
    return current_app.extensions[SOURCE_KEY]


# Query parameters a page gets right after a change by this visitor ("Gemt.", a new status, an edition).
JUST_CHANGED = ("gemt", "status", "udgivet")
# The pages people change things from read the folder afresh: a status page served by one worker a moment after a
# co-author's change in another must offer the actions of the state now, not of a second ago.
WRITER_PAGES = frozenset({"editing", "workflow", "history", "comments", "renaming", "mywork"})
# In the session: when this visitor last changed something (webui/ownwrites.py). For a few seconds after, every
# page they open reads the folder afresh, so their own change shows also where another worker answers (that
# worker would otherwise look again only after its one-second interval). Longer than that interval.
WROTE_KEY = "netkit_wrote"
OWN_WRITE_SECONDS = 5


def library() -> Library:
    """The current library: reloaded when files change, at most one check a second — at once on the page a
    writer lands on after their own change (which another worker process may serve) and on the writers' pages."""
    current = source()
    if has_request_context() and "netkit_refreshed" not in g and (request.blueprint in WRITER_PAGES
                                                                  or any(k in request.args for k in JUST_CHANGED)
                                                                  or wrote_recently()):
        g.netkit_refreshed = True
        if hasattr(current, "refresh"):
            current.refresh()
    return current.library()


def wrote_recently() -> bool:
    """This visitor changed something in the last OWN_WRITE_SECONDS (by this or another worker)."""
    wrote = session.get(WROTE_KEY)
    return isinstance(wrote, int | float) and 0 <= time.time() - wrote < OWN_WRITE_SECONDS


def search_index() -> SearchIndex:
    """The search index, brought in step with the current library."""
    return current_app.extensions[SEARCH_KEY].index_for(library())


def templates() -> TemplateCatalogue:
    """The Word templates the site offers."""
    return current_app.extensions[TEMPLATES_KEY]


def projects() -> Registry:
    """The project registry of the library."""
    return current_app.extensions[PROJECTS_KEY]


def edition_files() -> EditionFiles:
    """Word and PDF files of materials and editions."""
    return current_app.extensions[EDITIONS_KEY]


def accounts() -> Accounts:
    return current_app.extensions[ACCOUNTS_KEY]


def group_records() -> Records | None:
    """The working groups' records, when the app keeps them."""
    return current_app.extensions.get(GROUPS_KEY)


def signins() -> SignIns:
    """Sessions, the sign-in throttle and the drafts kept through signing in again."""
    return current_app.extensions[SIGNINS_KEY]


def activity_log() -> ActivityLog | None:
    return current_app.extensions.get(LOG_KEY)


def instance() -> Instance:
    """The versioned Instance; NotFound (a 404 page) when the app serves a plain folder without history."""
    from toolkit.errors import NotFound
    from toolkit.history.instance import Instance

    current = source()
    if not isinstance(current, Instance):
        raise NotFound("this library has no history (served from a plain folder)")
    return current


def editions() -> dict[str, list[str]]:
    """Every material's published versions (none when serving a plain folder without history)."""
    from toolkit.history.instance import Instance

    current = source()
    return current.editions() if isinstance(current, Instance) else {}


def last_published() -> dict:
    """When each material's newest edition was made (none when serving a plain folder without history)."""
    return instance().revisions.last_published() if has_history() else {}


def has_history() -> bool:
    from toolkit.history.instance import Instance

    return isinstance(source(), Instance)
