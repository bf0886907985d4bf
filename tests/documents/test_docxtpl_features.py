"""docxtpl's features, rendered by plain docxtpl and by Netkit on the same data: the same text everywhere docxtpl
renders (body, tables, headers, footers, footnotes, text boxes, content controls, tracked insertions), or refused
by `netkit templates check` with a message naming the feature.

The Word files are built by tests/data/docxtpl/build.py (python-docx plus raw WordprocessingML) and kept as test
data; a test rebuilds them into a temporary folder and checks the kept ones are current.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docxtpl import DocxTemplate, RichText, RichTextParagraph
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from lxml import etree

from tests.data.docxtpl.build import FIXTURES, build, notes
from tests.helpers.docxmaker import make_docx, write_package
from toolkit.cli import main
from toolkit.documents.docxfile import open_docx, text_view
from toolkit.documents.generate import render_docx, render_template_bytes
from toolkit.documents.packages import load_package
from toolkit.documents.templatelint import check_docx_only, check_package

DATA = Path(__file__).parent.parent / "data" / "docxtpl"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STORIES = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")

# The same answers for both; plain docxtpl gets {{r}}/{{p}} answers the way a docxtpl script must pass them.
CONTEXTS = {
    "richtext": {"name": "Ane & <Bo>", "summary": "Første linje\nanden linje", "footer_note": "Fod & note",
                 "quote": "Et citat",
                 "tasks": [{"title": "Skriv", "desc": "Udkast <1>"}, {"title": "Læs", "desc": "Kommentarer"}]},
    "headers_footers": {"project": "SepsisVarsel", "owner": "Region Syd"},
    "stories": {"project": "SepsisVarsel", "boxed": "i en boks", "controlled": "Region Syd",
                "inline_control": "inde i kontrol", "inserted": "indsat tekst", "source": "Sundhedsdatastyrelsen"},
    "tables": {"items": [{"name": "Rød", "bg": "FF0000", "note": "varm"}, {"name": "Blå", "bg": "0000FF",
                                                                         "note": "kold"}],
               "span": 2, "people": ["Ane", "Bo", "Cy"], "team": "Team A", "years": [2025, 2026, 2027]},
    "vocabulary": {"show": True, "detail": "detaljen"},
}
RICH = {"richtext": {"name": "r", "summary": "p", "footer_note": "p", "quote": "p", "tasks.desc": "r"}}


def docxtpl_context(name: str) -> dict:
    context = {key: (value if not isinstance(value, list) else [dict(v) if isinstance(v, dict) else v for v in value])
               for key, value in CONTEXTS[name].items()}
    for path, kind in RICH.get(name, {}).items():
        wrap = RichText if kind == "r" else RichTextParagraph
        if "." in path:
            group, field = path.split(".")
            for item in context[group]:
                item[field] = RichText(item[field])
        else:
            context[path] = wrap(context[path]) if kind == "r" else RichTextParagraph(RichText(context[path]))
    return context


def story_texts(data: bytes) -> dict[str, str]:
    """The text of each rendered story, read from the XML without Netkit: paragraphs on lines, breaks as ⏎."""
    texts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if not name.startswith(STORIES) or not name.endswith(".xml"):
                continue
            root = etree.fromstring(archive.read(name))
            pieces = []
            for element in root.iter():
                if element.tag == f"{W}p":
                    pieces.append("\n")
                elif element.tag == f"{W}t":
                    pieces.append(element.text or "")
                elif element.tag == f"{W}br":
                    pieces.append("⏎")
                elif element.tag == f"{W}tab":
                    pieces.append("\t")
            texts[name] = "".join(pieces)
    return texts


def plain_docxtpl(path: Path, context: dict) -> bytes:
    template = DocxTemplate(path)
    template.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def netkit(path: Path, context: dict) -> bytes:
    return render_template_bytes(path.read_bytes(), context, path.name)


def test_the_kept_test_files_are_what_the_build_script_makes(tmp_path):
    assert set(FIXTURES) == {*CONTEXTS, "refused", "damaged_quotes"}  # each is rendered or refused below
    for built in build(tmp_path):
        kept = DATA / built.name
        assert kept.is_file(), f"run tests/data/docxtpl/build.py: {kept.name} is missing"
        assert set(zipfile.ZipFile(built).namelist()) == set(zipfile.ZipFile(kept).namelist())
        assert story_texts(built.read_bytes()) == story_texts(kept.read_bytes())


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_netkit_renders_the_same_text_as_plain_docxtpl(name):
    path = DATA / f"{name}.docx"
    assert check_docx_only(open_docx(path.read_bytes(), name), name) == []
    expected = story_texts(plain_docxtpl(path, docxtpl_context(name)))
    got = story_texts(netkit(path, CONTEXTS[name]))
    assert got == expected
    assert all("{%" not in text and ("{{" not in text or name == "vocabulary") for text in got.values())


def test_answers_to_run_and_paragraph_tags_are_not_lost():
    texts = story_texts(netkit(DATA / "richtext.docx", CONTEXTS["richtext"]))
    body = texts["word/document.xml"]
    assert "Ansvarlig: Ane & <Bo> (kontakt)" in body
    assert "\nFørste linje⏎anden linje\nEfter resuméet." in body  # its own paragraph, line break kept
    assert "Udkast <1>" in body and "Kommentarer" in body
    headers = "".join(text for part, text in texts.items() if part.startswith("word/header"))
    footers = "".join(text for part, text in texts.items() if part.startswith("word/footer"))
    assert "Projekt Ane & <Bo>" in headers and "Fod & note" in footers


def test_markdown_in_a_run_answer_becomes_bold_italic_and_a_safe_link():
    context = {**CONTEXTS["richtext"], "name": "**fed** og *kursiv* [se her](https://example.org/a?b=1&c=2) "
                                               "[ikke](javascript:alert(1))"}
    data = netkit(DATA / "richtext.docx", context)
    document = Document(io.BytesIO(data))
    paragraph = document.paragraphs[0]
    runs = {run.text: run for run in paragraph.runs}
    assert runs["fed"].bold and runs["kursiv"].italic
    links = paragraph.hyperlinks
    assert [(link.text, link.address) for link in links] == [("se her", "https://example.org/a?b=1&c=2")]
    assert "[ikke](javascript:alert(1))" in paragraph.text  # other schemes stay plain text
    header = document.sections[0].header.paragraphs[0]  # a link in a header is related from the header part
    assert [(link.text, link.address) for link in header.hyperlinks] == [("se her", "https://example.org/a?b=1&c=2")]


def test_run_and_paragraph_answers_keep_the_format_of_their_tag():
    """docxtpl drops the run and paragraph a {{r}}/{{p}} tag sat in; Netkit keeps their style and formatting."""
    context = {**CONTEXTS["richtext"], "name": "Ane **fed**", "quote": "Første\n\nAndet"}
    paragraphs = Document(io.BytesIO(netkit(DATA / "richtext.docx", context))).paragraphs
    quotes = [p for p in paragraphs if p.text in ("Første", "Andet")]
    assert [(p.style.name, p.runs[0].italic) for p in quotes] == [("Quote", True), ("Quote", True)]
    important = next(p for p in paragraphs if p.text.startswith("Vigtigt: "))
    assert important.text == "Vigtigt: Ane fed"
    answer = [(r.text, r.bold, r.font.size.pt) for r in important.runs[1:] if r.text]
    assert answer == [("Ane ", True, 14), ("fed", True, 14)]


def test_a_paragraph_answer_with_blank_lines_becomes_paragraphs():
    context = {**CONTEXTS["richtext"], "summary": "Et afsnit.\n\nEt andet afsnit."}
    texts = [p.text for p in Document(io.BytesIO(netkit(DATA / "richtext.docx", context))).paragraphs]
    assert texts[1:3] == ["Et afsnit.", "Et andet afsnit."]


def test_netkit_sees_every_story_docxtpl_renders():
    places = text_view(open_docx((DATA / "stories.docx").read_bytes(), "stories"))
    where = {place.text: place.describe() for place in places}
    assert where["I boksen: {{ boxed }}"].startswith("paragraph 2, text box 1, paragraph 1")
    assert where["Ejer: {{ controlled }}"].startswith("content control 1, paragraph 1")
    assert where["Inline: {{ inline_control }}"].startswith("paragraph 3")
    assert where["Ændret: {{ inserted }}gammel tekst"].startswith("paragraph 4")
    assert where["Kilde: {{ source }}"].startswith("footnotes, footnote 1, paragraph 1")
    assert sum(1 for place in places if "boxed" in place.text) == 1  # the VML fallback copy is not listed twice


def test_scaffold_asks_for_names_used_in_text_boxes_controls_insertions_and_footnotes(tmp_path):
    result = CliRunner().invoke(main, ["templates", "scaffold", str(DATA / "stories.docx"), "--name", "historier",
                                       "--into", str(tmp_path)])
    assert result.exit_code == 0, result.output
    form = yaml.safe_load((tmp_path / "historier" / "form.yaml").read_text(encoding="utf-8"))
    ids = [q["id"] for section in form["sections"] for q in section["questions"]]
    assert ids == ["project", "boxed", "controlled", "inline_control", "inserted", "source"]


def test_unknown_names_in_hidden_stories_are_reported_with_their_place(tmp_path):
    shutil.copytree(_scaffolded(tmp_path), tmp_path / "pakke")
    form = tmp_path / "pakke" / "form.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("id: boxed", "id: boxd"), encoding="utf-8")
    result = CliRunner().invoke(main, ["templates", "check", str(tmp_path / "pakke")])
    assert result.exit_code == 1
    assert "paragraph 2, text box 1, paragraph 1" in result.output and "uses 'boxed'" in result.output


def _scaffolded(tmp_path: Path) -> Path:
    CliRunner().invoke(main, ["templates", "scaffold", str(DATA / "stories.docx"), "--name", "kilde",
                              "--into", str(tmp_path / "made")])
    return tmp_path / "made" / "kilde"


def test_fix_repairs_autocorrect_in_text_boxes_controls_and_footnotes(tmp_path):
    path = tmp_path / "damaged.docx"
    shutil.copy(DATA / "damaged_quotes.docx", path)
    before = CliRunner().invoke(main, ["templates", "check", str(path)])
    assert before.exit_code == 1
    for where in ("paragraph 1", "paragraph 2, text box 1, paragraph 1", "content control 1, paragraph 1",
                  "footnotes, footnote 1, paragraph 1"):
        assert f"{path}: {where}: " in before.output and "autocorrect" in before.output
    fixed = CliRunner().invoke(main, ["templates", "check", str(path), "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert "fixed   " in fixed.output and "10 character(s)" in fixed.output  # the text box's VML copy too
    texts = story_texts(path.read_bytes())
    assert "default('her')" in texts["word/document.xml"] and "default(\"ingen kilde\")" in texts["word/footnotes.xml"]
    assert texts["word/document.xml"].count("default('her')") == 2


REFUSALS = {
    "'|shout'": "paragraph 1",
    "calls 'InlineImage(…)'": "paragraph 2",
    "'is shouty'": "paragraph 3",
    "{% hm %} merges the cells a loop makes": "paragraph 4",
    "{{tc …}} puts a value in place of a whole table cell": "table 1, row 1, cell 1",
    "docxtpl does not fill endnotes": "endnotes, endnote 1, paragraph 1",
}


def test_what_netkit_cannot_fill_is_refused_by_check_naming_the_feature_and_place():
    result = CliRunner().invoke(main, ["templates", "check", str(DATA / "refused.docx")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    for feature, where in REFUSALS.items():
        assert any(feature in line and f"refused.docx: {where}" in line for line in lines), feature
    assert len(lines) == 1 + len(REFUSALS)


def test_horizontal_merge_is_checked_scaffolded_and_rendered_without_a_traceback(tmp_path):
    check = CliRunner().invoke(main, ["templates", "check", str(DATA / "tables.docx")])
    assert check.exit_code == 0 and check.output.startswith("ok"), check.output
    made = CliRunner().invoke(main, ["templates", "scaffold", str(DATA / "tables.docx"), "--name", "tabeller",
                                     "--into", str(tmp_path)])
    assert made.exit_code in (0, 1) and isinstance(made.exception, SystemExit | None), made.output
    form = yaml.safe_load((tmp_path / "tabeller" / "form.yaml").read_text(encoding="utf-8"))
    assert [q["id"] for q in form["sections"][0]["questions"]] == ["items", "span", "people", "team", "years"]
    document = Document(io.BytesIO(netkit(DATA / "tables.docx", CONTEXTS["tables"])))
    merged = document.tables[3].rows[0]._tr.tc_lst[0]
    assert merged.tcPr.grid_span == 3 and len(document.tables[3].rows[1]._tr.tc_lst) == 3
    assert document.tables[0].rows[1]._tr.tc_lst[0].tcPr.xpath("w:shd/@w:fill") == ["FF0000"]


def test_a_default_makes_a_name_optional_and_comments_and_literals_pass():
    assert check_docx_only(open_docx((DATA / "vocabulary.docx").read_bytes(), "v"), "v") == []
    texts = story_texts(netkit(DATA / "vocabulary.docx", {"show": False, "detail": ""}))
    body = texts["word/document.xml"]
    assert "Status: ikke angivet" in body and "Skriv {{ navn }} for at indsætte et navn." in body
    assert "Vises kun" not in body and "Før  efter" in body and "note til forfatteren" not in body


def test_irregular_merged_tables_are_read_without_python_docx_cell_errors(tmp_path):
    """A vertical merge that continues from nothing and a grid span that is itself a tag: python-docx's cell API
    raises ValueError on both; check must still read and report the tags."""
    document = Document()
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 1).text = "{{ first }}"
    grid.cell(1, 0).text = "{{ second|shout }}"
    first = grid.rows[0]._tr.tc_lst[0].get_or_add_tcPr()
    first.append(parse_xml(f'<w:vMerge {nsdecls("w")}/>'))
    first.append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="{{{{ span }}}}"/>'))
    path = tmp_path / "irregular.docx"
    document.save(path)
    result = CliRunner().invoke(main, ["templates", "check", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit | None)
    assert "irregular.docx: table 1, row 2, cell 1, paragraph 1" in result.output and "'|shout'" in result.output


def test_footnotes_are_rendered_once_so_an_answer_is_never_run_as_a_tag(tmp_path):
    """docxtpl renders the footnotes once per section: a second section would evaluate an answer like {{ 7*7 }}."""
    document = Document()
    document.add_paragraph("Første afsnit")
    document.add_section()
    document.add_paragraph("Andet afsnit")
    notes(document, "footnotes", ["Kilde: {{ source }}"])
    path = tmp_path / "sections.docx"
    document.save(path)
    texts = story_texts(netkit(path, {"source": "{{ 7*7 }} og {% if true %}ja{% endif %}"}))
    assert "Kilde: {{ 7*7 }} og {% if true %}ja{% endif %}" in texts["word/footnotes.xml"]


GROUP_FORM = """\
title: {da: Prøve, en: Test}
description: En prøve.
version: 1.0.0
sections:
  - id: main
    title: Data
    questions:
      - {id: note, type: textarea, label: Note}
      - id: members
        type: group
        label: Medlemmer
        fields:
          - {id: name, type: text, label: Navn, required: true}
