"""A writer reads their own change at once on every page, also where another worker process answers: two apps over
one instance stand for two gunicorn workers (each with its own one-second view of the library)."""

from __future__ import annotations

import time

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.config import Settings
from webui import create_app
from webui.context import OWN_WRITE_SECONDS, WROTE_KEY

SLUG = "adgang-til-data"
NEW_TITLE = "Adgang til sundhedsdata – ny titel fra testen"


@pytest.fixture
def workers(isolated_home):
    first = app_with_users(isolated_home, ("frida", "facilitator"))
    second = create_app(Settings.from_env(), {"TESTING": True})
    return first, second


def _same_session(client, other_app):
    """A client of the other worker carrying the same (signed) session cookie, as a browser would."""
    other = other_app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    return other


def test_the_other_worker_shows_the_writers_change_on_pages_without_a_marker(workers):
    first, second = workers
    frida = sign_in(first, "frida", "frida-kodeord-1")[0]
    on_second = _same_session(frida, second)
    assert NEW_TITLE not in on_second.get("/gennemse").get_data(as_text=True)  # the second worker's view is loaded

    form = form_data(frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    saved = frida.post(f"/m/{SLUG}/rediger", data={**form, "title": NEW_TITLE, "action": "save", "message": "Titel"})
    assert saved.status_code == 302

    on_second = _same_session(frida, second)  # the session now carries the time of the write
    assert NEW_TITLE in on_second.get("/gennemse").get_data(as_text=True)
    assert NEW_TITLE in on_second.get("/").get_data(as_text=True)


def test_only_a_recent_write_by_this_visitor_refreshes(workers):
    first, second = workers
    frida = sign_in(first, "frida", "frida-kodeord-1")[0]
    anonymous = second.test_client()
    anonymous.get("/gennemse")
    form = form_data(frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    frida.post(f"/m/{SLUG}/rediger", data={**form, "title": NEW_TITLE, "action": "save", "message": "Titel"})
    # An anonymous reader on the other worker gets no session stamp: their view follows within the interval.
    assert anonymous.get_cookie("session") is None
    with frida.session_transaction() as session:
        assert 0 <= time.time() - session[WROTE_KEY] < OWN_WRITE_SECONDS
        session[WROTE_KEY] = int(time.time()) - OWN_WRITE_SECONDS - 1  # long ago
    with _same_session(frida, second).session_transaction() as session:
        assert session[WROTE_KEY] < time.time() - OWN_WRITE_SECONDS


def test_a_refused_post_stamps_nothing(workers):
    first, _ = workers
    frida = sign_in(first, "frida", "frida-kodeord-1")[0]
    with frida.session_transaction() as session:
        session[WROTE_KEY] = 1000  # signing in is a change too; put it long ago
    refused = frida.post(f"/m/{SLUG}/rediger", data={"title": "x"})  # no form token
    assert refused.status_code in (400, 403)
    with frida.session_transaction() as session:
        assert session[WROTE_KEY] == 1000
