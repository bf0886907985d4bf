"""Renaming through the web (webui/views/history/renaming.py) on a real instance, through Flask's test client: the
form for facilitators (errors at the field, what was typed kept, CSRF), members refused, and every old address —
the material, its sub-pages, its Word files, the API — answering 301 with the new one, for good."""

from __future__ import annotations

import re

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts
from webui import create_app

OLD, NEW = "samtykke-playbook", "samtykke-i-praksis"
ANNA = Author("Anna Jensen", "anna@example.dk")


@pytest.fixture
def app(instance):
    app = create_app(Settings(home=instance.home), {"TESTING": True})  # the small test library, versioned
    accounts = Accounts(instance.home)
    accounts.add("fie", "facilitator", password="fie-kodeord-1")
    accounts.add("mads", "member", groups=("testgruppen",), password="mads-kodeord-1")
    return app


@pytest.fixture
def facilitator(app):
    return sign_in(app, "fie", "fie-kodeord-1")


def rename(client, token: str, slug: str = OLD, new: str = NEW, note: str = ""):
    return client.post(f"/m/{slug}/omdoeb", data={"csrf_token": token, "new": new, "note": note})


def field_error(page: str) -> str:
    found = re.search(r'<p class="field-error" id="new-error">([^<]*)</p>', page)
    assert found, "no error at the field"
    return found.group(1)


def test_a_facilitator_renames_from_the_status_page_and_lands_on_the_new_address(app, facilitator):
    client, _token = facilitator
    status = client.get(f"/m/{OLD}/status").get_data(as_text=True)
    assert f'href="/m/{OLD}/omdoeb"' in status
    form = client.get(f"/m/{OLD}/omdoeb").get_data(as_text=True)
    assert 'for="new"' in form and f'value="{OLD}"' in form and "Adgang til data" in form  # what links here
    response = rename(client, form_data(form, "/omdoeb")["csrf_token"], note="Et navn, der siger, hvad det er")
    assert response.status_code == 302 and response.headers["Location"] == f"/m/{NEW}/?gemt=omdoebt"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Omdøbt. Den gamle adresse sender videre hertil" in page and "Samtykke i praksis" in page
    linking = client.get("/m/adgang-til-data/").get_data(as_text=True)
    assert f'href="/m/{NEW}/' in linking and f"/m/{OLD}/" not in linking  # the [[link]] in the other material
    history = client.get(f"/m/{NEW}/historik").get_data(as_text=True)
    assert f"Omdøbt fra {OLD} til {NEW}: Et navn, der siger, hvad det er" in history
    assert "Oprettet, da Netkit blev sat op" in history  # the history followed across the rename
    assert re.search(r"<td[^>]*>1\.0\.0</td>", history)  # with the edition published under the old slug
    first = app.extensions["netkit.source"].history(NEW)[-1].id
    before = client.get(f"/m/{NEW}/historik/{first}")  # the text from before the rename, under the new slug
    assert before.status_code == 200 and "Forbered samtykkeerklæringen." in before.get_data(as_text=True)


