"""For the load balancer and monitoring: /healthz (is this process able to serve?) and /readyz (has it loaded
what it serves?). No sign-in, no secrets (no paths, no versions), never cached; webui/requestlog.py logs them only
when they fail, since they are asked every few seconds.

/healthz answers 200 with each check "ok" when the instance is readable, the search index is present and git
works on the content repository, else 503 naming the check that failed. /readyz answers 200 once this process
has loaded its library and synced its search index (`netkit serve` does that before its workers start), and 503
while it has not: the first ask starts the loading in the background.

The checks' result is kept CHECK_SECONDS per process: /healthz is open to anyone, and each check starts a git
process — a flood of asks must not become a flood of processes (or of warnings in the log).
"""

from __future__ import annotations

import os
import threading
import time

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from toolkit.history.gitstore import GitError
from toolkit.history.instance import Instance
from toolkit.search.state import STATE_FILE
from webui import readiness
from webui.context import SEARCH_KEY, library, source

bp = Blueprint("ops", __name__)
CHECK_SECONDS = 5.0  # app.config["HEALTH_CHECK_SECONDS"] overrides it
CHECKED_KEY = "netkit.health"  # app.extensions: (when, what the checks said)
_checking = threading.Lock()


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    with _checking:  # one check at a time in this process; the others wait for its result
        checked = current_app.extensions.get(CHECKED_KEY)
        if checked is None or time.monotonic() - checked[0] >= current_app.config.get("HEALTH_CHECK_SECONDS",
                                                                                     CHECK_SECONDS):
            checked = (time.monotonic(), _check())
            current_app.extensions[CHECKED_KEY] = checked
    body = checked[1]
    return _answer(body, 503 if body["status"] == "failed" else 200)


def _check() -> dict:
    checks = {"instance": _instance_readable(), "index": _index_present(), "git": _git_works()}
    failed = [name for name, result in checks.items() if result == "failed"]
    body: dict = {"status": "failed" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
        current_app.logger.warning("health check failed: %s", ", ".join(failed))
    return body


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if readiness.is_ready(app):
        return _answer({"status": "ready"}, 200)
    readiness.start_loading(app)
    return _answer({"status": "starting"}, 503)


def _answer(body: dict, status: int) -> ResponseReturnValue:
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, status


def _instance_readable() -> str:
    """The library loads, and its folder can be listed now (a loaded library stays in memory after a disk fails)."""
    try:
        with os.scandir(library().root) as entries:
            next(entries, None)
    except Exception:  # any reason the content cannot be read is this check failing
        current_app.logger.exception("the health check could not read the library")
        return "failed"
    return "ok"


def _index_present() -> str:
    folder = current_app.extensions[SEARCH_KEY].folder
    return "ok" if (folder / STATE_FILE).is_file() else "failed"


def _git_works() -> str:
    current = source()
    if not isinstance(current, Instance):
        return "not used"  # a plain folder without history
    try:
        result = current.store.run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
    except (GitError, OSError):
        return "failed"
    return "ok" if result.returncode == 0 else "failed"
