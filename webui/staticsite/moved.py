"""The old addresses of renamed materials in the static site: a plain file server cannot answer 301, so every page
exported under a material's new slug gets a small page at the old address that sends the reader on (a meta
refresh, a canonical link and a visible link for those who turned refreshes off). Word and PDF files have no
such page; the links in the site already name the new slug.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="canonical" href="{href}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<main>
<h1>{title}</h1>
<p>{text} <a href="{href}">{link}</a></p>
</main>
</body>
</html>
"""


def moved_pages(redirects: Mapping[str, str], exported: Iterable[str], lang: str = "da") -> dict[str, bytes]:
    """old site file → the page that sends the reader to the same page under the new slug, for every exported HTML
    page of a renamed material (`m/new/…/index.html`). Call it inside a request context (the texts are Danish)."""
    files = set(exported)
    pages: dict[str, bytes] = {}
    for old, new in sorted(redirects.items()):
        prefix = f"m/{new}/"
        for file in sorted(f for f in files if f.startswith(prefix) and f.endswith("index.html")):
            old_file = f"m/{old}/" + file[len(prefix):]
            if old_file in files:  # a page of its own at that address (made by hand): it wins
                continue
            href = html.escape(posixpath.relpath(file, posixpath.dirname(old_file)), quote=True)
            pages[old_file] = PAGE.format(
                lang=lang, href=href, title=html.escape(_("Materialet er flyttet")),
                text=html.escape(_("Materialet har fået en ny adresse.")),
                link=html.escape(_("Gå til den nye adresse"))).encode()
    return pages
