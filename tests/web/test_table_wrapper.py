"""A material's tables on a small screen (issue 21): each table is in one scroll box that is a named region in the
tab order (axe's scrollable-region-focusable), made by the renderer and kept by its sanitiser, the same on the
reader's page, in a revision's blocks and in the Word export; the width at 1280–1920 px is measured in
tests/e2e/test_small_screens.py."""

from __future__ import annotations

import io

import docx
from bs4 import BeautifulSoup

from tests.helpers.web import app_with_users, sign_in
from toolkit.library.blocks import BlockParser
from toolkit.library.render import LinkTargets, Renderer, sanitize

TABLE = """Tekst før.

| Rute | Godkender [[samtykke\\|Samtykke]] | **Data** |
|---|---|--:|
| Forskning | Komité | Journal |

- En liste med en tabel:

  | a | b |
  |---|---|
  | 1 | 2 |
"""


def boxes(html: str) -> list:
    return BeautifulSoup(html, "html.parser").select("div.table-scroll")


def test_every_table_of_a_material_page_is_in_one_named_focusable_box(client):
    page = BeautifulSoup(client.get("/m/adgang-til-data/").get_data(as_text=True), "html.parser")
    tables = page.select(".material-body table")
    assert tables
    for table in tables:
        box = table.parent
        assert box.name == "div" and box["class"] == ["table-scroll"]
        assert (box["role"], box["tabindex"]) == ("region", "0")
        assert box["aria-label"].startswith("Tabel: ") and len(box["aria-label"]) > len("Tabel: ")
        assert not table.has_attr("tabindex")  # one tab stop per table: the box
        assert box.find_parent("div", class_="table-scroll") is None  # never a box in a box
    assert len(page.select(".material-body .table-scroll")) == len(tables)


def test_the_box_is_named_by_the_header_row_as_plain_text():
    html = Renderer().render(TABLE, LinkTargets({"samtykke": "Samtykke"})).html
    found = boxes(html)
    assert [box["aria-label"] for box in found] == ["Tabel: Rute, Godkender Samtykke, Data", "Tabel: a, b"]
    assert found[1].find_parent("li") is not None  # a table in a list item is boxed too


def test_a_long_or_empty_header_row_gives_a_short_name():
    long = "| " + " | ".join(f"Kolonne nummer {n}" for n in range(12)) + " |\n|" + "---|" * 12 + "\n"
    label = boxes(Renderer().render(long, LinkTargets({})).html)[0]["aria-label"]
    assert label.startswith("Tabel: Kolonne nummer 0, ") and label.endswith("…") and len(label) <= len("Tabel: ") + 80
    empty = boxes(Renderer().render("| |\n|---|\n| x |\n", LinkTargets({})).html)
    assert empty[0]["aria-label"] == "Tabel"


def test_a_header_cannot_break_out_of_the_name():
    html = Renderer().render('| a" onfocus="alert(1) | <b>x</b> |\n|---|---|\n| 1 | 2 |\n', LinkTargets({})).html
    box = boxes(html)[0]
    assert not box.has_attr("onfocus") and "onfocus" in box["aria-label"]  # text in the name, not an attribute
    assert "<b>" not in html


def test_the_sanitiser_keeps_the_box_and_fixes_its_role_and_tab_stop():
    dirty = ('<div class="table-scroll" role="alert" tabindex="-1" aria-label="Tabel: x" onfocus="steal()">'
             '<table tabindex="3"><tr><td>1</td></tr></table></div><div style="color:red">y</div>')
    clean = sanitize(dirty)
    box = boxes(clean)[0]
    assert (box["role"], box["tabindex"], box["aria-label"]) == ("region", "0", "Tabel: x")
    assert "onfocus" not in clean and "style" not in clean and 'tabindex="3"' not in clean
    # a div typed into Markdown stays text (raw HTML is off): only the renderer makes boxes
    typed = Renderer().render('<div role="region" tabindex="0">x</div>\n', LinkTargets({})).html
    assert boxes(typed) == [] and "&lt;div" in typed


def test_the_blocks_of_a_revision_hold_the_box_once_as_the_page_does():
    targets = LinkTargets({"samtykke": "Samtykke"})
    parts = BlockParser().render(TABLE, targets)
    table_block = next(html for block, html in parts if block.kind == "table")
    assert table_block.startswith('<div class="table-scroll" role="region" tabindex="0"')
    assert len(boxes(table_block)) == 1
    assert "".join(html for _block, html in parts) == Renderer().render(TABLE, targets).html


def test_the_revision_and_comments_pages_show_each_table_in_one_box(isolated_home):
    """These pages render block by block and used to box a table themselves: the renderer's box is the only one."""
    app = app_with_users(isolated_home, ("anna", "member", ("dataadgang",)))
    anna, _token = sign_in(app, "anna", "anna-kodeord-1")
    revision = app.extensions["netkit.source"].history("adgang-til-data")[0].id
    for path in (f"/m/adgang-til-data/historik/{revision}", "/m/adgang-til-data/kommentarer"):
        response = anna.get(path)
        assert response.status_code == 200, path
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        tables = page.select("main table:not(.facts-table)")
        boxed = [table for table in tables if table.parent.get("class") == ["table-scroll"]]
        assert boxed, path
        assert all(table.parent.find_parent("div", class_="table-scroll") is None for table in boxed), path


def test_the_word_export_still_has_the_table(client):
    response = client.get("/m/adgang-til-data/adgang-til-data.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    assert any("Rute" in cell.text for table in document.tables for cell in table.rows[0].cells)
