"""Per-request access to the app's core objects (no logic here)."""

from __future__ import annotations

from flask import current_app

from toolkit.documents.packages import TemplateCatalogue
from toolkit.library.folder import Library
from toolkit.search.index import SearchIndex


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


def projects():
    """The project registry of the library (toolkit.network.projects.registry.Registry)."""
    from webui import PROJECTS_KEY

    return current_app.extensions[PROJECTS_KEY]


def edition_files():
    """Word and PDF files of materials and editions (toolkit.publishing.editions.EditionFiles)."""
    from webui import EDITIONS_KEY

    return current_app.extensions[EDITIONS_KEY]


def source():
    """The app's source of content: the versioned Instance, or a LibraryWatcher over a plain folder."""
    from webui import SOURCE_KEY

    return current_app.extensions[SOURCE_KEY]


def instance():
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


def publication_state(material):
    """Where a material stands for the state line and for what readers get (toolkit.history.publication)."""
    from toolkit.history.publication import state_of

    return state_of(material, editions())


def hidden_from_reader() -> frozenset[str]:
    """Slugs the current visitor may not see: never-published materials, for visitors who are not signed in
    (a plain folder without history is a preview and shows everything)."""
    from toolkit.history.instance import Instance
    from toolkit.history.publication import state_of

    global _hidden
    if _reads_drafts() or not isinstance(source(), Instance):
        return frozenset()
    lib, known = library(), editions()
    if _hidden is None or _hidden[0] is not lib or _hidden[1] is not known:  # kept per library and editions
        _hidden = (lib, known, frozenset(m.slug for m in lib.materials() if not state_of(m, known).public))
    return _hidden[2]


_hidden: tuple | None = None


def readable(slug: str):
    """(the material this visitor reads, its publication state): signed-in members read the current text;
    other visitors the last published edition of a material with a draft in progress; NotFound for a
    material they may not see."""
    from toolkit.errors import NotFound
    from toolkit.history.instance import Instance

    current = library().get(slug)
    state = publication_state(current)
    if _reads_drafts() or not isinstance(source(), Instance):
        return current, state
    if not state.public:
        raise NotFound(f"'{slug}' is not published yet")
    if state.shows_edition:
        return source().read_version(slug, state.last_edition), state
    return current, state


def _reads_drafts() -> bool:
    from toolkit.people.permissions import can
    from webui.auth import current_user

    return can(current_user(), "read_drafts")
