"""Starting a session after a sign-in, the same for a local password (webui/views/people/auth.py) and for the
OpenID provider (webui/views/people/oidc.py), and whether the local sign-in form is offered at all."""

from __future__ import annotations

from flask import current_app, session

from toolkit.config import Settings
from webui.audit import record
from webui.context import signins


def local_login(settings: Settings) -> bool:
    """Whether the user-name-and-password form is offered (and its posts heard): off only with a provider."""
    return settings.local_login or not settings.oidc_issuer


def start_session(name: str, address: str) -> None:
    """A new session on sign-in (no fixation), with a new form token; the old one ends."""
    signins().succeeded(name, address)
    old_session = session.get("sid")
    session.clear()
    if old_session:
        signins().end_session(old_session)
    session["user"] = name
    session["sid"] = signins().start_session(name)
    session.permanent = True
    current_app.logger.info("%s signed in from %s", name, address)
    record("sign_in", name, address)
