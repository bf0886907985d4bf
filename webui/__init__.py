"""The Flask web UI: thin views over the `toolkit` core."""

from __future__ import annotations

from typing import Any

from flask import Flask

from toolkit.config import Settings
from toolkit.instance import Instance
from toolkit.library import LibraryWatcher
from toolkit.search import LibrarySearch, index_folder

SOURCE_KEY = "netkit.source"
SEARCH_KEY = "netkit.search"


def create_app(settings: Settings | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app around one loaded library. Broken materials are logged and left out, never fatal."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        NETKIT_SETTINGS=settings,
    )
    if test_config:
        app.config.update(test_config)

    # The live, versioned instance (created on first start), or a plain folder when one is configured.
    source: Instance | LibraryWatcher = (LibraryWatcher(settings.library) if settings.library is not None
                                         else Instance.open(settings.home, create=True))
    for problem in source.library().problems:
        app.logger.warning("library problem: %s", problem)
    app.extensions[SOURCE_KEY] = source
    library_root = source.library().root
    app.extensions[SEARCH_KEY] = LibrarySearch(index_folder(settings.home, library_root,
                                                            instance=isinstance(source, Instance)))

    from webui import errors, filters, reader, searching, security

    security.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    app.register_blueprint(reader.bp)
    app.register_blueprint(searching.bp)
    return app
