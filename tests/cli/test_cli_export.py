"""`netkit export`: a material or a published edition as Word, PDF or one HTML file; whole or nothing."""

from __future__ import annotations

import docx
import pytest

from toolkit.cli import main
from toolkit.history.gitstore import Author

SLUG = "adgang-til-data"


@pytest.fixture
def home(instance):
    text = instance.read(SLUG).replace("\n## ", "\nKladdetekst, der ikke er udgivet.\n\n## ", 1)
    instance.save(SLUG, text, Author("Bo Nielsen", "bo@rm.dk"), "Kladde", instance.latest_revision(SLUG))
    return instance.home


def run(runner, home, *args):
    return runner.invoke(main, ["--home", str(home), *args])


def test_word_of_an_edition_and_of_the_current_text(runner, home, tmp_path):
    edition, current = tmp_path / "udgave.docx", tmp_path / "nu.docx"
    result = run(runner, home, "export", SLUG, "--format", "docx", "--version", "1.2.0", "-o", str(edition))
    assert result.exit_code == 0
    assert run(runner, home, "export", SLUG, "--format", "docx", "-o", str(current)).exit_code == 0
    old = "\n".join(p.text for p in docx.Document(edition).paragraphs)
    new = "\n".join(p.text for p in docx.Document(current).paragraphs)
    assert "Kladdetekst" not in old and "Kladdetekst" in new
    assert docx.Document(edition).core_properties.version == "1.2.0"


def test_html_is_one_escaped_file(runner, home, tmp_path):
    out = tmp_path / "side.html"
    result = run(runner, home, "export", SLUG, "--format", "html", "--version", "1.2.0", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert result.exit_code == 0 and page.startswith("<!doctype html>") and "<h1>" in page
    assert "<script" not in page and "udgivet" in page and "Kladdetekst" not in page


def test_bad_input_writes_nothing(runner, home, tmp_path, monkeypatch):
    out = tmp_path / "x.docx"
    missing = run(runner, home, "export", SLUG, "--format", "docx", "--version", "9.0.0", "-o", str(out))
    assert missing.exit_code == 1 and "published: 1.2.0" in missing.output and not out.exists()
    assert run(runner, home, "export", "../etc", "--format", "docx", "-o", str(out)).exit_code == 2
    assert run(runner, home, "export", SLUG, "--format", "odt", "-o", str(out)).exit_code == 2
    assert run(runner, home, "export", SLUG, "--format", "docx", "-o", str(tmp_path / "nej" / "x.docx")).exit_code == 2
    monkeypatch.setenv("NETKIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    pdf = run(runner, home, "export", SLUG, "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert pdf.exit_code == 1 and "LibreOffice" in pdf.output and "nothing was written" in pdf.output
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_a_bad_logo_setting_is_a_clear_error(runner, home, tmp_path, monkeypatch):
    logo = tmp_path / "logo.png"
    logo.write_text("ikke et billede", encoding="utf-8")
    monkeypatch.setenv("NETKIT_LOGO", str(logo))
    result = run(runner, home, "export", SLUG, "--format", "docx", "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 1 and "not a PNG or JPEG" in result.output and not (tmp_path / "x.docx").exists()


def test_pdf_of_an_edition(runner, home, tmp_path, require_libreoffice):
    out = tmp_path / "udgave.pdf"
    result = run(runner, home, "export", SLUG, "--format", "pdf", "--version", "1.2.0", "-o", str(out))
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