def test_every_old_address_answers_301_with_the_new_one(app, facilitator):
    client, _token = facilitator
    instance = app.extensions["netkit.source"]
    instance.rename(OLD, NEW, ANNA)
    anonymous = app.test_client()
    for old, new in ((f"/m/{OLD}/", f"/m/{NEW}/"),
                     (f"/m/{OLD}/?fra=soeg&q=samtykke", f"/m/{NEW}/?fra=soeg&q=samtykke"),
                     (f"/m/{OLD}/v/1.0.0/", f"/m/{NEW}/v/1.0.0/"),
                     (f"/m/{OLD}/v/1.0.0/aendringer", f"/m/{NEW}/v/1.0.0/aendringer"),
                     (f"/m/{OLD}/{OLD}.docx", f"/m/{NEW}/{NEW}.docx"),
                     (f"/m/{OLD}/v/1.0.0/{OLD}.docx", f"/m/{NEW}/v/1.0.0/{NEW}.docx"),
                     (f"/api/materials/{OLD}", f"/api/materials/{NEW}")):
        response = anonymous.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new), old
        assert response.headers["Cache-Control"] == "no-cache"  # renaming back must not leave a cached loop
        assert anonymous.get(new).status_code == 200, new
    for old, new in ((f"/m/{OLD}/historik", f"/m/{NEW}/historik"), (f"/m/{OLD}/status", f"/m/{NEW}/status"),
                     (f"/m/{OLD}/rediger", f"/m/{NEW}/rediger"), (f"/m/{OLD}/omdoeb", f"/m/{NEW}/omdoeb")):
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new), old
        assert client.get(new).status_code == 200, new
    form = client.get(f"/m/{NEW}/omdoeb").get_data(as_text=True)
    assert f"Tidligere adresser, som fortsat sender videre: <code>/m/{OLD}/</code>" in form
    word = anonymous.get(f"/m/{NEW}/{NEW}.docx")
    assert word.data[:2] == b"PK" and f"{NEW}.docx" in word.headers["Content-Disposition"]
    api = anonymous.get(f"/api/materials/{NEW}").get_json()
    assert api["slug"] == NEW and api["title"] == "Samtykke i praksis"
    listed = [item["slug"] for item in anonymous.get("/api/materials").get_json()]
    assert NEW in listed and OLD not in listed
    assert anonymous.get("/m/aldrig-til/").status_code == 404  # a slug never used is still a 404
    described = anonymous.get("/api/openapi.json").get_json()["paths"]["/api/materials/{slug}"]["get"]
    assert "301" in described["responses"]


def test_a_form_sent_to_the_old_address_keeps_its_method_and_text(app, facilitator):
    client, token = facilitator
    app.extensions["netkit.source"].rename(OLD, NEW, ANNA)
    response = client.post(f"/m/{OLD}/rediger", data={"csrf_token": token, "body": "Skrevet før omdøbningen"})
    assert (response.status_code, response.headers["Location"]) == (308, f"/m/{NEW}/rediger")


def test_the_search_index_and_the_browse_page_see_the_new_slug(app, facilitator):
    client, token = facilitator
    assert f'href="/m/{OLD}/' in client.get("/sog?q=samtykkeerkl%C3%A6ringen").get_data(as_text=True)
    assert rename(client, token).status_code == 302
    found = client.get("/sog?q=samtykkeerkl%C3%A6ringen").get_data(as_text=True)
    assert f'href="/m/{NEW}/' in found and f"/m/{OLD}/" not in found
    browse = client.get("/gennemse").get_data(as_text=True)
    assert f"/m/{NEW}/" in browse and f"/m/{OLD}/" not in browse
    results = client.get("/api/search?q=samtykke").get_json()
    slugs = {hit["slug"] for hit in results["hits"]}
    assert NEW in slugs and OLD not in slugs


@pytest.mark.parametrize(("typed", "expected"), [
    ("", "Skriv den nye adresse."),
    ("Samtykke i praksis", "Brug kun små bogstaver (a–z), tal og enkelte bindestreger"),
    ("samtykke-ø", "skriv æ som ae"),
    ("../taxonomy", "Brug kun små bogstaver"),
    (OLD, "Det er materialets nuværende adresse. Skriv en ny."),
    ("adgang-til-data", "Der findes allerede et materiale med adressen /m/adgang-til-data/. Vælg en anden."),
])
def test_a_bad_slug_is_refused_at_the_field_and_what_was_typed_is_kept(app, facilitator, typed, expected):
    client, token = facilitator
    head = app.extensions["netkit.source"].head()
    response = rename(client, token, new=typed, note="Min begrundelse & mere")
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 409)
    assert expected in field_error(page).replace("&amp;", "&")
    assert 'aria-invalid="true"' in page and 'aria-describedby="new-hint new-error"' in page
    assert "Materialet blev ikke omdøbt. Ret det markerede, og prøv igen." in page
    kept = form_data(page, "/omdoeb")
    assert kept["new"] == typed.strip() and kept["note"] == "Min begrundelse & mere"
    assert app.extensions["netkit.source"].head() == head  # nothing was written


