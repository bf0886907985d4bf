"""Signing in with an OpenID Connect provider (the region's Entra ID, a broker): the authorization-code flow with
PKCE (S256), state and nonce, and a strict check of the ID token.

Authlib builds the protocol's requests (the authorization URL, the PKCE challenge, random values); joserfc (the
JOSE library of Authlib's author, which Authlib itself moves to) checks the token's signature against the
provider's published keys. The HTTP calls use the standard library with a timeout. Nothing here knows about
Flask: the web keeps the `Pending` sign-in in its session and gives it back with the provider's answer.

What an ID token must be to be accepted (OpenID Connect Core 3.1.3.7): signed with an algorithm the provider
announces (never "none"), by a key in the provider's JWKS (fetched again once when the token names an unknown key:
the provider rotated its keys); issued by the configured issuer; for this client (aud, and azp when several
audiences); not expired and not issued in the future (LEEWAY seconds of clock difference allowed); carrying the
nonce of this very sign-in.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from toolkit.errors import Forbidden, NetkitError

TIMEOUT = 10.0  # seconds for each call to the provider
LEEWAY = 60  # seconds of clock difference between the provider and this server
DISCOVERY_SECONDS = 3600  # how long the discovery document is kept
KEYS_REFETCH_SECONDS = 30  # an unknown key id fetches the JWKS again at most this often (no amplification)
RESPONSE_MAX = 1024 * 1024  # bytes read from any answer of the provider
SCOPES = "openid profile email"
# Signature algorithms accepted when the provider announces them; symmetric ones (HS*) would make the client
# secret a signing key, and "none" is no signature.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class ProviderUnavailable(NetkitError):
    """The provider cannot be reached or answers with something that is not OpenID Connect."""


class TokenRefused(Forbidden):
    """A sign-in answer or an ID token that is not accepted; the message says which check failed (for the log)."""


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    end_session_endpoint: str = ""


@dataclass(frozen=True)
class Pending:
    """One sign-in under way: what the web keeps in the session until the provider sends the user back."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str

    def to_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier, "redirect_uri": self.redirect_uri}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pending:
        return cls(str(data["state"]), str(data["nonce"]), str(data["verifier"]), str(data["redirect_uri"]))


@dataclass(frozen=True)
class SignedIn:
    claims: dict[str, Any]
    id_token: str  # kept for the sign-out at the provider (id_token_hint)


def trusted_email(claims: Mapping[str, Any], *, trust_provider: bool) -> str:
    """The ID token's e-mail as the person's own address: only when the provider says it verified it, or when
    the provider's directory owns its addresses (NETKIT_OIDC_TRUST_EMAIL); else "". An address is a right in
    Netkit (a project listing it as a contact may be edited by its holder)."""
    if claims.get("email_verified") is True or trust_provider:
        return str(claims.get("email") or "")
    return ""


