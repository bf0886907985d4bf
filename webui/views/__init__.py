"""The web views, in rooms that mirror the core's (toolkit/<room>/): each module is one blueprint of thin views
that read the request, make one call into the core and render a page. `register` puts them all on the app.
The infrastructure they share sits beside this package: webui/context.py (the core objects), identity.py
(who is asking), guards.py (signed in / needs a permission), visibility.py (what a visitor may read), csrf.py,
security.py, i18n.py, errors.py and filters.py."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from webui.views import api, ops
    from webui.views.documents import templates
    from webui.views.history import comments, editing, importing, renaming, revisions, workflow
    from webui.views.library import media, mywork, reading, reviews
    from webui.views.network import groups, meetings, projects, proposals
    from webui.views.people import activity, admin, auth, notifications, oidc, privacy
    from webui.views.publishing import feeds
    from webui.views.search import searching

    for module in (reading, searching, templates, api, revisions, editing, workflow, admin, groups, feeds, meetings,
                   proposals, projects, reviews, auth, activity, renaming, comments, mywork, notifications, importing,
                   media, ops, privacy, oidc):
        app.register_blueprint(module.bp)
    from webui.views.network import invitations, rsvp  # invitations to meetings and the answers

    app.register_blueprint(invitations.bp)
    app.register_blueprint(rsvp.bp)
    from webui.views.network import partners  # partners for consortia, "Vis interesse", funding calls

    app.register_blueprint(partners.bp)
    from webui.views.network import overview  # the AI map: /overblik/

    app.register_blueprint(overview.bp)
    from webui.views.network import decisions  # decisions and action items as data: minutes, /beslutninger/

    app.register_blueprint(decisions.bp)
    from webui.views.network import newsletter  # the newsletter "Nyt fra netværket": /nyhedsbrev/

    app.register_blueprint(newsletter.bp)
