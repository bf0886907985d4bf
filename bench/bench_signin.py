"""Sign-in time through a real OpenID Connect provider, next to a local password sign-in as the reference.

Starts the test provider (the `oidc-provider` package under node, tests/helpers/oidcprovider/; `npm ci` on the first
run) and Netkit on free ports of 127.0.0.1, then signs in over real HTTP, without a browser, each round as a new
visitor (empty cookie jars): Netkit's /log-ind/oidc → the provider's authorization endpoint → its login page (the
form posted) → back to Netkit's callback (code exchange, ID-token check against the JWKS, mapping, account) → the
home page, signed in. The reference is the local form: GET /log-ind, POST the password (scrypt), the home page.
Prints median and p95 in ms and the ratio of the medians. Needs node and npm.

Run: .venv/bin/python bench/bench_signin.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import Timing, header
from tests.e2e.servers import serving
from tests.helpers.oidc import MAPPING, ProviderBrowser, running_provider
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

SIGNED_IN = re.compile(r'<span class="signed-in">')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Visitor:
    """A new browser's view of Netkit: its own cookie jar, redirects on Netkit followed by hand."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def get(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """Status, Location (absolute) and body of one request."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as response:
                return response.status, "", response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, urllib.parse.urljoin(url, exc.headers.get("Location", "")), exc.read().decode()


def provider_round(base: str, provider) -> None:
    visitor = Visitor(base)
    status, location, _ = visitor.get(base + "/log-ind/oidc")
    assert status == 302 and location.startswith(provider.issuer), (status, location)
    back = ProviderBrowser(provider).sign_in(location, "alice")
    status, location, body = visitor.get(back)
    assert status == 302, (status, body[:300])
    _, _, home = visitor.get(location)
    assert SIGNED_IN.search(home), "not signed in after the provider's sign-in"


def local_round(base: str) -> None:
    visitor = Visitor(base)
    _, _, page = visitor.get(base + "/log-ind")
    status, location, _ = visitor.get(base + "/log-ind", {"csrf_token": CSRF_FIELD.search(page).group(1),
                                                          "name": "lokal", "password": "lokal-kodeord-1"})
    assert status == 302, status
    _, _, home = visitor.get(location)
    assert SIGNED_IN.search(home), "not signed in after the local sign-in"


def timed(name: str, action, rounds: int) -> Timing:
    action()  # warm-up: discovery, keys, templates
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        print("bench_signin: node and npm are needed (apt-get install nodejs npm)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder, running_provider(Path(folder), node) as provider:
        home = Path(folder) / "instance"
        app = create_app(Settings(home=home, oidc_issuer=provider.issuer, oidc_client_id="netkit",
                                  oidc_client_secret=provider.netkit_secret))
        (home / "oidc-groups.yaml").write_text(MAPPING, encoding="utf-8")
        Accounts(home).add("lokal", "member", password="lokal-kodeord-1")
        for name in ("werkzeug", "webui.requests", "webui"):  # one line per request would drown the result
            logging.getLogger(name).setLevel(logging.WARNING)
        with serving(app) as base:
            local = timed("local sign-in (form, scrypt, home page)", lambda: local_round(base), args.rounds)
            through = timed("sign-in through the OpenID provider", lambda: provider_round(base, provider),
                            args.rounds)
    print(header(f"Sign-in over real HTTP, {args.rounds} rounds each, a new visitor every round"))
    print(local.row())
    print(through.row(local))
    print(f"\nthe provider's sign-in takes {through.median / local.median:.2f}× the local one (medians)")
    return 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


if __name__ == "__main__":
    sys.exit(main())
