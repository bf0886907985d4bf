"""Filling in a template on the web through Flask's test client: form, validation, CSRF, rows, download."""

from __future__ import annotations

import html
import io
import re

import pytest
from docx import Document
from markupsafe import escape
from werkzeug.datastructures import MultiDict

CE = "/skabeloner/ce-maerkning-tjekliste"
ANSWERS = {
    "q.product_name": "SepsisVarsel", "q.manufacturer": "Eksempel Health ApS", "q.manufacturer_type": "company",
    "q.intended_purpose": "Risikoscore.", "q.is_software": "ja", "q.beyond_storage": "ja",
    "q.individual_patients": "ja", "q.medical_purpose": "ja", "q.ivd": "nej", "q.drives_device": "nej",
    "q.informs_decisions": "ja", "q.worst_impact": "serious_or_surgery", "q.monitors_physiology": "nej",
    "q.contraception": "nej", "q.clinical_use": "ja", "q.in_house_only": "nej", "q.uses_ai": "ja",
    "q.worst_harm": "serious_or_death", "q.personal_data": "ja", "q.large_scale": "nej",
}


@pytest.fixture
def client(bundled_app):
    return bundled_app.test_client()


def csrf(client, path: str = f"{CE}/udfyld") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def hidden_fields(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value))
            for name, value in re.findall(r'<input type="hidden" name="(q\.[^"]+)" value="([^"]*)"', page)]


def test_the_form_has_every_question_with_a_label(client):
    page = client.get(f"{CE}/udfyld").get_data(as_text=True)
    assert '<label for="q.product_name">Produktets navn' in page
    assert '<legend>Hvilken slags organisation er fabrikanten?' in page
    assert 'type="radio" id="q.manufacturer_type-1" name="q.manufacturer_type" value="health_institution"' in page
    # A yes/no question is radio buttons – Ja, Nej, Ved ikke – never a lone checkbox.
    assert '<legend>Giver softwaren information, der bruges til beslutninger' in page
    for number, value in ((1, "ja"), (2, "nej"), (3, "ved ikke")):
        assert f'type="radio" id="q.informs_decisions-{number}" name="q.informs_decisions" value="{value}"' in page
    assert 'type="checkbox" id="q.informs_decisions"' not in page
    assert "Besvares, hvis »Giver softwaren information, der bruges til beslutninger" in page
    assert 'data-question="worst_impact"' in page and 'src="/static/forms.js"' in page
    for field in re.findall(r'<input[^>]+id="([^"]+)"', page):
        assert f'for="{field}"' in page, f"{field} has no label"


def test_valid_answers_show_the_derived_facts_then_download_the_word_file(client):
    token = csrf(client)
    summary = client.post(f"{CE}/udfyld", data={"csrf_token": token, **ANSWERS})
    assert summary.status_code == 200
    page = summary.get_data(as_text=True)
    assert "<th scope=\"row\">Klasse</th><td>Klasse IIb</td>" in page
    assert "Regel 11(a)" in page
    download = client.post(f"{CE}/hent", data=MultiDict([("csrf_token", token), ("format", "docx"),
                                                          *hidden_fields(page)]))
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="ce-tjekliste-sepsisvarsel.docx"'
    text = "\n".join(p.text for p in Document(io.BytesIO(download.data)).paragraphs)
    assert "SepsisVarsel er medicinsk udstyrssoftware i klasse IIb" in text


