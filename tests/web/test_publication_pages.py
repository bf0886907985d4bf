"""What readers and authors see of editions through real HTTP: the last edition while a draft is in
progress, stable edition URLs, the state line, never-published drafts hidden, retired with a replacement,
and approval in the workflow."""

from __future__ import annotations

import io
import re

import docx
import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, seen_revision, sign_in

SLUG = "samtykkemodeller"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("samtykke",)))


def client_of(app, name):
    return sign_in(app, name, f"{name}-kodeord-1")


def state_line(page: str) -> str:
    return re.search(r'class="badge state[^"]*">(.*?)</span>', page, re.S).group(1).strip()


def save_draft(client, addition: str) -> None:
    form = form_data(client.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    form.update(body=form["body"] + f"\n{addition}\n", message="Kladde", action="save")
    assert client.post(f"/m/{SLUG}/rediger", data=form).status_code == 302


def test_readers_get_the_last_edition_while_a_draft_is_in_progress(app):
    frida, _token = client_of(app, "frida")
    save_draft(frida, "EN HEMMELIG KLADDESÆTNING")
    author_page = frida.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "EN HEMMELIG KLADDESÆTNING" in author_page and state_line(author_page) == "Udgivet 1.0.0 · ny kladde"

    reader = app.test_client()
    page = reader.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "EN HEMMELIG KLADDESÆTNING" not in page
    assert "Du læser udgave 1.0.0." in page and "Arbejdsgruppen arbejder på en ny udgave." in page
    api = reader.get(f"/api/materials/{SLUG}").get_json()
    assert "EN HEMMELIG KLADDESÆTNING" not in api["markdown"]
    word = reader.get(f"/m/{SLUG}/{SLUG}.docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs]
    assert word.status_code == 200 and len(paragraphs) > 20
    assert not any("HEMMELIG" in text for text in paragraphs)


def test_each_edition_has_a_stable_address(app):
    frida, token = client_of(app, "frida")
    save_draft(frida, "Tilføjet i udgave 1.1.0.")
    published = frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                      "csrf_token": token, "action": "publish", "bump": "minor",
                                                       "note": "Nyt afsnit"})
    assert published.status_code == 302
    reader = app.test_client()
    old = reader.get(f"/m/{SLUG}/v/1.0.0/").get_data(as_text=True)
    new = reader.get(f"/m/{SLUG}/v/1.1.0/").get_data(as_text=True)
    assert "Tilføjet i udgave 1.1.0." not in old and "Du læser udgave 1.0.0." in old
    assert "Nyeste udgave er 1.1.0." in old
    assert "Tilføjet i udgave 1.1.0." in new and state_line(reader.get(f"/m/{SLUG}/").get_data(as_text=True)) \
        == "Udgivet 1.1.0"
    missing = reader.get(f"/m/{SLUG}/v/9.9.9/")
    assert missing.status_code == 404 and "1.0.0, 1.1.0" in missing.get_data(as_text=True)
    assert reader.get(f"/m/{SLUG}/v/..%2F..%2Fetc/").status_code == 404


def test_never_published_drafts_are_hidden_from_readers(app):
    mette, _token = client_of(app, "mette")
    page = mette.get("/ny/guide").get_data(as_text=True)
    form = form_data(page, "/ny/guide")
    form.update(title="Hemmelig ny vejledning", summary="En vejledning, der ikke er udgivet endnu.",
                topics=["consent"], audience=["researchers"], action="save")
    created = mette.post("/ny/guide", data=form)
    assert created.status_code == 302 and created.headers["Location"].startswith("/m/hemmelig-ny-vejledning/")
    own = mette.get("/m/hemmelig-ny-vejledning/").get_data(as_text=True)
    assert state_line(own) == "Endnu ikke udgivet · ny kladde"

    reader = app.test_client()
    assert reader.get("/m/hemmelig-ny-vejledning/").status_code == 404
    assert reader.get("/api/materials/hemmelig-ny-vejledning").status_code == 404
    for address in ("/", "/gennemse", "/gennemse?kind=guide"):
        assert "Hemmelig ny vejledning" not in reader.get(address).get_data(as_text=True)
    assert "hemmelig-ny-vejledning" not in {m["slug"] for m in reader.get("/api/materials").get_json()}
    assert "Hemmelig ny vejledning" in mette.get("/gennemse?kind=guide").get_data(as_text=True)


