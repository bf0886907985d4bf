"""Signing a test client in through the real sign-in form."""

from __future__ import annotations

import re


def sign_in(app, name: str, password: str):
    """A test client of `app` signed in as `name`, and its form token."""
    client = app.test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/log-ind", data={"csrf_token": token, "name": name, "password": password})
    return client, token
