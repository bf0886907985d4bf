"""A real HTTP server around an app, in a thread, for the browser tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server


def _buffered(app: Flask) -> Callable:
    """`app` with each response body read whole and its iterable closed before Werkzeug writes it: when the browser
    drops a connection, Werkzeug's development server raises while draining the socket and never closes the
    iterable, so a static file's handle was left to the garbage collector (an intermittent ResourceWarning)."""
    def buffered(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return buffered


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1; yields the base URL and stops the server afterwards."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def instance_app(home: Path, *people: tuple) -> Flask:
    """The app on a fresh instance at `home` with these accounts: (name, role[, groups[, full name]]); each
    password is "<name>-kodeord-1", what `sign_in` types."""
    from toolkit.config import Settings
    from toolkit.people.accounts import Accounts
    from webui import create_app

    app = create_app(Settings(home=home))
    accounts = Accounts(home)
    for name, role, *rest in people:
        groups, full_name = (tuple(rest[0]) if rest else ()), (rest[1] if len(rest) > 1 else "")
        accounts.add(name, role, groups=groups, password=f"{name}-kodeord-1", full_name=full_name)
    return app


def sign_in(page, base: str, name: str) -> None:
    """Sign `name` in (an account made by `instance_app`) in this page's browser context."""
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(f"{name}-kodeord-1")
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")


@contextmanager
def browser_pages(browser, base: str, signing_in: Callable[[object, str, str], None] = sign_in) -> Iterator[Callable]:
    """`open_(name=None)`: a page in a browser context of its own (its own cookies), signed in as `name` unless
    None — two people at once in one test; every context is closed afterwards."""
    contexts = []

    def open_(name: str | None = None):
        context = browser.new_context(locale="da-DK")
        contexts.append(context)
        page = context.new_page()
        if name is not None:
            signing_in(page, base, name)
        return page

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


def wait_for(condition: Callable[[], object], seconds: float = 20.0):
    """What `condition` returns once it is truthy (a background sender's mail, say); fails after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("not within the time")


def signed_in_page(browser, base: str, name: str, width: int | None = None):
    """A page in a browser context of its own, signed in as `name` (password "<name>-kodeord-1"), at `width` px
    wide (Playwright's default viewport without one)."""
    viewport = {"viewport": {"width": width, "height": 900}} if width else {}
    page = browser.new_context(locale="da-DK", **viewport).new_page()
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(f"{name}-kodeord-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")
    return page
