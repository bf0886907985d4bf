"""A real OpenID Connect provider for the sign-in tests: the certified `oidc-provider` package from npm, run by
node from tests/helpers/oidcprovider/ on a free port of 127.0.0.1, and a small HTTP driver for its login page
(for the tests and the benchmark that do not use a browser).

Node is needed: without it the tests skip, and fail under CI=true (.ci/run installs Debian's nodejs)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).parent / "oidcprovider"
# The provider's groups (tests/helpers/oidcprovider/server.js) mapped in the tests' oidc-groups.yaml.
MAPPING = """\
groups:
  "gid-data": {role: member, groups: [dataadgang]}
  "gid-facil": {role: facilitator}
"""


@dataclass(frozen=True)
class Provider:
    issuer: str
    key: dict  # the provider's private signing key (JWK): for tests that sign tokens the provider could have
    netkit_secret: str
    other_secret: str  # the secret of a second client, "other-app"


def node_or_skip() -> str:
    """The node command; a missing node skips the test, or fails it under CI=true."""
    import pytest

    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        message = "node and npm are needed for the OpenID Connect tests (apt-get install nodejs npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return node


def install() -> None:
    """`npm ci` when node_modules is missing (the lock file pins every package)."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROVIDER_DIR, check=True,
                       timeout=300)


@contextmanager
def running_provider(workdir: Path, node: str = "node", *, port: int | None = None) -> Iterator[Provider]:
    """Start the provider (on `port`, else a free one) with a new signing key, wait for its discovery document,
    stop it afterwards."""
    install()
    key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"},
                              private=True)
    key_file = workdir / "provider-key.json"
    key_file.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
    port = port or _free_port()
    provider = Provider(f"http://127.0.0.1:{port}", key.as_dict(private=True), secrets.token_urlsafe(24),
                        secrets.token_urlsafe(24))
    env = {**os.environ, "PORT": str(port), "KEY_FILE": str(key_file), "NETKIT_SECRET": provider.netkit_secret,
           "OTHER_SECRET": provider.other_secret, "NODE_ENV": "test"}
    log = (workdir / "provider.log").open("w")
    process = subprocess.Popen([node, "server.js"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(provider.issuer + "/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the OpenID provider did not start: "
                                       + (workdir / "provider.log").read_text(errors="replace")) from None
                time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def set_groups(provider: Provider, account: str, groups: list[str]) -> None:
    """Change an account's groups at the provider (a test-only endpoint of server.js)."""
    request = urllib.request.Request(f"{provider.issuer}/test/groups/{account}", data=json.dumps(groups).encode(),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=5):
        pass


class ProviderBrowser:
    """A user agent for the provider's side only: a cookie jar, redirects followed by hand until they leave the
    provider, and its login form posted (devInteractions: any password)."""

    def __init__(self, provider: Provider):
        self.provider = provider
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def sign_in(self, authorization_url: str, login: str) -> str:
        """Follow the authorization request through the login page; returns the URL the provider sends the
        browser back to (the client's redirect_uri with code and state)."""
        url, data = authorization_url, None
        for _ in range(10):
            status, location, body = self._fetch(url, data)
            if location is None:
                form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', body)
                if status != 200 or form is None or 'name="login"' not in body:
                    raise AssertionError(f"unexpected provider page {status}: {body[:300]}")
                url = urllib.parse.urljoin(url, unescape(form.group(1)))
                data = urllib.parse.urlencode({"prompt": "login", "login": login, "password": "x"}).encode()
                continue
            data = None
            url = urllib.parse.urljoin(url, location)
            if not url.startswith(self.provider.issuer):
                return url
        raise AssertionError("too many redirects at the provider")

    def _fetch(self, url: str, data: bytes | None) -> tuple[int, str | None, str]:
        try:
            with self.opener.open(urllib.request.Request(url, data=data), timeout=10) as response:
                return response.status, None, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location")
            body = exc.read().decode("utf-8", "replace")
            if exc.code in (301, 302, 303, 307, 308) and location:
                return exc.code, location, body
            raise AssertionError(f"the provider answered {exc.code}: {body[:300]}") from None


def fetch_token_for(provider: Provider, client_id: str, secret: str, redirect_uri: str, login: str) -> dict:
    """A real token response from the provider for `client_id` (the whole flow with PKCE, no Netkit): what a
    token meant for another application looks like."""
    import base64
    import hashlib

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    nonce = secrets.token_urlsafe(16)
    query = urllib.parse.urlencode({"client_id": client_id, "response_type": "code", "scope": "openid profile email",
                                    "redirect_uri": redirect_uri, "state": "s", "nonce": nonce,
                                    "code_challenge": challenge, "code_challenge_method": "S256"})
    back = ProviderBrowser(provider).sign_in(f"{provider.issuer}/auth?{query}", login)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["code"][0]
    body = urllib.parse.urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                   "code_verifier": verifier}).encode()
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(f"{provider.issuer}/token", data=body,
                                     headers={"Authorization": f"Basic {basic}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return {**json.loads(response.read()), "nonce": nonce}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def provider_fixture():
    """A session-scoped pytest fixture `provider`: the real provider running for the tests that use it."""
    import pytest

    @pytest.fixture(scope="session")
    def provider(tmp_path_factory) -> Iterator[Provider]:
        node = node_or_skip()
        with running_provider(tmp_path_factory.mktemp("oidc-provider"), node) as running:
            yield running

    return provider


def signed_token(key: dict, claims: dict, *, kid: str | None = None, algorithm: str = "RS256") -> str:
    """A JWT with these claims signed by `key` (a private JWK) — to make tokens the provider did not issue."""
    from joserfc import jwt
    from joserfc.jwk import import_key

    header = {"alg": algorithm, "kid": kid if kid is not None else key.get("kid", "")}
    return jwt.encode(header, claims, import_key(key))
