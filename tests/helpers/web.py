"""Signing a test client in through the real sign-in form."""

from __future__ import annotations

import re

from flask import Flask


def sign_in(app, name: str, password: str):
    """A test client of `app` signed in as `name`, and its form token."""
    client = app.test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/log-ind", data={"csrf_token": token, "name": name, "password": password})
    signed_in = client.get("/").get_data(as_text=True)  # signing in gives the session a new form token
    found = re.search(r'name="csrf_token" value="([^"]+)"', signed_in)
    return client, found.group(1) if found else token


def app_with_users(home, *users: tuple) -> Flask:
    """The app on a fresh instance at `home` with these accounts: (name, role[, groups[, password]]); the
    password defaults to "<name>-kodeord-1"."""
    from toolkit.config import Settings
    from toolkit.people.accounts import Accounts
    from webui import create_app

    app = create_app(Settings.from_env(), {"TESTING": True})
    accounts = Accounts(home)
    for name, role, *rest in users:
        groups = tuple(rest[0]) if rest else ()
        password = rest[1] if len(rest) > 1 else f"{name}-kodeord-1"
        accounts.add(name, role, groups=groups, password=password)
    return app


def seen_revision(client, slug: str) -> str:
    """The revision the status page of `slug` is about now: an approve or publish posts it back (the text seen)."""
    page = client.get(f"/m/{slug}/status").get_data(as_text=True)
    return re.search(r'name="revision" value="([^"]*)"', page).group(1)
