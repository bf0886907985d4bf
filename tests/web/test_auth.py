"""Signing in and out through Flask's test client: CSRF, wrong passwords, throttling, no open redirect."""

from __future__ import annotations

import re

import pytest

from toolkit.people.accounts import Accounts
from webui import context


@pytest.fixture
def client(bundled_app):
    accounts = Accounts(bundled_app.config["NETKIT_SETTINGS"].home)
    if not any(user.name == "ane" for user in accounts.users()):
        accounts.add("ane", "member", groups=("samtykke",), password="ane-kodeord-1")
    bundled_app.extensions[context.SIGNINS_KEY].clear_failures()
    return bundled_app.test_client()


def token(client, path="/log-ind") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_sign_in_and_out(client):
    response = client.post("/log-ind", data={"csrf_token": token(client), "name": "ane", "password": "ane-kodeord-1",
                                             "next": "/gennemse"})
    assert response.status_code == 302 and response.headers["Location"] == "/gennemse"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires" in cookie
    page = client.get("/").get_data(as_text=True)
    assert '<span class="signed-in">ane</span>' in page
    out = client.post("/log-ud", data={"csrf_token": token(client, "/")})
    assert out.status_code == 302
    assert '<span class="signed-in">' not in client.get("/").get_data(as_text=True)


def test_wrong_password_keeps_the_name_and_says_so(client):
    response = client.post("/log-ind", data={"csrf_token": token(client), "name": "ane", "password": "forkert"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Forkert brugernavn eller adgangskode." in page and 'value="ane"' in page


def test_a_forged_post_without_token_signs_nobody_in(client):
    response = client.post("/log-ind", data={"name": "ane", "password": "ane-kodeord-1"})
    assert response.status_code == 400
    assert '<span class="signed-in">' not in client.get("/").get_data(as_text=True)


def test_failed_sign_ins_are_throttled(client):
    for _ in range(5):
        client.post("/log-ind", data={"csrf_token": token(client), "name": "ane", "password": "gæt-gæt-gæt"})
    blocked = client.post("/log-ind", data={"csrf_token": token(client), "name": "ane", "password": "ane-kodeord-1"})
    assert blocked.status_code == 429 and "For mange forsøg" in blocked.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_no_open_redirect_after_sign_in(client, target):
    response = client.post("/log-ind", data={"csrf_token": token(client), "name": "ane", "password": "ane-kodeord-1",
                                             "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_xss_in_the_user_name_is_escaped(client):
    page = client.post("/log-ind", data={"csrf_token": token(client), "name": "<script>x</script>",
                                         "password": "x"}).get_data(as_text=True)
    assert "<script>x</script>" not in page
