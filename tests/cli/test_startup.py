"""Start-up: each command imports what it uses and nothing else (issue 21), and `netkit --help` stays readable.

The commands run in real processes (the import set of a fresh interpreter is what a user pays for), against the
bundled library and against a real instance. These are tests of the import set, never of time:
bench/bench_cli.py measures the time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.test_architecture import HEAVY
from toolkit.cli import main
from toolkit.config import BUNDLED_TEMPLATES, SETTINGS
from toolkit.history.instance import Instance
from toolkit.history.workflow import TRANSITIONS
from toolkit.people.accounts import ROLES

# Runs `netkit ARGS…` in this interpreter and writes the exit code and every imported module's name to OUT.
PROBE = """
import json, sys
out = sys.argv.pop(1)
from toolkit.cli import main
code = 0
try:
    main(sys.argv[1:], prog_name="netkit")
except SystemExit as exit:
    code = exit.code or 0
with open(out, "w") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""
# What `netkit --help` may import of the core: the settings, the errors and the project registry's vocabulary
# (plain data, for the options' help texts). Every other module is imported by the command that uses it.
CORE_FOR_HELP = {"toolkit", "toolkit.config", "toolkit.errors", "toolkit.network", "toolkit.network.projects",
                 "toolkit.network.projects.model"}
EXAMPLE = BUNDLED_TEMPLATES / "ce-maerkning-tjekliste" / "example.yaml"


@pytest.fixture(scope="module")
def instance_home(tmp_path_factory) -> Path:
    """A real instance of the bundled library and templates, shared by the tests here (creating it takes a while)."""
    home = tmp_path_factory.mktemp("startup") / "instance"
    Instance.create(home)
    return home


def netkit(args: list[str], home: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run a command in a fresh interpreter; its result and the modules it imported."""
    out = tmp_path / "modules.json"
    env = {name: value for name, value in os.environ.items() if not name.startswith("NETKIT_")}
    env["NETKIT_HOME"] = str(home)
    result = subprocess.run([sys.executable, "-c", PROBE, str(out), *args], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=120)
    probe = json.loads(out.read_text())
    assert probe["code"] == 0, result.stderr
    return result, set(probe["modules"])


def heavy_in(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules} & set(HEAVY)


@pytest.mark.parametrize(("args", "printed"), [(["--help"], r"^Usage: netkit \[OPTIONS\] COMMAND"),
                                               (["list"], r"^adgang-til-data +guide "),
                                               (["show", "adgang-til-data"], r"^Slug: +adgang-til-data$")],
                         ids=["--help", "list", "show"])
@pytest.mark.parametrize("where", ["bundled library", "instance"])
def test_help_list_and_show_import_none_of_the_heavy_libraries(args, printed, where, instance_home, tmp_path):
    home = instance_home if where == "instance" else tmp_path / "no-instance"
    result, modules = netkit(args, home, tmp_path)
    assert heavy_in(modules) == set()
    assert re.search(printed, result.stdout, re.MULTILINE)  # it did its work: the help, the list, the material


def test_help_imports_nothing_of_the_core_but_the_settings_and_plain_vocabularies(tmp_path):
    _, modules = netkit(["--help"], tmp_path / "no-instance", tmp_path)
    core = {name for name in modules if name.startswith("toolkit") and not name.startswith("toolkit.cli")}
    assert core <= CORE_FOR_HELP, sorted(core - CORE_FOR_HELP)
    assert "logging" not in modules  # set up only when a command runs


def test_search_imports_the_search_but_not_word_spreadsheets_or_the_web(instance_home, tmp_path):
    result, modules = netkit(["search", "adgang", "til", "data"], instance_home, tmp_path)
    assert {"whoosh", "numpy"} <= heavy_in(modules)
    assert heavy_in(modules) == {"whoosh", "numpy"}
    assert "resultat(er)" in result.stdout


def test_generate_imports_docxtpl_but_not_the_search_or_the_history(instance_home, tmp_path):
    target = tmp_path / "tjekliste.docx"
    result, modules = netkit(["generate", "ce-maerkning-tjekliste", "--answers", str(EXAMPLE), "-o", str(target)],
                             instance_home, tmp_path)
    assert result.stdout.strip() == f"wrote {target}"
    assert target.read_bytes()[:2] == b"PK"  # a real .docx
    assert {"docxtpl", "docx"} <= heavy_in(modules)
    assert heavy_in(modules) - {"docxtpl", "docx", "PIL"} == set()
    # The instance's templates are found from its layout, without opening it (toolkit.history.layout).
    assert "toolkit.history.instance" not in modules
    assert not any(name.startswith("toolkit.search") for name in modules)


def test_the_settings_in_help_are_one_line_each_in_the_declared_order():
    result = CliRunner().invoke(main, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    rows = [next(i for i, line in enumerate(lines) if line.split()[:1] == [spec.env]) for spec in SETTINGS]
    assert rows == list(range(rows[0], rows[0] + len(SETTINGS)))  # one line each, in order, nothing between
    for row, spec in zip(rows, SETTINGS, strict=True):
        assert lines[row].rstrip().endswith(spec.help)  # not rewrapped, however long
    assert lines[rows[0] - 2].strip() == "Environment variables:"
    assert "\b" not in result.output  # click's no-rewrap marker is not printed


def _plain_choice_error(values: list[str] | tuple[str, ...], *args: str) -> str:
    """The usage error click gives for a plain click.Choice of the same values (how the commands behaved before)."""

    @click.command()
    @click.argument("value", type=click.Choice(values))
    def plain(value: str) -> None: ...

    return CliRunner().invoke(plain, list(args)).output.splitlines()[-1]


def test_choices_read_lazily_refuse_and_list_like_a_plain_choice(tmp_path):
    runner = CliRunner()
    status = runner.invoke(main, ["status", "adgang-til-data", "bogus"])
    assert status.exit_code == 2
    assert status.output.splitlines()[-1] == _plain_choice_error(sorted(TRANSITIONS), "bogus")
    role = runner.invoke(main, ["user", "add", "ane", "--role", "boss"])
    assert role.exit_code == 2
    assert role.output.splitlines()[-1].endswith(_plain_choice_error(ROLES, "boss").rsplit("': ", 1)[1])
    assert f"--role [{'|'.join(ROLES)}]" in runner.invoke(main, ["user", "add", "--help"]).output


def test_python_dash_m_runs_the_command_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "toolkit.cli", "--version"], capture_output=True, text=True,
                            cwd=tmp_path, check=True)
    assert result.stdout.strip() == "netkit, version 0.1.0"
