"""One JSON line per request on stderr, through the app's logger (`webui.requests`); gunicorn's own access log is
off (webui/server.py), so each request is logged once.

A line holds the time (UTC), method, path, status, duration in ms, the signed-in user's name (or "-") and the
client's address (after ProxyFix: the real client, not the proxy). Never the query string — a form's address
may carry its CSRF token —, nor a token in the path, form fields, headers or cookies: a sign-in's password
cannot reach the log.
The health checks are logged at debug level (a load balancer asks every few seconds), unless they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from urllib.parse import quote

from flask import Flask, Response, g, request

LOGGER_NAME = "webui.requests"
SECRET_PARTS = ("token",)  # path parameters that are secrets: never logged
QUIET_ENDPOINTS = frozenset({"ops.healthz", "ops.readyz"})


class _StderrHandler(logging.StreamHandler):
    """A stream handler on whatever sys.stderr is when a line is written (a test's capture, gunicorn's worker)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def request_logger() -> logging.Logger:
    """The request log's logger: JSON lines as they are, on stderr, not passed up to the app's other handlers."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def line(response: Response, seconds: float) -> dict[str, object]:
    """What is logged of this request (read from the request, never from its body, query or headers)."""
    return {
        "time": dt.datetime.fromtimestamp(g.get("netkit_arrived", time.time()), dt.UTC).isoformat(
            timespec="milliseconds"),
        "method": request.method,
        "path": request.script_root + _path(),
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1),
        "user": _user_name(),
        "client": request.remote_addr or "-",
    }


def _path() -> str:
    """The path, with a token in it (an unsubscribe link, an upload's waiting area) replaced by "<token>"."""
    path = request.path
    for name in SECRET_PARTS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(quote(str(value), safe=""), "<token>").replace(str(value), "<token>")
    return path


def _user_name() -> str:
    """Whom the request was served for: the signed-in user's name (looked up only when a cookie came)."""
    if "netkit_user" not in g and request.cookies:
        try:
            from webui.identity import current_user  # (at call time: identity reads the app's accounts)

            current_user()
        except Exception:  # a log line never breaks a response
            return "-"
    user = g.get("netkit_user")
    return user.name if user is not None else "-"


def init_app(app: Flask) -> None:
    if app.config.get("NETKIT_STATIC"):
        return  # the static site's builder asks for its pages itself: no visitor, nothing to log
    logger = request_logger()

    @app.before_request
    def _start() -> None:
        g.netkit_arrived, g.netkit_started = time.time(), time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("netkit_started")
        seconds = time.perf_counter() - started if started is not None else 0.0
        quiet = request.endpoint in QUIET_ENDPOINTS and response.status_code < 400
        logger.log(logging.DEBUG if quiet else logging.INFO, "%s", json.dumps(line(response, seconds),
                                                                              ensure_ascii=False))
        return response
