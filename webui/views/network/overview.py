"""The AI map (`/overblik/`): the project registry as charts with their data tables beside them — projects per
phase (the funnel), clinical area, organisation, regional vs national, starts and ends per year, and a map of
Denmark with the organisations' locations — each chart downloadable as SVG and PNG (`/overblik/<chart>.svg|png`)
for slides. Anyone reads it; for visitors who are not signed in the page is kept while the registry's files are
unchanged (webui/pagecache.py). The figures and the drawing are in toolkit/network/overview/.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import gettext as _

from toolkit.network.overview.charts import charts
from toolkit.network.overview.figures import Figures, figures
from toolkit.network.overview.png import png_available, to_png
from toolkit.network.overview.scene import Chart
from toolkit.network.overview.svg import to_svg
from toolkit.network.overview.words import Words
from webui.context import projects
from webui.i18n import current_lang
from webui.pagecache import shared_page

bp = Blueprint("overview", __name__)

# Table rows that can lead to the projects they count: the browse page's filter of each chart.
FILTER_OF = {"faser": "phase", "omraader": "area", "organisationer": "owner"}


def _words() -> Words:
    """The charts' words in the reader's language."""
    return Words(
        projects=_("Projekter"), phase=_("Fase"), area=_("Klinisk område"), organisation=_("Organisation"),
        scope=_("Hvor"), share=_("Andel"), year=_("År"), started=_("Startet"), ended=_("Afsluttet"),
        running=_("I gang"), others=_("Andre (%(n)s)"),
        funnel_title=_("Projekter pr. fase"),
        funnel_desc=_("Tragt fra idé til drift: %(funnel)s. Stoppet: %(stopped)s. I alt %(total)s projekter."),
        stopped_apart=_("Uden for tragten:"),
        areas_title=_("Projekter pr. klinisk område"), owners_title=_("Projekter pr. organisation"),
        scope_title=_("Regionalt og nationalt"), bars_desc=_("Vandrette søjler, flest først: %(items)s."),
        timeline_title=_("Starter og afslutninger pr. år"),
        timeline_desc=_("Søjler pr. år fra %(first)s til %(last)s: fyldte søjler er startede projekter, hule "
                        "afsluttede, prikkerne projekter i gang. Flest i gang: %(peak)s i %(peak_year)s."),
        undated=_("Uden startdato og derfor ikke med: %(n)s."),
        map_title=_("Organisationerne på Danmarkskortet"),
        map_desc=_("Kort over Danmark med %(n)s organisationer som prikker, større jo flere projekter: "
                   "%(items)s."),
        empty=_("Ingen projekter endnu."))


def _figures_and_charts() -> tuple[Figures, list[Chart]]:
    registry = projects()
    numbers = figures(registry.all(), registry.organisations, current_lang())
    return numbers, charts(numbers, _words())


@bp.get("/overblik/")
def overview() -> str:
    return shared_page(_overview_page, projects().signature())


def _overview_page() -> str:
    numbers, made = _figures_and_charts()
    shown = [(chart, to_svg(chart), _row_links(chart)) for chart in made]
    return render_template("overview/overview.html", figures=numbers, charts=shown, png=png_available(),
                           organisations=sum(1 for c in numbers.owners if c.count))


def _row_links(chart: Chart) -> list[str | None]:
    """Per table row, the browse page filtered to what it counts (None for an "others" row or no filter)."""
    name = FILTER_OF.get(chart.id)
    keys = chart.table.keys or ("",) * len(chart.table.rows)
    return [url_for("projects.browse", **{name: key}) if name and key else None for key in keys]


def _chart(chart_id: str) -> Chart:
    _numbers, made = _figures_and_charts()
    found = next((chart for chart in made if chart.id == chart_id), None)
    if found is None:
        abort(404)
    return found


@bp.get("/overblik/<chart_id>.svg")
def chart_svg(chart_id: str) -> Response:
    return _download(to_svg(_chart(chart_id), standalone=True).encode(), "image/svg+xml", f"{chart_id}.svg")


@bp.get("/overblik/<chart_id>.png")
def chart_png(chart_id: str) -> Response:
    if not png_available():
        abort(404)
    return _download(to_png(_chart(chart_id)), "image/png", f"{chart_id}.png")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    # An SVG opened on its own is a document: the page's CSP applies to it too (no script could run anyway).
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'inline; filename="{name}"',
                                                      "Cache-Control": "private, max-age=60"})
