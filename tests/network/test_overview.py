"""The AI map's core (toolkit/network/overview/): the figures counted from a known registry of real project files,
the organisations' coordinates checked with their line, every chart a valid SVG named by its title with a table
of the same numbers, the map with a dot per located organisation, and the PNG drawn from the same scene."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from toolkit.config import BUNDLED_LIBRARY
from toolkit.network.overview.charts import TOP_ROWS, charts
from toolkit.network.overview.denmark import EAST, NORTH, OUTLINE, SOUTH, WEST, project
from toolkit.network.overview.figures import FUNNEL, figures
from toolkit.network.overview.map import radius
from toolkit.network.overview.png import png_available, to_png
from toolkit.network.overview.scene import Chart, Circle, Polygon, Rect, Table, Text, nice_step
from toolkit.network.overview.svg import to_svg
from toolkit.network.projects.organisations import Organisations
from toolkit.network.projects.registry import Registry

SVG = "{http://www.w3.org/2000/svg}"

ORGANISATIONS = """\
organisations:
  region-midtjylland: {da: Region Midtjylland, en: Central Denmark Region, lat: 56.45, lon: 9.40, regional: true}
  aarhus-universitetshospital: {da: Aarhus Universitetshospital, en: Aarhus University Hospital, lat: 56.19,
                                lon: 10.17, regional: true}
  rigshospitalet: {da: Rigshospitalet, en: Rigshospitalet, lat: 55.70, lon: 12.57}
  sundhedsdatastyrelsen: {da: Sundhedsdatastyrelsen, en: Danish Health Data Authority}
  odense-universitetshospital: {da: Odense Universitetshospital, en: Odense University Hospital, lat: 55.39,
                                lon: 10.37}
