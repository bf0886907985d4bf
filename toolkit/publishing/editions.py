"""Published editions as files and as change notes: Word and PDF editions of any material, cached on disk
per edition (an edition never changes, so it is built once), and "what changed since the previous edition"
from the history and the publish message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.documents.pdf import docx_to_pdf
from toolkit.errors import NotFound
from toolkit.files import write_atomically
from toolkit.history.diffing import Diff
from toolkit.history.instance import Instance
from toolkit.history.revisions import Edition
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.publishing.word import DEFAULT_NETWORK, material_docx

Format = Literal["docx", "pdf"]


@dataclass(frozen=True)
class EditionChanges:
    edition: Edition
    previous: Edition | None
    diff: Diff | None  # None for the first edition


class EditionFiles:
    """Word and PDF files of materials; editions are kept in `cache_dir` (keyed by the cover settings too)."""

    def __init__(self, cache_dir: Path, *, network_name: str = DEFAULT_NETWORK, logo: Path | None = None):
        self.cache_dir = Path(cache_dir)
        self.network_name = network_name
        self.logo = logo
        logo_hash = hashlib.sha256(Path(logo).read_bytes()).hexdigest()[:12] if logo and Path(logo).is_file() else ""
        # "media": editions cached before the export carried pictures are built again, with them
        self._cover_key = hashlib.sha256(f"{network_name}\0{logo_hash}\0media".encode()).hexdigest()[:12]

    def build(self, material: Material, library: Library, fmt: Format, *, published=None) -> bytes:
        """The file for any text (a draft too), not cached on disk."""
        data = material_docx(material, library, network_name=self.network_name, logo=self.logo,
                             published=published)
        return docx_to_pdf(data, material.slug) if fmt == "pdf" else data

    def edition(self, instance: Instance, slug: str, version: str, fmt: Format) -> bytes:
        """The file of one published edition, built once and then read from the cache."""
        path = self.cache_dir / slug / f"{version}-{self._cover_key}.{fmt}"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        edition = _edition(instance, slug, version)
        material = instance.read_version(slug, version)
        if fmt == "pdf":
            data = docx_to_pdf(self.edition(instance, slug, version, "docx"), slug)
        else:
            data = material_docx(material, instance.library(), network_name=self.network_name, logo=self.logo,
                                 published=edition.time.date(),
                                 media=lambda name: instance.read_media(slug, name, edition.revision))
        write_atomically(data, path)
        return data


def changes_in(instance: Instance, slug: str, version: str) -> EditionChanges:
    """An edition, the one before it, and the diff between them (None for a first edition)."""
    editions = instance.versions(slug)
    edition = _edition(instance, slug, version, editions)
    index = editions.index(edition)
    previous = editions[index - 1] if index > 0 else None
    diff = instance.diff(slug, previous.revision, edition.revision) if previous else None
    return EditionChanges(edition, previous, diff)


def _edition(instance: Instance, slug: str, version: str, editions: list[Edition] | None = None) -> Edition:
    editions = editions if editions is not None else instance.versions(slug)
    for edition in editions:
        if edition.version == version:
            return edition
    known = ", ".join(e.version for e in editions) or "none yet"
    raise NotFound(f"'{slug}' has no published version {version}; published: {known}")
