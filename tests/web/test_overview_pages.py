"""The AI map (/overblik/) through real HTTP on the bundled library: every chart an inline SVG image with a table
of the registry's numbers, rows that lead to the filtered project list, the downloads, nothing from another host
(the CSP header and the page's own addresses), the page kept for readers until a project file changes, and the
page with its downloads in the static site."""

from __future__ import annotations

import io
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.history.instance import Instance
from toolkit.network.overview.figures import figures
from toolkit.network.projects.registry import Registry
from webui import create_app

CHARTS = ("faser", "omraader", "organisationer", "regionalt-nationalt", "tidslinje", "kort")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, target)
    return target


@pytest.fixture
def client(library: Path, isolated_home: Path):
    return create_app(Settings(library=library, home=isolated_home), {"TESTING": True}).test_client()


def section(page: str, chart_id: str) -> str:
    found = re.search(rf'<section class="overview-chart" id="{chart_id}".*?</section>', page, re.S)
    assert found, chart_id
    return found.group(0)


def table_rows(html: str) -> list[tuple[str, ...]]:
    """The table's rows as text cells (links unwrapped)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append(tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in cells))
    return rows


def test_every_chart_is_an_inline_svg_image_with_a_table_of_the_registrys_numbers(client, library):
    response = client.get("/overblik/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<a href="/overblik/">Se overblikket' in client.get("/projekter/").get_data(as_text=True)
    registry = Registry(library)
    numbers = figures(registry.all(), registry.organisations)
    assert f"{numbers.total} projekter" in page
    for chart_id in CHARTS:
        html = section(page, chart_id)
        svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-labelledby") == f"{chart_id}-title"
        title = root.find(f"{SVG}title").text
        assert f'<h2 id="{chart_id}-heading">{title}</h2>' in html
        assert re.search(r"<figure[^>]*>.*<figcaption>.*</figcaption>\s*</figure>", html, re.S)
        assert f"<caption>Tallene i „{title}“</caption>" in html
        assert table_rows(html), chart_id
    assert table_rows(section(page, "faser")) == [(c.label, str(c.count)) for c in (*numbers.funnel, numbers.stopped)]
    assert table_rows(section(page, "organisationer")) == [(c.label, str(c.count)) for c in numbers.owners]
    assert table_rows(section(page, "tidslinje")) == [(str(y.year), str(y.started), str(y.ended), str(y.running))
                                                      for y in numbers.years]
    located = table_rows(section(page, "kort"))
    assert sorted(located) == sorted((p.label, str(p.count)) for p in numbers.places)
    assert len(located) == len(registry.organisations.located()) == len(registry.organisations.entries)
    assert len(re.findall(r"<circle ", section(page, "kort"))) == len(located)  # a dot per located organisation


def test_a_table_row_leads_to_the_projects_it_counts(client):
    page = client.get("/overblik/").get_data(as_text=True)
    link, count = re.search(r'<th scope="row"><a href="([^"]+)">Driftstest</a></th><td class="number">(\d+)',
                            section(page, "faser")).groups()
    assert link == "/projekter/?phase=operations-test"
    listed = client.get(link).get_data(as_text=True)
    assert len(re.findall(r'<li class="card project">', listed)) == int(count) == 3
    area_link = re.search(r'<a href="(/projekter/\?area=[^"]+)">Radiologi</a>', page).group(1)
    assert "AI-triage af røntgenbilleder af thorax" in client.get(area_link.replace("&amp;", "&")).get_data(
        as_text=True)


def test_nothing_is_fetched_from_another_host(client):
    response = client.get("/overblik/")
    policy = response.headers["Content-Security-Policy"]
    for rule in ("default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'"):
        assert rule in policy
    page = response.get_data(as_text=True)
    addresses = re.findall(r'\b(?:src|href|action)="([^"]*)"', page)
    assert addresses
    assert [a for a in addresses if not (a.startswith(("/", "#")) and not a.startswith("//"))] == []
    assert ' style="' not in page  # the CSP would block inline styles: the charts use attributes


def test_the_downloads(client):
    svg = client.get("/overblik/kort.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert 'filename="kort.svg"' in svg.headers["Content-Disposition"]
    root = ET.fromstring(svg.data)
    assert root.find(f"{SVG}title").text == "Organisationerne på Danmarkskortet"
    assert root.find(f"{SVG}desc").text.startswith("Kort over Danmark med 14 organisationer")
    png = client.get("/overblik/faser.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.format == "PNG" and image.size[0] == 2 * int(root.get("width"))
    page = client.get("/overblik/").get_data(as_text=True)
    for chart_id in CHARTS:
        for kind in ("svg", "png"):
            assert f'href="/overblik/{chart_id}.{kind}" download' in page
    for wrong in ("/overblik/ukendt.svg", "/overblik/faser.gif", "/overblik/..%2Fsecret.svg", "/overblik/FASER.png"):
        assert client.get(wrong).status_code == 404, wrong


def test_the_page_changes_when_a_project_is_added(client, library):
    first = client.get("/overblik/").get_data(as_text=True)
    assert client.get("/overblik/").get_data(as_text=True) == first  # kept for readers
    source = (library / "projects" / "tryksaarsrisiko.yaml").read_text(encoding="utf-8")
    (library / "projects" / "ny-tryksaar.yaml").write_text(
        source.replace("Risikovurdering af tryksår", "Ny vurdering af tryksår"), encoding="utf-8")
    again = client.get("/overblik/").get_data(as_text=True)
    assert "16 projekter" in first and "17 projekter" in again
    assert ("Idé", "4") in table_rows(section(again, "faser"))


def test_the_static_site_has_the_overview_and_its_downloads(tmp_path):
    instance = Instance.create(tmp_path / "instance")  # the bundled library, as the static site's tests use it
    result = CliRunner().invoke(main, ["--home", str(instance.home), "export-site", str(tmp_path / "site"),
                                       "--no-pdf"],
                                env={"NETKIT_LIBRARY": None, "NETKIT_SOFFICE": None})
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    page = (site / "overblik" / "index.html").read_text(encoding="utf-8")
    assert page.count('role="img"') == len(CHARTS) and page.count('class="facts-table chart-table"') == len(CHARTS)
    for chart_id in CHARTS:
        assert f'href="{chart_id}.svg"' in page and f'href="{chart_id}.png"' in page
        ET.fromstring((site / "overblik" / f"{chart_id}.svg").read_bytes())
        assert (site / "overblik" / f"{chart_id}.png").read_bytes().startswith(b"\x89PNG")
    assert "/projekter/?" not in page and 'href="/' not in page  # no live-only list; every link relative
    assert 'href="overblik/index.html">Overblik</a>' in (site / "index.html").read_text(encoding="utf-8")


def test_in_english_the_figures_have_english_labels(client):
    danish = client.get("/overblik/").get_data(as_text=True)
    client.get("/sprog/en")
    page = client.get("/overblik/").get_data(as_text=True)
    assert page != danish  # not the Danish page kept for readers
    rows = table_rows(section(page, "faser"))
    assert [row[0] for row in rows] == ["Idea", "Research", "Quality development", "Operations test", "In operation",
                                        "Stopped"]
    assert ("Central Denmark Region", "8", "50 %") in table_rows(section(page, "regionalt-nationalt"))


@pytest.mark.parametrize("with_history", [True, False])
def test_the_home_page_leads_to_the_network_at_work(client, isolated_home, with_history):
    """The AI map, partners, calls, decisions and the newsletter are found from the home page, not only by URL;
    every link answers (a plain library folder keeps no newsletter: neither the home page nor the footer offers
    it there)."""
    if with_history:
        client = create_app(Settings(home=isolated_home / "instance"), {"TESTING": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    section = page.split('id="network-heading"', 1)[1].split("</section>", 1)[0]
    hrefs = ["/overblik/", "/partnere/", "/opslag/", "/beslutninger/"] + (["/nyhedsbrev/"] if with_history else [])
    for href in hrefs:
        assert f'href="{href}"' in section, href
        assert client.get(href).status_code == 200, href
    assert ('href="/nyhedsbrev/"' in page) == with_history
