"""The published editions of materials under revision as search documents (a DocSource).

While a published material's current text is a draft, in review or approved, readers get its last edition
(toolkit.history.publication); search must find that edition for them, not lose the material. Each such
edition becomes a `readers_only` SearchDoc under the material's own address: found by searches without drafts,
left out of searches with drafts (the material's current text stands for it there).

An edition never changes (its tag is fixed), so its text is read from git once per process and kept: a sync
after a save costs no git call for editions already read, and a query none at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from toolkit.errors import NetkitError
from toolkit.history.instance import Instance
from toolkit.history.publication import PUBLIC_STATUSES, state_of
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.search.documents import SearchDoc, material_doc
from toolkit.search.readable import linked_slugs

log = logging.getLogger(__name__)


class EditionSource:
    """The last editions of an instance's materials under revision, for readers' searches."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self._editions: dict[tuple[str, str], Material | None] = {}  # (slug, version) → the edition; None: unreadable
        # (slug, version) → (titles of the materials it links to, its doc): rebuilt when a linked title changes
        self._docs: dict[tuple[str, str], tuple[tuple[str | None, ...], SearchDoc]] = {}

    def signature(self) -> dict[str, list[str]]:
        """Every material's editions: the same object until the next commit (or tag), so comparing it per
        query is an identity check; a new one with the same editions compares equal."""
        return self.instance.editions()

    def docs(self, library: Library) -> list[SearchDoc]:
        editions = self.instance.editions()
        found = []
        for material in library.materials():
            if material.status in PUBLIC_STATUSES or material.slug not in editions:
                continue  # readers get the current text, or nothing at all (never published)
            state = state_of(material, editions)
            if state.shows_edition and state.last_edition is not None:
                doc = self._edition_doc(material.slug, state.last_edition, library.targets.titles)
                if doc is not None:
                    found.append(doc)
        return found

    def _edition_doc(self, slug: str, version: str, titles: Mapping[str, str]) -> SearchDoc | None:
        key = (slug, version)
        if key not in self._editions:
            try:
                self._editions[key] = self.instance.read_version(slug, version)
            except NetkitError as exc:  # e.g. no longer readable with today's taxonomy: readers cannot open it
                log.warning("edition %s of '%s' is left out of search: %s", version, slug, exc)
                self._editions[key] = None
        edition = self._editions[key]
        if edition is None:
            return None
        names = tuple(titles.get(linked) for linked in linked_slugs(edition.body))
        cached = self._docs.get(key)
        if cached is None or cached[0] != names:
            # The edition was published (publish sets the status): it is found as that, under its own id; its
            # snippets name the materials it links to by today's titles, as the current texts' do.
            doc = replace(material_doc(edition, titles=titles), id=f"material:{slug}@{version}", slug=slug,
                          url=f"/m/{slug}/", status="published", readers_only=True)
            cached = self._docs[key] = (names, doc)
        return cached[1]
