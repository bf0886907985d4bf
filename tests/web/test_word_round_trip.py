"""The Word round trip through HTTP: the file for comments carries its revision; loading it back merges with what
was saved meanwhile, or gives the conflict with both sides kept; a file from elsewhere is refused."""

from __future__ import annotations

import io
import re

import docx
import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from tests.web.test_media_upload import multipart
from toolkit.history.gitstore import Author
from toolkit.publishing.wordprops import read_custom_properties

SLUG = "adgang-til-data"
BO = Author("Bo", "bo@example.dk")


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"))


def word_file(client) -> docx.document.Document:
    response = client.get(f"/m/{SLUG}/kommentering.docx")
    assert response.status_code == 200
    assert 'filename="adgang-til-data-til-kommentering-' in response.headers["Content-Disposition"]
    return docx.Document(io.BytesIO(response.data))


def load_back(client, document) -> tuple[int, str]:
    page = client.get(f"/m/{SLUG}/rediger").get_data(as_text=True)
    form = form_data(page, f"/m/{SLUG}/rediger")
    action = re.search(r'formaction="([^"]*fil=word[^"]*)"', page).group(1).replace("&amp;", "&")
    out = io.BytesIO()
    document.save(out)
    body, content_type = multipart(form, {"word": ("til-kommentering.docx", out.getvalue())})
    answer = client.post(action, data=body, content_type=content_type)
    return answer.status_code, answer.get_data(as_text=True)


def paragraph(document, starting: str):
    return next(p for p in document.paragraphs if p.text.startswith(starting))


def test_the_file_carries_the_revision_it_came_from(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    response = client.get(f"/m/{SLUG}/kommentering.docx")
    import zipfile
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        properties = read_custom_properties(package)
    instance = app.extensions["netkit.source"]
    assert properties == {"netkit-slug": SLUG, "netkit-revision": instance.latest_revision(SLUG)}


def test_changes_from_word_merge_with_a_change_saved_meanwhile(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    instance = app.extensions["netkit.source"]
    document = word_file(client)
    paragraph(document, "Indgår biologisk materiale").insert_paragraph_before("En sætning skrevet i Word.")
    text = instance.read(SLUG).replace("Kvalitetsudvikling anmeldes ikke til komitéen.", "Rettet af Bo imens.")
    instance.save(SLUG, text, BO, "Bos rettelse", instance.latest_revision(SLUG))
    status, page = load_back(client, document)
    assert status == 200 and "Ændringerne fra Word er læst ind" in page
    form = form_data(page, f"/m/{SLUG}/rediger")
    saved = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save", "message": "Fra Word"})
    assert saved.status_code == 302 and "gemt=flettet" in saved.headers["Location"]
    now = instance.read(SLUG)
    assert "Rettet af Bo imens." in now and "En sætning skrevet i Word.\n\nIndgår biologisk materiale" in now
    # nothing else changed: Word's formatting ([[slug|Title]], "| --- |", joined lines) did not replace the text's
    diff = instance.store.run("diff", "--unified=0", "HEAD~1", "HEAD", "--", f"library/{SLUG}.md").stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["+En sætning skrevet i Word.", "+"] or sorted(changed) == sorted(
        ["+", "+En sætning skrevet i Word."]), changed


def test_the_same_paragraph_changed_in_word_and_meanwhile_gives_a_conflict_that_keeps_both(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    instance = app.extensions["netkit.source"]
    document = word_file(client)
    target = paragraph(document, "Indgår biologisk materiale")
    for run in target.runs[1:]:
        run.text = ""
    target.runs[0].text = "Ændret i Word."
    current = instance.read(SLUG)
    paragraph_text = next(line for line in current.splitlines() if line.startswith("Indgår biologisk materiale"))
    instance.save(SLUG, current.replace(paragraph_text, "Ændret i browseren imens."), BO, "Bo",
                  instance.latest_revision(SLUG))
    status, page = load_back(client, document)
    assert status == 200
    form = form_data(page, f"/m/{SLUG}/rediger")
    answer = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "En anden har ændret de samme steder" in html
    assert "Ændret i Word." in html and "Ændret i browseren imens." in html  # both sides kept
    assert "Ændret i Word." not in instance.read(SLUG)


def test_a_word_file_of_another_material_or_without_its_revision_is_refused(app):
    client = sign_in(app, "frida", "frida-kodeord-1")[0]
    plain = docx.Document()
    plain.add_paragraph("Bare en Word-fil.")
    status, page = load_back(client, plain)
    assert status == 400 and "Hent som Word til kommentering" in page and "Filen blev ikke taget med" in page
