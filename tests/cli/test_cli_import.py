"""`netkit import`: Word files in as draft materials, one or a folder, with a summary and nothing written for a
refused file."""

from __future__ import annotations

from tests.publishing.wordbuild import add_picture, new_document, png, saved
from toolkit.cli import main

TOPICS = ["--topic", "data-access", "--audience", "project-leads"]


def playbook(title: str = "Playbook for dataadgang", picture_alt: str | None = "Dataflow fra hospital til projekt"):
    document = new_document()
    document.core_properties.title = title
    document.add_heading("Før I går i gang", 1)
    document.add_paragraph("Start med at afklare, hvilke data projektet har brug for, og hvem der ejer dem.")
    document.add_paragraph("Find dataejeren", style="List Bullet")
    document.add_paragraph("Aftal adgangen", style="List Bullet 2")
    add_picture(document, png(), picture_alt)
    return saved(document)


def run(runner, home, *args):
    return runner.invoke(main, ["--home", str(home), *args])


def test_one_file_becomes_a_draft_with_its_picture_in_one_revision(runner, instance, tmp_path):
    source = tmp_path / "Playbook.docx"
    source.write_bytes(playbook())
    before = instance.head()
    result = run(runner, instance.home, "import", str(source), *TOPICS)
    assert result.exit_code == 0, result.output
    assert "Playbook.docx  converted  playbook-for-dataadgang" in result.output
    text = (instance.library_dir / "playbook-for-dataadgang.md").read_text(encoding="utf-8")
    assert 'title: "Playbook for dataadgang"' in text and "status: draft" in text
    assert "summary: \"Start med at afklare" in text
    assert "## Før I går i gang" in text and "![Dataflow fra hospital til projekt](media:" in text
    changed = sorted(instance.store.run("show", "--name-only", "--format=", "HEAD").stdout.split())
    assert changed == ["library/media/playbook-for-dataadgang/billede-1.png", "library/playbook-for-dataadgang.md"]
    assert instance.store.run("rev-parse", "HEAD~1").stdout.strip() == before
    checked = run(runner, instance.home, "check")
    assert checked.exit_code == 0 and "media" not in checked.output  # the picture is used and found
    (instance.library_dir / "media" / "playbook-for-dataadgang" / "glemt.png").write_bytes(png())
    warned = run(runner, instance.home, "check")
    assert warned.exit_code == 0
    assert "media/playbook-for-dataadgang/glemt.png: warning: media: no media:glemt.png in" in warned.output


def test_a_folder_gives_a_summary_and_a_refused_file_writes_nothing(runner, instance, tmp_path):
    folder = tmp_path / "gamle"
    folder.mkdir()
    (folder / "a-god.docx").write_bytes(playbook("God vejledning"))
    (folder / "b-uden-alt.docx").write_bytes(playbook("Vejledning med billede uden tekst", picture_alt=None))
    (folder / "c-falsk.docx").write_bytes(b"<html>not word</html>")
    (folder / "~$a-god.docx").write_bytes(b"lock file")
    before = instance.head()
    result = run(runner, instance.home, "import", str(folder), "--kind", "guide", *TOPICS)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split() == ["file", "result", "material"]
    assert any(line.startswith("a-god.docx") and "converted" in line for line in lines)
    assert any(line.startswith("c-falsk.docx") and "refused" in line for line in lines)
    assert "~$a-god.docx" not in result.output
    assert "refused" in result.output.split("b-uden-alt.docx", 1)[1].split("\n", 1)[0]
    assert "alternative text" in result.output  # why it was refused
    assert (instance.library_dir / "god-vejledning.md").exists()
    assert not (instance.library_dir / "vejledning-med-billede-uden-tekst.md").exists()
    assert int(instance.store.run("rev-list", "--count", f"{before}..HEAD").stdout) == 1
    assert "1 converted, 0 with warnings, 2 refused" in result.output


def test_misuse_exits_2(runner, instance, tmp_path):
    source = tmp_path / "x.docx"
    source.write_bytes(playbook())
    assert run(runner, instance.home, "import", str(source), "--topic", "ukendt", "--audience",
               "project-leads").exit_code == 2
    assert run(runner, instance.home, "import", str(tmp_path), "--slug", "x", *TOPICS).exit_code == 2
    (tmp_path / "notes.txt").write_text("x")
    assert run(runner, instance.home, "import", str(tmp_path / "notes.txt"), *TOPICS).exit_code == 2


def test_a_taken_slug_is_refused_with_what_to_do(runner, instance, tmp_path):
    source = tmp_path / "x.docx"
    source.write_bytes(playbook())
    result = run(runner, instance.home, "import", str(source), "--slug", "adgang-til-data", *TOPICS)
    assert result.exit_code == 1 and "already exists; give another slug with --slug" in result.output
