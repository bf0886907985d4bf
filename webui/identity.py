"""Who is asking: the signed-in user (looked up once per request), where a sign-in may send them back to, and
what happens to a form posted after its session ended (kept server-side for the same account, on this site's
own editor pages only). The sign-in and sign-out pages themselves are in webui/views/people/auth.py."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from urllib.parse import urlsplit

from flask import g, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from toolkit.network.groups import memberships
from toolkit.people.accounts import User
from webui import csrf
from webui.addresses import site_path
from webui.context import accounts, group_records, signins

NOT_TYPED = frozenset({csrf.FIELD, "action", "base"})  # hidden fields of the forms, not typed
# The editor pages whose text is kept through signing in again (their GET opens the kept draft).
RESUMABLE = frozenset({"editing.edit", "editing.create", "projects.create", "projects.edit", "meetings.create",
                       "meetings.edit", "proposals.proposals_page"})
_UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f\\]")


def current_user() -> User | None:
    """The signed-in user, or None (also when the account has been removed since). Looked up once per
    request: pages ask several times (header, page, view)."""
    name = session.get("user")
    if not name:
        return None
    if "netkit_user" not in g:
        live = signins().session_user(session.get("sid", "")) == name  # not signed out, not expired
        users = {u.name: u for u in accounts().users()} if live else {}
        user = users.get(name)
        records = group_records()
        if user is not None and records is not None:  # membership in the groups' records counts too
            user = replace(user, groups=tuple(sorted(set(user.groups) | set(memberships(records, user.name)))))
        g.netkit_user = user
    return g.netkit_user


def safe_target(target: str | None) -> str:
    """A path on this site to go to after signing in (anything else: the home page), with the site's prefix."""
    if not target or _UNSAFE_TARGET.search(target):
        return url_for("reader.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("reader.home")
    return site_path(target)  # under the prefix the site is served at behind a proxy (/netkit/…)


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
    known = owner in {u.name for u in accounts().users()}
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
