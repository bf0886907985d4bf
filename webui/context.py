"""Per-request access to the app's core objects (no logic here)."""

from __future__ import annotations

from flask import current_app

from toolkit.library import Library


def library() -> Library:
    from webui import LIBRARY_KEY

    return current_app.extensions[LIBRARY_KEY]
