"""Snippets people can read (issue 21): wiki links as titles, table rows as "label: cell; cell.", meetings and
projects with a sentence of their own, and a query word in the snippet whenever the document has one.

Real indexes over the bundled library (materials, templates, projects and meetings, as the web UI indexes them)
and over scratch copies of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.documents.packages import TemplateCatalogue
from toolkit.documents.templatesearch import TemplateSource
from toolkit.library.folder import Library
from toolkit.library.render import WIKILINK_RE, plain_text
from toolkit.network.meetingsearch import MeetingSource
from toolkit.network.projects.search import ProjectSource
from toolkit.search.analysis import Lexicon, danish_analyzer, fold
from toolkit.search.documents import SearchDoc, material_docs
from toolkit.search.index import SearchIndex
from toolkit.search.library_search import LibrarySearch
from toolkit.search.readable import readable_text
from toolkit.search.snippets import snippet, stem_pattern

LIBRARY = Library.load(BUNDLED_LIBRARY)
QUERIES = ("adgang til data", "dataadgang", "RKKP", "patientdata", "samtykke", "CE-mærkning", "Aarhus",
           "kvalitetsudvikling til driftstest", "klinisk evaluering", "komiteer", "Region Midtjylland", "anmeldelse",
           "playbook", "driftstest", "sepsis", "februar 2027", "Akutafdelingen", "IT-sikkerhed", "fase")
MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> tuple[SearchIndex, dict[str, SearchDoc]]:
    sources = [TemplateSource(TemplateCatalogue(BUNDLED_TEMPLATES)), ProjectSource(BUNDLED_LIBRARY),
               MeetingSource(BUNDLED_LIBRARY)]
    index = LibrarySearch(tmp_path_factory.mktemp("readable") / "index", sources).index_for(LIBRARY)
    docs = material_docs(LIBRARY) + [doc for source in sources for doc in source.docs(LIBRARY)]
    return index, {doc.id: doc for doc in docs}


def hits(index: SearchIndex, query: str, **filters):
    return index.search(query, per_page=100, **filters).hits


def linked(slug_filter=lambda slug: True) -> set[str]:
    """The slugs the bundled materials link to without a label of their own."""
    return {match[1].strip() for material in LIBRARY.materials() for match in WIKILINK_RE.finditer(material.body)
            if not match[3] and slug_filter(match[1].strip())}


# -- wiki links --------------------------------------------------------------------------------------------------


def test_wiki_links_read_as_their_label_or_the_linked_title():
    titles = {"adgang-til-data": "Adgang til sundhedsdata"}
    text = readable_text("Se [[adgang-til-data]], [[adgang-til-data#roller|rollerne]] og [[ukendt-materiale]].\n\n"
                         "| Emne | Hvor |\n|---|---|\n| Data | [[adgang-til-data\\|guiden]] |\n", titles)
    assert text.startswith("Se Adgang til sundhedsdata, rollerne og ukendt materiale.")
    assert "Data: guiden." in text
    assert "[[" not in text and "adgang-til-data" not in text


def test_no_snippet_over_the_bundled_library_shows_a_wiki_link_or_a_linked_slug(bundled):
    index, docs = bundled
    slugs = linked(lambda slug: "-" in slug)  # a one-word slug reads like the word it is
    assert len(slugs) >= 5  # the bundled library links a lot: the test looks at something
    for doc in docs.values():
        shown = doc.shown or doc.text  # what the index stores for snippets
        assert "[[" not in shown, doc.id
        assert not [slug for slug in slugs if slug in shown], doc.id
    titles = {slug: LIBRARY.get(slug).title for slug in slugs if slug in LIBRARY}
    seen = 0
    for query in (*QUERIES, *(slug.replace("-", " ") for slug in sorted(slugs))):
        for hit in hits(index, query):
            seen += 1
            assert "[[" not in hit.snippet_html and "]]" not in hit.snippet_html, (query, hit.slug)
            shown = MARK.sub(r"\1", hit.snippet_html)
            assert not [slug for slug in slugs if slug in shown], (query, hit.slug, hit.snippet_html)
    assert seen > 100
    # and where a link was, its target's title is read
    second = {hit.slug: MARK.sub(r"\1", hit.snippet_html) for hit in hits(index, "kvalitetsudvikling til driftstest")}
    assert titles["fra-kvalitetsudvikling-til-driftstest"] in second["fra-forskning-til-kvalitetsudvikling"]


def test_the_indexed_text_stays_the_plain_text_so_ranking_is_unchanged(bundled):
    _, docs = bundled
    for material in LIBRARY.materials():
        doc = docs[f"material:{material.slug}"]
        assert doc.text == plain_text(material.body) and doc.shown != doc.text


def test_a_linked_materials_new_title_reaches_the_snippet_text(tmp_path: Path):
    folder = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, folder)
    before = {doc.slug: doc for doc in material_docs(Library.load(folder))}
    target = folder / "komiteer-og-anmeldelse.md"
    old_title = Library.load(folder).get("komiteer-og-anmeldelse").title
    target.write_text(target.read_text(encoding="utf-8").replace(f"title: {old_title}", "title: Komitéguiden", 1),
                      encoding="utf-8")
    after = {doc.slug: doc for doc in material_docs(Library.load(folder))}
    linking = [slug for slug, doc in before.items() if old_title in doc.shown and slug != "komiteer-og-anmeldelse"]
    assert linking
    for slug in linking:
        assert "Komitéguiden" in after[slug].shown
        assert after[slug].shown != before[slug].shown


# -- tables ------------------------------------------------------------------------------------------------------


def test_table_rows_read_as_label_and_cells_never_as_a_flattened_run():
    body = ("Før tabellen.\n\n| Nr. | Anbefaling | Primært hos |\n| --- | --- | --- |\n"
            "| 1 | Stabil finansiering | Regionsråd og direktion |\n| 2 | En klar vej til dataadgang | Direktion |\n"
            "| 3 | | — |\n\nEfter tabellen.\n\n```\n| kode | bliver |\n|---|---|\n```\n")
    text = readable_text(body)
    lines = text.splitlines()
    assert "Nr., Anbefaling, Primært hos." in lines
    assert "Stabil finansiering: Regionsråd og direktion." in lines
    assert "En klar vej til dataadgang: Direktion." in lines
    assert "3" not in lines and "·" not in text.split("Efter tabellen.")[0]
    assert "kode: bliver." not in text  # a table in code is code, not rows


def test_the_data_access_snippet_is_a_row_not_flattened_table_text(bundled):
    index, docs = bundled
    assert not [doc.id for doc in docs.values() if doc.doctype == "material" and "·" in doc.shown]
    found = {hit.slug: hit.snippet_html for hit in hits(index, "adgang til data")}
    snippet = found["anbefalinger-til-beslutningstagere"]
    assert "·" not in snippet and "direktion 2" not in snippet
    assert "En klar vej til <mark>dataadgang</mark>: Ét indgangspunkt" in snippet


# -- meetings and projects ---------------------------------------------------------------------------------------


def test_a_meeting_found_by_theme_place_or_date_shows_its_own_sentence(bundled):
    index, _ = bundled
    sentence = "Netværksmøde om Adgang til data, 4. februar 2027, kl. 13.00–16.00, i Regionshuset"
    for query in ("Aarhus", "februar 2027", "Regionshuset"):
        meeting = next(hit for hit in hits(index, query) if hit.doctype == "meeting")
        shown = MARK.sub(r"\1", meeting.snippet_html)
        assert shown.startswith(sentence), (query, meeting.snippet_html)
    theme = next(hit for hit in hits(index, "IT-sikkerhed i AI-løsninger", doctype="meeting"))
    assert MARK.sub(r"\1", theme.snippet_html).startswith("Netværksmøde om IT-sikkerhed i AI-løsninger, 23. september")
    assert "Mødet er aflyst." in theme.snippet_html


def test_meeting_snippets_are_sentences_not_a_dump_of_labels(bundled):
    index, docs = bundled
    meeting = docs["meeting:2027-02-04-adgang-til-data"]
    assert "Emner: Jura, Forskning, Dataadgang." in meeting.shown
    assert "Oplæg ved Lise Andersen (Region Midtjylland, Jura): Forskning, kvalitetsudvikling" in meeting.shown
    assert "Jura\nForskning\nDataadgang" not in meeting.shown
    hit = next(hit for hit in hits(index, "Lise Andersen") if hit.doctype == "meeting")
    assert "Oplæg ved <mark>Lise</mark> <mark>Andersen</mark> (Region Midtjylland, Jura):" in hit.snippet_html
    assert "@" not in meeting.shown  # invitees' e-mail addresses stay out


def test_a_project_found_by_owner_or_phase_shows_its_own_sentence(bundled):
    index, _ = bundled
    by_owner = {hit.slug: hit.snippet_html for hit in hits(index, "Akutafdelingen")}
    assert by_owner["sepsis-tidlig-varsling"].startswith(
        "AI-projekt i netværkets projektregister hos Aarhus Universitetshospital, <mark>Akutafdelingen</mark>, "
        "i fasen Driftstest; regulatorisk: Egenfremstillet efter MDR art. 5, stk. 5.")
    by_phase = {hit.slug: hit.snippet_html for hit in hits(index, "driftstest", doctype="project")}
    assert "i fasen <mark>Driftstest</mark>;" in by_phase["sepsis-tidlig-varsling"]
    method = {hit.slug: hit.snippet_html for hit in hits(index, "gradient boosting")}
    assert "Metode: <mark>Gradient</mark> <mark>boosting</mark> (XGBoost)" in method["sepsis-tidlig-varsling"]


# -- the reader's own words --------------------------------------------------------------------------------------


def test_rkkp_the_top_hits_snippet_shows_rkkp(bundled):
    index, _ = bundled
    found = hits(index, "RKKP")
    assert "<mark>RKKP</mark>" in found[0].snippet_html
    assert all("<mark>RKKP</mark>" in hit.snippet_html for hit in found if hit.doctype == "material")


@pytest.mark.parametrize("query", QUERIES)
def test_the_snippet_holds_a_query_word_whenever_the_document_does(bundled, query):
    """A word typed (as its stem: "anmeldelse" is shown by "anmeldes") that a hit's text holds is marked in
    its snippet — not only a synonym or a part of it."""
    index, docs = bundled
    analyzer = danish_analyzer(Lexicon.load(BUNDLED_LIBRARY))
    words = [analyzer(word, mode="query").__next__().text for word in re.findall(r"\w+", query)
             if len(word) > 3 or word.isupper()]
    checked = 0
    for hit in hits(index, query)[:10]:
        text = fold(docs[hit.id].shown or docs[hit.id].text)
        present = [word for word in words if re.search(rf"(?<!\w){re.escape(word)}", text)]
        if not present:
            continue
        marked = [fold(mark) for mark in MARK.findall(hit.snippet_html)]
        assert any(word in mark for word in present for mark in marked), (query, hit.slug, hit.snippet_html)
        checked += 1
    assert checked, query


def test_snippets_stay_escaped_with_only_mark_tags(tmp_path: Path):
    body = ("Om <script>alert(1)</script> og data.\n\n| Rolle | Opgave |\n|---|---|\n"
            "| <b>DPO</b> | Retsgrundlag for data & [[adgang-til-data]] |\n")
    doc = SearchDoc(id="material:farlig", doctype="material", slug="farlig", title="Farlig", summary="Resumé.",
                    text=readable_text(body, {"adgang-til-data": "Adgang til <data>"}), url="/m/farlig/")
    index = SearchIndex(tmp_path / "index", Lexicon.load(BUNDLED_LIBRARY))
    index.sync([doc])
    for query in ("data", "DPO", "script"):
        snippet = index.search(query).hits[0].snippet_html
        assert set(re.findall(r"</?(\w+)", snippet)) <= {"mark"}, snippet
    assert "&lt;b&gt;<mark>DPO</mark>&lt;/b&gt;: Retsgrundlag" in index.search("DPO").hits[0].snippet_html


# -- the window ----------------------------------------------------------------------------------------------------


def test_the_readers_word_beats_a_synonym_and_the_whole_word_beats_a_part():
    filler = "ord " * 80 + "slut. "
    text = f"Kliniske kvalitetsdatabaser først. {filler}Her står RKKP. {filler}"
    html = snippet(text, stem_pattern(["rkkp", "klinisk", "kvalitetsdatabas"], enough=1, words=["rkkp"]))
    assert html.startswith("… Her står <mark>RKKP</mark>.") and "Kliniske" not in html
    text = f"Sundhedsdata står først. {filler}Patientdata står her. {filler}"
    html = snippet(text, stem_pattern(["patientdata", "patient", "data"], enough=1, words=["patientdata"]))
    assert html.startswith("… <mark>Patientdata</mark> står her.")
    # without the typed words (as before): the earliest window with any stem
    assert snippet(text, stem_pattern(["patientdata", "patient", "data"], enough=1)).startswith("<mark>Sundhedsdata")


def test_a_whole_word_past_many_common_matches_is_still_found():
    text = "Data og data. " * 200 + "Til sidst om patientdata og mere. " + "fyld " * 50
    html = snippet(text, stem_pattern(["patientdata", "data"], enough=1, words=["patientdata"]))
    assert "<mark>patientdata</mark>" in html and html.startswith("… Til sidst om")


def test_accented_letters_are_found_by_their_folded_stem():
    html = snippet("Spørg komitéen først.", stem_pattern(["komite"], enough=1, words=["komiteer"]))
    assert html == "Spørg <mark>komitéen</mark> først."
