"""This site's addresses as its readers see them: absolute links for feeds and calendars, and paths under the
prefix the site is served at (behind a proxy at e.g. /netkit/, see webui/proxy.py).

Absolute links start from NETKIT_BASE_URL when it is set, whatever Host a request names; otherwise from the
request's own scheme, host and prefix — after ProxyFix, the proxy's public ones.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, has_request_context, request, url_for

from toolkit.library.media import resolve


def configured_root() -> str:
    """NETKIT_BASE_URL (ending in "/"), or "" when it is not set."""
    settings = current_app.config.get("NETKIT_SETTINGS")
    return settings.base_url if settings is not None else ""


def public_root() -> str:
    """Where this site's absolute links start, ending in "/": the configured public address, else the request's."""
    return configured_root() or request.url_root


def absolute(endpoint: str, **values: object) -> str:
    """The absolute address of a page of this site, under public_root()."""
    path = url_for(endpoint, **values)[len(request.script_root):]  # relative to where the app is mounted
    return public_root() + path.lstrip("/")


def site_path(path: str) -> str:
    """A path of this site ("/m/<slug>/", as the core and the search index write them) under the prefix the
    request came through; one already under it, or anything else (another site's address, a relative link), as
    it is — a sign-in's target passes here on the way to the form and again when it comes back."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    root = request.script_root
    if root and (path == root or path.startswith(root + "/")):
        return path
    return root + path


_SITE_LINK = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')


def page_html(html: str, media: str | None, inline: dict[str, str] | None = None) -> str:
    """A rendered material for this request: its media: references at `media` (toolkit.library.media.resolve),
    its links to this site's pages under the request's prefix (site_links)."""
    return site_links(resolve(html, media, inline))


def site_links(html: str) -> str:
    """Rendered Markdown's links to this site's pages ("/m/<slug>/": the renderer caches a page whatever the
    address it is shown under) under the prefix the request came through."""
    if not (has_request_context() and request.script_root):
        return html
    return _SITE_LINK.sub(lambda match: f'{match.group(1)}{site_path(match.group(2))}"', html)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["site_path"] = site_path
