"""What this visitor may read: signed-in members read the current text of every material; other visitors read
published materials only, and the last edition of one whose draft is in progress (toolkit.history.publication).
A plain folder without history is a preview and shows everything."""

from __future__ import annotations

from toolkit.errors import NotFound
from toolkit.history.publication import PublicationState, state_of
from toolkit.library.materials import Material
from toolkit.people.permissions import can
from webui.context import editions, has_history, library, source
from webui.identity import current_user

_hidden: tuple | None = None


def publication_state(material: Material) -> PublicationState:
    """Where a material stands, for the state line and for what readers get."""
    return state_of(material, editions())


def hidden_from_reader() -> frozenset[str]:
    """Slugs the current visitor may not see: never-published materials, for visitors who are not signed in."""
    global _hidden
    if reads_drafts() or not has_history():
        return frozenset()
    lib, known = library(), editions()
    if _hidden is None or _hidden[0] is not lib or _hidden[1] is not known:  # kept per library and editions
        _hidden = (lib, known, frozenset(m.slug for m in lib.materials() if not state_of(m, known).public))
    return _hidden[2]


def readable(slug: str) -> tuple[Material, PublicationState]:
    """(the material this visitor reads, its publication state); NotFound for a material they may not see."""
    current = library().get(slug)
    state = publication_state(current)
    if reads_drafts() or not has_history():
        return current, state
    if not state.public:
        raise NotFound(f"'{slug}' is not published yet")
    if state.shows_edition:
        return source().read_version(slug, state.last_edition), state
    return current, state


def reads_drafts() -> bool:
    """Whether this visitor reads (and searches) the current text of materials, drafts included."""
    return can(current_user(), "read_drafts")
