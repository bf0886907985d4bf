"""Notifications in the web app: the instance's events are recorded for the background sender, which (outside
tests) runs in every process — the store's lease lets one of them send. Also the template helpers for the bell
and the watch buttons. Without SMTP settings no mail is made; the web notifications work all the same."""

from __future__ import annotations

from flask import Flask, current_app

from toolkit.config import Settings
from toolkit.history.instance import Instance
from toolkit.network.notifying import notifications_for
from toolkit.people.accounts import Accounts
from toolkit.people.notifications import Notifications
from toolkit.people.watches import Watch
from webui.context import NOTIFY_KEY
from webui.identity import current_user


def init_app(app: Flask, settings: Settings, source: object, accounts: Accounts) -> None:
    """Register the recorder on the instance and start the sender (unless testing: tests run it themselves,
    or when NETKIT_SENDER is set False in the app's config)."""
    app.jinja_env.globals.update(unread_notifications=unread, watching=watching)
    if not isinstance(source, Instance):  # a plain folder has no history, so no events
        return
    made = notifications_for(settings, source, accounts)
    source.events.add(made.recorder)
    app.extensions[NOTIFY_KEY] = made
    if app.config.get("NETKIT_SENDER", not app.testing):
        made.sender.start()


def parts() -> Notifications | None:
    return current_app.extensions.get(NOTIFY_KEY)


def unread() -> int | None:
    """The signed-in user's unread notifications for the bell (None: no notifications here: no history)."""
    user, found = current_user(), parts()
    if found is None:
        return None
    return found.inbox.unread(user.name) if user is not None else 0


def watching(type: str, target: str) -> Watch | None:
    user, found = current_user(), parts()
    return found.watches.find(user.name, type, target) if user is not None and found is not None else None

