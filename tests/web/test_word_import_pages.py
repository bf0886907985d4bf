"""Importing a Word file on /ny through HTTP: the text opens in the editor (nothing saved yet), saving commits it
with its pictures; a hostile file is refused at the field and nothing is written."""

from __future__ import annotations

import re

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from tests.publishing.wordbuild import add_picture, new_document, png, saved, zip_bomb
from tests.web.test_media_upload import multipart


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("mette", "member", ("dataadgang",)))


def post_word(client, data: bytes, kind: str = "guide") -> tuple[int, str]:
    page = client.get("/ny").get_data(as_text=True)
    action = re.search(r'action="(/ny/word[^"]*)"', page).group(1).replace("&amp;", "&")
    body, content_type = multipart({"kind": kind}, {"word": ("Vejledning.docx", data)})
    answer = client.post(action, data=body, content_type=content_type)
    return answer.status_code, answer.get_data(as_text=True)


def test_an_import_opens_in_the_editor_and_is_saved_with_its_picture(app):
    client = sign_in(app, "mette", "mette-kodeord-1")[0]
    instance = app.extensions["netkit.source"]
    document = new_document()
    document.core_properties.title = "Dataflow i praksis"
    document.add_heading("Sådan gør I", 1)
    document.add_paragraph("Sådan flyder data fra hospitalet til projektets analysemiljø.")
    add_picture(document, png(), "Diagram over dataflowet")
    before = instance.head()
    status, page = post_word(client, saved(document))
    assert status == 200 and "Word-filen er læst ind" in page
    assert instance.head() == before  # nothing saved yet
    form = form_data(page, "/ny/guide")
    assert form["title"] == "Dataflow i praksis"
    assert form["summary"] == "Sådan flyder data fra hospitalet til projektets analysemiljø."
    assert "## Sådan gør I" in form["body"] and "![Diagram over dataflowet](media:billede-1.png)" in form["body"]
    saved_page = client.post("/ny/guide", data={**form, "topics": ["data-access"], "audience": ["project-leads"],
                                                "action": "save"})
    assert saved_page.status_code == 302
    changed = sorted(instance.store.run("show", "--name-only", "--format=", "HEAD").stdout.split())
    assert changed == ["library/dataflow-i-praksis.md", "library/media/dataflow-i-praksis/billede-1.png"]
    shown = client.get("/m/dataflow-i-praksis/").get_data(as_text=True)
    assert '<img src="/m/dataflow-i-praksis/media/billede-1.png" alt="Diagram over dataflowet"' in shown


def test_a_zip_bomb_is_refused_at_the_field_and_nothing_is_written(app):
    client = sign_in(app, "mette", "mette-kodeord-1")[0]
    instance = app.extensions["netkit.source"]
    before = instance.head()
    status, page = post_word(client, zip_bomb())
    assert status == 400 and "Word-filen blev ikke indlæst" in page and "zip-bombe" in page
    assert instance.head() == before
    uploads = instance.home / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_an_unknown_kind_is_refused(app):
    client = sign_in(app, "mette", "mette-kodeord-1")[0]
    status, page = post_word(client, saved(new_document()), kind="meeting")
    assert status == 400 and "Vælg en af mulighederne i listen." in page
