"""The personal answer link of an invitation: `/moeder/<slug>/svar/<key>.<signature>`.

The key is the invitee's random key (toolkit.network.signups), so the link names neither the person nor the
address; the signature (HMAC-SHA256 with the instance's notification key, over the meeting and the key, "rsvp" as
its purpose so it can never pass for an unsubscribe link) proves Netkit made it for this meeting. A link works
until the end of the meeting's day (Danish time): `expired` asks the meeting as it is now, so a meeting moved to a
later day keeps its links working. An erased person's key is gone, and so is the link.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

from toolkit.network.meetings import ZONE, Meeting

KEY = re.compile(r"[A-Za-z0-9_-]{8,40}\Z")
TOKEN_MAX = 120


def make_token(secret: bytes, meeting: str, key: str) -> str:
    return f"{key}.{_signature(secret, meeting, key)}"


def read_token(secret: bytes, meeting: str, token: str) -> str | None:
    """The invitee's key, or None when the token was not made by this instance for this meeting (altered,
    truncated, another meeting's)."""
    if len(token) > TOKEN_MAX or token.count(".") != 1:
        return None
    key, signature = token.split(".")
    if not KEY.match(key) or not hmac.compare_digest(signature.encode("utf-8"),
                                                   _signature(secret, meeting, key).encode("utf-8")):
        return None
    return key


def expired(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    """Whether the meeting's day has passed in Copenhagen (answers are for a meeting still to come)."""
    today = (now or dt.datetime.now(dt.UTC)).astimezone(ZONE).date()
    return today > meeting.date


def _signature(secret: bytes, meeting: str, key: str) -> str:
    digest = hmac.new(secret, f"rsvp\n{meeting}\n{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
