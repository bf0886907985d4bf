"""The attack review's findings that need real worker processes (issue 14, H4, L1, L2): `netkit serve` runs
gunicorn with two workers on 127.0.0.1, and the tests talk HTTP to it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from toolkit.people.accounts import Accounts

NETKIT = str(Path(sys.executable).parent / "netkit")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(home: Path) -> Iterator[str]:
    """`netkit serve` with 2 workers on a free port; yields the base URL, stops the server afterwards."""
    port = free_port()
    process = subprocess.Popen([NETKIT, "--home", str(home), "serve", "--port", str(port), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/log-ind", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode()[-2000:]
                    raise AssertionError(f"netkit serve did not start: {output}") from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()


class Browser:
    """A cookie jar and urllib: enough of a browser for forms."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, name: str, password: str) -> int:
        _status, page = self.request("/log-ind")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, _page = self.request("/log-ind", {"csrf_token": token, "name": name, "password": password})
        return status

    def signed_in(self) -> str | None:
        found = re.search(r'<span class="signed-in">([^<]+)</span>', self.request("/")[1])
        return found.group(1) if found else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is an answer to look at, not to follow
        return None


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("served") / "instance"
    accounts = Accounts(home)
    accounts.add("mette", "member", password="mette-kodeord-1")
    accounts.add("frida", "facilitator", password="frida-kodeord-1")
    return home


def test_a_cookie_less_post_of_two_thousand_rows_is_answered_at_once(home):
    rows = {f"q.attendees.{row}.{name}": "x" for row in range(2000) for name in ("name", "organisation", "role")}
    with served(home) as base:
        started = time.perf_counter()
        status, _page = Browser(base).request("/skabeloner/beslutningsreferat/udfyld", rows)
        elapsed = time.perf_counter() - started
        assert 400 <= status < 500 and elapsed < 3.0  # at once: the server did not read 6,000 rows first
        assert Browser(base).request("/")[0] == 200  # the workers are still there


def test_the_throttle_holds_across_workers_and_a_restart(home):
    with served(home) as base:
        for _ in range(5):
            assert Browser(base).sign_in("frida", "gaet-gaet-gaet") == 400
        assert Browser(base).sign_in("frida", "frida-kodeord-1") == 429  # whichever worker answers
    with served(home) as base:  # every worker started anew
        assert Browser(base).sign_in("frida", "frida-kodeord-1") == 429


def test_signing_out_ends_the_session_in_every_worker(home):
    with served(home) as base:
        browser = Browser(base)
        assert browser.sign_in("mette", "mette-kodeord-1") == 302
        copy = Browser(base)
        for cookie in browser.cookies:
            copy.cookies.set_cookie(cookie)
        assert {copy.signed_in() for _ in range(6)} == {"mette"}  # both workers know the session
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.request("/")[1]).group(1)
        assert browser.request("/log-ud", {"csrf_token": token})[0] == 302
        assert {copy.signed_in() for _ in range(6)} == {None}
