"""One Settings object: built-in defaults, then NETKIT_* environment variables, then explicit overrides.

`SETTINGS` is the single declared list: the CLI's help and the README's configuration table come from it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from toolkit.errors import Invalid, Problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_LIBRARY = PROJECT_ROOT / "library"
BUNDLED_TEMPLATES = PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Settings:
    home: Path = Path("instance")
    library: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    secure_cookies: bool = False
    author: str = ""
    network_name: str = "Netværket for AI på sundhedsdata"
    logo: Path | None = None
    base_url: str = ""  # "" = not configured: feeds link to the address each request came to
    smtp_host: str = ""  # "" = no e-mail: notifications are shown in the web only
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""  # "" = netkit@ the host of base_url
    smtp_starttls: bool = True
    proxy_hops: int = 0  # reverse proxies in front that set X-Forwarded-*: 0 = none, trust no such header
    oidc_issuer: str = ""  # "" = no OpenID Connect sign-in
    oidc_client_id: str = ""
    oidc_client_secret: str = field(default="", repr=False)
    oidc_groups_claim: str = "groups"
    oidc_provider_name: str = "Region Midtjylland"
    oidc_trust_email: bool = False  # take the token's e-mail without email_verified (the provider owns addresses)
    local_login: bool = True
    accessibility_statement_url: str = ""
    privacy_url: str = ""  # "" = the bundled Danish privacy page
    activity_days: int = 180

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, overridden by NETKIT_<NAME> variables, overridden by non-None keyword arguments."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems = []
        for spec in SETTINGS:
            raw = environ.get(spec.env)
            if raw is None or raw == "":
                continue
            try:
                values[spec.name] = spec.parse(raw)
            except ValueError as exc:
                problems.append(Problem.at(spec.env, f"{exc}", field=spec.name))
        if problems:
            raise Invalid("invalid environment settings", problems)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("home", "library", "logo"):
            if isinstance(values.get(name), str):
                values[name] = Path(values[name])
        return replace(cls(), **values)


@dataclass(frozen=True)
class SettingSpec:
    name: str
    help: str

    @property
    def env(self) -> str:
        return f"NETKIT_{self.name.upper()}"

    @property
    def default(self) -> Any:
        return next(f.default for f in fields(Settings) if f.name == self.name)

    def parse(self, raw: str) -> Any:
        default = self.default
        if self.name in ("home", "library", "logo"):
            return Path(raw)
        if self.name == "base_url":
            return parse_base_url(raw)
        if self.name in ("accessibility_statement_url", "privacy_url"):
            return parse_page_url(raw)
        if self.name == "oidc_issuer":
            return parse_issuer(raw)
        if self.name in ("proxy_hops", "activity_days") and not (raw.isdigit() and int(raw) <= 36500):
            raise ValueError(f"'{raw}' is not a whole number of 0 or more")
        if self.name == "oidc_groups_claim" and not re.fullmatch(r"[A-Za-z0-9_:/.-]{1,100}", raw):
            raise ValueError(f"'{raw}' is not a claim name (letters, digits, _ : / . -), e.g. groups or roles")
        if self.name == "oidc_provider_name" and (len(raw) > 60 or not raw.isprintable()):
            raise ValueError("the provider's name must be one line of at most 60 characters")
        if self.name == "smtp_port" and not (raw.isdigit() and 0 < int(raw) < 65536):
            raise ValueError(f"'{raw}' is not a port (1–65535)")
        if self.name == "smtp_from" and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+|[^<>]*<[^@\s<>]+@[^@\s<>]+>", raw):
            raise ValueError(f"'{raw}' is not an e-mail address; give e.g. netkit@rm.dk or 'Netkit <netkit@rm.dk>'")
        if isinstance(default, bool):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"'{raw}' is not a yes/no value; use true or false")
        if isinstance(default, int):
            try:
                return int(raw)
            except ValueError:
                raise ValueError(f"'{raw}' is not a whole number") from None
        if isinstance(default, Path):
            return Path(raw)
        return raw


def parse_base_url(raw: str) -> str:
    """A public address of the site: http(s) with a host, no query or fragment; returned ending in "/"."""
    parts = urlsplit(raw.strip())
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, or out of range
        port_ok = False
    valid = (parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok
             and not (parts.query or parts.fragment or parts.username or parts.password))
    if not valid:
        raise ValueError(f"'{raw}' is not an http(s) address with a host (and no user, query or fragment); "
                         "give e.g. https://netkit.rm.dk/")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


def parse_page_url(raw: str) -> str:
    """An http(s) address of a page (elsewhere), as given; no user or password in it."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValueError(f"'{raw}' is not an http(s) address with a host; give e.g. https://www.rm.dk/was")
    return raw.strip()