def test_mistakes_come_back_beside_their_fields_with_everything_typed_kept(client):
    token = csrf(client)
    answers = {**ANSWERS, "q.product_name": "", "q.intended_purpose": "Mit <formål>"}
    response = client.post(f"{CE}/udfyld", data={"csrf_token": token, **answers})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="q.product_name-error">Skal udfyldes.</p>' in page
    assert 'aria-describedby="q.product_name-error"' in page or 'q.product_name-error' in page
    assert "Mit &lt;formål&gt;</textarea>" in page  # kept, and escaped
    assert 'value="Eksempel Health ApS"' in page
    # No medical purpose, yet information for treatment decisions: both answers are named, both kept.
    response = client.post(f"{CE}/udfyld", data={"csrf_token": token, **ANSWERS, "q.medical_purpose": "nej"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#q.medical_purpose">Svarene modsiger hinanden' in page
    assert '<a href="#q.informs_decisions">Svarene modsiger hinanden' in page
    assert 'name="q.medical_purpose" value="nej" checked' in page


def test_answers_to_questions_that_do_not_apply_are_ignored_on_the_web(client):
    token = csrf(client)
    answers = {**ANSWERS, "q.informs_decisions": "nej", "q.driven_device_class": "III"}  # worst_impact: n/a
    response = client.post(f"{CE}/udfyld", data={"csrf_token": token, **answers})
    assert response.status_code == 200
    assert "<td>Klasse I</td>" in response.get_data(as_text=True)


def test_a_yes_no_left_open_is_not_no_on_the_web(client):
    """A radio group nobody chose in is unanswered: what depends on it cannot be determined, never the
    permissive branch (a lone unticked checkbox used to mean "nej", and a blank form made the tool no device)."""
    token = csrf(client)
    answers = {key: value for key, value in ANSWERS.items() if key not in ("q.is_software", "q.in_house_only")}
    page = client.post(f"{CE}/udfyld", data={"csrf_token": token, **answers}).get_data(as_text=True)
    assert '<th scope="row">Medicinsk udstyrssoftware</th><td>Kan ikke afgøres</td>' in page
    assert "Besvar først: »Er produktet software" in page
    unsure = {**ANSWERS, "q.contraception": "ved ikke"}
    page = client.post(f"{CE}/udfyld", data={"csrf_token": token, **unsure}).get_data(as_text=True)
    assert '<th scope="row">Klasse</th><td>Klasse IIb</td>' in page  # Rule 15 would give IIb as well


def test_a_missing_or_wrong_csrf_token_is_refused_but_keeps_the_answers(client):
    client.get(f"{CE}/udfyld")
    for token in ("", "forkert"):
        response = client.post(f"{CE}/udfyld", data={"csrf_token": token, **ANSWERS})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Dine svar er bevaret" in page and 'value="SepsisVarsel"' in page
    assert client.post(f"{CE}/hent", data={"format": "docx", **ANSWERS}).status_code == 400
    assert client.post(f"{CE}/synlige", data=ANSWERS).status_code == 400


def test_rows_are_added_and_removed_without_javascript(client):
    path = "/skabeloner/beslutningsreferat/udfyld"
    token = csrf(client, path)
    page = client.get(path).get_data(as_text=True)
    group = re.search(r'<fieldset class="group" id="q\.([a-z_]+)"', page).group(1)
    field = re.search(rf'name="q\.{group}\.0\.([a-z_]+)"', page).group(1)
    added = client.post(path, data={"csrf_token": token, "action": f"add:{group}", f"q.{group}.0.{field}": "Ane"})
    page = added.get_data(as_text=True)
    assert added.status_code == 200
    assert f'name="q.{group}.1.{field}"' in page and 'value="Ane"' in page
    removed = client.post(path, data={"csrf_token": token, "action": "edit", f"q.{group}.0.{field}": "Ane",
                                      f"q.{group}.0._remove": "ja", f"q.{group}.1.{field}": "Bo"})
    page = removed.get_data(as_text=True)
    assert 'value="Bo"' in page and 'value="Ane"' not in page


def test_the_applicable_questions_follow_the_answers(client):
    token = csrf(client)
    applies = client.post(f"{CE}/synlige", data={"csrf_token": token, **ANSWERS, "q.monitors_physiology": "ja",
                                                 "q.informs_decisions": "nej"}).get_json()
    assert applies["vital_parameters"] is True and applies["worst_impact"] is False
    assert applies["driven_device_class"] is False


@pytest.mark.parametrize("payload", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'])
def test_echoed_answers_are_escaped(client, payload):
    token = csrf(client)
    page = client.post(f"{CE}/udfyld", data={"csrf_token": token, **ANSWERS, "q.product_name": payload,
                                               "q.manufacturer": ""}).get_data(as_text=True)
    assert payload not in page and str(escape(payload)) in page


def test_unknown_templates_and_traversal_are_refused(client):
    assert client.get("/skabeloner/findes-ikke/udfyld").status_code == 404
    assert client.get("/skabeloner/..%2Flibrary/udfyld").status_code in (400, 404)
    assert client.post("/skabeloner/Ond_Navn/hent", data={}).status_code == 400


def test_over_long_answers_are_reported_not_crashed(client):
    token = csrf(client)
    response = client.post(f"{CE}/udfyld", data={"csrf_token": token, **ANSWERS, "q.product_name": "x" * 5000})
    assert response.status_code == 400
    assert "Må højst være 120 tegn" in response.get_data(as_text=True)


def _fields(question, value, name: str, out: list) -> None:
    """The form fields a browser would send for an answer (the inverse of formdata.answers_from)."""
    if value is None:
        return
    if question.type == "boolean":
        out.append((name, "ja" if value else "nej"))
    elif question.type == "multichoice":
        out.extend((name, str(v)) for v in value)
    elif question.is_group and question.repeat:
        for row, record in enumerate(value):
            for field in question.fields:
                _fields(field, record.get(field.id), f"{name}.{row}.{field.id}", out)
    elif question.is_group:
        for field in question.fields:
            _fields(field, value.get(field.id), f"{name}.{field.id}", out)
    else:
        out.append((name, value.isoformat() if hasattr(value, "isoformat") else str(value)))


@pytest.mark.parametrize("name", ["anbefaling-til-beslutningstagere", "beslutningsreferat", "ce-maerkning-tjekliste",
                                  "dataadgang-tjekliste", "kommissorium-arbejdsgruppe", "konsekvensanalyse-dpia",
                                  "samtykkeerklaering"])
def test_every_bundled_example_goes_through_the_web_form(client, name):
    from toolkit.config import BUNDLED_TEMPLATES
    from toolkit.documents.packages import TemplateCatalogue

    package = TemplateCatalogue(BUNDLED_TEMPLATES).get(name)
    example = package.example()
    fields: list = []
    for question in package.form.questions():
        _fields(question, example.get(question.id), f"q.{question.id}", fields)
    token = csrf(client, f"/skabeloner/{name}/udfyld")
    summary = client.post(f"/skabeloner/{name}/udfyld", data=MultiDict([("csrf_token", token), *fields]))
    assert summary.status_code == 200, re.findall(r'class="field-error"[^>]*>([^<]+)', summary.get_data(as_text=True))
    download = client.post(f"/skabeloner/{name}/hent", data=MultiDict(
        [("csrf_token", token), ("format", "docx"), *hidden_fields(summary.get_data(as_text=True))]))
    assert download.status_code == 200
    assert Document(io.BytesIO(download.data)).paragraphs


def test_an_oversized_form_is_refused_with_413(client):
    token = csrf(client)
    response = client.post(f"{CE}/udfyld", data={"csrf_token": token, "q.intended_purpose": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    api = client.post("/api/templates/ce-maerkning-tjekliste/generate", json={"answers": {"x": "y" * (2 << 20)}})
    assert api.status_code == 413 and api.get_json()["error"]
