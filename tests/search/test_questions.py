"""The questions a material answers (front matter `questions`, issue 21): searched beside its text, so a question in
the reader's words finds the guide written in other words; shown on the material page and edited in the form.
Real indexes, the real bundled library and real HTTP through Flask's test client."""

from pathlib import Path

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.config import BUNDLED_LIBRARY
from toolkit.library.folder import Library
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc, material_docs
from toolkit.search.index import SearchIndex

FILLER = "Afdelingen beskriver arbejdsgange, roller, ansvar og tidsplan for projektet. "


def doc(slug: str, text: str, questions: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(id=f"material:{slug}", doctype="material", slug=slug, title=slug.capitalize(),
                     summary="Et notat om arbejdet.", text=text, url=f"/m/{slug}/", updated="2026-01-01",
                     version="1.0.0", questions=questions)


def test_a_question_in_the_readers_words_finds_the_guide_that_answers_it(tmp_path: Path):
    index = SearchIndex(tmp_path / "index", Lexicon())
    index.rebuild([
        doc("haendelser", FILLER * 6 + "Fabrikanten skal indberette alvorlige hændelser til Lægemiddelstyrelsen.",
            questions=("hvad gør vi når AI-værktøjet fejler", "hvem melder fejlen")),
        doc("kommunikation", FILLER * 3 + "Fortæl personalet om værktøjet og om fejl, når de sker."),
    ])
    # "melder" and "fejler" are the reader's words; the guide's text says "indberette" and "hændelser"
    assert index.search("hvem melder fejl i værktøjet").hits[0].slug == "haendelser"
    without = SearchIndex(tmp_path / "plain", Lexicon())
    without.rebuild([doc("haendelser", FILLER * 6 + "Fabrikanten skal indberette alvorlige hændelser til "
                                                   "Lægemiddelstyrelsen."),
                     doc("kommunikation", FILLER * 3 + "Fortæl personalet om værktøjet og om fejl, når de sker.")])
    assert without.search("hvem melder fejl i værktøjet").hits[0].slug == "kommunikation"


def test_every_bundled_material_carries_its_questions_into_search():
    library = Library.load(BUNDLED_LIBRARY)
    assert library.problems == []
    docs = {d.slug: d for d in material_docs(library)}
    for material in library.materials():
        assert 20 <= len(material.questions) + len(material.questions_en) <= 40, material.slug
        assert len(material.questions_en) >= 2, material.slug
        assert docs[material.slug].questions == material.questions + material.questions_en


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"))


def test_the_page_lists_the_questions_and_the_form_edits_them(app):
    from tests.helpers.forms import form_data

    slug = "test-i-praksis"
    reader = app.test_client()
    page = reader.get(f"/m/{slug}/").get_data(as_text=True)
    material = app.extensions["netkit.source"].library().get(slug)
    assert '<section class="material-questions"' in page
    assert f"<li>{material.questions[0]}</li>" in page and f"({len(material.questions)})" in page
    assert material.questions_en[0] not in page  # the English ones when the page is read in English
    reader.get("/sprog/en")
    english = reader.get(f"/m/{slug}/").get_data(as_text=True)
    assert f"<li>{material.questions_en[0]}</li>" in english and material.questions[0] not in english

    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    address = f"/m/{slug}/rediger"
    form = form_data(frida.get(address).get_data(as_text=True), address)
    assert form["questions"].splitlines() == list(material.questions)
    assert form["questions_en"].splitlines() == list(material.questions_en)

    too_long = {**form, "questions": form["questions"] + "\n" + "hvorfor " * 30, "action": "save"}
    refused = frida.post(address, data=too_long)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Spørgsmål, materialet besvarer" in text
    assert f"Spørgsmål {len(material.questions) + 1} er 239 tegn; skriv 3–160 tegn." in text  # in Danish
    assert form_data(text, address)["questions"].rstrip().endswith("hvorfor hvorfor")  # kept as typed

    added = {**form, "questions": "hvem <slukker> for modellen om natten\n" + form["questions"], "action": "save"}
    assert frida.post(address, data=added).status_code == 302
    saved = app.extensions["netkit.source"].library().get(slug)
    assert saved.questions[0] == "hvem <slukker> for modellen om natten" and len(saved.questions) == \
        len(material.questions) + 1
    # the saved text is a draft of the published guide: its writers see it, readers the published edition
    shown = frida.get(f"/m/{slug}/").get_data(as_text=True)
    assert "<li>hvem &lt;slukker&gt; for modellen om natten</li>" in shown  # escaped, never markup
    assert "slukker" not in reader.get(f"/m/{slug}/").get_data(as_text=True)
    hits = frida.get("/sog?q=slukker").get_data(as_text=True)
    assert f'href="/m/{slug}/"' in hits


def test_a_snippet_shows_the_question_that_matched_when_the_text_does_not_hold_the_words(tmp_path: Path):
    from toolkit.library.materials import parse_material
    from toolkit.library.taxonomy import Taxonomy
    from toolkit.search.documents import material_doc

    text = """---
title: Hændelser og egenproduktion
kind: guide
summary: Sådan indberettes alvorlige hændelser med medicinsk udstyr.
topics: [law]
audience: [clinical-staff]
language: da
authors: [Testgruppen]
status: published
version: 1.0.0
updated: 2026-01-15
questions:
  - hvem melder fejlen når AI-værktøjet fejler
  - indberetning af hændelser
questions_en:
  - who reports a serious incident
---
""" + FILLER * 8 + "Fabrikanten skal indberette alvorlige hændelser til Lægemiddelstyrelsen.\n"
    material, problems = parse_material(Path("haendelser.md"), text, Taxonomy.load(BUNDLED_LIBRARY / "taxonomy.yaml"))
    assert problems == [] and material is not None
    index = SearchIndex(tmp_path / "index", Lexicon())
    index.rebuild([material_doc(material)])
    asked = index.search("hvem melder fejlen").hits[0].snippet_html
    assert "<mark>Hvem</mark> <mark>melder</mark> <mark>fejlen</mark> når AI-værktøjet <mark>fejler</mark>?" in asked
    told = index.search("indberette Lægemiddelstyrelsen").hits[0].snippet_html
    english = index.search("serious incident")
    assert english.hits and "serious" not in english.hits[0].snippet_html  # found by it, never shown in English
    # the text first when it holds the words (the window may run on into the questions after it)
    assert told.startswith("… Fabrikanten skal <mark>indberette</mark> alvorlige hændelser til "
                           "<mark>Lægemiddelstyrelsen</mark>.")


def test_a_templates_page_lists_what_readers_ask_for_and_search_finds_it_by_that(app):
    from toolkit.config import BUNDLED_TEMPLATES
    from toolkit.documents.packages import TemplateCatalogue

    form = TemplateCatalogue(BUNDLED_TEMPLATES).get("samtykkeerklaering").form
    assert len(form.asked) >= 10 and len(form.asked_en) >= 2
    reader = app.test_client()
    page = reader.get("/skabeloner/samtykkeerklaering/").get_data(as_text=True)
    assert '<section class="material-questions"' in page and f"<li>{form.asked[0]}</li>" in page
    assert form.asked_en[0] not in page
    reader.get("/sprog/en")
    english = reader.get("/skabeloner/samtykkeerklaering/").get_data(as_text=True)
    assert f"<li>{form.asked_en[0]}</li>" in english and form.asked[0] not in english
    reader.get("/sprog/da")
    # "forældre" is in what readers ask for, not in the indexed questionnaire text nor in any material
    found = reader.get("/sog?q=forældre").get_data(as_text=True)
    assert 'href="/skabeloner/samtykkeerklaering/"' in found and "<mark>forældre</mark>" in found


def test_a_question_the_check_refused_stays_in_the_form_and_a_save_says_so(app):
    """An entry the check leaves out of the page (a repeat) is still in the file: the form shows the file's list, so
    a save that only changes the text refuses with the problem instead of silently dropping the entry."""
    import time

    from tests.helpers.forms import form_data

    slug = "test-i-praksis"
    instance = app.extensions["netkit.source"]
    instance.interval = 0
    first = instance.library().get(slug).questions[0]
    path = instance.library_dir / f"{slug}.md"  # written in a text editor: the app itself refuses to save it
    text = path.read_text(encoding="utf-8").replace("questions:\n", f"questions:\n  - {first.upper()}\n", 1)
    time.sleep(0.01)
    path.write_text(text, encoding="utf-8")
    shown = instance.library().get(slug).questions
    assert shown[0] == first.upper() and first not in shown  # the repeat is left out of the page and search
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    address = f"/m/{slug}/rediger"
    form = form_data(frida.get(address).get_data(as_text=True), address)
    assert form["questions"].splitlines()[:2] == [first.upper(), first]
    refused = frida.post(address, data={**form, "body": form["body"] + "\nEt nyt afsnit.\n", "action": "save"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Spørgsmål 2 står der allerede; fjern det." in page
    assert "Et nyt afsnit." in form_data(page, address)["body"]  # what was typed is kept
    assert instance.read(slug) == text  # nothing saved, nothing dropped


def test_a_post_without_the_questions_boxes_leaves_them_as_they_are(app):
    from tests.helpers.forms import form_data

    slug = "klinisk-evaluering"
    before = app.extensions["netkit.source"].library().get(slug)
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    address = f"/m/{slug}/rediger"
    form = form_data(frida.get(address).get_data(as_text=True), address)
    older = {key: value for key, value in form.items() if key not in ("questions", "questions_en")}
    saved = frida.post(address, data={**older, "summary": form["summary"] + " Opdateret.", "action": "save"})
    assert saved.status_code == 302
    after = app.extensions["netkit.source"].library().get(slug)
    assert after.summary.endswith("Opdateret.")
    assert after.questions == before.questions and after.questions_en == before.questions_en


def test_the_api_gives_the_questions_and_describes_them(app):
    api = app.test_client()
    material = api.get("/api/materials/klinisk-evaluering").get_json()
    assert len(material["questions"]) >= 20 and len(material["questions_en"]) >= 2
    template = api.get("/api/templates/samtykkeerklaering").get_json()
    assert len(template["asked"]["da"]) >= 10 and len(template["asked"]["en"]) >= 2
    schemas = api.get("/api/openapi.json").get_data(as_text=True)
    assert '"questions_en"' in schemas and '"asked"' in schemas
