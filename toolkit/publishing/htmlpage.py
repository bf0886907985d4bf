"""A material as one self-contained HTML file (`netkit export --format html`): the sanitised body, the facts
and a recommendation's recipients, decision, key points and signatories, with a small inline style sheet so
the file reads well when mailed or archived. Every text is escaped; the body is the renderer's nh3 output. Its
images are inlined as data: URIs; a link to an attachment (a PDF) keeps its text and names the file, since the
file has nowhere to point offline."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from html import escape

from toolkit.documents.sandboxfilters import danish_date
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.library.media import TYPES, references, resolve, sniff

STYLE = """body{font-family:Carlito,Calibri,Arial,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#1b2430;line-height:1.5}h1{color:#073763}.network{color:#4a5563;font-size:.9rem}.lead{font-size:1.15rem;
color:#4a5563}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
dd{margin:0}.recommendation{border:2px solid #0b5394;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
table{border-collapse:collapse}th,td{border:1px solid #d5dce4;padding:.3rem .5rem;text-align:left}
img{max-width:100%;height:auto}"""
# A link to one of the material's files, as the renderer leaves it (toolkit.library.media.resolve reads the same).
_MEDIA_LINK = re.compile(r'<a href="media:([a-z0-9][a-z0-9_.-]*)"[^>]*>(.*?)</a>', re.S)
_MEDIA_IMAGE = re.compile(r'<img src="media:([a-z0-9][a-z0-9_.-]*)"[^>]*>')
_ALT = re.compile(r'\salt="([^"]*)"')


def material_html(material: Material, library: Library, *, network_name: str,
                  published: dt.date | None = None, media: Callable[[str], bytes | None] | None = None) -> str:
    """The whole HTML file; `media` reads the material's files by name (default: the library's current ones; an
    edition passes a reader at its revision)."""
    taxonomy = library.taxonomy
    facts = [("Type", taxonomy.label("kinds", material.kind)),
             ("Udgave", f"{material.version}, udgivet {danish_date(published)}" if published
              else f"{taxonomy.label('statuses', material.status)}, version {material.version}"),
             ("Forfattere", ", ".join(material.authors)),
             ("Emner", ", ".join(taxonomy.label("topics", t) for t in material.topics))]
    parts = [f'<p class="network">{escape(network_name)}</p>', f"<h1>{escape(material.title)}</h1>",
             f'<p class="lead">{escape(material.summary)}</p>', '<dl class="facts">']
    parts += [f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in facts]
    parts.append("</dl>")
    recommendation = _recommendation(material)
    if recommendation:
        parts.append(f'<section class="recommendation">{recommendation}</section>')
    parts.append(_with_media(library.render(material).html, material, library, media))
    return (f'<!doctype html>\n<html lang="{escape(material.language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(material.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


def _with_media(body: str, material: Material, library: Library,
                media: Callable[[str], bytes | None] | None) -> str:
    """Images as data: URIs (a missing one is its alt text in brackets, as in Word), attachment links as their text
    and file name."""
    if "media:" not in body:
        return body
    if media is None:
        def media(name: str) -> bytes | None:
            path = library.media_file(material.slug, name)
            return path.read_bytes() if path is not None else None
    inline = {}
    for name in {reference.name for reference in references(material.body) if reference.image}:
        data = media(name)
        kind = sniff(data) if data else None
        if data and kind and TYPES[kind][2] == "image":
            inline[name] = f"data:{TYPES[kind][1]};base64,{base64.b64encode(data).decode('ascii')}"
    body = _MEDIA_LINK.sub(lambda m: f"{m[2]} (vedhæftet fil: {escape(m[1])})", body)
    body = _MEDIA_IMAGE.sub(lambda m: m[0] if m[1] in inline else f"[{_alt(m[0]) or escape(m[1])}]", body)
    return resolve(body, "", inline)


def _alt(tag: str) -> str:
    found = _ALT.search(tag)
    return found[1] if found else ""  # already escaped by the renderer


def _recommendation(material: Material) -> str:
    out = []
    if material.recipients:
        out.append("<h2>Til</h2><ul>" + "".join(f"<li>{escape(r)}</li>" for r in material.recipients) + "</ul>")
    if material.decision_requested:
        out.append(f"<h2>Beslutning der bedes om</h2><p>{escape(material.decision_requested)}</p>")
    if material.key_points:
        out.append("<h2>Hovedpunkter</h2><ol>" + "".join(f"<li>{escape(p)}</li>" for p in material.key_points)
                   + "</ol>")
    if material.signatories:
        items = "".join(f"<li>{escape(s.organisation)}{', ' + escape(s.person) if s.person else ''} – underskrevet "
                        f"{escape(danish_date(s.signed))}</li>" for s in material.signatories)
        out.append(f"<h2>Bag anbefalingen</h2><ul>{items}</ul>")
    return "".join(out)
