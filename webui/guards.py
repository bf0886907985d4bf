"""The two guards every protected view uses, so no view writes out its own sign-in and permission preamble
(the shape of Flask's tutorial `login_required`):

    @bp.route("/gennemgang")
    @needs("see_reviews")
    def due_reviews(user): ...

`signed_in` runs the view for a signed-in user, passed as `user`. Without one, a GET goes to the sign-in page and
comes back here afterwards; a POST to one of the editor pages (identity.RESUMABLE) keeps what was typed through
signing in again, any other POST goes to the sign-in page. `needs(permission)` is `signed_in` plus a permission
of toolkit.people.permissions; without it the user gets the 403 page saying what it takes (webui.refusals).
Permissions on one object (may this user edit this material?) are checked in the view, with the object in hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for

from toolkit.people.permissions import can
from webui.identity import RESUMABLE, current_user, sign_in_again
from webui.refusals import refuse


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return to_sign_in()
        return view(*args, user=user, **kwargs)

    return guarded


def needs(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return to_sign_in()
            if not can(user, permission):
                refuse(permission)
            return view(*args, user=user, **kwargs)

        return guarded

    return decorate


def to_sign_in() -> Any:
    """The way to the sign-in page from here: with what was typed kept (editor pages), else back here after."""
    if request.method == "POST" and request.endpoint in RESUMABLE:
        return sign_in_again(request.path)
    target = request.full_path if request.method == "GET" and request.query_string else request.path
    return redirect(url_for("auth.login", next=target))
