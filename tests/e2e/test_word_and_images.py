"""Bring your own content in a real browser (issue 18): a member imports a Word document made with python-docx on
/ny, looks the converted text through in the editor (with what Word could not carry listed), saves it and sees its
headings and picture on the page; then adds an image in the editor, sees it in the preview and on the page, and
finds it — with its alt text — in the page's Word export. A Word round trip ("Hent som Word til kommentering",
changed in Word, loaded back) merges with a change saved meanwhile; a file that is not Word is refused at the
field. /ny, the editor after an upload and the page with the image are checked with axe-core; screenshots at 1280
and 320 px (never scrolling sideways) go to /tmp/issue18-*.png."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from PIL import Image

from tests.e2e.layout import page_width
from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from tests.publishing.wordbuild import add_hyperlink, add_picture, saved
from toolkit.history.gitstore import Author
from toolkit.library.starters import new_material

pytestmark = pytest.mark.browser

TITLE = "Dataflow fra hospital til projekt"
SLUG = "dataflow-fra-hospital-til-projekt"
WORD_ALT = "Diagram over dataflowet fra hospital til projekt"
ADDED_ALT = "Kort over regionens fem hospitaler"
TYPED = "En linje skrevet i editoren, før filen blev tilføjet."
NARROW, WIDE = {"width": 320, "height": 900}, {"width": 1280, "height": 900}
SHOTS = "/tmp/issue18-{}-{}.png"


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 20):  # stripes, so a picture that loaded shows more than a flat box
        for y in range(height):
            image.putpixel((x, y), (255, 255, 255))
    image.save(out, "PNG")
    return out.getvalue()


def word_file() -> bytes:
    """A realistic draft: title property, headings, a nested list, a table, a link, a described picture, a page
    header and a reviewer's comment (the last two are what the member is told about)."""
    document = Document()
    document.core_properties.title = TITLE
    document.sections[0].header.paragraphs[0].text = "Udkast – kun til arbejdsgruppen"
    document.add_heading(TITLE, 0)  # Word's Title style
    intro = document.add_paragraph("Sådan flyder data fra hospitalet til projektets analysemiljø.")
    document.add_comment(intro.runs, text="Skal vi nævne behandlingstiden?", author="Anne Hansen", initials="AH")
    document.add_heading("Trin for trin", 1)
    document.add_paragraph("Ansøg om adgang", style="List Bullet")
    document.add_paragraph("Udfyld ansøgningsskemaet", style="List Bullet 2")
    document.add_paragraph("Modtag data", style="List Bullet")
    document.add_heading("Hvem gør hvad", 2)
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for r, row in enumerate([("Trin", "Ansvarlig"), ("Ansøgning", "Projektleder"), ("Udlevering", "Dataejer")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    link = document.add_paragraph("Læs mere hos ")
    add_hyperlink(link, "Sundhedsdatastyrelsen", "https://sundhedsdatastyrelsen.dk/")
    document.add_heading("Diagram", 1)
    add_picture(document, png(240, 120, (11, 79, 113)), WORD_ALT)
    return saved(document)


@pytest.fixture(scope="module")
def word_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("word-images") / "instance"
    app = instance_app(home, ("mette", "member", ("dataadgang",)))
    with serving(app) as base:
        yield base, app.extensions["netkit.source"]


def submit(page, button) -> None:
    """Click a submit button and wait for the answer page (a POST answers with a page or a redirect)."""
    with page.expect_navigation():
        button.click()


def saved_to(page, url: str) -> None:
    """Click "Gem" and land on the page; a refusal fails with what the page said."""
    submit(page, page.get_by_role("button", name="Gem", exact=True))
    refusal = page.locator(".error-summary")
    assert refusal.count() == 0, refusal.inner_text()
    page.wait_for_url(url)


def shoot(page, name: str) -> None:
    """The page at 1280 and at 320 px (full length), never wider than the window; the window is left at 1280."""
    for size in (NARROW, WIDE):
        page.set_viewport_size(size)
        assert page_width(page) <= size["width"], f"{name} scrolls sideways at {size['width']} px"
        page.screenshot(path=SHOTS.format(name, size["width"]), full_page=True)


def loaded_images(page, alt: str) -> list[int]:
    """The natural widths of the page's images with this alt text (0: the browser could not load it)."""
    page.wait_for_load_state("load")
    return page.evaluate("""alt => [...document.querySelectorAll('img')].filter(i => i.alt === alt)
        .map(i => i.complete ? i.naturalWidth : 0)""", alt)


def test_import_word_add_an_image_and_find_it_in_the_word_export(browser, word_server, tmp_path):
    base, instance = word_server
    context = browser.new_context(locale="da-DK", viewport=WIDE, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, base, "mette")
        _import_on_new(page, base, tmp_path)
        _save_new(page, base)
        _add_an_image(page, base, instance)
        _word_export_has_the_pictures(page, tmp_path)
    finally:
        context.close()


def _import_on_new(page, base: str, tmp_path) -> None:
    page.goto(base + "/ny")
    section = page.get_by_role("region", name="Har du teksten i Word?")
    assert section.get_by_role("button", name="Indlæs Word-filen").is_visible()
    assert serious_violations(page) == []
    shoot(page, "ny")
    section.get_by_label("Slags materiale").select_option("guide")
    draft = tmp_path / "Dataflow-udkast.docx"
    draft.write_bytes(word_file())
    section.get_by_label("Word-fil").set_input_files(str(draft))
    submit(page, section.get_by_role("button", name="Indlæs Word-filen"))

    assert page.locator("h1").inner_text() == "Nyt materiale: Vejledning"
    assert page.get_by_label("Titel").input_value() == TITLE
    body = page.get_by_label("Tekst (Markdown)").input_value()
    # Word's Heading 1 is the page's second level (the title is its first)
    assert re.search(r"^## Trin for trin$", body, re.M) and re.search(r"^### Hvem gør hvad$", body, re.M)
    assert "- Ansøg om adgang\n  - Udfyld ansøgningsskemaet\n- Modtag data" in body  # the nested list
    assert "| Trin | Ansvarlig |" in body and "| Udlevering | Dataejer |" in body  # the table
    assert "[Sundhedsdatastyrelsen](https://sundhedsdatastyrelsen.dk/)" in body  # the link
    assert f"![{WORD_ALT}](media:" in body  # the picture, described
    notes = page.get_by_role("region", name="Fra Word-filen")
    assert "sidehoved og sidefod" in notes.inner_text()
    assert "Anne Hansen" in notes.inner_text() and "Skal vi nævne behandlingstiden?" in notes.inner_text()
    preview = page.get_by_role("region", name="Forhåndsvisning")
    assert preview.get_by_role("heading", name="Trin for trin").count() == 1
    assert loaded_images(page, WORD_ALT) and all(loaded_images(page, WORD_ALT))  # shown before anything is saved
    assert serious_violations(page) == []
    shoot(page, "editor-word")


def _save_new(page, base: str) -> None:
    page.get_by_label("Resumé").fill("Hvordan data kommer fra hospitalet til projektet, trin for trin.")
    page.get_by_label("Teknologi").check()
    page.get_by_label("Projektledere").check()
    page.get_by_label("Hvad har du ændret?", exact=False).fill("Indlæst fra Word")
    saved_to(page, f"{base}/m/{SLUG}/?gemt=*")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == TITLE
    for heading in ("Trin for trin", "Hvem gør hvad", "Diagram"):
        assert main.get_by_role("heading", name=heading).count() == 1
    assert main.get_by_role("cell", name="Dataejer").count() == 1
    assert main.get_by_role("link", name="Sundhedsdatastyrelsen").get_attribute("href") == \
        "https://sundhedsdatastyrelsen.dk/"
    widths = loaded_images(page, WORD_ALT)
    assert len(widths) == 1 and widths[0] == 240


def _add_an_image(page, base: str, instance) -> None:
    page.locator("main").get_by_role("link", name="Rediger").click()
    page.wait_for_url(f"{base}/m/{SLUG}/rediger")
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + f"\n{TYPED}\n")
    page.get_by_label("Billede eller PDF").set_input_files(
        files=[{"name": "Hospitaler.png", "mimeType": "image/png", "buffer": png(900, 300, (120, 40, 40))}])
    page.get_by_label("Hvad viser billedet?", exact=False).fill(ADDED_ALT)
    submit(page, page.get_by_role("button", name="Tilføj fil"))

    text = page.get_by_label("Tekst (Markdown)").input_value()
    assert TYPED in text  # nothing typed is lost
    assert text.rstrip().endswith(f"![{ADDED_ALT}](media:hospitaler.png)")
    assert "hospitaler.png" in page.locator(".notice").first.inner_text()
    preview = page.get_by_role("region", name="Forhåndsvisning")
    assert preview.get_by_role("img", name=ADDED_ALT).count() == 1
    assert loaded_images(page, ADDED_ALT) == [900]
    assert loaded_images(page, WORD_ALT) == [240]  # the stored picture in the preview too
    assert not (instance.library_dir / "media" / SLUG / "hospitaler.png").exists()  # not before the save
    assert serious_violations(page) == []
    shoot(page, "editor-image")

    page.get_by_label("Hvad har du ændret?", exact=False).fill("Kort over hospitalerne")
    saved_to(page, f"{base}/m/{SLUG}/?gemt=*")
    assert TYPED in page.locator("main").inner_text()
    assert loaded_images(page, ADDED_ALT) == [900]
    assert loaded_images(page, WORD_ALT) == [240]
    assert (instance.library_dir / "media" / SLUG / "hospitaler.png").exists()
    assert page.locator("main").get_by_role("link", name="Kommentarer (1 åben)").count() == 1  # Word's comment
    assert serious_violations(page) == []
    shoot(page, "page-image")


def _word_export_has_the_pictures(page, tmp_path) -> None:
    with page.expect_download() as got:
        page.get_by_role("link", name="Hent som Word").click()
    path = tmp_path / "export.docx"
    got.value.save_as(path)
    document = Document(str(path))
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert ADDED_ALT in descriptions and WORD_ALT in descriptions
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Trin for trin" in text and TYPED in text


ROUND_TRIP = "runde-tur-i-word"
ROUND_BODY = """Første afsnit om projektet.

## Plan

Andet afsnit, som ingen rører.

Sidste afsnit før Word.
"""


def test_a_word_round_trip_merges_with_a_change_saved_meanwhile(browser, word_server, tmp_path):
    """Download "til kommentering", write and comment in Word while someone else saves a change, load it back:
    the save merges both, and the Word comment becomes a comment on the text."""
    base, instance = word_server
    mette = Author("mette", "mette@netkit.localhost")
    instance.save(ROUND_TRIP, new_material(title="Runde tur i Word", kind="guide", summary="Et udkast til Word.",
                                           topics=["technology"], audience=["project-leads"], author="mette",
                                           working_group="dataadgang", body=ROUND_BODY), mette, "Ny", None)
    context = browser.new_context(locale="da-DK", viewport=WIDE, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, base, "mette")
        page.goto(f"{base}/m/{ROUND_TRIP}/rediger")
        with page.expect_download() as got:
            page.get_by_role("link", name="Hent som Word til kommentering").click()
        assert got.value.suggested_filename.startswith(f"{ROUND_TRIP}-til-kommentering-")
        path = tmp_path / "til-kommentering.docx"
        got.value.save_as(path)

        document = Document(str(path))  # the co-author's work in Word
        last = next(p for p in document.paragraphs if p.text == "Sidste afsnit før Word.")
        last.insert_paragraph_before("Et afsnit skrevet i Word.")
        document.add_comment(last.runs, text="Er det her det sidste ord?", author="Anne Hansen", initials="AH")
        document.save(str(path))

        latest = instance.latest_revision(ROUND_TRIP)  # meanwhile, someone changes the first paragraph
        other = instance.read(ROUND_TRIP).replace("Første afsnit om projektet.", "Første afsnit, rettet af Frida.")
        instance.save(ROUND_TRIP, other, Author("frida", "frida@netkit.localhost"), "Rettet", latest)

        page.get_by_label("Word-fil med dine ændringer").set_input_files(str(path))
        submit(page, page.get_by_role("button", name="Indlæs ændringer fra Word"))
        assert page.locator(".notice").first.inner_text().startswith("Ændringerne fra Word er læst ind.")
        body = page.get_by_label("Tekst (Markdown)").input_value()
        assert "Et afsnit skrevet i Word.\n\nSidste afsnit før Word." in body
        assert "Er det her det sidste ord?" in page.get_by_role("region", name="Fra Word-filen").inner_text()
        assert serious_violations(page) == []
        saved_to(page, f"{base}/m/{ROUND_TRIP}/?gemt=flettet")
        text = page.locator("main .material-body").inner_text()
        assert "Første afsnit, rettet af Frida." in text and "Et afsnit skrevet i Word." in text
        assert page.locator("main").get_by_role("link", name="Kommentarer (1 åben)").count() == 1
    finally:
        context.close()


def test_a_file_that_is_not_word_is_refused_at_the_field(page, word_server):
    base, instance = word_server
    before = instance.head()
    sign_in(page, base, "mette")
    page.goto(base + "/ny")
    section = page.get_by_role("region", name="Har du teksten i Word?")
    section.get_by_label("Slags materiale").select_option("guide")
    section.get_by_label("Word-fil").set_input_files(
        files=[{"name": "Rapport.docx", "mimeType": "application/octet-stream", "buffer": png(40, 30, (0, 0, 0))}])
    submit(page, section.get_by_role("button", name="Indlæs Word-filen"))
    refusal = page.get_by_role("alert")
    assert refusal.get_by_role("heading").inner_text() == "Word-filen blev ikke indlæst"
    assert "er ikke et Word-dokument" in refusal.inner_text()
    refusal.get_by_role("link", name="Word-fil").click()  # the error leads to the field
    assert page.evaluate("document.activeElement.id") == "word"
    assert page.get_by_label("Slags materiale").input_value() == "guide"  # the choice is kept
    assert instance.head() == before  # nothing written
    assert serious_violations(page) == []
    shoot(page, "ny-refused")
