import json

import pytest

from tests.conftest import VALID_FRONT
from toolkit.cli import main


def run(runner, library_path, *args, env=None):
    return runner.invoke(main, ["--library", str(library_path), *args], env=env)


def test_list_prints_every_material(runner, library_path):
    result = run(runner, library_path, "list")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split()[:2] == ["samtykke-playbook", "playbook"]
    assert "Adgang til data (testudgave)" in result.output


def test_list_filters_and_json(runner, library_path):
    result = run(runner, library_path, "list", "--kind", "guide", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [item["slug"] for item in data] == ["adgang-til-data"]
    assert data[0]["topics"] == ["data-access", "law"]


def test_list_with_unknown_kind_is_misuse(runner, library_path):
    result = run(runner, library_path, "list", "--kind", "poem")
    assert result.exit_code == 2
    assert "'poem' is unknown; allowed: playbook, guide" in result.output


def test_show_prints_fields_and_text(runner, library_path):
    result = run(runner, library_path, "show", "adgang-til-data")
    assert result.exit_code == 0
    assert result.output.startswith("Adgang til data (testudgave)\n")
    assert "Type:          Vejledning" in result.output
    assert "## Forskning" in result.output


def test_show_lists_the_questions_after_the_text(runner, library_path):
    path = library_path / "adgang-til-data.md"
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\nquestions: [hvem giver lov til data]\n---\n",
                                                             1), encoding="utf-8")
    result = run(runner, library_path, "show", "adgang-til-data")
    assert result.exit_code == 0
    assert result.output.endswith("\n\nSpørgsmål, materialet besvarer:\n- hvem giver lov til data\n")


def test_show_html_is_sanitised_html(runner, library_path):
    result = run(runner, library_path, "show", "adgang-til-data", "--html")
    assert result.exit_code == 0
    assert '<a class="wikilink" href="/m/samtykke-playbook/"' in result.output


def test_show_unknown_slug_fails_with_a_suggestion(runner, library_path):
    result = run(runner, library_path, "show", "adgang-til-date")
    assert result.exit_code == 1
    assert "no material 'adgang-til-date'; did you mean 'adgang-til-data'?" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("slug", ["../taxonomy", "Adgang"])
def test_show_path_like_slug_is_misuse(runner, library_path, slug):
    result = run(runner, library_path, "show", slug)
    assert result.exit_code == 2
    assert "not a valid slug" in result.output


def test_check_clean_library_exits_0(runner, library_path):
    result = run(runner, library_path, "check")
    assert result.exit_code == 0
    assert "OK: 3 materials" in result.output


