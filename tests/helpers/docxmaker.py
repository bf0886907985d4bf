"""Word files built independently of Netkit's own templates, for lint, scaffold and generation tests."""

from __future__ import annotations

from pathlib import Path

from docx import Document


def make_docx(path: Path, blocks: list, *, header: str | None = None, runs: list[list[str]] | None = None) -> Path:
    """Write a .docx: each block is a paragraph (str) or a table (list of rows, each a list of cell texts).

    `runs` adds paragraphs whose text is split over several runs (as Word does after editing), one per list.
    """
    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=0, cols=len(block[0]))
            for row in block:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.paragraphs[0].text = text
    for pieces in runs or []:
        paragraph = document.add_paragraph()
        for index, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            run.bold = index % 2 == 1
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def write_package(root: Path, name: str, blocks: list, form: str, example: str, rules: str | None = None) -> Path:
    """A template package folder from a .docx made of `blocks` and the given YAML texts."""
    folder = root / name
    make_docx(folder / "template.docx", blocks)
    (folder / "form.yaml").write_text(form, encoding="utf-8")
    (folder / "example.yaml").write_text(example, encoding="utf-8")
    if rules is not None:
        (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    return folder
