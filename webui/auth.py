"""Signing in and out. Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure behind HTTPS, 8 hours);
failed sign-ins are throttled per account and per address; after signing in only a path on this site is
followed (no open redirect)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from dataclasses import replace
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from toolkit.accounts import Accounts, User
from toolkit.groups import memberships
from toolkit.permissions import can
from webui import csrf
from webui.activity import record

bp = Blueprint("auth", __name__)
SESSION_HOURS = 8
MAX_FAILURES, WINDOW_SECONDS = 5, 15 * 60
ACCOUNTS_KEY = "netkit.accounts"
GROUPS_KEY = "netkit.groups"  # toolkit.records.Records of the working groups
CARRY_PREFIX = "draft."  # fields of a form posted after the session ended, carried through signing in


class Throttle:
    """Failed sign-ins per key (account, address) in a sliding window, in this process."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= MAX_FAILURES for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > WINDOW_SECONDS:
            times.popleft()
        return times


THROTTLE = Throttle()


def current_user() -> User | None:
    """The signed-in user, or None (also when the account has been removed since). Looked up once per
    request: pages ask several times (header, page, view)."""
    name = session.get("user")
    if not name:
        return None
    if "netkit_user" not in g:
        users = {u.name: u for u in current_app.extensions[ACCOUNTS_KEY].users()}
        user = users.get(name)
        records = current_app.extensions.get(GROUPS_KEY)
        if user is not None and records is not None:  # membership in the groups' records counts too
            user = replace(user, groups=tuple(sorted(set(user.groups) | set(memberships(records, user.name)))))
        g.netkit_user = user
    return g.netkit_user


def safe_target(target: str | None) -> str:
    if not target:
        return url_for("reader.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("reader.home")
    return target


def sign_in_again(target: str) -> tuple[str, int]:
    """The sign-in page for a form posted after the session ended: what was typed rides along in hidden
    fields, and after signing in the user continues with it (nothing typed is lost)."""
    carry = [(CARRY_PREFIX + key, value) for key in request.form if key not in ("csrf_token", "action")
             for value in request.form.getlist(key)]
    return render_template("auth/login.html", name="", target=safe_target(target), carry=carry,
                           message=_("Din session er udløbet. Log ind igen – din tekst er bevaret og kommer med.")), 401


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    target = safe_target(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", name="", target=target, message=None)
    name = request.form.get("name", "").strip().lower()[:40]
    password = request.form.get("password", "")[:200]
    carry = [(key, value) for key in request.form if key.startswith(CARRY_PREFIX)
             for value in request.form.getlist(key)]

    def again(message: str, status: int):
        return render_template("auth/login.html", name=name, target=target, carry=carry, message=message), status

    if not csrf.valid():
        return again(_("Formularen var for gammel. Prøv igen."), 400)
    keys = (f"user:{name}", f"addr:{request.remote_addr}")
    if THROTTLE.blocked(*keys):
        return again(_("For mange forsøg. Vent et kvarter, og prøv igen."), 429)
    user = current_app.extensions[ACCOUNTS_KEY].authenticate(name, password)
    if user is None:
        THROTTLE.failed(*keys)
        current_app.logger.warning("failed sign-in for %r from %s", name, request.remote_addr)
        record(current_app, "sign_in_failed", name, request.remote_addr or "")
        return again(_("Forkert brugernavn eller adgangskode."), 400)
    THROTTLE.clear(f"user:{name}")
    token = session.get(csrf.FIELD)
    session.clear()  # a new session on sign-in (no fixation), keeping the form token
    if token:
        session[csrf.FIELD] = token
    session["user"] = user.name
    session.permanent = True
    current_app.logger.info("%s signed in from %s", user.name, request.remote_addr)
    record(current_app, "sign_in", user.name, request.remote_addr or "")
    if carry:  # back to the form that was posted when the session had ended, with what was typed
        fields = [(key[len(CARRY_PREFIX):], value) for key, value in carry]
        return render_template("auth/resume.html", target=target, fields=fields)
    return redirect(target)


@bp.post("/log-ud")
def logout() -> Response:
    if csrf.valid():
        session.pop("user", None)
    return redirect(url_for("reader.home"))


def init_app(app, accounts: Accounts, groups=None) -> None:
    app.extensions[ACCOUNTS_KEY] = accounts
    if groups is not None:
        app.extensions[GROUPS_KEY] = groups
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", dt.timedelta(hours=SESSION_HOURS))
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["can"] = can
    app.register_blueprint(bp)
