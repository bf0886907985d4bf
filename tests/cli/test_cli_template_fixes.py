"""`netkit templates check` past a bad package, `generate` from a package folder, output files that follow the umask,
answers files with lists and numbers, and scaffold's renaming — through click's runner with real files."""

from __future__ import annotations

import io
import os
import stat

import pytest
from docx import Document

from tests.helpers.docxmaker import make_docx, write_package
from toolkit.cli import main

FORM = """\
title: Liste
description: Kompetencer.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: skills, type: list, label: Kompetencer, required: true}
      - {id: hours, type: number, integer: true, label: Timer}
"""
BLOCKS = ["{% for s in skills %}{{ s }};{% endfor %}", "Timer: {{ hours }}"]


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_check_reports_a_bad_package_and_still_checks_the_others(runner, isolated_home):
    templates = isolated_home / "content" / "templates"
    write_package(templates, "a-god", BLOCKS, FORM, "skills: [Python]\n")
    write_package(templates, "b-daarlig", BLOCKS, FORM.replace("type: list", "type: lisst"), "skills: [x]\n")
    write_package(templates, "c-god", BLOCKS, FORM, "skills: [SQL]\nhours: 3\n")
    result = run(runner, "templates", "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("ok      a-god")
    assert lines[1].startswith("FAILED  b-daarlig: 1 problem(s)")
    assert "unknown type 'lisst'; did you mean 'list'?" in result.output
    assert any(line.startswith("ok      c-god") for line in lines)


def test_generate_takes_a_package_folder_and_an_answers_file_with_a_list(runner, tmp_path, umask_022):
    folder = write_package(tmp_path, "liste", BLOCKS, FORM, "skills: [Python]\n")
    answers = tmp_path / "svar.yaml"
    answers.write_text("skills:\n  - Python\n  - SQL\nhours: '2,0'\n", encoding="utf-8")
    out = tmp_path / "ud.docx"
    result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs] == ["Python;SQL;", "Timer: 2"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # like `netkit export`, not a temporary file's 0600


def test_output_follows_a_stricter_umask_too(runner, tmp_path):
    folder = write_package(tmp_path, "liste", BLOCKS, FORM, "skills: [Python]\n")
    answers = tmp_path / "svar.yaml"
    answers.write_text("skills: Python\n", encoding="utf-8")
    previous = os.umask(0o077)
    try:
        result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(tmp_path / "p.docx"))
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "p.docx").stat().st_mode) == 0o600


def test_a_control_character_in_the_answers_file_is_refused_by_field(runner, tmp_path):
    folder = write_package(tmp_path, "liste", BLOCKS, FORM, "skills: [Python]\n")
    answers = tmp_path / "svar.yaml"
    answers.write_text('skills: ["ok", "a\\vb"]\n', encoding="utf-8")
    out = tmp_path / "ud.docx"
    result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(out))
    assert result.exit_code == 1
    assert "skills: entry 2: contains a control character (U+000B)" in result.output
    assert not out.exists()


