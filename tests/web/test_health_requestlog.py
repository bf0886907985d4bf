"""The request log (webui/requestlog.py) as it reaches stderr: one JSON line per request with time, method, path,
status, duration, user and client — and never a password, a form token, a token in the path or a cookie."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.helpers.web import app_with_users
from webui import readiness

PASSWORD = "ane-hemmelige-kode-1"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("ane", "member", (), PASSWORD))


def logged(capsys) -> list[dict]:
    """The request lines written to stderr since the last call (other log lines are not JSON)."""
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    return [json.loads(line) for line in lines]


def test_one_line_per_request_with_its_facts(app, capsys):
    client = app.test_client()
    logged(capsys)
    client.get("/gennemse?topic=consent", headers={"X-Forwarded-For": "203.0.113.9"})  # hops 0: not believed
    client.get("/findes-ikke")
    first, missing = logged(capsys)
    assert set(first) == {"time", "method", "path", "status", "duration_ms", "user", "client"}
    assert first["method"] == "GET" and first["path"] == "/gennemse" and first["status"] == 200
    assert first["user"] == "-" and first["client"] == "127.0.0.1" and first["duration_ms"] >= 0
    assert abs(dt.datetime.fromisoformat(first["time"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert missing["path"] == "/findes-ikke" and missing["status"] == 404


def test_a_sign_in_leaves_no_password_token_or_cookie_in_the_log(app, capsys):
    client = app.test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/log-ind?{token}", data={"csrf_token": token, "name": "ane", "password": PASSWORD + "x"})
    response = client.post("/log-ind", data={"csrf_token": token, "name": "ane", "password": PASSWORD})
    assert response.status_code == 302
    client.get("/")
    cookie = client.get_cookie("session").value
    err = capsys.readouterr().err
    assert PASSWORD not in err and token not in err and cookie not in err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    posts = [line for line in lines if line["method"] == "POST"]
    assert [p["status"] for p in posts] == [400, 302] and all(p["path"] == "/log-ind" for p in posts)
    assert posts[1]["user"] == "ane" and lines[-1]["user"] == "ane"  # signed in from the redirect on


def test_a_token_in_the_path_is_not_logged(app, capsys):
    secret = "dGhpcy1pcy1hLXNpZ25lZC11bnN1YnNjcmliZS10b2tlbg"
    app.test_client().get(f"/notifikationer/afmeld/{secret}")
    line, = logged(capsys)
    assert secret not in json.dumps(line) and line["path"] == "/notifikationer/afmeld/<token>"


def test_health_checks_are_quiet_unless_they_fail(app, capsys):
    app.config["HEALTH_CHECK_SECONDS"] = 0  # every ask checks again
    client = app.test_client()
    logged(capsys)
    assert client.get("/healthz").status_code == 503  # no index yet
    assert [(line["path"], line["status"]) for line in logged(capsys)] == [("/healthz", 503)]
    readiness.load(app)
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
    assert logged(capsys) == []


def test_the_static_site_builder_logs_no_requests(isolated_home, tmp_path, capsys):
    from toolkit.config import Settings
    from webui.staticsite.export import export_site

    capsys.readouterr()
    export_site(Settings.from_env(), tmp_path / "site", pdf=False)
    assert (tmp_path / "site" / "index.html").is_file()
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith('{"time"')]
