"""What happened to a material, for whoever listens (notifications): saved (a restore is a save), moved along the
workflow, published, commented, renamed. The instance emits an event once the change is committed (after the
writer lock is released, except inside a longer operation that holds it); a listener must be quick (write to a
queue), and one that fails is logged and never fails the change itself."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

KINDS = ("saved", "status", "published", "restored", "comment", "renamed")


@dataclass(frozen=True)
class Event:
    kind: str  # one of KINDS
    slug: str
    actor: str  # the user name of the author of the change
    detail: Mapping[str, str] = field(default_factory=dict)  # e.g. {"from": "draft", "to": "review", "message": …}
    revision: str = ""
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


Listener = Callable[[Event], None]


class Listeners:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def add(self, listener: Listener) -> None:
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, event: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's failure is its own: the change is already committed
                log.exception("a listener failed on %s of %s", event.kind, event.slug)