def test_scaffold_renames_names_and_writes_a_package_that_checks(runner, tmp_path):
    source = make_docx(tmp_path / "cv.docx", ["{{ FullName }}", "{% for s in Skills %}{{ s }}{% endfor %}"])
    result = run(runner, "templates", "scaffold", str(source), "--name", "cv", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "renamed FullName → full_name in the tags" in result.output
    assert "renamed Skills → skills in the tags" in result.output
    assert "ok: the example renders" in result.output
    assert run(runner, "templates", "check", str(tmp_path / "cv")).exit_code == 0


def test_scaffold_refuses_a_sandbox_name_without_a_traceback(runner, tmp_path):
    source = make_docx(tmp_path / "x.docx", ["{{ __class__ }}"])
    result = run(runner, "templates", "scaffold", str(source), "--name", "x", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert "'__class__' starts with _: the sandbox refuses such names" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x").exists()


def test_interactive_mode_asks_a_list_one_value_per_line(runner, tmp_path):
    folder = write_package(tmp_path, "liste", BLOCKS, FORM, "skills: [Python]\n")
    out = tmp_path / "i.docx"
    result = runner.invoke(main, ["generate", str(folder), "--interactive", "-o", str(out)],
                           input="Python\nSQL\n\n4\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "én værdi pr. linje" in result.output
    assert [p.text for p in Document(str(out)).paragraphs] == ["Python;SQL;", "Timer: 4"]


def test_show_names_a_list_of_numbers_and_whole_numbers(runner, isolated_home):
    write_package(isolated_home / "content" / "templates", "liste", BLOCKS,
                  FORM.replace("label: Kompetencer,", "items: number, label: Kompetencer,"), "skills: [1]\n")
    result = run(runner, "templates", "show", "liste")
    assert result.exit_code == 0, result.output
    assert "skills: Kompetencer (list af tal; påkrævet)" in result.output
    assert "hours: Timer (number (hele tal))" in result.output


IMAGE_FORM = FORM.replace("      - {id: hours",
                          "      - {id: logo, type: image, label: Logo, width_mm: 25}\n      - {id: hours")
IMAGE_BLOCKS = [*BLOCKS, "Logo: {{ logo }}"]


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (30, 10), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_an_image_answer_is_a_path_next_to_the_answers_file(runner, tmp_path):
    folder = write_package(tmp_path, "logo", IMAGE_BLOCKS, IMAGE_FORM, "skills: [x]\nlogo: eksempel.png\n")
    (folder / "eksempel.png").write_bytes(png_bytes())
    assert run(runner, "templates", "check", str(folder)).exit_code == 0  # the example's picture is in the package
    (tmp_path / "svar").mkdir()
    (tmp_path / "svar" / "logo.png").write_bytes(png_bytes())
    answers = tmp_path / "svar" / "svar.yaml"
    answers.write_text("skills: [Python]\nlogo: logo.png\n", encoding="utf-8")
    out = tmp_path / "ud.docx"
    result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [round(shape.width.mm) for shape in Document(str(out)).inline_shapes] == [25]


def test_a_missing_or_wrong_image_file_is_named_by_field(runner, tmp_path):
    folder = write_package(tmp_path, "logo", IMAGE_BLOCKS, IMAGE_FORM, "skills: [x]\n")
    answers = tmp_path / "svar.yaml"
    answers.write_text("skills: [Python]\nlogo: findes-ikke.png\n", encoding="utf-8")
    result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(tmp_path / "ud.docx"))
    assert result.exit_code == 1 and "logo: no such file:" in result.output and "findes-ikke.png" in result.output
    (tmp_path / "tekst.png").write_text("ikke et billede", encoding="utf-8")
    answers.write_text("skills: [Python]\nlogo: tekst.png\n", encoding="utf-8")
    result = run(runner, "generate", str(folder), "--answers", str(answers), "-o", str(tmp_path / "ud.docx"))
    assert result.exit_code == 1 and "logo: must be a PNG or JPEG image" in result.output
    assert not (tmp_path / "ud.docx").exists()


def test_an_example_picture_outside_the_package_is_refused(runner, tmp_path):
    (tmp_path / "udenfor.png").write_bytes(png_bytes())
    folder = write_package(tmp_path, "logo", IMAGE_BLOCKS, IMAGE_FORM, "skills: [x]\nlogo: ../udenfor.png\n")
    result = run(runner, "templates", "check", str(folder))
    assert result.exit_code == 1 and "is outside logo/; put the picture in the package folder" in result.output


def test_interactive_image_and_saved_answers_round_trip(runner, tmp_path):
    folder = write_package(tmp_path, "logo", IMAGE_BLOCKS, IMAGE_FORM, "skills: [x]\n")
    (tmp_path / "logo.png").write_bytes(png_bytes())
    saved = tmp_path / "gemt.yaml"
    result = runner.invoke(main, ["generate", str(folder), "--interactive", "-o", str(tmp_path / "i.docx"),
                                  "--save-answers", str(saved)],
                           input=f"Python\n\n{tmp_path / 'nej.png'}\n{tmp_path / 'logo.png'}\n\n",
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "no such file" in result.output  # asked again
    assert saved.read_text(encoding="utf-8").count("data:image/png;base64,") == 1
    again = run(runner, "generate", str(folder), "--answers", str(saved), "-o", str(tmp_path / "j.docx"))
    assert again.exit_code == 0, again.output
    assert len(Document(str(tmp_path / "j.docx")).inline_shapes) == 1