class OidcClient:
    """Netkit as a client of one provider. Thread-safe; the discovery document and the keys are cached."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, *, timeout: float = TIMEOUT,
                 leeway: int = LEEWAY, clock: Callable[[], float] = time.time):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self.leeway = leeway
        self.clock = clock
        self._lock = threading.Lock()
        self._discovery: tuple[float, Discovery] | None = None
        self._keys: tuple[float, KeySet] | None = None

    # -- the provider's documents ------------------------------------------------------------------------------

    def discovery(self) -> Discovery:
        """The provider's discovery document (cached DISCOVERY_SECONDS); ProviderUnavailable when unreachable."""
        with self._lock:
            if self._discovery is not None and self.clock() - self._discovery[0] < DISCOVERY_SECONDS:
                return self._discovery[1]
        data = self._get_json(self.issuer + "/.well-known/openid-configuration")
        announced = data.get("id_token_signing_alg_values_supported")
        announced = announced if isinstance(announced, list) else ["RS256"]  # RS256: the default (Discovery 3)
        try:
            found = Discovery(
                issuer=str(data["issuer"]), authorization_endpoint=str(data["authorization_endpoint"]),
                token_endpoint=str(data["token_endpoint"]), jwks_uri=str(data["jwks_uri"]),
                algorithms=tuple(a for a in announced if a in ALGORITHMS),
                end_session_endpoint=str(data.get("end_session_endpoint") or ""))
        except KeyError as exc:
            raise ProviderUnavailable(f"{self.issuer}: the discovery document has no {exc.args[0]}") from None
        if found.issuer.rstrip("/") != self.issuer:  # OpenID Connect Discovery 4.3: the issuer must be the same
            raise ProviderUnavailable(f"{self.issuer}: the discovery document names another issuer, {found.issuer}")
        if not found.algorithms:
            raise ProviderUnavailable(f"{self.issuer}: the provider announces no signature algorithm Netkit accepts "
                                      f"({', '.join(ALGORITHMS)})")
        with self._lock:
            self._discovery = (self.clock(), found)
        return found

    def keys(self, *, refresh: bool = False) -> KeySet:
        """The provider's signing keys; `refresh` fetches them again (at most every KEYS_REFETCH_SECONDS)."""
        with self._lock:
            cached = self._keys
        if cached is not None and (not refresh or self.clock() - cached[0] < KEYS_REFETCH_SECONDS):
            return cached[1]
        data = self._get_json(self.discovery().jwks_uri)
        try:
            keys = KeySet.import_key_set({"keys": [k for k in data["keys"] if k.get("use", "sig") == "sig"]})
        except (KeyError, TypeError, ValueError, AttributeError, JoseError) as exc:
            raise ProviderUnavailable(f"{self.issuer}: the provider's keys (JWKS) cannot be read: {exc}") from None
        with self._lock:
            self._keys = (self.clock(), keys)
        return keys

    def origins(self) -> set[str]:
        """The scheme://host[:port] the browser is sent to: the issuer's, and the sign-in and sign-out endpoints'
        once the discovery document has been read (for the web's Content-Security-Policy)."""
        with self._lock:
            found = self._discovery[1] if self._discovery is not None else None
        addresses = [self.issuer] + ([found.authorization_endpoint, found.end_session_endpoint] if found else [])
        return {f"{parts.scheme}://{parts.netloc}" for parts in map(urllib.parse.urlsplit, addresses)
                if parts.scheme in ("http", "https") and parts.netloc}

    # -- the flow --------------------------------------------------------------------------------------------------

    def start(self, redirect_uri: str) -> tuple[str, Pending]:
        """The address to send the browser to, and what to keep until it comes back."""
        pending = Pending(state=generate_token(32), nonce=generate_token(32), verifier=generate_token(64),
                          redirect_uri=redirect_uri)
        url = prepare_grant_uri(self.discovery().authorization_endpoint, self.client_id, "code",
                                redirect_uri=redirect_uri, scope=SCOPES, state=pending.state, nonce=pending.nonce,
                                code_challenge=create_s256_code_challenge(pending.verifier),
                                code_challenge_method="S256")
        return url, pending

    def finish(self, pending: Pending, answer: Mapping[str, str]) -> SignedIn:
        """The provider's answer (the callback's query) checked against the pending sign-in, the code exchanged,
        the ID token checked. TokenRefused for anything not accepted."""
        if not secrets.compare_digest(str(answer.get("state", "")).encode(), pending.state.encode()):
            raise TokenRefused("the state does not match this sign-in (forged, replayed or from another tab)")
        if answer.get("error"):
            raise TokenRefused(f"the provider refused: {answer.get('error', '')[:100]} "
                               f"{answer.get('error_description', '')[:200]}")
        code = answer.get("code")
        if not code:
            raise TokenRefused("the provider's answer has no code")
        if answer.get("iss") and answer["iss"].rstrip("/") != self.issuer:  # RFC 9207: mix-up protection
            raise TokenRefused(f"the answer comes from another issuer ({answer['iss'][:100]})")
        tokens = self._exchange(code, pending)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise TokenRefused("the token response has no ID token")
        return SignedIn(self.validate(id_token, pending.nonce), id_token)

    def validate(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims when every check passes (see the module's doc), else TokenRefused."""
        discovery = self.discovery()
        header = _header(id_token)
        algorithm = header.get("alg")
        if algorithm not in discovery.algorithms:
            raise TokenRefused(f"the token is signed with {str(algorithm)[:20]!r}, not an algorithm the provider "
                               f"announces ({', '.join(discovery.algorithms)})")
        keys = self.keys()
        if not any(key.kid == header.get("kid") for key in keys) and "kid" in header:
            keys = self.keys(refresh=True)  # the provider may have rotated its keys since they were fetched
        try:
            token = jwt.decode(id_token, keys, algorithms=list(discovery.algorithms))
        except JoseError as exc:
            raise TokenRefused(f"the token's signature is not valid for the provider's keys ({exc.error})") from None
        claims = dict(token.claims)
        self._check_claims(claims, discovery.issuer, nonce)
        return claims

    def logout_url(self, id_token: str, post_logout_redirect_uri: str) -> str | None:
        """Where to send the browser to end the session at the provider too (None: the provider has no such
        endpoint, or cannot be reached now — the Netkit session is ended either way)."""
        try:
            endpoint = self.discovery().end_session_endpoint
        except ProviderUnavailable:
            return None
        if not endpoint:
            return None
        query = urllib.parse.urlencode({"id_token_hint": id_token, "client_id": self.client_id,
                                        "post_logout_redirect_uri": post_logout_redirect_uri})
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    # -- the checks and the calls ----------------------------------------------------------------------------

    def _check_claims(self, claims: dict[str, Any], issuer: str, nonce: str) -> None:
        now = self.clock()
        if claims.get("iss") != issuer:
            raise TokenRefused(f"the token's issuer is {str(claims.get('iss'))[:100]!r}, not {issuer!r}")
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
        if self.client_id not in audiences:
            raise TokenRefused("the token is meant for another application (aud)")
        if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != self.client_id:
            raise TokenRefused("the token was issued to another application (azp)")
        expires, issued = claims.get("exp"), claims.get("iat")
        if not isinstance(expires, int | float) or not isinstance(issued, int | float):
            raise TokenRefused("the token has no expiry or issue time")
        if expires < now - self.leeway:
            raise TokenRefused(f"the token expired {int(now - expires)} seconds ago")
        if issued > now + self.leeway:
            raise TokenRefused("the token is issued in the future (check the server's clock)")
        if not isinstance(claims.get("nonce"), str) or claims["nonce"] != nonce:
            raise TokenRefused("the token's nonce is not this sign-in's (replayed or injected)")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise TokenRefused("the token names no subject (sub)")

    def _exchange(self, code: str, pending: Pending) -> dict[str, Any]:
        body = urllib.parse.urlencode({"grant_type": "authorization_code", "code": code,
                                       "redirect_uri": pending.redirect_uri,
                                       "code_verifier": pending.verifier}).encode()
        # client_secret_basic: both parts form-encoded first (RFC 6749 2.3.1)
        pair = f"{urllib.parse.quote(self.client_id, safe='')}:{urllib.parse.quote(self.client_secret, safe='')}"
        headers = {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
                   "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        request = urllib.request.Request(self.discovery().token_endpoint, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return _json(response.read(RESPONSE_MAX + 1), "the token response")
        except urllib.error.HTTPError as exc:
            detail = _json(exc.read(RESPONSE_MAX), "the token error") if exc.code == 400 else {}
            raise TokenRefused(f"the provider refused the code ({exc.code} {detail.get('error', '')})") from None
        except (OSError, ValueError) as exc:
            raise ProviderUnavailable(f"{self.issuer}: the token endpoint cannot be reached: {exc}") from None

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                        timeout=self.timeout) as response:
                return _json(response.read(RESPONSE_MAX + 1), url)
        except (OSError, ValueError) as exc:  # URLError, timeouts and refused connections are OSErrors
            raise ProviderUnavailable(f"the OpenID provider cannot be reached at {url}: {exc}") from None


def _json(raw: bytes, what: str) -> dict[str, Any]:
    if len(raw) > RESPONSE_MAX:
        raise ProviderUnavailable(f"{what} is larger than {RESPONSE_MAX} bytes")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{what} is not a JSON object")
    return data


def _header(token: str) -> dict[str, Any]:
    """The token's protected header, read before any key is chosen (to pick the key and check the algorithm)."""
    try:
        encoded = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, IndexError):
        raise TokenRefused("the ID token is not a signed JWT") from None
    if not isinstance(header, dict) or token.count(".") != 2:
        raise TokenRefused("the ID token is not a signed JWT")
    return header
