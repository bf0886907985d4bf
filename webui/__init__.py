"""The Flask web UI: thin views over the `toolkit` core."""

from __future__ import annotations

from typing import Any

from flask import Flask

from toolkit.config import BUNDLED_TEMPLATES, Settings
from toolkit.documents.packages import TemplateCatalogue
from toolkit.documents.templatesearch import TemplateSource
from toolkit.history.instance import Instance
from toolkit.history.records import Records
from toolkit.library.folder import LibraryWatcher
from toolkit.network.groups import GROUP
from toolkit.network.meetingsearch import MeetingSource
from toolkit.network.projects.search import ProjectSource
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.publishing.editions import EditionFiles
from toolkit.publishing.editionsearch import EditionSource
from toolkit.search.library_search import LibrarySearch, index_folder
from webui.context import EDITIONS_KEY, PROJECTS_KEY, SEARCH_KEY, SOURCE_KEY, TEMPLATES_KEY


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
    # The instance's templates (copied in on creation), else the bundled ones.
    templates = TemplateCatalogue(source.templates_dir if isinstance(source, Instance)
                                  and source.templates_dir.is_dir() else BUNDLED_TEMPLATES)
    app.extensions[TEMPLATES_KEY] = templates
    app.extensions[EDITIONS_KEY] = EditionFiles(settings.home / "cache" / "editions",
                                                network_name=settings.network_name, logo=settings.logo)
    project_source = ProjectSource(library_root)  # the project registry: pages and search share one reader
    app.extensions[PROJECTS_KEY] = project_source.registry
    app.extensions[SEARCH_KEY] = LibrarySearch(index_folder(settings.home, library_root,
                                                            instance=isinstance(source, Instance)),
                                               [TemplateSource(templates), project_source, MeetingSource(library_root),
                                                *([EditionSource(source)] if isinstance(source, Instance) else [])])

    from webui import (
        addresses,
        coremessages,
        csrf,
        errors,
        filters,
        i18n,
        names,
        notifying,
        ownwrites,
        proxy,
        requestlog,
        security,
        views,
    )
    from webui.views.people import activity, auth, oidc

    proxy.init_app(app, settings.proxy_hops)  # X-Forwarded-* believed from that many proxies; cookies follow
    requestlog.init_app(app)  # first, so its after_request runs last and logs the final status
    i18n.init_app(app)
    csrf.init_app(app, settings.home)
    auth.init_app(app, Accounts(settings.home), Records(library_root, GROUP))
    oidc.init_app(app, settings)  # the OpenID provider, when one is configured
    notifying.init_app(app, settings, source, Accounts(settings.home))
    activity.init_app(app, ActivityLog(settings.home, days=settings.activity_days))
    security.init_app(app)
    ownwrites.init_app(app)  # a writer's own change shows at once on every page, whichever worker answers
    filters.init_app(app)
    addresses.init_app(app)
    names.init_app(app)  # people and groups by name, the core's messages in the reader's language
    coremessages.init_app(app)
    errors.init_app(app)
    views.register(app)
    return app
