"""The project registry through real HTTP on a real instance (the bundled library with its example projects):
browsing with combined filters and counts, the project page, CSV and .xlsx exports read back and compared with
the filtered records, adding and editing with permissions, refused forms that keep what was typed, escaping,
CSRF, and search finding a project saved a moment ago."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.network.projects.export import HEADERS, rows
from toolkit.network.projects.filters import ProjectFilters, filter_projects
from webui.context import PROJECTS_KEY, SOURCE_KEY

SEPSIS = "sepsis-tidlig-varsling"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member"), ("ole", "member"))


def client_of(app, name):
    return sign_in(app, name, f"{name}-kodeord-1")


def titles(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/projekter/[a-z0-9-]+/">(.*?)</a>', page)


def facet(page: str, name: str) -> dict[str, int]:
    section = re.search(rf'<section aria-labelledby="facet-{name}">(.*?)</section>', page, re.S)
    if section is None:
        return {}
    return {text.strip(): int(count) for text, count in
            re.findall(r'<a href="[^"]*"[^>]*>([^<]+)\s*<span class="count">\((\d+)\)</span>', section.group(1))}


def new_project_form(client) -> dict:
    form = form_data(client.get("/projekter/ny").get_data(as_text=True), "/projekter/ny")
    form.update({
        "title": "Billedanalyse af hudforandringer",
        "summary": "Et projekt om zebrafiskemønstre i billeder af modermærker, kun til testene.",
        "owner": "aarhus-universitetshospital", "department": "Hudafdelingen",
        "contacts": "Mette Hansen; mette@example.org; Projektleder",
        "clinical_area": "Dermatologi", "problem": "Modermærker vurderes sent.", "phase": "research",
        "data_sources": "Kliniske fotos\nMidtEPJ", "ai_method": "CNN", "regulatory_status": "not-medical-device",
        "regulatory_class": "", "start": "2026-01-01", "end": "2027-12-31",
        "links": "Projektside; https://www.example.org/hud", "related_materials": ["klinisk-evaluering"],
        "action": "save",
    })
    return form


def test_the_nav_links_to_the_registry_and_it_lists_the_examples(app):
    client = app.test_client()
    assert '<a href="/projekter/">Projekter</a>' in client.get("/").get_data(as_text=True)
    page = client.get("/projekter/").get_data(as_text=True)
    assert len(titles(page)) == 16 and "Tidlig varsling af sepsis i akutmodtagelsen" in titles(page)
    assert page.count('<span class="badge example">Eksempel</span>') == 16
    assert "16 projekter" in page
    assert facet(page, "phase") == {"Idé": 3, "Forskning": 3, "Kvalitetsudvikling": 2, "Driftstest": 3, "I drift": 3,
                                    "Stoppet": 2}
    assert facet(page, "regulatory")["Under vurdering"] == 3
    assert "Tilføj et projekt" not in page  # only for signed-in members


def test_filters_combine_and_counts_follow(app):
    client = app.test_client()
    page = client.get("/projekter/?owner=region-midtjylland").get_data(as_text=True)
    assert sorted(titles(page)) == ["Forudsigelse af genindlæggelse efter udskrivelse",
                                    "Risikovurdering af tryksår hos indlagte patienter"]
    assert facet(page, "phase") == {"Idé": 1, "Kvalitetsudvikling": 1}
    assert facet(page, "owner")["Region Midtjylland"] == 2 and facet(page, "owner")["Aarhus Universitet"] == 1
    assert "2 projekter" in page and "af 16" in page
    both = client.get("/projekter/?owner=region-midtjylland&phase=idea&area=SYGEPLEJE").get_data(as_text=True)
    assert titles(both) == ["Risikovurdering af tryksår hos indlagte patienter"]
    assert 'href="/projekter/eksport.csv?phase=idea&amp;area=Sygepleje&amp;owner=region-midtjylland"' in both
    unknown = client.get("/projekter/?phase=foo&owner=region-midtjylland")
    assert unknown.status_code == 200 and titles(unknown.get_data(as_text=True)) == titles(page)  # ignored
    stopped = client.get("/projekter/?phase=stopped&owner=region-midtjylland").get_data(as_text=True)
    assert titles(stopped) == [] and "Ingen projekter passer til alle filtrene." in stopped
    empty = client.get("/projekter/?regulatory=ce-marked&owner=region-midtjylland").get_data(as_text=True)
    assert titles(empty) == [] and "Ingen projekter passer til alle filtrene." in empty


def test_the_project_page_shows_every_field(app):
    page = app.test_client().get(f"/projekter/{SEPSIS}/").get_data(as_text=True)
    assert "<h1>Tidlig varsling af sepsis i akutmodtagelsen</h1>" in page
    assert 'class="badge example">Eksempel</span>' in page and "Projektet og kontaktpersonerne er opdigtede" in page
    for text in ("Aarhus Universitetshospital, Akutafdelingen", "Akutmedicin", "Driftstest",
                 "Egenfremstillet efter MDR art. 5, stk. 5", "1. september 2024", "31. december 2026",
                 "Laboratoriesvar (LABKA)", "Gradient boosting (XGBoost)", "Hver times", "Projektleder, overlæge"):
        assert text in page, text
    assert '<a href="mailto:mette.soerensen@example.org">mette.soerensen@example.org</a>' in page
    assert '<a href="https://www.example.org/sepsis-varsling" rel="noopener noreferrer">' in page
    assert '<a href="/m/test-i-praksis/">Test af AI-værktøjer i klinisk praksis</a>' in page
    assert re.search(r'<a href="/grupper[^"]*drift[^"]*">Arbejdsgruppen for drift og driftsejerskab</a>', page)
    ce = app.test_client().get("/projekter/triage-af-thoraxroentgen/").get_data(as_text=True)
    assert "CE-mærket, klasse IIa" in ce
    missing = app.test_client().get("/projekter/sepsis-tidlig-varslin/")
    assert missing.status_code == 404
    assert 'Mente du <a href="/projekter/sepsis-tidlig-varsling/">Tidlig varsling af sepsis' in missing.get_data(
        as_text=True)
    assert app.test_client().get("/projekter/Ugyldig_Slug/").status_code in (400, 404)


def _expected(app, **filters) -> list[list]:
    registry = app.extensions[PROJECTS_KEY]
    chosen = filter_projects(registry.all(), ProjectFilters(**filters))
    return rows(chosen, registry.organisations)


def test_csv_export_of_the_filtered_overview(app):
    response = app.test_client().get("/projekter/eksport.csv?regulatory=under-assessment")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once
    assert 'filename="projekter.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    read = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(read[0]) == HEADERS
    expected = _expected(app, regulatory="under-assessment")
    assert len(read) == 4 and len(expected) == 3
    assert read[1:] == [[v.isoformat() if isinstance(v, dt.date) else (v or "") for v in row] for row in expected]
    assert {row[0] for row in read[1:]} == {"genindlaeggelse-risiko", "tryksaarsrisiko",
                                            "apopleksi-triage-praehospital"}
    everything = list(csv.reader(io.StringIO(app.test_client().get("/projekter/eksport.csv").data
                                             .decode("utf-8-sig")), delimiter=";"))
    assert len(everything) == 17 and "Tale-til-tekst til kliniske journalnotater" in [r[1] for r in everything]


def test_xlsx_export_of_the_filtered_overview(app):
    response = app.test_client().get("/projekter/eksport.xlsx?owner=region-midtjylland&phase=quality-development")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == HEADERS
    expected = _expected(app, owner="region-midtjylland", phase="quality-development")
    assert [[v.date() if isinstance(v, dt.datetime) else (v or "") for v in row] for row in values[1:]] == \
        [[v if v is not None else "" for v in row] for row in expected]
    assert values[1][1] == "Forudsigelse af genindlæggelse efter udskrivelse"
    assert values[1][HEADERS.index("Start")] == dt.datetime(2025, 3, 1)  # a real date cell


def test_a_member_adds_a_project_and_edits_it_others_cannot(app):
    anonymous = app.test_client()
    assert anonymous.get("/projekter/ny").status_code == 302
    assert anonymous.post("/projekter/ny", data={"title": "x"}).status_code == 401  # sign-in page, text kept
    mette, _token = client_of(app, "mette")
    browse = mette.get("/projekter/").get_data(as_text=True)
    assert 'href="/projekter/ny"' in browse
    form = new_project_form(mette)
    assert "example" not in form  # only facilitators mark examples
    saved = mette.post("/projekter/ny", data={**form, "example": "1"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        "/projekter/billedanalyse-af-hudforandringer/?gemt=ny")
    page = mette.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Projektet er oprettet." in page and "Hudafdelingen" in page and "Eksempel</span>" not in page
    assert "/projekter/billedanalyse-af-hudforandringer/rediger" in page
    instance = app.extensions[SOURCE_KEY]
    text = (instance.library_dir / "projects" / "billedanalyse-af-hudforandringer.yaml").read_text()
    assert "created_by: mette" in text and "example:" not in text and "start: 2026-01-01" in text
    revision, _slugs = instance.recent_changes(1)[0]
    assert revision.author == "mette" and revision.message == "Nyt projekt: Billedanalyse af hudforandringer"

    edit = form_data(mette.get("/projekter/billedanalyse-af-hudforandringer/rediger").get_data(as_text=True),
                     "/rediger")
    assert edit["contacts"] == "Mette Hansen; mette@example.org; Projektleder"
    assert edit["related_materials"] == "klinisk-evaluering" and edit["phase"] == "research"
    edit.update(phase="quality-development", action="save")
    assert mette.post("/projekter/billedanalyse-af-hudforandringer/rediger", data=edit).status_code == 302
    assert "Kvalitetsudvikling" in mette.get("/projekter/billedanalyse-af-hudforandringer/").get_data(as_text=True)

    ole, _token = client_of(app, "ole")
    assert ole.get("/projekter/billedanalyse-af-hudforandringer/rediger").status_code == 403
    assert ole.post("/projekter/billedanalyse-af-hudforandringer/rediger", data=edit).status_code == 403
    assert "/rediger" not in ole.get("/projekter/billedanalyse-af-hudforandringer/").get_data(as_text=True)
    assert mette.get(f"/projekter/{SEPSIS}/rediger").status_code == 403  # an example is not hers


def test_a_facilitator_edits_every_project(app):
    frida, _token = client_of(app, "frida")
    edit = form_data(frida.get(f"/projekter/{SEPSIS}/rediger").get_data(as_text=True), "/rediger")
    assert edit["example"] == "1" and edit["owner"] == "aarhus-universitetshospital"
    edit.update(end="2027-06-30", action="save")
    response = frida.post(f"/projekter/{SEPSIS}/rediger", data=edit)
    assert response.status_code == 302 and response.headers["Location"].endswith("?gemt=gemt")
    page = frida.get(response.headers["Location"]).get_data(as_text=True)
    assert "30. juni 2027" in page and "Gemt." in page and 'class="badge example">Eksempel' in page
    text = (app.extensions[SOURCE_KEY].library_dir / "projects" / f"{SEPSIS}.yaml").read_text()
    assert "example: true" in text and "end: 2027-06-30" in text and "created_by" not in text


def test_a_refused_form_names_each_problem_and_keeps_what_was_typed(app):
    mette, _token = client_of(app, "mette")
    instance = app.extensions[SOURCE_KEY]
    head = instance.head()
    form = new_project_form(mette)
    form.update(contacts="Mette Hansen; mette(at)example.org; Projektleder", start="2026-05-01", end="2026-04-01",
                regulatory_status="ce-marked", owner="Andet firma", links="Side; javascript:alert(1)",
                title="Mit projekt med æøå")
    response = mette.post("/projekter/ny", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Projektet blev ikke gemt" in page
    for field, message in (("contacts", "is not a valid e-mail address"), ("end", "before it starts"),
                           ("regulatory", "add class: one of I, IIa, IIb, III"),
                           ("owner", "is not a known organisation"), ("links", "is not a web address")):
        assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}', page), field
    assert '<a href="#regulatory_status">Regulatorisk status</a>' in page
    kept = form_data(page, "/projekter/ny")
    assert kept["title"] == "Mit projekt med æøå" and kept["contacts"] == form["contacts"]
    assert kept["summary"] == form["summary"] and kept["end"] == "2026-04-01"
    assert kept["links"] == "Side; javascript:alert(1)" and kept["related_materials"] == "klinisk-evaluering"
    assert instance.head() == head and not (instance.library_dir / "projects" / "mit-projekt-med-aeoeaa.yaml").exists()


def test_a_duplicate_is_refused_naming_the_other_project(app):
    frida, _token = client_of(app, "frida")
    form = new_project_form(frida)
    form.update(title="Tidlig varsling af SEPSIS i akutmodtagelsen")  # owner: aarhus-universitetshospital
    page = frida.post("/projekter/ny", data=form).get_data(as_text=True)
    assert "already exists: library/projects/sepsis-tidlig-varsling.yaml" in page
    form.update(owner="region-midtjylland")  # the same title elsewhere is another project, in another file
    response = frida.post("/projekter/ny", data=form)
    assert response.status_code == 302 and "tidlig-varsling-af-sepsis-i-akutmodtagelsen" in response.headers[
        "Location"]


def test_html_in_free_text_is_escaped_everywhere(app):
    mette, _token = client_of(app, "mette")
    form = new_project_form(mette)
    form.update(title='<script>alert("x")</script> Sepsisprojekt', department="<b>Fed</b> afdeling",
                contacts='Eve <img src=x onerror=alert(1)>; eve@example.org; <i>rolle</i>')
    response = mette.post("/projekter/ny", data=form)
    assert response.status_code == 302
    slug = response.headers["Location"].split("/projekter/")[1].split("/")[0]
    for page in (mette.get(f"/projekter/{slug}/").get_data(as_text=True),
                 app.test_client().get("/projekter/").get_data(as_text=True),
                 app.test_client().get("/sog?q=Sepsisprojekt").get_data(as_text=True)):
        assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    page = mette.get(f"/projekter/{slug}/").get_data(as_text=True)
    assert "<b>Fed</b>" not in page and "&lt;b&gt;Fed&lt;/b&gt;" in page and "<img src=x" not in page
    assert "&lt;i&gt;rolle&lt;/i&gt;" in page


def test_posts_need_the_form_token(app):
    mette, _token = client_of(app, "mette")
    form = new_project_form(mette)
    form["csrf_token"] = "forfalsket"
    response = mette.post("/projekter/ny", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Formularen var for gammel" in page
    assert form_data(page, "/projekter/ny")["title"] == "Billedanalyse af hudforandringer"  # kept
    assert "billedanalyse" not in " ".join(p.slug for p in app.extensions[PROJECTS_KEY].all())
    frida, _token = client_of(app, "frida")
    edit = form_data(frida.get(f"/projekter/{SEPSIS}/rediger").get_data(as_text=True), "/rediger")
    edit.pop("csrf_token")
    assert frida.post(f"/projekter/{SEPSIS}/rediger", data={**edit, "title": "Kapret"}).status_code == 400
    assert app.extensions[PROJECTS_KEY].get(SEPSIS).title == "Tidlig varsling af sepsis i akutmodtagelsen"


def test_an_edit_on_a_changed_project_keeps_both(app):
    frida, _token = client_of(app, "frida")
    first = form_data(frida.get(f"/projekter/{SEPSIS}/rediger").get_data(as_text=True), "/rediger")
    second = dict(first)
    first.update(department="Akutafdelingen, Aarhus", action="save")
    assert frida.post(f"/projekter/{SEPSIS}/rediger", data=first).status_code == 302
    second.update(department="Akutmodtagelsen", action="save")
    stale = frida.post(f"/projekter/{SEPSIS}/rediger", data=second)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "En anden har gemt projektet" in page
    again = form_data(page, "/rediger")
    assert again["department"] == "Akutmodtagelsen"
    assert frida.post(f"/projekter/{SEPSIS}/rediger", data={**again, "action": "save"}).status_code == 302
    assert app.extensions[PROJECTS_KEY].get(SEPSIS).department == "Akutmodtagelsen"


def test_search_finds_a_project_saved_a_moment_ago(app):
    reader = app.test_client()
    assert "/projekter/sepsis-tidlig-varsling/" in reader.get("/sog?q=sepsis").get_data(as_text=True)
    assert "Zebrafiskemønstre" not in reader.get("/sog?q=zebrafiskemønstre").get_data(as_text=True)
    mette, _token = client_of(app, "mette")
    assert mette.post("/projekter/ny", data=new_project_form(mette)).status_code == 302
    page = reader.get("/sog?q=zebrafiskemønstre").get_data(as_text=True)
    assert '<a href="/projekter/billedanalyse-af-hudforandringer/">Billedanalyse af hudforandringer</a>' in page
    assert "Projekt</p>" in page  # the kind label of the hit
    edit = form_data(mette.get("/projekter/billedanalyse-af-hudforandringer/rediger").get_data(as_text=True),
                     "/rediger")
    edit.update(summary="Et projekt om leopardpletter i billeder af modermærker.", action="save")
    assert mette.post("/projekter/billedanalyse-af-hudforandringer/rediger", data=edit).status_code == 302
    assert "billedanalyse-af-hudforandringer" in reader.get("/sog?q=leopardpletter").get_data(as_text=True)
    assert "billedanalyse-af-hudforandringer" not in reader.get("/sog?q=zebrafiskemønstre").get_data(as_text=True)
    only = reader.get("/sog?q=data&kind=project").get_data(as_text=True)
    assert "/projekter/" in only and "/m/adgang-til-data/" not in only


def test_english_labels(app):
    client = app.test_client()
    client.get("/sprog/en")
    page = client.get("/projekter/").get_data(as_text=True)
    assert "Projects in the network" in page and "In operation" in page and "Central Denmark Region" in page
    project = client.get("/projekter/triage-af-thoraxroentgen/").get_data(as_text=True)
    assert "CE-marked, class IIa" in project and "Gødstrup Hospital" in project
