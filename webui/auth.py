"""Signing in and out. Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure behind HTTPS) that name a
session kept in the instance (toolkit.signins): it ends after 8 hours, on signing out, and when the password
changes. Failed sign-ins are throttled per account and address, and per address, across every worker and
restart; after signing in only a path on this site is followed (no open redirect).

A form posted after its session ended keeps what was typed: the text is stored server-side (never echoed
into the sign-in page) — only for a post from this site's own pages, and only for the editor pages in
RESUMABLE — and after signing in the editor opens again with it, to be looked at and saved. Resuming never
acts by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from toolkit.accounts import Accounts, User
from toolkit.groups import memberships
from toolkit.permissions import can
from toolkit.signins import SESSION_SECONDS, SignIns
from webui import csrf
from webui.activity import record

bp = Blueprint("auth", __name__)
ACCOUNTS_KEY = "netkit.accounts"
GROUPS_KEY = "netkit.groups"  # toolkit.records.Records of the working groups
SIGNINS_KEY = "netkit.signins"
RESUME = "resume"  # the session key naming the draft kept for an editor page: {"id": …, "path": …}
# The editor pages whose text is kept through signing in again (their GET opens the kept draft).
RESUMABLE = frozenset({"editing.edit", "editing.create", "projects.create", "projects.edit", "meetings.create",
                       "meetings.edit", "meetings.proposals_page"})
_UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f\\]")


def signins() -> SignIns:
    return current_app.extensions[SIGNINS_KEY]


def current_user() -> User | None:
    """The signed-in user, or None (also when the account has been removed since). Looked up once per
    request: pages ask several times (header, page, view)."""
    name = session.get("user")
    if not name:
        return None
    if "netkit_user" not in g:
        live = signins().session_user(session.get("sid", "")) == name  # not signed out, not expired
        users = {u.name: u for u in current_app.extensions[ACCOUNTS_KEY].users()} if live else {}
        user = users.get(name)
        records = current_app.extensions.get(GROUPS_KEY)
        if user is not None and records is not None:  # membership in the groups' records counts too
            user = replace(user, groups=tuple(sorted(set(user.groups) | set(memberships(records, user.name)))))
        g.netkit_user = user
    return g.netkit_user


def safe_target(target: str | None) -> str:
    """A path on this site to go to after signing in (anything else: the home page)."""
    if not target or _UNSAFE_TARGET.search(target):
        return url_for("reader.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("reader.home")
    return target


def sign_in_again(target: str) -> tuple[str, int]:
    """The sign-in page for a form posted after its session ended. What was typed on one of this site's own
    editor pages is kept server-side, and the editor opens again with it after signing in; a post from
    anywhere else keeps nothing (it could be another site's forged form)."""
    message = _("Din session er udløbet. Log ind igen.")
    if request.endpoint in RESUMABLE and _from_this_site():
        fields = [(key, value) for key, values in request.form.lists() if key not in (csrf.FIELD, "action")
                  for value in values]
        draft = signins().keep_draft(request.path, fields)
        if draft is not None:
            session[RESUME] = {"id": draft, "path": request.path}
            message = _("Din session er udløbet. Log ind igen – din tekst er bevaret og kommer med.")
    return render_template("auth/login.html", name="", target=safe_target(target), message=message), 401


def resumed_form(path: str | None = None) -> MultiDict | None:
    """The form kept for this editor page when its session ended, taken (once) after signing in again."""
    path = path or request.path
    kept = session.get(RESUME)
    if current_user() is None or not isinstance(kept, dict) or kept.get("path") != path:
        return None
    session.pop(RESUME, None)
    fields = signins().take_draft(str(kept.get("id", "")), path)
    return MultiDict(fields) if fields is not None else None


def _from_this_site() -> bool:
    """Whether the browser says the post came from a page of this site (Sec-Fetch-Site, else Origin/Referer)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", name="", target=safe_target(request.args.get("next")),
                               message=None)
    name = request.form.get("name", "").strip().lower()[:40]
    if not csrf.valid():  # nothing from a post without this session's token is used, not even where to go next
        return render_template("auth/login.html", name=name, target=url_for("reader.home"),
                               message=_("Formularen var for gammel. Prøv igen.")), 400
    target = safe_target(request.form.get("next"))
    password = request.form.get("password", "")[:200]
    address = request.remote_addr or ""

    def again(message: str, status: int):
        return render_template("auth/login.html", name=name, target=target, message=message), status

    wait = signins().wait(name, address)
    if wait is not None:
        minutes = max(1, round(wait.seconds / 60))
        return again(_("For mange forsøg. Vent %(minutes)s minut(ter), og prøv igen.", minutes=minutes), 429)
    user = current_app.extensions[ACCOUNTS_KEY].authenticate(name, password)
    if user is None:
        signins().failed(name, address)
        current_app.logger.warning("failed sign-in for %r from %s", name, address)
        record(current_app, "sign_in_failed", name, address)
        return again(_("Forkert brugernavn eller adgangskode."), 400)
    signins().succeeded(name, address)
    kept = {key: session[key] for key in (csrf.FIELD, RESUME) if key in session}
    old_session = session.get("sid")
    session.clear()  # a new session on sign-in (no fixation), keeping the form token and a kept draft
    if old_session:
        signins().end_session(old_session)
    session.update(kept)
    session["user"] = user.name
    session["sid"] = signins().start_session(user.name)
    session.permanent = True
    current_app.logger.info("%s signed in from %s", user.name, address)
    record(current_app, "sign_in", user.name, address)
    resume = session.get(RESUME)
    if isinstance(resume, dict) and resume.get("path"):
        return redirect(safe_target(resume["path"]))  # the editor opens again with the kept text
    return redirect(target)


@bp.post("/log-ud")
def logout() -> Response:
    if csrf.valid():
        if session.get("sid"):
            signins().end_session(session["sid"])
        for key in ("user", "sid", RESUME):
            session.pop(key, None)
    return redirect(url_for("reader.home"))


def init_app(app, accounts: Accounts, groups=None, sign_ins: SignIns | None = None) -> None:
    app.extensions[ACCOUNTS_KEY] = accounts
    app.extensions[SIGNINS_KEY] = sign_ins or SignIns(accounts.home)
    if groups is not None:
        app.extensions[GROUPS_KEY] = groups
    # The cookie lives as long as the session behind it (Flask's own default would be 31 days).
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=SESSION_SECONDS)
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["can"] = can
    app.register_blueprint(bp)
