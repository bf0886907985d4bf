"""The JSON API through Flask's test client: materials, search, templates, generation, errors, OpenAPI."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from docx import Document
from openapi_spec_validator import validate

from toolkit.config import BUNDLED_TEMPLATES


@pytest.fixture
def client(bundled_app):
    return bundled_app.test_client()


def test_materials_with_filters(client):
    everything = client.get("/api/materials").get_json()
    assert len(everything) == 18 and {"slug", "title", "kind", "url", "docx"} <= set(everything[0])
    consent = client.get("/api/materials?topic=consent").get_json()
    assert 0 < len(consent) < 18 and all("consent" in m["topics"] for m in consent)
    wrong = client.get("/api/materials?kind=poem")
    assert wrong.status_code == 400 and wrong.get_json()["problems"][0]["field"] == "kind"


def test_one_material_and_errors_as_json(client):
    item = client.get("/api/materials/adgang-til-data").get_json()
    assert item["markdown"].strip() and "<h2" in item["html"] and item["toc"]
    missing = client.get("/api/materials/findes-ikke")
    assert missing.status_code == 404 and missing.mimetype == "application/json"
    assert "did you mean" in missing.get_json()["error"] or missing.get_json()["error"]
    bad = client.get("/api/materials/Ond_Slug")
    assert bad.status_code == 400 and bad.get_json()["problems"]
    assert client.get("/api/nothing-here").get_json()["error"]


def test_search(client):
    results = client.get("/api/search?q=samtykke&per_page=5").get_json()
    assert results["total"] >= 2 and len(results["hits"]) <= 5
    slugs = [hit["slug"] for hit in results["hits"]]
    assert "samtykkemodeller" in slugs and "samtykkeerklaering" in slugs
    assert results["facets"]["kind"]
    assert client.get("/api/search?q=x&per_page=1000").status_code == 400


def test_templates_and_their_questionnaires(client):
    listed = client.get("/api/templates").get_json()
    assert len(listed) == 7
    ce = client.get("/api/templates/ce-maerkning-tjekliste").get_json()
    questions = {q["id"]: q for s in ce["sections"] for q in s["questions"]}
    assert questions["worst_impact"]["show_if"] == "informs_decisions"
    assert questions["manufacturer_type"]["options"][0]["label"]["en"]
    assert questions["contraception"]["allow_unknown"] is True
    assert client.get("/api/templates/findes-ikke").status_code == 404


def test_generate_a_word_file_and_explain(client):
    answers = yaml.safe_load((BUNDLED_TEMPLATES / "ce-maerkning-tjekliste" / "example.yaml").read_text("utf-8"))
    response = client.post("/api/templates/ce-maerkning-tjekliste/generate", json={"answers": answers})
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert any("SepsisVarsel" in p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    explained = client.post("/api/templates/ce-maerkning-tjekliste/generate?explain=1", json={"answers": answers})
    assert explained.get_json()["mdr_class"] == "IIb" and explained.get_json()["undetermined"] == {}


def test_generation_errors_name_the_fields(client):
    response = client.post("/api/templates/ce-maerkning-tjekliste/generate",
                           json={"answers": {"product_name": "X", "function": "sometimes", "uses_ai": "kanske"}})
    assert response.status_code == 400
    fields = {p["field"] for p in response.get_json()["problems"]}
    assert {"function", "manufacturer", "uses_ai"} <= fields
    not_json = client.post("/api/templates/ce-maerkning-tjekliste/generate", data="answers=1")
    assert not_json.status_code == 400 and "JSON" in not_json.get_json()["error"]
    broken = client.post("/api/templates/ce-maerkning-tjekliste/generate", data="{nope",
                         content_type="application/json")
    assert broken.status_code == 400 and "valid JSON" in broken.get_json()["error"]
    assert client.post("/api/templates/ce-maerkning-tjekliste/generate", json=[1, 2]).status_code == 400


def test_openapi_describes_every_api_route(client, bundled_app):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {path.replace("{", "<").replace("}", ">") for path in document["paths"]}
    routes = {rule.rule for rule in bundled_app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == described
    json.dumps(document)  # plain JSON all the way down
    validate(document)  # a real OpenAPI 3.1 validator
