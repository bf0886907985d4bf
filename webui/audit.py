"""Writing to the activity log (sign-ins and failed sign-ins; saves and publications come from the history)."""

from __future__ import annotations

from webui.context import activity_log


def record(kind: str, who: str, detail: str = "") -> None:
    log = activity_log()
    if log is not None:
        log.record(kind, who, detail)