def test_review_approve_publish_and_who_may_do_it(app):
    mette, mette_token = client_of(app, "mette")
    frida, frida_token = client_of(app, "frida")
    anonymous = app.test_client()
    assert anonymous.post(f"/m/{SLUG}/status", data={"action": "approve"}).status_code == 302  # to sign-in
    frida.post(f"/m/{SLUG}/status", data={"csrf_token": frida_token, "action": "reopen", "note": ""})
    assert mette.post(f"/m/{SLUG}/status", data={"csrf_token": mette_token, "action": "request_review",
                                                 "note": "Klar"}).status_code == 403  # not mette's group
    frida.post(f"/m/{SLUG}/status", data={"csrf_token": frida_token, "action": "request_review", "note": "Klar"})
    assert state_line(frida.get(f"/m/{SLUG}/").get_data(as_text=True)) == "Udgivet 1.0.0 · kladde under review"
    assert "Godkend" not in mette.get(f"/m/{SLUG}/status").get_data(as_text=True)
    assert mette.post(f"/m/{SLUG}/status", data={"csrf_token": mette_token, "action": "approve"}).status_code == 403
    assert frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                 "csrf_token": "forkert", "action": "approve"}).status_code == 400
    frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                          "csrf_token": frida_token, "action": "approve", "note": "Fin"})
    page = frida.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert state_line(page) == "Udgivet 1.0.0 · kladde godkendt, klar til udgivelse"
    history = frida.get(f"/m/{SLUG}/historik").get_data(as_text=True)
    assert "Fin" in history


def test_retire_with_a_pointer_to_the_replacement(app):
    frida, token = client_of(app, "frida")
    status_page = frida.get(f"/m/{SLUG}/status").get_data(as_text=True)
    assert 'name="replaced_by"' in status_page and 'value="adgang-til-data"' in status_page
    refused = frida.post(f"/m/{SLUG}/status", data={"csrf_token": token, "action": "retire",
                                                    "replaced_by": "findes-ikke", "note": "Gammel"})
    assert refused.status_code == 400 and "findes-ikke kan ikke afløse materialet" in refused.get_data(as_text=True)
    assert "Gammel" in refused.get_data(as_text=True)  # the note is kept
    retired = frida.post(f"/m/{SLUG}/status", data={"csrf_token": token, "action": "retire",
                                                    "replaced_by": "adgang-til-data", "note": "Afløst"})
    assert retired.status_code == 302
    page = app.test_client().get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "Dette materiale er udgået." in page and 'href="/m/adgang-til-data/"' in page
    assert state_line(page) == "Udgået (sidste udgave 1.0.0)"


def test_publishing_dates_the_material_today_and_puts_it_first_in_what_is_new(app):
    """Issue 17, defect 4: publishing left "Opdateret" at the old date and the home page did not show it."""
    import datetime as dt
    import time

    from toolkit.history.gitstore import Author

    instance = app.extensions["netkit.source"]
    text = re.sub(r"(?m)^updated: .*$", "updated: 2025-01-02", instance.read(SLUG))
    instance.save(SLUG, text, Author("Bo", "bo@example.dk"), "Gammel dato", instance.latest_revision(SLUG))
    if instance.library().get(SLUG).status == "published":
        instance.set_status(SLUG, "draft", Author("Bo", "bo@example.dk"), "Ny runde")
    time.sleep(1.1)  # git dates editions to the second: later than the ones the instance was created with
    frida, _token = client_of(app, "frida")
    form = form_data(frida.get(f"/m/{SLUG}/status").get_data(as_text=True), f"/m/{SLUG}/status")
    published = frida.post(f"/m/{SLUG}/status", data={**form, "action": "publish", "bump": "minor",
                                                       "note": "Ny udgave"})
    assert published.status_code == 302
    material = instance.library().get(SLUG)
    assert material.status == "published" and material.updated == dt.date.today()
    page = frida.get(published.headers["Location"]).get_data(as_text=True)
    assert f"Udgivet som udgave {material.version}." in page  # says what happened, at once
    home = app.test_client().get("/").get_data(as_text=True)
    recent = home[home.index('id="recent-heading"'):]
    first = re.search(r'href="/m/([^/]+)/"', recent).group(1)
    assert first == SLUG


# -- deciding on the text that was seen --------------------------------------------------------------------------

@pytest.fixture
def team(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("anna", "member", ("dataadgang",)))


def status_form(client) -> dict:
    return form_data(client.get(f"/m/{SLUG}/status").get_data(as_text=True), f"/m/{SLUG}/status")


