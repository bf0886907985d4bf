"""What readers see of a material: its published editions, and the state line that says where it stands
("Udgivet 1.2.0 · kladde under review").

Anonymous readers see published materials only: a material with a draft on top of an edition shows them
that edition; a material that was never published is not shown to them at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.library.materials import Material

# Statuses whose current text is the edition readers get (publish sets "published"; retiring keeps the text).
PUBLIC_STATUSES = ("published", "retired")


@dataclass(frozen=True)
class PublicationState:
    """Where a material stands: its current status and the newest published edition, if any."""

    status: str
    last_edition: str | None

    @property
    def public(self) -> bool:
        """Whether anonymous readers may see the material (its current text or its last edition)."""
        return self.status in PUBLIC_STATUSES or self.last_edition is not None

    @property
    def shows_edition(self) -> bool:
        """Whether readers get the last edition rather than the current (draft) text."""
        return self.status not in PUBLIC_STATUSES and self.last_edition is not None

    @property
    def parts(self) -> tuple[tuple[str, str | None], ...]:
        """The state line as (key, version) parts; the web translates each key.

        published → ("published", "1.2.0"); a draft over it → + ("draft", None), or ("in_review", None), or
        ("approved", None); never published → ("unpublished", None) first; retired → ("retired", version).
        """
        if self.status == "retired":
            return (("retired", self.last_edition),)
        if self.status == "published":
            return (("published", self.last_edition),)
        head = ("published", self.last_edition) if self.last_edition else ("unpublished", None)
        step = {"draft": "draft", "review": "in_review", "approved": "approved"}.get(self.status, "draft")
        return (head, (step, None))


def state_of(material: Material, editions: dict[str, list[str]]) -> PublicationState:
    """The state of `material` given every material's published versions (oldest first)."""
    versions = editions.get(material.slug, [])
    last = versions[-1] if versions else (material.version if material.status in PUBLIC_STATUSES else None)
    return PublicationState(material.status, last)
