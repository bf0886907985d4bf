"""Netkit behind a real nginx (Debian's), configured by the shipped site file docs/deploy/nginx-netkit.conf:
`netkit serve` (gunicorn, two workers, NETKIT_PROXY_HOPS=1) on a free port, nginx in front on two more (https with a
self-signed certificate, and http), both as the user running the tests with their files in a temporary folder.
Clients connect from 127.0.0.2 and 127.0.0.3 (all of 127/8 is this machine) over fresh connections, so both
workers answer. Checked: the activity log's address, the throttle per client across the workers, absolute links
in feeds and calendars, the sub-path /netkit/, and the request log."""

from __future__ import annotations

import getpass
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.signins import FREE_TRIES

REPOSITORY = Path(__file__).parents[2]
SITE = REPOSITORY / "docs" / "deploy" / "nginx-netkit.conf"
NETKIT = str(Path(sys.executable).parent / "netkit")
NGINX = os.environ.get("NETKIT_NGINX", "/usr/sbin/nginx")
OPENSSL = "openssl"
PASSWORD = "ane-kodeord-nginx-1"
MEETING = "2027-02-04-adgang-til-data"


def _require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} not found (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=30)
    return cert, key


def site_for_test(text: str, *, https: int, plain: int, upstream: int, cert: Path, key: Path, logs: Path) -> str:
    """The shipped site file with only its documented placeholders replaced, and the sub-path block turned on."""
    replacements = {"listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;", "listen [::]:443 ssl;": "",
                    "listen 80;": f"listen 127.0.0.1:{plain};", "listen [::]:80;": "",
                    "127.0.0.1:5000": f"127.0.0.1:{upstream}", "/etc/ssl/certs/netkit.example.dk.pem": str(cert),
                    "/etc/ssl/private/netkit.example.dk.key": str(key), "/var/log/nginx/": f"{logs}/"}
    for placeholder, value in replacements.items():
        assert placeholder in text, f"the site file no longer has {placeholder!r}: change the test with it"
        text = text.replace(placeholder, value)
    block = re.search(r"\n( *)# \[sub-path\]\n(.*?)\n *# \[/sub-path\]", text, re.S)
    assert block, "the site file no longer marks its sub-path block"
    enabled = "\n".join(re.sub(r"^( *)# ", r"\1", line) for line in block.group(2).splitlines())
    return text[:block.start(2)] + enabled + text[block.end(2):]


def nginx_conf(tmp: Path, site: Path) -> str:
    """The smallest nginx.conf around the site: every file nginx writes in `tmp`, in the foreground."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # as root, keep the workers' user
    temp = "".join(f"    {kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                         "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log stderr;\n"
            f"events {{ worker_connections 128; }}\nhttp {{\n{temp}    access_log off;\n    include {site};\n}}\n")


@dataclass
class Stack:
    home: Path
    https: int
    plain: int
    server_log: Path
    server_pid: int
    context: ssl.SSLContext = field(default_factory=ssl.create_default_context)

    def ask(self, method: str, path: str, *, source: str = "127.0.0.2", body: dict | None = None,
            cookie: str = "", headers: dict | None = None, secure: bool = True) -> tuple[int, dict, str]:
        """One request over a fresh connection from `source`; (status, headers, text)."""
        if secure:
            connection = http.client.HTTPSConnection("127.0.0.1", self.https, source_address=(source, 0),
                                                     context=self.context, timeout=30)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.plain, source_address=(source, 0),
                                                    timeout=30)
        sent = dict(headers or {})
        if cookie:
            sent["Cookie"] = cookie
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=sent)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", errors="replace")
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, text
        finally:
            connection.close()

    def form(self, path: str, *, source: str) -> tuple[str, str]:
        """A form page's token and the session cookie that goes with it."""
        status, headers, page = self.ask("GET", path, source=source)
        assert status == 200, (status, page[:300])
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return token, headers["set-cookie"].split(";")[0]

    def sign_in(self, source: str, password: str, prefix: str = "", **fields: str) -> tuple[int, dict, str]:
        token, cookie = self.form(f"{prefix}/log-ind", source=source)
        return self.ask("POST", f"{prefix}/log-ind", source=source, cookie=cookie,
                        body={"csrf_token": token, "name": "ane", "password": password, **fields})