"""

# slug: (owner, phase, clinical area, start, end)
PROJECTS = {
    "a": ("region-midtjylland", "idea", "Radiologi", "2023-02-01", None),
    "b": ("region-midtjylland", "research", "radiologi", "2023-06-01", "2024-12-31"),
    "c": ("aarhus-universitetshospital", "research", "Kardiologi", "2024-01-01", "2026-06-30"),
    "d": ("rigshospitalet", "in-operation", "Radiologi", "2024-03-01", None),
    "e": ("sundhedsdatastyrelsen", "stopped", "", "2022-01-01", "2023-01-31"),
    "f": ("aarhus-universitetshospital", "operations-test", "Kardiologi", None, None),
}


def project_file(slug: str, owner: str, phase: str, area: str, start: str | None, end: str | None) -> str:
    lines = [f"title: Projekt {slug}", "summary: Et projekt til testene.", f"owner: {owner}", "contacts:",
             "  - name: Test Person", "    email: test@example.org", f"phase: {phase}",
             "regulatory:", "  status: not-medical-device"]
    if area:
        lines.append(f"clinical_area: {area}")
    if start:
        lines.append(f"start: {start}")
    if end:
        lines.append(f"end: {end}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    (tmp_path / "organisations.yaml").write_text(ORGANISATIONS, encoding="utf-8")
    (tmp_path / "projects").mkdir()
    for slug, fields in PROJECTS.items():
        (tmp_path / "projects" / f"{slug}.yaml").write_text(project_file(slug, *fields), encoding="utf-8")
    registry = Registry(tmp_path)
    assert registry.problems() == []
    return registry


def test_the_figures_of_a_known_registry(registry):
    numbers = figures(registry.all(), registry.organisations)
    assert numbers.total == 6
    assert [(c.key, c.count) for c in numbers.funnel] == [("idea", 1), ("research", 2), ("quality-development", 0),
                                                          ("operations-test", 1), ("in-operation", 1)]
    assert [c.key for c in numbers.funnel] == list(FUNNEL)
    assert (numbers.stopped.label, numbers.stopped.count) == ("Stoppet", 1)
    # "Radiologi" and "radiologi" are one area (as the browse filter has it), most first; no area is said
    assert [(c.label, c.count) for c in numbers.areas] == [("Radiologi", 3), ("Kardiologi", 2),
                                                           ("Intet klinisk område angivet", 1)]
    assert [(c.key, c.count) for c in numbers.owners] == [("aarhus-universitetshospital", 2),
                                                          ("region-midtjylland", 2), ("rigshospitalet", 1),
                                                          ("sundhedsdatastyrelsen", 1)]
    assert [(c.key, c.count) for c in numbers.scope] == [("regional", 4), ("national", 2)]
    assert [(y.year, y.started, y.ended, y.running) for y in numbers.years] == [
        (2022, 1, 0, 1), (2023, 2, 1, 3), (2024, 2, 1, 4), (2025, 0, 0, 3), (2026, 0, 1, 3)]
    assert numbers.undated == 1
    # every organisation with a location, also one without projects; none without a location
    assert {(p.id, p.count, p.regional) for p in numbers.places} == {
        ("region-midtjylland", 2, True), ("aarhus-universitetshospital", 2, True), ("rigshospitalet", 1, False),
        ("odense-universitetshospital", 0, False)}


def test_labels_in_english(registry):
    numbers = figures(registry.all(), registry.organisations, "en")
    assert numbers.funnel[0].label == "Idea"
    assert {c.key: c.label for c in numbers.owners}["sundhedsdatastyrelsen"] == "Danish Health Data Authority"
    assert numbers.scope[1].label == "Rest of the country"


def test_an_empty_registry_draws_every_chart(tmp_path):
    (tmp_path / "organisations.yaml").write_text(ORGANISATIONS, encoding="utf-8")
    registry = Registry(tmp_path)
    made = charts(figures(registry.all(), registry.organisations))
    assert len(made) == 6
    for chart in made:
        ET.fromstring(to_svg(chart))
    assert made[4].table.rows == ()  # no years without projects


def svg_of(chart) -> ET.Element:
    return ET.fromstring(to_svg(chart))


def test_every_chart_is_an_svg_image_with_its_title_and_a_table_of_the_same_numbers(registry):
    numbers = figures(registry.all(), registry.organisations)
    made = charts(numbers)
    assert [c.id for c in made] == ["faser", "omraader", "organisationer", "regionalt-nationalt", "tidslinje", "kort"]
    for chart in made:
        root = svg_of(chart)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{chart.id}-title"
        assert root.find(f"{SVG}title").text == chart.title
        assert root.find(f"{SVG}desc").text == chart.desc
        assert "style" not in to_svg(chart)  # the CSP allows no inline styles
        assert chart.table.rows, chart.id
    funnel = made[0]
    assert funnel.table.rows == (("Idé", 1), ("Forskning", 2), ("Kvalitetsudvikling", 0), ("Driftstest", 1),
                                 ("I drift", 1), ("Stoppet", 1))
    drawn = [t.text for t in funnel.shapes if isinstance(t, Text)]
    for label, count in funnel.table.rows:  # every bar says its phase and its number
        assert label in drawn and str(count) in drawn
    assert made[3].table.rows == (("Region Midtjylland", 4, "67 %"), ("Resten af landet", 2, "33 %"))
    assert made[4].table.rows == (("2022", 1, 0, 1), ("2023", 2, 1, 3), ("2024", 2, 1, 4), ("2025", 0, 0, 3),
                                  ("2026", 0, 1, 3))
    assert "Uden startdato og derfor ikke med: 1." in made[4].desc


def test_the_standalone_svg_is_a_file_of_its_own(registry):
    chart = charts(figures(registry.all(), registry.organisations))[0]
    text = to_svg(chart, standalone=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert ET.fromstring(text.split("?>", 1)[1]).get("aria-labelledby") == "faser-title faser-desc"


def test_text_from_the_files_is_escaped(tmp_path):
    (tmp_path / "organisations.yaml").write_text(ORGANISATIONS, encoding="utf-8")
    (tmp_path / "projects").mkdir()
    text = project_file("x", "rigshospitalet", "idea", "\"<script>alert(1)</script> & co\"", "2024-01-01", None)
    (tmp_path / "projects" / "x.yaml").write_text(text, encoding="utf-8")
    registry = Registry(tmp_path)
    chart = charts(figures(registry.all(), registry.organisations))[1]
    svg = to_svg(chart)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_the_map_has_a_dot_per_located_organisation_sized_by_its_projects(registry):
    numbers = figures(registry.all(), registry.organisations)
    chart = charts(numbers)[-1]
    dots = [s for s in chart.shapes if isinstance(s, Circle)]
    assert len(dots) == len(registry.organisations.located()) == 4
    texts = [s.text for s in chart.shapes if isinstance(s, Text)]
    for place in numbers.places:
        assert f"{place.label} ({place.count})" in texts
        x, y = project(place.lon, place.lat, chart.width)
        dot = next(d for d in dots if (round(d.cx, 3), round(d.cy, 3)) == (round(x, 3), round(y, 3)))
        assert dot.r == radius(place.count, 2)
    assert radius(0, 2) < radius(1, 2) < radius(2, 2)
    assert len([s for s in chart.shapes if isinstance(s, Polygon)]) == len(OUTLINE)
    assert chart.table.rows == (("Aarhus Universitetshospital", 2), ("Region Midtjylland", 2), ("Rigshospitalet", 1),
                                ("Odense Universitetshospital", 0))
    root = svg_of(chart)
    assert len(root.findall(f"{SVG}circle")) == 4
    assert [d.r for d in dots] == sorted((d.r for d in dots), reverse=True)  # a small dot is drawn over a big one


def test_every_bundled_organisation_has_a_location_inside_the_map(tmp_path):
    organisations = Organisations.load(BUNDLED_LIBRARY)
    assert organisations.problems == ()
    assert organisations.located() == list(organisations.entries.values())
    registry = Registry(BUNDLED_LIBRARY)
    chart = charts(figures(registry.all(), registry.organisations))[-1]
    for dot in (s for s in chart.shapes if isinstance(s, Circle)):
        assert 0 <= dot.cx <= chart.width and 0 <= dot.cy <= chart.height
    for text in (s for s in chart.shapes if isinstance(s, Text)):
        assert 0 <= text.y <= chart.height
    assert len([s for s in chart.shapes if isinstance(s, Circle)]) == len(organisations.entries)


def _island(lon: float, lat: float) -> str | None:
    """The outline's island a place lies on (an even-odd ray test), None at sea."""
    for name, ring in OUTLINE.items():
        edges = zip(ring, ring[1:] + ring[:1], strict=True)
        if sum((y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
               for (x1, y1), (x2, y2) in edges) % 2:
            return name
    return None


def test_the_outline_is_the_coastline_and_every_bundled_organisation_lies_on_land():
    points = [p for ring in OUTLINE.values() for p in ring]
    assert all(WEST < lon < EAST and SOUTH < lat < NORTH for lon, lat in points)
    assert {"Jylland", "Fyn", "Lolland", "Bornholm", "Mors", "Als", "Langeland", "Møn", "Samsø"} <= set(OUTLINE)
    places = {(10.39, 55.40): "Fyn", (9.92, 57.05): "Jylland", (10.58, 57.72): "Jylland", (10.88, 56.41): "Jylland",
              (14.71, 55.10): "Bornholm", (8.86, 56.79): "Mors", (12.57, 55.70): "Sjælland og Falster",
              (11.87, 54.77): "Sjælland og Falster"}  # Odense, Aalborg, Skagen, Grenaa, Rønne, Nykøbing M and F
    assert {place: _island(*place) for place in places} == places
    for sea in ((9.15, 56.95), (8.35, 56.65), (12.05, 55.75), (11.0, 55.35), (11.5, 56.3)):
        assert _island(*sea) is None  # the Limfjord (twice), Roskilde Fjord, the Great Belt, the Kattegat
    for organisation in Organisations.load(BUNDLED_LIBRARY).located():
        assert _island(organisation.lon, organisation.lat), organisation.id


def test_the_bundled_examples_fill_every_phase_and_both_scopes():
    registry = Registry(BUNDLED_LIBRARY)
    numbers = figures(registry.all(), registry.organisations)
    assert numbers.total >= 15
    assert all(c.count for c in numbers.funnel) and numbers.stopped.count
    assert all(c.count for c in numbers.scope)
    assert all(p.example for p in registry.all())


@pytest.mark.parametrize(("entry", "message"), [
    ("{da: X, en: X, lat: 12.5, lon: 55.7}", "are lat and lon swapped?"),
    ("{da: X, en: X, lat: 56.1}", "give both lat and lon"),
    ("{da: X, en: X, lat: 'nord', lon: 10}", "give both lat and lon"),
    ("{da: X, en: X, lat: 56.1, lon: 10.2, regional: ja}", "regional is true or false"),
    ("{da: X, en: X, lat: 56.1, lng: 10.2}", "unknown field 'lng'"),
])
def test_a_wrong_location_is_reported_with_its_line_and_the_entry_kept(tmp_path, entry, message):
    (tmp_path / "organisations.yaml").write_text(f"organisations:\n  a: {{da: A, en: A}}\n  ny-klinik: {entry}\n",
                                                 encoding="utf-8")
    organisations = Organisations.load(tmp_path)
    problem = next(p for p in organisations.problems if message in p.message)
    assert problem.message.startswith("ny-klinik:") and problem.line == 3 and problem.field == "organisations"
    assert "ny-klinik" in organisations and organisations.label("ny-klinik") == "X"  # its projects stay valid
    assert organisations.located() == [] or message == "regional is true or false"


def test_more_areas_than_fit_end_in_one_others_row(tmp_path):
    (tmp_path / "organisations.yaml").write_text(ORGANISATIONS, encoding="utf-8")
    (tmp_path / "projects").mkdir()
    for n in range(TOP_ROWS + 5):
        text = project_file(f"p{n}", "rigshospitalet", "idea", f"Område {n:02d}", "2024-01-01", None)
        (tmp_path / "projects" / f"p{n}.yaml").write_text(text, encoding="utf-8")
    registry = Registry(tmp_path)
    chart = charts(figures(registry.all(), registry.organisations))[1]
    assert len(chart.table.rows) == TOP_ROWS
    assert chart.table.rows[-1] == ("Andre (6)", 6)
    assert chart.table.keys[-1] == ""  # an "others" row leads nowhere
    assert sum(row[1] for row in chart.table.rows) == TOP_ROWS + 5


@pytest.mark.skipif(not png_available() and not os.environ.get("CI"),
                    reason="DejaVu Sans (fonts-dejavu-core) is not installed")  # under CI: fails
def test_the_png_is_the_same_picture_at_twice_the_size(registry):
    chart = charts(figures(registry.all(), registry.organisations))[0]
    image = Image.open(io.BytesIO(to_png(chart)))
    assert image.format == "PNG"
    assert image.size == (chart.width * 2, chart.height * 2)
    bar = next(s for s in chart.shapes if type(s).__name__ == "Rect")
    inside = image.getpixel((int((bar.x + bar.w / 2) * 2), int((bar.y + bar.h / 2) * 2)))
    assert "#{:02x}{:02x}{:02x}".format(*inside[:3]) == bar.fill  # the bar is where the scene says, in its colour


@pytest.mark.skipif(not png_available() and not os.environ.get("CI"),
                    reason="DejaVu Sans (fonts-dejavu-core) is not installed")  # under CI: fails
def test_a_bar_thinner_than_a_pixel_is_still_drawn():
    chart = Chart("x", "X", "X", 100, 50, Table(("a",), ()), (Rect(10, 10, 20, 0.1), Rect(10, 20, 0.2, 10)))
    assert Image.open(io.BytesIO(to_png(chart))).size == (200, 100)


def test_grid_steps_are_round():
    assert [nice_step(n) for n in (1, 4, 9, 13, 40, 130, 999)] == [1, 1, 5, 5, 10, 50, 500]
    assert all(re.fullmatch(r"[125]0*", str(nice_step(n))) for n in range(1, 2000, 7))
