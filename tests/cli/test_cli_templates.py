"""`netkit generate` and `netkit templates …` through click's runner: output files, exit codes, messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from tests.helpers.docxmaker import make_docx
from toolkit.cli import main
from toolkit.config import BUNDLED_TEMPLATES

CE = "ce-maerkning-tjekliste"
CE_EXAMPLE = str(BUNDLED_TEMPLATES / CE / "example.yaml")


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_generate_writes_the_document(runner, tmp_path):
    out = tmp_path / "tjekliste.docx"
    result = run(runner, "generate", CE, "--answers", CE_EXAMPLE, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "SepsisVarsel" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_generate_explain_prints_the_derived_facts(runner):
    result = run(runner, "generate", CE, "--answers", CE_EXAMPLE, "--explain")
    assert result.exit_code == 0
    facts = json.loads(result.output)
    assert facts["mdr_class"] == "IIb" and facts["notified_body"] is True and facts["iec62304_class"] == "C"


def test_invalid_answers_exit_1_naming_fields_and_leave_no_file(runner, tmp_path):
    answers = tmp_path / "svar.yaml"
    answers.write_text("product_name: X\nfunction: sometimes\nvital_parameters: true\nfoo: 1\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = run(runner, "generate", CE, "--answers", str(answers), "-o", str(out))
    assert result.exit_code == 1
    assert "function: no such question" in result.output  # an answer of version 1 the form cannot read
    assert "vital_parameters: does not apply" in result.output
    assert "foo: no such question" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [answers]


def test_a_malformed_answers_file_names_the_line(runner, tmp_path):
    answers = tmp_path / "svar.yaml"
    answers.write_text("product_name: [unclosed\nmanufacturer: x\n", encoding="utf-8")
    result = run(runner, "generate", CE, "--answers", str(answers), "-o", str(tmp_path / "o.docx"))
    assert result.exit_code == 1
    assert f"{answers}:" in result.output and "not valid YAML" in result.output


@pytest.mark.parametrize("args", [
    ["generate", CE],                                              # neither --answers nor --interactive
    ["generate", CE, "--answers", CE_EXAMPLE, "--interactive"],    # both
    ["generate", CE, "--answers", "/nonexistent.yaml"],
    ["generate", CE, "--answers", CE_EXAMPLE, "-o", "out.pdf"],
    ["templates", "scaffold", "/nonexistent.docx", "--name", "x"],
])
def test_misuse_exits_2(runner, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert not list(tmp_path.glob("*.docx"))


def test_unknown_template_suggests_a_close_name(runner):
    result = run(runner, "generate", "ce-maerkning", "--answers", CE_EXAMPLE, "--explain")
    assert result.exit_code == 1
    assert "did you mean 'ce-maerkning-tjekliste'" in result.output


def test_a_template_name_with_a_path_is_refused(runner):
    result = run(runner, "templates", "show", "../library")
    assert result.exit_code == 2 and "not a template name" in result.output


def test_interactive_mode_asks_only_questions_that_apply(runner, tmp_path):
    out = tmp_path / "i.docx"
    saved = tmp_path / "svar.yaml"
    lines = ["Mit produkt", "Firma ApS", "2", "Et formål", "", "",  # texts (the textarea ends with an empty line)
             "ja", "ja", "ja", "ja", "nej", "nej",  # is_software … ivd (no IVD purpose), drives_device (no class)
             "nej",                                 # informs_decisions: not worst_impact
             "ja", "ja",                            # monitors_physiology, vital_parameters
             "ved ikke",                            # contraception: left open
             "ja", "nej", "ja", "3", "ja", ""]      # clinical_use, in_house_only (no equivalent asked), uses_ai,
    #                                                 worst_harm, personal_data, large_scale (Enter: unanswered)
    result = run(runner, "generate", CE, "--interactive", "-o", str(out), "--save-answers", str(saved),
                 input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Det styrede udstyrs klasse" not in result.output
    assert "Hvad er det værste, en beslutning" not in result.output
    assert "vitale parametre" in result.output and "[ja/nej/ved ikke]" in result.output
    assert out.is_file()
    explained = json.loads(run(runner, "generate", CE, "--answers", str(saved), "--explain").output)
    # Rule 11(b) gives IIb whatever the open question on contraception would add (Rule 15: IIb too).
    assert explained["device_class"] == "IIb" and explained["iec62304_class"] == "C"
    assert explained["dpia_required"] is True  # AI on personal data: decided without the scale
    assert "contraception" not in explained["undetermined"].get("device_class", [])


def test_interactive_mode_asks_again_until_an_answer_is_valid(runner, tmp_path):
    templates = tmp_path / "templates"
    folder = templates / "tal"
    folder.mkdir(parents=True)
    make_docx(folder / "template.docx", ["{{ count }} {% for m in members %}{{ m.name }}{% endfor %}"])
    (folder / "form.yaml").write_text(
        "title: Tal\ndescription: Tal.\nversion: 1.0.0\nsections:\n  - id: a\n    title: A\n    questions:\n"
        "      - {id: count, type: number, label: Antal, min: 1, required: true}\n"
        "      - {id: members, type: group, label: Medlemmer, item_label: Medlem, fields: "
        "[{id: name, type: text, label: Navn, required: true}]}\n", encoding="utf-8")
    (folder / "example.yaml").write_text("count: 2\n", encoding="utf-8")
    home = tmp_path / "home"
    shutil.copytree(templates, home / "content" / "templates")
    (home / "content" / ".git").mkdir(parents=True)
    out = tmp_path / "tal.docx"
    result = run(runner, "--home", str(home), "generate", "tal", "--interactive", "-o", str(out),
                 input="nul\n0\n3\ny\nAne\ny\nBo\nn\n")
    assert result.exit_code == 0, result.output
    assert "must be a number" in result.output and "must be at least 1" in result.output
    assert Document(str(out)).paragraphs[0].text == "3 AneBo"


def test_templates_list_show_and_check(runner):
    listed = run(runner, "templates", "list", "--json")
    names = [t["name"] for t in json.loads(listed.output)]
    assert CE in names and "samtykkeerklaering" in names
    shown = run(runner, "templates", "show", CE)
    assert "device_class" in shown.output and "hvis drives_device" in shown.output
    checked = run(runner, "templates", "check")
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("(example renders)") == len(names)


def test_templates_check_fails_with_exit_1_on_a_broken_package(runner, tmp_path):
    folder = tmp_path / "brudt"
    folder.mkdir()
    make_docx(folder / "template.docx", ["{{ unknown_name }}", "{{ title }"])
    (folder / "form.yaml").write_text("title: B\ndescription: B.\nversion: 1\nsections: []\n", encoding="utf-8")
    (folder / "example.yaml").write_text("{}\n", encoding="utf-8")
    result = run(runner, "templates", "check", str(folder))
    assert result.exit_code == 1
    assert "version" in result.output and "needs a list of sections" in result.output


def test_templates_check_on_a_bare_docx_and_fix(runner, tmp_path):
    path = make_docx(tmp_path / "x.docx", ["{{ name|default(“-”) }}"])
    assert run(runner, "templates", "check", str(path)).exit_code == 1
    fixed = run(runner, "templates", "check", str(path), "--fix")
    assert fixed.exit_code == 0 and "fixed" in fixed.output


def test_scaffold_command_makes_a_package_that_checks(runner, tmp_path):
    path = make_docx(tmp_path / "skema.docx", ["Hej {{ name }}", "{%p if ok %}", "OK", "{%p endif %}"])
    result = run(runner, "templates", "scaffold", str(path), "--name", "mit-skema", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (Path(tmp_path) / "mit-skema" / "form.yaml").is_file()
    assert "example renders" in result.output


def test_pdf_without_libreoffice_exits_1_and_writes_nothing(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("NETKIT_SOFFICE", str(tmp_path / "no-soffice"))
    out = tmp_path / "x.docx"
    result = run(runner, "generate", CE, "--answers", CE_EXAMPLE, "-o", str(out), "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice" in result.output and "libreoffice-writer-nogui" in result.output
    assert list(tmp_path.iterdir()) == []


def test_generated_document_properties(runner, tmp_path):
    out = tmp_path / "p.docx"
    run(runner, "generate", CE, "--answers", CE_EXAMPLE, "-o", str(out))
    properties = Document(str(out)).core_properties
    assert properties.title == "CE-mærkning – tjekliste for SepsisVarsel"
    assert properties.subject.startswith("Besvar spørgsmålene")
    assert properties.created is not None and properties.created.year >= 2026
    assert properties.version == "2.0.0" and properties.author == "Netkit"


def test_templates_show_rules_prints_the_rules_for_review(runner):
    result = run(runner, "templates", "show", CE, "--rules")
    assert result.exit_code == 0, result.output
    for words in ("Afledte fakta, i rækkefølge", "device_class — Klasse", "· hvis mdr_class == 'III' and rule22_class",
                  "[MDR bilag VIII, regel 22 og 3.5;", "Modstridende svar (afvises)", "in-house-a:",
                  "udelades, hvis det ikke kan afgøres", "Svar fra en ældre udgave", "informs_decisions — spørgsmål"):
        assert words in result.output, words
    no_rules = run(runner, "templates", "show", "samtykkeerklaering", "--rules")
    assert no_rules.exit_code == 1 and "has no rules" in no_rules.output and "Traceback" not in no_rules.output