def _wait_for(url_check, what: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not url_check():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


def _answers(port: int, path: str, status: int = 200) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path)
        ok = connection.getresponse().status == status
        connection.close()
        return ok
    except OSError:
        return False


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    _require(NGINX, "nginx")
    _require(OPENSSL, "openssl")
    tmp = tmp_path_factory.mktemp("nginx")
    home = tmp / "instance"
    home.mkdir()
    Accounts(home).add("ane", "member", password=PASSWORD)
    app_port, https, plain = free_port(), free_port(), free_port()
    server_log = tmp / "netkit.log"
    env = {**os.environ, "NETKIT_HOME": str(home), "NETKIT_PROXY_HOPS": "1", "NETKIT_HOST": "127.0.0.1",
           "NETKIT_PORT": str(app_port), "NETKIT_WORKERS": "2"}
    for name in ("NETKIT_BASE_URL", "NETKIT_LIBRARY", "NETKIT_SECURE_COOKIES"):
        env.pop(name, None)
    with open(server_log, "wb") as log:
        server = subprocess.Popen([NETKIT, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    nginx = None
    try:
        _wait_for(lambda: _answers(app_port, "/readyz"), "netkit serve", server, server_log)
        cert, key = self_signed(tmp)
        site = tmp / "netkit-site.conf"
        site.write_text(site_for_test(SITE.read_text(encoding="utf-8"), https=https, plain=plain, upstream=app_port,
                                      cert=cert, key=key, logs=tmp), encoding="utf-8")
        conf = tmp / "nginx.conf"
        conf.write_text(nginx_conf(tmp, site), encoding="utf-8")
        nginx_log = tmp / "nginx.stderr"
        with open(nginx_log, "wb") as log:
            nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-e", "stderr"], stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        stack = Stack(home, https, plain, server_log, server.pid)
        stack.context.load_verify_locations(cert)
        _wait_for(lambda: _answers(plain, "/", 301), "nginx", nginx, nginx_log, seconds=20)
        yield stack
    finally:
        for process in (nginx, server):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def test_the_activity_log_has_the_client_not_the_proxy(stack):
    status, _headers, page = stack.sign_in("127.0.0.2", "forkert-1")
    assert status == 400 and "Forkert brugernavn eller adgangskode." in page
    failures = [e.detail for e in ActivityLog(stack.home).recent() if e.kind == "sign_in_failed"]
    assert failures[0] == "127.0.0.2" and "127.0.0.1" not in failures


def workers(master: int) -> list[int]:
    """gunicorn's worker processes: the children of `netkit serve` (which is gunicorn's master)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_the_throttle_holds_per_client_across_both_workers(stack):
    assert len(workers(stack.server_pid)) == 2
    tried = len([e for e in ActivityLog(stack.home).recent() if e.kind == "sign_in_failed"
                 and e.detail == "127.0.0.2"])
    statuses = []
    for attempt in range(tried, FREE_TRIES):
        # A client's own X-Forwarded-For is not believed: nginx appends the real address, Netkit takes the last.
        token, cookie = stack.form("/log-ind", source="127.0.0.2")
        status, _h, _page = stack.ask("POST", "/log-ind", source="127.0.0.2", cookie=cookie,
                                      headers={"X-Forwarded-For": f"10.0.0.{attempt}"},
                                      body={"csrf_token": token, "name": "ane", "password": f"forkert-{attempt}"})
        statuses.append(status)
    assert statuses == [400] * (FREE_TRIES - tried)
    # FREE_TRIES in total from 127.0.0.2: now refused, whichever worker answers, even the right password.
    for _ in range(4):
        status, _h, page = stack.sign_in("127.0.0.2", PASSWORD)
        assert status == 429 and "For mange forsøg" in page
    status, _h, _page = stack.sign_in("127.0.0.3", "forkert-fra-en-anden")
    assert status == 400  # another client may still try
    status, headers, _page = stack.sign_in("127.0.0.3", PASSWORD)
    assert status == 302 and headers["location"] == "/"
    assert "secure" in headers["set-cookie"].lower()  # https through the proxy: a Secure cookie


def test_feeds_and_calendars_link_to_the_proxy_address(stack):
    public = f"https://127.0.0.1:{stack.https}/netkit/"
    status, headers, feed = stack.ask("GET", "/netkit/feed.atom")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    assert f'href="{public}feed.atom"' in feed and f'href="{public}"' in feed
    assert f":{stack.https}/" in feed and "http://" not in feed.replace("http://www.w3.org", "")
    status, _headers, calendar = stack.ask("GET", f"/netkit/moeder/{MEETING}.ics")
    assert status == 200 and f"URL:{public}moeder/{MEETING}/" in calendar.replace("\r\n ", "")


def test_the_site_works_under_the_sub_path(stack):
    status, headers, page = stack.ask("GET", "/netkit/")
    assert status == 200
    addresses = re.findall(r'(?:href|src|action)="(/[^"]*)"', page)
    assert addresses and all(a.startswith("/netkit/") for a in addresses), addresses
    status, headers, css = stack.ask("GET", "/netkit/static/netkit.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and "{" in css
    assert stack.ask("GET", "/netkit")[1]["location"].endswith("/netkit/")
    status, headers, _page = stack.ask("GET", "/netkit/mit-arbejde", source="127.0.0.4")
    assert status == 302 and headers["location"].startswith("/netkit/log-ind?next=")
    status, headers, _page = stack.sign_in("127.0.0.4", PASSWORD, "/netkit", next="/netkit/mit-arbejde")
    assert status == 302 and headers["location"] == "/netkit/mit-arbejde"
    assert "Path=/netkit/" in headers["set-cookie"] and "Secure" in headers["set-cookie"]
    status, _headers, mine = stack.ask("GET", "/netkit/mit-arbejde", source="127.0.0.4",
                                       cookie=headers["set-cookie"].split(";")[0])
    assert status == 200 and '<span class="signed-in">ane</span>' in mine
    for _ in range(4):  # both workers search with the index loaded before they were forked
        status, _headers, found = stack.ask("GET", "/netkit/sog?q=samtykke")
        assert status == 200 and re.search(r'<h3><a href="/netkit/m/[a-z0-9-]+/"', found)
    health = stack.ask("GET", "/netkit/healthz")
    assert health[0] == 200 and json.loads(health[2])["status"] == "ok"


def test_plain_http_is_sent_to_https(stack):
    status, headers, _page = stack.ask("GET", "/netkit/gennemse?topic=consent", secure=False)
    assert status == 301 and headers["location"] == "https://127.0.0.1/netkit/gennemse?topic=consent"


def test_the_request_log_has_one_json_line_per_request_without_secrets(stack):
    time.sleep(0.2)  # the workers' last lines
    text = stack.server_log.read_text(encoding="utf-8", errors="replace")
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    refused = [line for line in lines if line["path"] == "/log-ind" and line["status"] == 429]
    assert refused and all(line["client"] == "127.0.0.2" and line["user"] == "-" for line in refused)
    assert any(line["path"] == "/netkit/mit-arbejde" and line["user"] == "ane" for line in lines)
    assert PASSWORD not in text and "forkert-" not in text and "csrf_token" not in text
    assert not re.search(r'"(GET|POST) /', text)  # gunicorn's own access log is off: each request once