"""


def test_a_run_or_paragraph_tag_fed_a_group_is_refused_and_text_ones_render(tmp_path):
    blocks = ["{{p members}}", "Note: {{r note}}", "{{ status|default('ukendt') }}",
              [["{%tr for m in members %}"], ["{{r m.name}}"], ["{%tr endfor %}"]]]
    folder = write_package(tmp_path, "gruppe", blocks, GROUP_FORM, "note: Hej\nmembers: [{name: Ane}]\n")
    result = check_package(load_package(folder))
    assert [(p.field.split(":")[0], p.message.split(";")[0]) for p in result.problems] == [
        ("paragraph 1", "{{p members}} prints a whole paragraph, but 'members' is a group question, not text "
                        "(docxtpl would need a Subdoc or RichTextParagraph)")]
    (folder / "template.docx").unlink()
    make_docx(folder / "template.docx", blocks[1:])
    result = check_package(load_package(folder))
    assert result.ok and result.rendered, result.problems  # the undeclared `status` has a default: optional
    text = story_texts(render_docx(load_package(folder), {"note": "Linje 1\nLinje 2",
                                                          "members": [{"name": "Ane"}]}).data)
    assert "Note: Linje 1⏎Linje 2" in text["word/document.xml"] and text["word/document.xml"].endswith("\nAne")
    assert "ukendt" in text["word/document.xml"]


def test_tags_in_the_document_properties_docxtpl_renders_are_scanned(tmp_path):
    document = Document()
    document.add_paragraph("Brødtekst {{ body_name }}")
    document.core_properties.title = "Rapport om {{ project_name }}"
    document.core_properties.subject = "{% if x %}"
    path = tmp_path / "properties.docx"
    document.save(path)
    check = CliRunner().invoke(main, ["templates", "check", str(path)])
    assert check.exit_code == 1 and "document property 'subject', value: “{% if x %}”: template syntax" in check.output
    document.core_properties.subject = "Om {{ project_name }}"
    document.save(path)
    made = CliRunner().invoke(main, ["templates", "scaffold", str(path), "--name", "egenskaber", "--into",
                                     str(tmp_path)])
    assert made.exit_code == 0, made.output
    form = yaml.safe_load((tmp_path / "egenskaber" / "form.yaml").read_text(encoding="utf-8"))
    assert [q["id"] for q in form["sections"][0]["questions"]] == ["body_name", "project_name"]


@settings(max_examples=40, deadline=None)
@given(answer=st.text(alphabet=st.characters(exclude_characters="*_[\r", exclude_categories=("Cs",)), max_size=40))
def test_any_text_answer_to_run_and_paragraph_tags_survives_whole(answer):
    """Every character an answer may hold (XML-invalid control characters dropped) reaches the document, in valid
    Word XML, whether printed as a run or as a paragraph."""
    data = netkit(DATA / "richtext.docx", {**CONTEXTS["richtext"], "name": answer, "quote": answer})
    document = Document(io.BytesIO(data))
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", answer)
    assert document.paragraphs[0].text == f"Ansvarlig: {kept} (kontakt)"
    quoted = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert "\n\n".join(quoted) == re.sub(r"\n[ \t]*\n", "\n\n", kept)  # blank lines part paragraphs


def test_an_image_answer_prints_as_a_picture_in_run_and_paragraph_tags(tmp_path):
    from PIL import Image

    from toolkit.documents.images import ImageAnswer

    picture = io.BytesIO()
    Image.new("RGB", (8, 4), (11, 79, 113)).save(picture, format="PNG")
    path = make_docx(tmp_path / "billeder.docx", ["Logo: {{r logo}} slut", "{{p signature}}", "Efter"])
    image = ImageAnswer(picture.getvalue(), "png")
    data = netkit(path, {"logo": image, "signature": image})
    document = Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == ["Logo:  slut", "", "Efter"]
    drawings = [len(p._p.xpath(".//w:drawing")) for p in document.paragraphs]
    assert drawings == [1, 1, 0]
    assert len(document.inline_shapes) == 2
