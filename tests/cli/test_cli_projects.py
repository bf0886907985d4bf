"""`netkit projects list|show|export` on the bundled library, and project problems in `netkit check`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY
from toolkit.network.projects.export import HEADERS, rows
from toolkit.network.projects.filters import ProjectFilters, filter_projects
from toolkit.network.projects.registry import Registry

BUNDLED = ["--library", str(BUNDLED_LIBRARY)]


def test_list_with_filters_and_json(runner):
    result = runner.invoke(main, [*BUNDLED, "projects", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 16 and all("(eksempel)" in line for line in lines)
    assert lines[-1].startswith("sepsis-tidlig-varsling") and "operations-test" in lines[-1]
    data = json.loads(runner.invoke(main, [*BUNDLED, "projects", "list", "--owner", "region-midtjylland",
                                           "--regulatory", "under-assessment", "--json"]).output)
    assert [p["slug"] for p in data] == ["genindlaeggelse-risiko", "tryksaarsrisiko"]
    assert data[0]["contacts"][0] == {"name": "Lars Eksempel Madsen", "email": "lars.madsen@example.org",
                                      "role": "Projektejer"}
    assert data[0]["start"] == "2025-03-01" and data[0]["regulatory"] == {"status": "under-assessment",
                                                                          "class": None}
    area = runner.invoke(main, [*BUNDLED, "projects", "list", "--area", "radiologi"])
    assert area.output.split()[0] == "triage-af-thoraxroentgen"


def test_unknown_filter_values_are_misuse(runner):
    result = runner.invoke(main, [*BUNDLED, "projects", "list", "--phase", "reserch"])
    assert result.exit_code == 2 and "allowed: idea, research" in result.output
    result = runner.invoke(main, [*BUNDLED, "projects", "list", "--owner", "andet-firma"])
    assert result.exit_code == 2 and "region-midtjylland" in result.output
    result = runner.invoke(main, [*BUNDLED, "projects", "export", "--format", "csv", "-o", "x.csv", "--area", "Hud"])
    assert result.exit_code == 2 and "in use: Akutmedicin" in result.output


def test_show_one_project(runner):
    result = runner.invoke(main, [*BUNDLED, "projects", "show", "triage-af-thoraxroentgen"])
    assert result.exit_code == 0, result.output
    for text in ("AI-triage af røntgenbilleder af thorax (eksempel)", "Regionshospitalet Gødstrup, Billeddiagnostisk",
                 "Fase:           I drift", "CE-mærket, klasse IIa", "anne.kristensen@example.org",
                 "https://www.example.org/thorax-triage", "Ventetiden på beskrivelse"):
        assert text in result.output, text
    missing = runner.invoke(main, [*BUNDLED, "projects", "show", "sepsis-varsling"])
    assert missing.exit_code == 1 and "no project 'sepsis-varsling'" in missing.output
    assert runner.invoke(main, [*BUNDLED, "projects", "show", "../x"]).exit_code == 2


def test_export_csv_and_xlsx_read_back(runner, tmp_path: Path):
    registry = Registry(BUNDLED_LIBRARY)
    expected = rows(filter_projects(registry.all(), ProjectFilters(phase="in-operation")), registry.organisations)
    target = tmp_path / "projekter.csv"
    result = runner.invoke(main, [*BUNDLED, "projects", "export", "--format", "csv", "-o", str(target),
                                  "--phase", "in-operation"])
    assert result.exit_code == 0 and "3 project(s)" in result.output
    read = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert tuple(read[0]) == HEADERS
    assert read[1:] == [[v.isoformat() if isinstance(v, dt.date) else (v or "") for v in row] for row in expected]
    sheet_file = tmp_path / "alle.xlsx"
    assert runner.invoke(main, [*BUNDLED, "projects", "export", "--format", "xlsx", "-o", str(sheet_file)]
                         ).exit_code == 0
    sheet = openpyxl.load_workbook(sheet_file).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    everything = rows(registry.all(), registry.organisations)
    assert [[v.date() if isinstance(v, dt.datetime) else (v or "") for v in row] for row in values[1:]] == \
        [[v if v is not None else "" for v in row] for row in everything]
    nowhere = runner.invoke(main, [*BUNDLED, "projects", "export", "--format", "csv", "-o",
                                   str(tmp_path / "mangler" / "x.csv")])
    assert nowhere.exit_code == 2 and not (tmp_path / "mangler").exists()


def test_check_reports_project_problems_with_their_lines(runner, tmp_path: Path):
    library = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, library)
    path = library / "projects" / "tryksaarsrisiko.yaml"
    text = path.read_text(encoding="utf-8").replace("phase: idea", "phase: ide").replace(
        "hanne.poulsen@example.org", "hanne.poulsen(at)example.org")
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["--library", str(library), "check"])
    assert result.exit_code == 1
    phase_line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("phase:"))
    assert f"library/projects/tryksaarsrisiko.yaml:{phase_line}: phase: 'ide' is not a phase" in result.output
    assert "not a valid e-mail address" in result.output
    one = runner.invoke(main, ["--library", str(library), "check", str(path)])
    assert one.exit_code == 1 and "tryksaarsrisiko.yaml" in one.output
    listed = runner.invoke(main, ["--library", str(library), "projects", "list"])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 15  # the broken one is left out
    assert "2 problem(s); run `netkit check`" in listed.stderr
    assert runner.invoke(main, [*BUNDLED, "check"]).exit_code == 0