def parse_issuer(raw: str) -> str:
    """An OpenID provider's issuer: https, or http only on this machine (a provider for tests and development)."""
    parts = urlsplit(raw.strip())
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and local)) \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"'{raw}' is not an https address of an OpenID provider; give its issuer, e.g. "
                         "https://login.microsoftonline.com/<tenant>/v2.0")
    return raw.strip().rstrip("/")


SETTINGS = (
    SettingSpec("home", "the instance folder: the live, versioned library (created on first `serve` or `init`)"),
    SettingSpec("library", "serve or check this plain library folder instead of the instance (no history)"),
    SettingSpec("author", "who you are when you save, restore or publish from the CLI: 'Name <email>'"),
    SettingSpec("host", "the address `netkit serve` listens on"),
    SettingSpec("port", "the port `netkit serve` listens on"),
    SettingSpec("workers", "web worker processes for `netkit serve`"),
    SettingSpec("secure_cookies", "send cookies only over HTTPS (turn on behind TLS)"),
    SettingSpec("network_name", "the network's name on the cover of Word and PDF editions"),
    SettingSpec("logo", "a PNG or JPEG logo (under 1 MB) for the cover of Word and PDF editions"),
    SettingSpec("base_url", "the site's public address (https://…/): the Atom feeds' links use it, whatever "
                            "host a request names"),
    SettingSpec("smtp_host", "the mail server notifications are sent through (empty: no e-mail; notifications are "
                             "still shown in the web)"),
    SettingSpec("smtp_port", "the mail server's port"),
    SettingSpec("smtp_user", "the user name to sign in to the mail server with (empty: no sign-in)"),
    SettingSpec("smtp_password", "the password to sign in to the mail server with"),
    SettingSpec("smtp_from", "the sender of notification mails, e.g. 'Netkit <netkit@rm.dk>' (default: netkit@ "
                             "the host of NETKIT_BASE_URL)"),
    SettingSpec("smtp_starttls", "encrypt the connection to the mail server with STARTTLS (turn off only for a "
                                 "server on this machine)"),
    SettingSpec("proxy_hops", "how many reverse proxies in front set X-Forwarded-For/-Proto/-Host/-Prefix (0: "
                              "none; those headers are then ignored)"),
    SettingSpec("oidc_issuer", "the OpenID Connect provider to sign in with (its issuer address; empty: local "
                               "accounts only)"),
    SettingSpec("oidc_client_id", "Netkit's client id at the OpenID Connect provider"),
    SettingSpec("oidc_client_secret", "Netkit's client secret at the OpenID Connect provider"),
    SettingSpec("oidc_groups_claim", "the ID-token claim whose values are mapped to roles and working groups by "
                                     "the instance's oidc-groups.yaml (e.g. groups or roles)"),
    SettingSpec("oidc_provider_name", "the provider's name on the sign-in button: \"Log ind med <name>\""),
    SettingSpec("oidc_trust_email", "take the ID token's e-mail as the person's own even without "
                                    "email_verified=true (only for a provider whose directory owns its addresses, "
                                    "e.g. the region's own Entra ID tenant)"),
    SettingSpec("local_login", "offer sign-in with a local user name and password (off: only the OpenID "
                               "provider; `netkit user` still manages local accounts)"),
    SettingSpec("accessibility_statement_url", "the accessibility statement (tilgængelighedserklæring) every "
                                               "page links to, and /was redirects to"),
    SettingSpec("privacy_url", "the privacy notice every page links to (empty: Netkit's own Danish page)"),
    SettingSpec("activity_days", "how many days sign-ins (with addresses) are kept in the activity log"),
)