def test_approving_a_text_changed_after_the_status_page_was_opened_is_refused_with_the_diff(team):
    versioned = team.extensions["netkit.source"]
    frida, _token = client_of(team, "frida")
    anna, anna_token = client_of(team, "anna")
    frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "reopen"})
    anna.post(f"/m/{SLUG}/status", data={"csrf_token": anna_token, "action": "request_review", "note": "Klar"})
    seen = status_form(frida)  # frida opens the status page …
    assert seen["revision"] == versioned.latest_revision(SLUG)
    save_draft(anna, "ANNAS SENE ÆNDRING")  # … anna edits the text …
    assert versioned.library().get(SLUG).status == "review"
    refused = frida.post(f"/m/{SLUG}/status", data={**seen, "action": "approve", "note": "Fint arbejde"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and versioned.library().get(SLUG).status == "review"
    assert "teksten er ændret, siden du åbnede siden" in page and "anna ændrede teksten" in page
    assert f'href="/m/{SLUG}/forskel?fra={seen["revision"]}&amp;til={versioned.latest_revision(SLUG)}"' in page
    assert re.search(r'value="approve"\s+checked', page) and "Fint arbejde" in page  # the choice and note kept
    assert f'name="revision" value="{versioned.latest_revision(SLUG)}"' in page  # the page as it is now
    again = form_data(page, f"/m/{SLUG}/status")
    assert frida.post(f"/m/{SLUG}/status", data=again).status_code == 302  # having seen it, she approves
    assert versioned.library().get(SLUG).status == "approved"


def test_publishing_a_text_changed_after_the_status_page_was_opened_is_refused(team):
    versioned = team.extensions["netkit.source"]
    frida, _token = client_of(team, "frida")
    anna, _token = client_of(team, "anna")
    frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "reopen"})
    seen = status_form(frida)
    save_draft(anna, "ENDNU EN ÆNDRING")
    refused = frida.post(f"/m/{SLUG}/status", data={**seen, "action": "publish", "bump": "minor",
                                                     "note": "Ny udgave"})
    assert refused.status_code == 409 and "Ny udgave" in refused.get_data(as_text=True)
    assert [e.version for e in versioned.versions(SLUG)] == ["1.0.0"]


def test_an_edit_of_an_approved_text_says_it_is_back_in_review(team):
    frida, _token = client_of(team, "frida")
    anna, _token = client_of(team, "anna")
    for action in ("reopen", "request_review", "approve"):
        frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": action})
    form = form_data(anna.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    form.update(body=form["body"] + "\nEn rettelse.\n", message="Ret", action="save")
    landed = anna.post(f"/m/{SLUG}/rediger", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Gemt. Teksten var godkendt; den er nu til review igen." in landed
    assert state_line(landed) == "Udgivet 1.0.0 · kladde under review"
    save_draft(anna, "Og en til.")  # in review already: just saved
    plain = anna.get(f"/m/{SLUG}/?gemt=gemt").get_data(as_text=True)
    assert "Gemt." in plain and "til review igen" not in plain


def test_a_made_up_revision_is_refused_without_a_diff_link(team):
    versioned = team.extensions["netkit.source"]
    frida, _token = client_of(team, "frida")
    frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "reopen"})
    refused = frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "request_review"})
    assert refused.status_code == 302  # not an approval: no revision asked
    bogus = frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "approve", "revision": "abc"})
    page = bogus.get_data(as_text=True)
    assert bogus.status_code == 409 and "/forskel?" not in page and versioned.library().get(SLUG).status == "review"

    # A form that does not say which text it approves (opened before the field existed) approves nothing.
    form = {key: value for key, value in status_form(frida).items() if key != "revision"}
    unsaid = frida.post(f"/m/{SLUG}/status", data={**form, "action": "approve", "note": "Fint"})
    page = unsaid.get_data(as_text=True)
    assert unsaid.status_code == 400 and "hvilken udgave af teksten du godkender" in page
    assert versioned.library().get(SLUG).status == "review" and 'name="revision" value="' + \
        versioned.latest_revision(SLUG) in page  # the page now says which: submitting again approves it


def test_the_facilitators_own_return_is_not_work_waiting_for_him(team):
    frida, _token = client_of(team, "frida")
    anna, _token = client_of(team, "anna")
    frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "reopen"})
    save_draft(frida, "Fridas eget afsnit.")  # she wrote in it herself
    anna.post(f"/m/{SLUG}/status", data={**status_form(anna), "action": "request_review"})
    frida.post(f"/m/{SLUG}/status", data={**status_form(frida), "action": "return", "note": "Mangler kilder."})
    hers = frida.get("/mit-arbejde").get_data(as_text=True)
    assert "Sendt tilbage til dig" not in hers or "Sendt tilbage til dig <span class=\"count\">(0)" in hers
    assert "venter på dig" not in hers
    annas = anna.get("/mit-arbejde").get_data(as_text=True)
    assert "Sendt tilbage til dig <span class=\"count\">(1)" in annas and "Mangler kilder." in annas