def test_an_old_address_is_never_given_to_another_material(app, facilitator):
    client, token = facilitator
    app.extensions["netkit.source"].rename(OLD, NEW, ANNA)
    page = rename(client, token, slug="adgang-til-data", new=OLD).get_data(as_text=True)
    assert f"/m/{OLD}/ er en tidligere adresse for et andet materiale" in field_error(page)
    assert client.get(f"/m/{OLD}/").headers["Location"] == f"/m/{NEW}/"  # still leads to the renamed one
    back = rename(client, token, slug=NEW, new=OLD)  # the material itself may take its old name back
    assert back.status_code == 302 and client.get(f"/m/{OLD}/").status_code == 200
    assert client.get(f"/m/{NEW}/").headers["Location"] == f"/m/{OLD}/"


def test_a_stale_form_token_is_refused_and_keeps_the_text(app, facilitator):
    client, _token = facilitator
    response = rename(client, "not-the-token", note="Behold mig")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Formularen var for gammel" in page
    assert form_data(page, "/omdoeb")["note"] == "Behold mig"
    assert client.get(f"/m/{OLD}/").status_code == 200  # not renamed


def test_members_and_visitors_are_refused(app):
    member, token = sign_in(app, "mads", "mads-kodeord-1")
    status = member.get(f"/m/{OLD}/status").get_data(as_text=True)
    assert "/omdoeb" not in status
    refused = member.get(f"/m/{OLD}/omdoeb")
    assert refused.status_code == 403 and "facilitator" in refused.get_data(as_text=True)
    assert rename(member, token).status_code == 403
    assert member.get(f"/m/{OLD}/").status_code == 200  # nothing moved
    visitor = app.test_client().get(f"/m/{OLD}/omdoeb")
    assert visitor.status_code == 302 and "/log-ind" in visitor.headers["Location"]


def test_the_static_site_has_a_page_at_every_old_address(instance, tmp_path, runner):
    from toolkit.cli import main

    instance.rename(OLD, NEW, ANNA)
    result = runner.invoke(main, ["--home", str(instance.home), "export-site", str(tmp_path / "site"), "--no-pdf"],
                           env={"NETKIT_LIBRARY": None, "NETKIT_SOFFICE": None})
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    assert (site / "m" / NEW / "index.html").is_file()
    moved = (site / "m" / OLD / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../samtykke-i-praksis/index.html">' in moved
    assert '<a href="../samtykke-i-praksis/index.html">Gå til den nye adresse</a>' in moved
    edition = (site / "m" / OLD / "v" / "1.0.0" / "index.html").read_text(encoding="utf-8")
    assert 'url=../../../samtykke-i-praksis/v/1.0.0/index.html"' in edition
    linking = (site / "m" / "adgang-til-data" / "index.html").read_text(encoding="utf-8")
    assert f"../{NEW}/index.html" in linking and f"../{OLD}/" not in linking  # links name the new slug
    index = (site / "search-index.json").read_text(encoding="utf-8")
    assert f"m/{NEW}/index.html" in index and f"m/{OLD}/" not in index


def test_a_renamed_drafts_new_name_is_not_told_to_visitors(app, facilitator):
    client, _token = facilitator
    app.extensions["netkit.source"].rename("nyhedsbrev-kladde", "nyhedsbrev-2027", ANNA)
    visitor = app.test_client().get("/m/nyhedsbrev-kladde/")
    assert visitor.status_code == 404 and "Location" not in visitor.headers  # never published: nothing to follow
    signed_in = client.get("/m/nyhedsbrev-kladde/")
    assert (signed_in.status_code, signed_in.headers["Location"]) == (301, "/m/nyhedsbrev-2027/")


def test_a_new_material_cannot_take_an_old_address(app, facilitator):
    client, _token = facilitator
    instance = app.extensions["netkit.source"]
    instance.rename(OLD, NEW, ANNA)
    head = instance.head()
    data = form_data(client.get("/ny/guide").get_data(as_text=True), "/ny/guide")
    data.update({"title": "Et helt nyt materiale", "slug": OLD, "summary": "Noget andet."})
    page = client.post("/ny/guide", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and OLD in text and "Vælg et andet." in text  # refused at the slug field
    assert 'value="Et helt nyt materiale"' in text  # what was typed is kept
    assert instance.head() == head and client.get(f"/m/{OLD}/").headers["Location"] == f"/m/{NEW}/"
