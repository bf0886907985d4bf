"""Signing in and out. Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure behind HTTPS) that name a session
kept in the instance (toolkit.people.signins): it ends after 8 hours, on signing out, and when the password
changes. Failed sign-ins are throttled per account and address, and per address, across every worker and restart;
after signing in only a path on this site is followed (no open redirect). With an OpenID provider configured
(webui/views/people/oidc.py) the page offers "Log ind med <provider>" too; NETKIT_LOCAL_LOGIN=off then hides the
local form and refuses its posts, and signing out also ends the session at the provider.

A form posted after its session ended keeps what was typed: the text is stored server-side (never echoed into the
sign-in page) — only for a post from this site's own pages, and only for the editor pages in RESUMABLE
(webui/identity.py) — and after signing in the editor opens again with it, to be looked at and saved. Resuming
never acts by itself.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from toolkit.history.records import Records
from toolkit.people.accounts import Accounts
from toolkit.people.permissions import can
from toolkit.people.signins import SESSION_SECONDS, SignIns
from webui import csrf
from webui.audit import record
from webui.context import ACCOUNTS_KEY, GROUPS_KEY, SIGNINS_KEY, accounts, signins
from webui.identity import current_user, safe_target
from webui.refusals import sign_in_reason
from webui.views.people.oidc import provider_logout_url
from webui.views.people.sessions import local_login, start_session

bp = Blueprint("auth", __name__)


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        target = safe_target(request.args.get("next"))
        return render_template("auth/login.html", name="", target=target, message=None,
                               reason=sign_in_reason(request.args.get("next") and target))
    name = request.form.get("name", "").strip().lower()[:40]
    if not local_login(current_app.config["NETKIT_SETTINGS"]):  # only the provider's sign-in is offered
        return render_template("auth/login.html", name="", target=url_for("reader.home"),
                               message=_("Log ind med brugernavn og adgangskode er slået fra her.")), 403
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
    user = accounts().authenticate(name, password)
    if user is None:
        signins().failed(name, address)
        current_app.logger.warning("failed sign-in for %r from %s", name, address)
        record("sign_in_failed", name, address)
        return again(_("Forkert brugernavn eller adgangskode."), 400)
    start_session(user.name, address)
    return redirect(target)  # after an expired session: the editor, which opens with the kept text


@bp.post("/log-ud")
def logout() -> Response:
    if csrf.valid():
        id_token = signins().end_session(session["sid"]) if session.get("sid") else None
        for key in ("user", "sid"):
            session.pop(key, None)
        provider = provider_logout_url(id_token) if id_token else None
        if provider:  # signed in through the provider: end the session there too, then back to the home page
            return redirect(provider)
    return redirect(url_for("reader.home"))


def init_app(app: Flask, users: Accounts, groups: Records | None = None, sign_ins: SignIns | None = None) -> None:
    """The accounts, sessions and groups' records the sign-in machinery reads (the blueprint is registered
    with the other views)."""
    app.extensions[ACCOUNTS_KEY] = users
    app.extensions[SIGNINS_KEY] = sign_ins or SignIns(users.home)
    if groups is not None:
        app.extensions[GROUPS_KEY] = groups
    # The cookie lives as long as the session behind it (Flask's own default would be 31 days).
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=SESSION_SECONDS)
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["can"] = can
