"""Whether this process has loaded what it serves: the library and its synced search index (/readyz answers
from here). `netkit serve` loads before its workers are forked, so each starts ready; an app that has not loaded
yet (a test's, or after a failure) loads in the background when first asked."""

from __future__ import annotations

import threading

from flask import Flask

from webui.context import library, search_index

READY_KEY = "netkit.ready"  # a threading.Event, set once the library and the index are loaded
_loading = threading.Lock()  # one background load at a time


def load(app: Flask) -> None:
    """Load the library and sync the search index in this process, then count as ready (raises what failed)."""
    with app.app_context():
        library()
        search_index()
    _ready(app).set()


def is_ready(app: Flask) -> bool:
    return _ready(app).is_set()


def start_loading(app: Flask) -> None:
    """Load in a background thread unless one is loading already; a failure is logged, the next ask tries again."""
    if not _loading.acquire(blocking=False):
        return

    def run() -> None:
        try:
            load(app)
        except Exception:  # the failure is the answer (not ready), and why goes to the log
            app.logger.exception("loading the library and its search index failed")
        finally:
            _loading.release()

    threading.Thread(target=run, name="netkit-load", daemon=True).start()


def _ready(app: Flask) -> threading.Event:
    return app.extensions.setdefault(READY_KEY, threading.Event())
