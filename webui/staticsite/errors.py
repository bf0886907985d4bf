"""What stops a static site export: SiteError (it could not be made) and SiteMisuse (a target it must never use)."""

from __future__ import annotations

from toolkit.errors import NetkitError


class SiteError(NetkitError):
    """The export could not be made (a page failed, LibreOffice is missing or failed, OUT is not empty)."""


class SiteMisuse(NetkitError):
    """OUT is a place the export must never write to (the instance, the bundled content, a parent of them)."""
