"""Per-request access to the app's core objects (no logic here)."""

from __future__ import annotations

from flask import current_app

from toolkit.library import Library
from toolkit.packages import TemplateCatalogue
from toolkit.search import SearchIndex


def library() -> Library:
    """The current library: reloaded when files change, at most one check a second."""
    from webui import SOURCE_KEY

    return current_app.extensions[SOURCE_KEY].library()


def search_index() -> SearchIndex:
    """The search index, brought in step with the current library."""
    from webui import SEARCH_KEY

    return current_app.extensions[SEARCH_KEY].index_for(library())


def templates() -> TemplateCatalogue:
    """The Word templates the site offers."""
    from webui import TEMPLATES_KEY

    return current_app.extensions[TEMPLATES_KEY]


def source():
    """The app's source of content: the versioned Instance, or a LibraryWatcher over a plain folder."""
    from webui import SOURCE_KEY

    return current_app.extensions[SOURCE_KEY]


def instance():
    """The versioned Instance; NotFound (a 404 page) when the app serves a plain folder without history."""
    from toolkit.errors import NotFound
    from toolkit.instance import Instance

    current = source()
    if not isinstance(current, Instance):
        raise NotFound("this library has no history (served from a plain folder)")
    return current
