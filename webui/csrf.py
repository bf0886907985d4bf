"""CSRF protection for every form: a random token per session, sent back in a hidden field.

The secret that signs the session cookie lives in the instance folder (created once, readable only by its
owner), so sessions survive restarts and every worker process shares it.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from flask import Flask, request, session

FIELD = "csrf_token"


def load_secret(home: Path) -> bytes:
    """The instance's secret key, created on first use."""
    path = home / "secret_key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another worker created it first
        return path.read_bytes()


def token() -> str:
    """This session's token (created on first use)."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def valid() -> bool:
    """Whether the posted form carries this session's token."""
    sent = request.form.get(FIELD, "")
    expected = session.get(FIELD, "")
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)


def valid_in_query() -> bool:
    """Whether the form's address carries this session's token: a form that uploads a file puts it there, so
    the token is checked before the upload is read at all."""
    sent = request.args.get(FIELD, "")
    expected = session.get(FIELD, "")
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)


def init_app(app: Flask, home: Path) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret(home)
    app.jinja_env.globals["csrf_token"] = token
