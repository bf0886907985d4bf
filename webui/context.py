"""Per-request access to the app's core objects (no logic here)."""

from __future__ import annotations

from flask import current_app

from toolkit.library import Library


def library() -> Library:
    """The current library: reloaded when files change, at most one check a second."""
    from webui import SOURCE_KEY

    return current_app.extensions[SOURCE_KEY].library()
