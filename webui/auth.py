"""Signing in and out. Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure behind HTTPS) that name a
session kept in the instance (toolkit.people.signins): it ends after 8 hours, on signing out, and when the password
changes. Failed sign-ins are throttled per account and address, and per address, across every worker and
restart; after signing in only a path on this site is followed (no open redirect).

A form posted after its session ended keeps what was typed: the text is stored server-side (never echoed
into the sign-in page) — only for a post from this site's own pages, and only for the editor pages in
RESUMABLE — and after signing in the editor opens again with it, to be looked at and saved. Resuming never
acts by itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from toolkit.network.groups import memberships
from toolkit.people.accounts import Accounts, User
from toolkit.people.permissions import can
from toolkit.people.signins import SESSION_SECONDS, SignIns
from webui import csrf
from webui.activity import record

bp = Blueprint("auth", __name__)
ACCOUNTS_KEY = "netkit.accounts"
GROUPS_KEY = "netkit.groups"  # toolkit.history.records.Records of the working groups
SIGNINS_KEY = "netkit.signins"
NOT_TYPED = frozenset({csrf.FIELD, "action", "base"})  # hidden fields of the forms, not typed
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
    editor pages is kept server-side for the account the (expired) session cookie names, and that editor opens
    with it once the same account signs in again; without such an account, what was typed is shown read-only
    to copy. A post from anywhere else keeps and shows nothing (it could be another site's forged form)."""
    page = functools.partial(render_template, "auth/login.html", target=safe_target(target))
    if request.endpoint not in RESUMABLE or not _from_this_site():
        return page(name="", message=_("Din session er udløbet. Log ind igen.")), 401
    fields = [(key, value) for key, values in request.form.lists() for value in values]
    owner = str(session.get("user") or "")  # from the signed cookie: nobody can keep a draft for someone else
    known = owner in {u.name for u in current_app.extensions[ACCOUNTS_KEY].users()}
    if known and signins().keep_draft(owner, request.path, [(k, v) for k, v in fields
                                                           if k not in (csrf.FIELD, "action")]):
        return page(name=owner, message=_("Din session er udløbet. Log ind igen – din tekst er bevaret og kommer "
                                          "med.")), 401
    typed = "\n\n".join(value.strip() for key, value in fields if key not in NOT_TYPED and value.strip())
    return page(name="", typed=typed[:200_000], message=_("Din session er udløbet. Log ind igen.")), 401


def resumed_form(path: str | None = None) -> MultiDict | None:
    """The form the signed-in user was filling in on this editor page when their session ended (kept a day),
    taken once."""
    user = current_user()
    if user is None:
        return None
    fields = signins().take_draft(path or request.path, user.name)
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
    old_session = session.get("sid")
    session.clear()  # a new session on sign-in (no fixation), with a new form token
    if old_session:
        signins().end_session(old_session)
    session["user"] = user.name
    session["sid"] = signins().start_session(user.name)
    session.permanent = True
    current_app.logger.info("%s signed in from %s", user.name, address)
    record(current_app, "sign_in", user.name, address)
    return redirect(target)  # after an expired session: the editor, which opens with the kept text


@bp.post("/log-ud")
def logout() -> Response:
    if csrf.valid():
        if session.get("sid"):
            signins().end_session(session["sid"])
        for key in ("user", "sid"):
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
