"""Reading pages: the home page and one page per material."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup

from toolkit.library import Filters
from webui.context import library, templates

bp = Blueprint("reader", __name__)


# Entry points by need on the home page: (label, the browse filter or material it opens, a short explanation).
ENTRY_POINTS = (
    ("Adgang til data", {"topic": "data-access"}, "Forskning, kvalitetsudvikling og drift: hvad kræver hvad?"),
    ("CE-mærkning", {"topic": "ce-marking"}, "Er det medicinsk udstyr, hvilken klasse, og hvad skal på plads?"),
    ("Samtykke", {"topic": "consent"}, "Hvornår der skal samtykke til, og hvilken model der passer."),
    ("Klinisk evaluering", {"topic": "clinical-evaluation"}, "At vise, at AI-værktøjet virker for patienterne."),
    ("Fra forskning til drift", {"topic": "operations"}, "Fra model i forskningen til værktøj i klinikken."),
)


@bp.get("/")
def home() -> str:
    lib = library()
    groups = [(kind, list(items)) for kind, items in groupby(lib.materials(), key=lambda m: m.kind)]
    entries = [(label, url_for("reader.browse", **params), text) for label, params, text in ENTRY_POINTS]
    return render_template("reader/home.html", groups=groups, total=len(lib), recent=lib.recent(5),
                           entries=entries)


@bp.get("/gennemse")
def browse() -> str:
    """Materials by kind, topic and audience; filters combine, and each value shows how many it leaves."""
    lib = library()
    vocabularies = {"kind": "kinds", "topic": "topics", "audience": "audiences"}
    chosen = {name: request.args.get(name) or None for name in vocabularies}
    for name, value in chosen.items():  # an unknown value is ignored, not an error
        if value is not None and value not in lib.taxonomy.ids(vocabularies[name]):
            chosen[name] = None
    filters = Filters(**chosen)

    def link(**changes: str | None) -> str:
        params = {**{k: v for k, v in chosen.items() if v}, **changes}
        return url_for("reader.browse", **{k: v for k, v in params.items() if v})

    facets = [(name, vocabularies[name], [(value, count, value == chosen[name],
                                           link(**{name: None if value == chosen[name] else value}))
                                          for value, count in values])
              for name, values in lib.facet_counts(filters).items()]
    return render_template("reader/browse.html", materials=lib.materials(filters), facets=facets, chosen=chosen,
                           clear=url_for("reader.browse"), vocabularies=vocabularies)


@bp.get("/m/<slug>/")
def material(slug: str) -> str:
    lib = library()
    item = lib.get(slug)
    rendered = lib.render(item)
    packages, _problems = templates().packages()
    related_templates = [p for p in packages if slug in p.form.related]
    return render_template("reader/material.html", material=item, body=Markup(rendered.html), toc=rendered.toc,
                           related=lib.related(item), related_templates=related_templates)
