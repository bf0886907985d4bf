"""Behind a reverse proxy: which X-Forwarded-* headers to believe, and cookies that follow the public address.

With `proxy_hops` = N > 0, Werkzeug's ProxyFix takes the client's address, the scheme, the host and the path
prefix from the last N proxies' X-Forwarded-For/-Proto/-Host/-Prefix; with 0 those headers are ignored (anyone
could send them). Everything after that — the sign-in throttle and the activity log (request.remote_addr), every
url_for (the prefix), the absolute links of feeds and calendars (webui/addresses.py) — reads the corrected request.

The session cookie is scoped to the prefix the app is served under (/netkit/ does not hand its cookie to the rest
of the host) and is Secure whenever the request came over https, even with NETKIT_SECURE_COOKIES off: behind a
TLS proxy the browser then never sends it over plain http. NETKIT_SECURE_COOKIES on makes it Secure always.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix


class ProxiedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the cookie's path and Secure flag taken from the (corrected) request."""

    def get_cookie_path(self, app: Flask) -> str:
        configured = app.config.get("SESSION_COOKIE_PATH")
        if configured:
            return configured
        return (request.script_root or "") + "/"

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask, hops: int) -> None:
    """Trust `hops` proxies' forwarded headers (none when 0), and scope the session cookie to the request."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    app.session_interface = ProxiedSessionInterface()
