"""A material as one self-contained HTML file (`netkit export --format html`): the sanitised body, the facts
and a recommendation's recipients, decision, key points and signatories, with a small inline style sheet so
the file reads well when mailed or archived. Every text is escaped; the body is the renderer's nh3 output."""

from __future__ import annotations

import datetime as dt
from html import escape

from toolkit.documents.sandboxfilters import danish_date
from toolkit.library.folder import Library
from toolkit.library.materials import Material

STYLE = """body{font-family:Carlito,Calibri,Arial,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#1b2430;line-height:1.5}h1{color:#073763}.network{color:#4a5563;font-size:.9rem}.lead{font-size:1.15rem;
color:#4a5563}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
dd{margin:0}.recommendation{border:2px solid #0b5394;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
table{border-collapse:collapse}th,td{border:1px solid #d5dce4;padding:.3rem .5rem;text-align:left}"""


def material_html(material: Material, library: Library, *, network_name: str,
                  published: dt.date | None = None) -> str:
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
    parts.append(library.render(material).html)
    return (f'<!doctype html>\n<html lang="{escape(material.language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(material.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


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
