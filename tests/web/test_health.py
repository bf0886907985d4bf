"""/healthz and /readyz on a real instance (Flask's test client): ready once the library and the search index are
loaded; healthy while the content can be read, the index is there and git works — and the failed check named when
one of them breaks. No sign-in, nothing cached, no paths given away."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolkit.config import BUNDLED_LIBRARY, Settings
from webui import create_app, readiness
from webui.server import gunicorn_options


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(home=tmp_path / "instance"), {"TESTING": True})


def ready(client) -> None:
    deadline = time.monotonic() + 30
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "never ready"
        time.sleep(0.05)


def test_not_ready_until_the_library_and_index_are_loaded(app):
    client = app.test_client()
    assert not readiness.is_ready(app)
    first = client.get("/readyz")
    assert first.status_code == 503 and first.get_json() == {"status": "starting"}
    assert first.headers["Cache-Control"] == "no-store"
    ready(client)
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_healthy_when_content_index_and_git_work(app, tmp_path):
    client = app.test_client()
    readiness.load(app)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"status": "ok", "checks": {"instance": "ok", "index": "ok", "git": "ok"}}
    assert str(tmp_path) not in response.get_data(as_text=True)


def test_a_missing_search_index_is_named(app):
    # A fresh app has not built its index yet: the check says so until the index is there.
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["index"] and response.get_json()["checks"]["git"] == "ok"


def test_a_check_is_reused_for_a_few_seconds(app, tmp_path):
    """/healthz is open to anyone and starts git: asked again within CHECK_SECONDS it answers from the last check."""
    readiness.load(app)
    assert app.test_client().get("/healthz").status_code == 200
    head = tmp_path / "instance" / "content" / ".git" / "HEAD"
    saved = head.read_text()
    head.write_text("not a ref\n")
    try:
        assert app.test_client().get("/healthz").status_code == 200  # the check of a moment ago
        app.config["HEALTH_CHECK_SECONDS"] = 0
        assert app.test_client().get("/healthz").status_code == 503  # checked again
    finally:
        head.write_text(saved)


def test_broken_git_is_named(app, tmp_path):
    app.config["HEALTH_CHECK_SECONDS"] = 0  # every ask checks again
    readiness.load(app)
    head = tmp_path / "instance" / "content" / ".git" / "HEAD"
    saved = head.read_text()
    head.write_text("not a ref\n")
    try:
        response = app.test_client().get("/healthz")
    finally:
        head.write_text(saved)
    assert response.status_code == 503 and response.get_json()["failed"] == ["git"]
    assert app.test_client().get("/healthz").status_code == 200


def test_unreadable_content_is_named(app, tmp_path):
    app.config["HEALTH_CHECK_SECONDS"] = 0
    readiness.load(app)
    library = tmp_path / "instance" / "content" / "library"
    moved = tmp_path / "elsewhere"
    library.rename(moved)
    try:
        response = app.test_client().get("/healthz")
    finally:
        moved.rename(library)
    assert response.status_code == 503 and "instance" in response.get_json()["failed"]


def test_a_plain_folder_has_no_git_to_check(tmp_path):
    app = create_app(Settings(library=BUNDLED_LIBRARY, home=tmp_path / "home"), {"TESTING": True})
    readiness.load(app)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json()["checks"]["git"] == "not used"


def test_gunicorn_leaves_logging_and_forwarded_headers_to_the_app(tmp_path: Path):
    options = gunicorn_options(Settings(home=tmp_path, workers=2))
    assert options["accesslog"] is None  # each request is logged once, by webui/requestlog.py
    assert options["forwarded_allow_ips"] == ""  # X-Forwarded-Proto only through ProxyFix and NETKIT_PROXY_HOPS
    assert options["workers"] == 2
