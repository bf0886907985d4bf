"""A list question in a real browser: one value per line in a labelled textarea, a mistake named by its line in
Danish with everything typed kept, then the Word file with the values as plain texts and numbers. Screenshots at
1280 and 320 px are saved under /tmp for review."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docx import Document

from tests.documents.test_question_types import BLOCKS, FORM
from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from tests.helpers.docxmaker import write_package
from tests.web.test_template_form_lists import IMAGE_FORM, picture
from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.documents.packages import TemplateCatalogue
from webui import create_app
from webui.context import TEMPLATES_KEY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def list_server(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lists")
    write_package(root / "templates", "typer", BLOCKS, FORM, "skills: [Python]\ncount: 3\n")
    folder = write_package(root / "templates", "logo", ["{{ firm }} {{ logo }}"], IMAGE_FORM,
                           "firm: X\nlogo: logo.png\n")
    (folder / "logo.png").write_bytes(picture())
    app = create_app(Settings(library=BUNDLED_LIBRARY, home=root / "instance"))
    app.extensions[TEMPLATES_KEY] = TemplateCatalogue(root / "templates")
    with serving(app) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 320])
def test_fill_in_a_list_fix_a_line_and_download(page, list_server, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(list_server + "/skabeloner/typer/udfyld")
    skills = page.get_by_label("Kompetencer")
    assert skills.evaluate("e => e.tagName") == "TEXTAREA"
    skills.fill("Python\nSQL")
    page.get_by_label("Point").fill("1\nto")
    page.get_by_label("Antal").fill("3")
    page.get_by_label("Note").fill("\nefter en tom linje")
    page.get_by_role("button", name="Se resultatet").click()
    error = page.locator("#q\\.scores-error")
    assert error.inner_text() == "Linje 2: Skal være et tal, ikke »to«."
    assert page.get_by_label("Point").input_value() == "1\nto"  # nothing typed is lost
    assert page.get_by_label("Kompetencer").input_value() == "Python\nSQL"
    assert serious_violations(page) == []
    page.locator("#q\\.scores").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/question-types-error-{width}.png", full_page=True)
    page.get_by_label("Point").fill("1\n2,5")
    page.get_by_role("button", name="Se resultatet").click()
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Hent dokumentet i Word").click()
    target = tmp_path / "typer.docx"
    download_info.value.save_as(target)
    text = [p.text for p in Document(str(target)).paragraphs]
    assert text[:5] == ["Python;SQL;", "2;5.0;", "Antal: 4 tre", "Andel: ", "[\nefter en tom linje]"]


@pytest.mark.parametrize("width", [1280, 320])
def test_choose_a_picture_keep_it_through_a_mistake_and_download(page, list_server, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(list_server + "/skabeloner/logo/udfyld")
    (tmp_path / "logo.png").write_bytes(picture())
    page.get_by_label("Logo").set_input_files(str(tmp_path / "logo.png"))
    page.get_by_role("button", name="Se resultatet").click()
    assert page.locator("#q\\.firm-error").inner_text() == "Skal udfyldes."
    assert "Valgt: Billede (PNG, 1 kB)" in page.locator("#q\\.logo-image").inner_text()
    assert serious_violations(page) == []
    page.screenshot(path=f"/tmp/question-types-image-{width}.png", full_page=True)
    page.get_by_label("Firma").fill("Firma ApS")
    page.get_by_role("button", name="Se resultatet").click()
    assert "Billede (PNG, 1 kB)" in page.locator("dl.answers").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Hent dokumentet i Word").click()
    target = tmp_path / "logo.docx"
    download_info.value.save_as(target)
    assert len(Document(str(target)).inline_shapes) == 1
