"""Reading pages: the home page and one page per material."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template
from markupsafe import Markup

from webui.context import library, templates

bp = Blueprint("reader", __name__)


@bp.get("/")
def home() -> str:
    lib = library()
    groups = [(kind, list(items)) for kind, items in groupby(lib.materials(), key=lambda m: m.kind)]
    return render_template("reader/home.html", groups=groups, total=len(lib))


@bp.get("/m/<slug>/")
def material(slug: str) -> str:
    lib = library()
    item = lib.get(slug)
    rendered = lib.render(item)
    packages, _problems = templates().packages()
    related_templates = [p for p in packages if slug in p.form.related]
    return render_template("reader/material.html", material=item, body=Markup(rendered.html), toc=rendered.toc,
                           related=lib.related(item), related_templates=related_templates)
