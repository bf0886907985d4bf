"""`netkit templates check` and `scaffold` never end in a traceback: on Word files with random tag text (in the
body, tables, headers, text boxes and footnotes) and on damaged zips they exit 0, 1 or 2 with a message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.data.docxtpl.build import body_xml, notes, text_box
from toolkit.cli import main

DATA = Path(__file__).parent.parent / "data" / "docxtpl"
FRAGMENTS = ["{{", "}}", "{%", "%}", "{#", "#}", "{{r ", "{{p ", "{{tr ", "{{tc ", "{%tr ", "{%tc ", "{%p ", "{%r ",
             "for ", " in ", "if ", "endif", "endfor", "else", "x", "a.b", "a['k']", "items", "loop.index", "|",
             "default('x')", "shout", "dato", "(", ")", "'", '"', "“", "”", "{_{", "}_}", "hm", "vm", "cellbg ",
             "colspan ", " ", "é", "%", "}", "{", "-", "__class__", "range(10)", "set ", "=", "macro ", "call ",
             "\t", "1", "==", "not ", "is ", "defined", "~", "*", "[", "]", ","]
TAG_TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=14).map("".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd"))


def docx_with(texts: list[str]) -> bytes:
    """A Word file with the texts spread over paragraphs, a table, the header, a text box and a footnote."""
    texts = [_xml_safe(t) for t in texts] + [""] * 5
    document = Document()
    document.add_paragraph(texts[0])
    table = document.add_table(rows=2, cols=2)
    for index, cell in enumerate(table._cells):
        cell.text = texts[(index + 1) % len(texts)]
    document.sections[0].header.paragraphs[0].text = texts[2]
    escaped = texts[3].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body_xml(document, f"<w:p>{text_box(escaped, 1)}</w:p>")
    notes(document, "footnotes", [texts[4].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def assert_no_traceback(path: Path, tmp: Path) -> None:
    runner = CliRunner()
    for args in (["templates", "check", str(path)],
                 ["templates", "scaffold", str(path), "--name", "fuzz", "--into", str(tmp / "out")]):
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args, result.output, repr(result.exception))
        assert "Traceback" not in result.output
        if result.exit_code:
            assert result.output.strip(), "a failure must say why"


@SETTINGS
@given(texts=st.lists(TAG_TEXT, min_size=1, max_size=6))
def test_random_tag_text_never_crashes_check_or_scaffold(tmp_path_factory, texts):
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "random.docx"
    path.write_bytes(docx_with(texts))
    assert_no_traceback(path, tmp)


PARTS = ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/header1.xml", "[Content_Types].xml",
         "word/_rels/document.xml.rels", "word/styles.xml", "docProps/core.xml"]
MUTATIONS = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("part"), st.sampled_from(PARTS), st.binary(max_size=40) | TAG_TEXT),
)


def damaged(data: bytes, mutation: tuple) -> bytes:
    kind = mutation[0]
    if kind == "truncate":
        return data[:int(len(data) * mutation[1])]
    if kind == "flip":
        mutable = bytearray(data)
        for where, value in mutation[1]:
            mutable[min(int(where * len(mutable)), len(mutable) - 1)] = value
        return bytes(mutable)
    _, name, content = mutation  # replace (or add) one part with junk, or with a cut-off copy of itself
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == name:
                blob = content.encode() if isinstance(content, str) else blob[:len(blob) // 2] + content
            target.writestr(info.filename, blob)
    return out.getvalue()


@SETTINGS
@given(source=st.sampled_from(sorted(p.name for p in DATA.glob("*.docx"))), mutation=MUTATIONS)
def test_damaged_word_files_never_crash_check_or_scaffold(tmp_path_factory, source, mutation):
    tmp = tmp_path_factory.mktemp("damaged")
    path = tmp / "damaged.docx"
    path.write_bytes(damaged((DATA / source).read_bytes(), mutation))
    assert_no_traceback(path, tmp)