def test_check_reports_each_problem_and_exits_1(runner, library_path, write_material):
    write_material("doed", "Se [[ingenting]].\n")
    (library_path / "samtykke-playbook.md").write_text(
        (library_path / "samtykke-playbook.md").read_text(encoding="utf-8").replace("kind: playbook", "kind: poem"),
        encoding="utf-8")
    result = run(runner, library_path, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "library/doed.md:13: link: [[ingenting]] links to no material; check the slug " \
           "(the file name without .md)" in lines
    expected = "library/samtykke-playbook.md:3: kind: 'poem' is not in the vocabulary"
    assert any(line.startswith(expected) for line in lines)
    assert "problem(s) in" in lines[-1]
    assert "Traceback" not in result.output


def test_check_a_path_argument_and_a_single_file(runner, library_path, write_material, tmp_path):
    bad = write_material("doed", "Se [[ingenting]].\n")
    assert runner.invoke(main, ["check", str(library_path)]).exit_code == 1
    only_good = runner.invoke(main, ["check", str(library_path / "adgang-til-data.md")])
    assert only_good.exit_code == 0, only_good.output
    only_bad = runner.invoke(main, ["check", str(bad)])
    assert only_bad.exit_code == 1 and "doed.md" in only_bad.output


def test_check_broken_taxonomy_exits_1(runner, library_path):
    (library_path / "taxonomy.yaml").write_text("kinds: [\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(library_path)])
    assert result.exit_code == 1
    assert "taxonomy.yaml:" in result.output and "not valid YAML" in result.output


def test_check_misuse_exits_2(runner, tmp_path):
    assert runner.invoke(main, ["check", str(tmp_path / "nowhere")]).exit_code == 2
    stray = tmp_path / "stray.md"
    stray.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["check", str(stray)])
    assert result.exit_code == 2 and "not inside a library folder" in result.output


def test_library_option_without_taxonomy_is_misuse(runner, tmp_path):
    result = runner.invoke(main, ["--library", str(tmp_path), "list"])
    assert result.exit_code == 2
    assert "holds no taxonomy.yaml" in result.output


def test_library_from_environment(runner, library_path):
    result = runner.invoke(main, ["list", "--json"], env={"NETKIT_LIBRARY": str(library_path)})
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == 3


def test_broken_library_note_on_list(runner, library_path, write_material):
    write_material("doed", "Se [[ingenting]].\n")
    result = run(runner, library_path, "list")
    assert result.exit_code == 0
    assert "the library has 1 problem(s); run `netkit check`" in result.output


def test_invalid_environment_setting_is_a_clear_error(runner):
    result = runner.invoke(main, ["list"], env={"NETKIT_PORT": "many"})
    assert result.exit_code == 1
    assert "NETKIT_PORT: port: 'many' is not a whole number" in result.output


@pytest.mark.parametrize("command", ["list", "show", "check", "serve"])
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: netkit" in result.output


def test_bundled_library_checks_clean(runner):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output


# -- freshness warnings (toolkit.library.freshness) ---------------------------------------------------------

OLD_REVIEW = VALID_FRONT.format(title="Gammel vejledning").replace(
    "updated: 2026-01-01\n", "updated: 2019-06-01\nreviewed: 2019-06\nreview_by: 2020-01\n")


def test_check_with_only_warnings_exits_0_and_prints_them_on_stdout(runner, library_path, write_material):
    write_material("gammel", "Indledning.\n\nReglen gælder (tjekket januar 2020).\n", front=OLD_REVIEW)
    result = runner.invoke(main, ["--library", str(library_path), "check"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "library/gammel.md:13: warning: review_by: the review was due 2020-01; have the content reviewed by " \
           "an expert, then set reviewed to that month and review_by to the next" in lines
    marker = next(line for line in lines if "'tjekket januar 2020'" in line)
    assert marker.startswith("library/gammel.md:17: warning: tjekket: 'tjekket januar 2020' is ")
    # the test library's own materials have no review months: warned, not failed
    assert any(line.startswith("library/adgang-til-data.md:") and "warning: reviewed: no reviewed or review_by"
               in line for line in lines)
    assert all(": warning: " in line for line in lines)
    assert "OK: 4 materials" in result.stderr and "no problems; 5 warning(s)" in result.stderr


def test_check_with_problems_and_warnings_exits_1_and_lists_both(runner, library_path, write_material):
    write_material("gammel", "Tekst.\n", front=OLD_REVIEW)
    write_material("doed", "Se [[ingenting]].\n")
    result = runner.invoke(main, ["--library", str(library_path), "check"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("library/doed.md:13: link: [[ingenting]] links to no material") for line in lines)
    assert any(line.startswith("library/gammel.md:13: warning: review_by: the review was due 2020-01")
               for line in lines)
    assert result.stderr.strip() == "1 problem(s) in 1 file(s); 5 warning(s)"


def test_check_of_one_file_shows_only_its_warnings(runner, library_path, write_material):
    path = write_material("gammel", "Tekst.\n", front=OLD_REVIEW)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert [line.split(": warning: ")[0] for line in result.stdout.splitlines()] == ["library/gammel.md:13"]
    assert "OK: gammel.md, no problems; 1 warning(s)" in result.stderr
