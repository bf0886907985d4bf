"""Editing in the browser on a real instance: permissions, preview, save, merge, conflict, nothing lost."""

from __future__ import annotations

import re

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, seen_revision, sign_in
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts

SLUG = "adgang-til-data"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("andet-udvalg",)))


def signed_in(app, name: str):
    return sign_in(app, name, f"{name}-kodeord-1")[0]


def editor_form(client) -> dict:
    """The edit form's fields as the browser would send them (every field, checked boxes as lists)."""
    return form_data(client.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")


def test_readers_and_other_groups_cannot_edit(app):
    anonymous = app.test_client()
    response = anonymous.get(f"/m/{SLUG}/rediger")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    assert signed_in(app, "mette").get(f"/m/{SLUG}/rediger").status_code == 403
    assert signed_in(app, "mette").post(f"/m/{SLUG}/rediger", data={"body": "x"}).status_code == 403


def test_preview_then_save_creates_a_revision(app):
    client = signed_in(app, "frida")
    form = editor_form(client)
    form["body"] = form["body"] + "\n## Nyt afsnit om <script>x</script> RKKP\n\nTekst.\n"
    preview = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "preview"}).get_data(as_text=True)
    assert "Forhåndsvisning" in preview and "Nyt afsnit om" in preview and "<script>x</script>" not in preview
    saved = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save", "message": "Nyt afsnit om RKKP"})
    assert saved.status_code == 302 and "gemt=gemt" in saved.headers["Location"]
    instance = app.extensions["netkit.source"]
    assert instance.history(SLUG)[0].message == "Nyt afsnit om RKKP"
    assert instance.history(SLUG)[0].author == "frida"


def test_a_stale_base_merges_and_says_so(app):
    client = signed_in(app, "frida")
    form = editor_form(client)
    instance = app.extensions["netkit.source"]
    theirs = instance.read(SLUG) + "\nEn linje fra en anden.\n"
    instance.save(SLUG, theirs, Author("Bo", "bo@example.dk"), "Andens ændring", instance.latest_revision(SLUG))
    form["title"] = "Adgang til sundhedsdata – opdateret"
    saved = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})
    assert saved.status_code == 302 and "gemt=flettet" in saved.headers["Location"]
    text = instance.read(SLUG)
    assert "En linje fra en anden." in text and "opdateret" in text
    assert "flettet med ændringer" in client.get(saved.headers["Location"]).get_data(as_text=True)


def test_overlapping_changes_give_a_conflict_page_with_nothing_lost(app):
    client = signed_in(app, "frida")
    form = editor_form(client)
    instance = app.extensions["netkit.source"]
    current = instance.read(SLUG)
    first_line = form["body"].strip().split("\n")[0]
    instance.save(SLUG, current.replace(first_line, "Deres version af første linje."), Author("Bo", "bo@example.dk"),
                  "Bo", instance.latest_revision(SLUG))
    form["body"] = form["body"].replace(first_line, "Min version af første linje.", 1)
    response = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "En anden har ændret de samme steder" in page
    assert "Deres version af første linje." in page and "Min version af første linje." in page
    assert re.search(r'<textarea id="body"[^>]*>[^<]*Min version af første linje\.', page)


def _conflicted(app, client):
    """Bo saves a new first line after frida opened the editor; frida then saves her own first line."""
    form = editor_form(client)
    instance = app.extensions["netkit.source"]
    first_line = form["body"].strip().split("\n")[0]
    instance.save(SLUG, instance.read(SLUG).replace(first_line, "Deres version af første linje."),
                  Author("Bo", "bo@example.dk"), "Bos rettelse", instance.latest_revision(SLUG))
    form["body"] = form["body"].replace(first_line, "Min version af første linje.", 1)
    response = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})
    assert response.status_code == 409
    return form_data(response.get_data(as_text=True), f"/m/{SLUG}/rediger"), response.get_data(as_text=True)


def test_after_a_conflict_saving_again_never_silently_drops_the_other_text(app):
    """Issue 17, defect 1: the conflict, then "Gem" again, used to save over Bo's line without a word."""
    client = signed_in(app, "frida")
    form, page = _conflicted(app, client)
    assert "Bo gemte" in page and "Bos rettelse" in page  # who made the other change
    assert "DIN TEKST" in form["body"] and "DEN ANDENS TEKST" in form["body"]  # both versions, marked
    assert "Min version af første linje." in form["body"] and "Deres version af første linje." in form["body"]
    again = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})  # "Gem" again, as it is
    assert again.status_code == 400 and "stadig et markeret modstridende sted" in again.get_data(as_text=True)
    instance = app.extensions["netkit.source"]
    assert "Deres version af første linje." in instance.read(SLUG)
    mine_only = "\n".join(line for line in form["body"].splitlines()
                          if line not in ("<<<<<<< DIN TEKST", "=======", ">>>>>>> DEN ANDENS TEKST")
                          and line != "Deres version af første linje.")
    refused = client.post(f"/m/{SLUG}/rediger", data={**form, "body": mine_only, "action": "save"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Din tekst fjerner den andens ændring" in page
    assert "Deres version af første linje." in page and 'name="overwrite"' in page
    assert "Deres version af første linje." in instance.read(SLUG)  # still nothing lost
    confirmed = client.post(f"/m/{SLUG}/rediger", data={**form_data(page, f"/m/{SLUG}/rediger"), "overwrite": "ja",
                                                        "action": "save"})
    assert confirmed.status_code == 302
    text = instance.read(SLUG)
    assert "Min version af første linje." in text and "Deres version af første linje." not in text


def test_after_a_conflict_keeping_both_lines_saves_without_a_question(app):
    client = signed_in(app, "frida")
    form, _page = _conflicted(app, client)
    both = "\n".join(line for line in form["body"].splitlines()
                     if line not in ("<<<<<<< DIN TEKST", "=======", ">>>>>>> DEN ANDENS TEKST"))
    saved = client.post(f"/m/{SLUG}/rediger", data={**form, "body": both, "action": "save"})
    assert saved.status_code == 302
    text = app.extensions["netkit.source"].read(SLUG)
    assert "Min version af første linje." in text and "Deres version af første linje." in text


def test_invalid_text_is_refused_and_kept(app):
    client = signed_in(app, "frida")
    form = editor_form(client)
    response = client.post(f"/m/{SLUG}/rediger", data={**form, "kind": "poem", "body": "Min tekst [[findes-ikke]]",
                                                       "action": "save"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Teksten blev ikke gemt" in page and "Min tekst [[findes-ikke]]" in page


def test_a_forged_save_without_token_keeps_the_text_and_saves_nothing(app):
    client = signed_in(app, "frida")
    form = editor_form(client)
    before = app.extensions["netkit.source"].latest_revision(SLUG)
    response = client.post(f"/m/{SLUG}/rediger", data={**form, "csrf_token": "", "body": "Min tekst",
                                                       "action": "save"})
    assert response.status_code == 400 and "Min tekst" in response.get_data(as_text=True)
    assert app.extensions["netkit.source"].latest_revision(SLUG) == before


def status_token(client, slug: str = SLUG) -> tuple[str, str]:
    page = client.get(f"/m/{slug}/status").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) if "csrf_token" in page else "", page


def test_review_and_publish_workflow(app, isolated_home):
    Accounts(isolated_home).add("ane", "member", groups=("dataadgang",), password="ane-kodeord-1")
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG)
    instance.save(SLUG, text.replace("working_group:", "working_group: dataadgang", 1) if "working_group:\n" in text
                  else text, Author("Bo", "bo@example.dk"), "gruppe", instance.latest_revision(SLUG))
    facilitator = signed_in(app, "frida")
    token, page = status_token(facilitator)
    assert "Lad materialet udgå" in page or "Åbn som kladde igen" in page
    facilitator.post(f"/m/{SLUG}/status", data={"csrf_token": token, "action": "reopen", "note": "Ny runde"})
    assert app.extensions["netkit.source"].library().get(SLUG).status == "draft"
    member = signed_in(app, "ane")
    token, page = status_token(member)
    assert "Bed om review" in page and "Udgiv som ny udgave" not in page
    assert member.post(f"/m/{SLUG}/status", data={"revision": seen_revision(member, SLUG),
                                                  "csrf_token": token, "action": "publish",
                                                  "note": "x"}).status_code == 403
    member.post(f"/m/{SLUG}/status", data={"csrf_token": token, "action": "request_review", "note": "Klar"})
    assert app.extensions["netkit.source"].library().get(SLUG).status == "review"
    token, page = status_token(facilitator)
    refused = facilitator.post(f"/m/{SLUG}/status", data={"revision": seen_revision(facilitator, SLUG),
                                                          "csrf_token": token, "action": "publish", "note": ""})
    page = refused.get_data(as_text=True)  # issue 17: a Danish error at the note, and the chosen action kept
    assert refused.status_code == 400 and "ændringsloggen" in page and 'id="note-error"' in page
    assert re.search(r'value="publish"\s+checked', page) and "changelog" not in page
    published = facilitator.post(f"/m/{SLUG}/status", data={"revision": seen_revision(facilitator, SLUG),
                                                            "csrf_token": token, "action": "publish",
                                                            "bump": "minor", "note": "Nyt afsnit om RKKP"})
    assert published.status_code == 302 and "udgivet=" in published.headers["Location"]
    material = app.extensions["netkit.source"].library().get(SLUG)
    assert material.status == "published" and material.version.endswith(".0") and material.version != "1.0.0"


def test_a_reader_cannot_reach_status_changes(app):
    assert "/log-ind" in app.test_client().get(f"/m/{SLUG}/status").headers["Location"]
    assert app.test_client().post(f"/m/{SLUG}/status", data={"action": "publish"}).status_code == 302


def _cells(page: str) -> list[tuple[str, str, str]]:
    """The conflict table's rows: (place, first text column, second text column), tags stripped."""
    table = page[page.index('<table class="diff conflict-places">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<th scope=\"row\"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", table, re.S)
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in row) for row in rows]


def test_the_conflict_box_counts_lines_as_the_editor_does_and_puts_your_text_first(app):
    """Review of issue 17: the table said "Linje 21" (the file's line), the refusal "linje 2, 6" (the editor's)."""
    client = signed_in(app, "frida")
    form, page = _conflicted(app, client)
    lines = form["body"].splitlines()
    first, last = lines.index("<<<<<<< DIN TEKST") + 1, lines.index(">>>>>>> DEN ANDENS TEKST") + 1
    head = page[page.index('<table class="diff conflict-places">'):]
    assert head.index("Din tekst") < head.index("Den andens tekst")  # the editor's order: DIN TEKST first
    [(place, mine, theirs)] = _cells(page)
    assert place == f"Linje {first}–{last}"
    assert "Min version af første linje." in mine and "Deres version af første linje." in theirs
    again = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"}).get_data(as_text=True)
    assert f"(linje {first}–{last})" in again
    refusal = re.search(r'<div class="error-summary".*?</div>', again, re.S).group(0)
    assert "body:" not in refusal and 'href="#body">Tekst (Markdown)</a>:' in refusal  # the label, not the id
    client.get("/sprog/en")
    english = client.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"}).get_data(as_text=True)
    refusal = re.search(r'<div class="error-summary".*?</div>', english, re.S).group(0)
    assert f"There is still a marked conflicting place (lines {first}–{last})" in refusal and "body:" not in refusal


def test_a_conflict_in_a_field_shows_its_label_and_both_values(app):
    """Review of issue 17: a title both changed was shown as raw YAML ('title: "… – ANNAS TITEL"')."""
    client = signed_in(app, "frida")
    form = editor_form(client)
    instance = app.extensions["netkit.source"]
    old_title = form["title"]
    instance.save(SLUG, instance.read(SLUG).replace(f"title: {old_title}", "title: Bos titel", 1),
                  Author("Bo", "bo@example.dk"), "Bos titel", instance.latest_revision(SLUG))
    assert "Bos titel" in instance.read(SLUG)
    response = client.post(f"/m/{SLUG}/rediger", data={**form, "title": "Fridas titel", "action": "save"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert ("Titel", "Fridas titel", "Bos titel") in _cells(page)
    assert "title:" not in page[page.index('<section class="error-summary conflict"'):page.index("<details>")]


def test_one_dropped_line_is_spoken_of_in_the_singular(app):
    client = signed_in(app, "frida")
    form, _page = _conflicted(app, client)
    mine_only = "\n".join(line for line in form["body"].splitlines()
                          if line not in ("<<<<<<< DIN TEKST", "=======", ">>>>>>> DEN ANDENS TEKST")
                          and line != "Deres version af første linje.")
    page = client.post(f"/m/{SLUG}/rediger", data={**form, "body": mine_only, "action": "save"}).get_data(as_text=True)
    assert "Denne linje, som den anden skrev" in page
    assert "Tag den med i teksten, eller sæt kryds nedenfor, hvis den skal fjernes." in page
    assert "Tag dem med" not in page


def test_a_problem_names_the_field_by_its_label_never_its_id(app):
    """Review of issue 17: problems began with the form's field id ("body: …", "slug: …"), in English too."""
    client = signed_in(app, "frida")
    form = form_data(client.get("/ny/guide").get_data(as_text=True), "/ny/guide")
    taken = client.post("/ny/guide", data={**form, "title": "Noget nyt", "slug": SLUG, "action": "save"})
    page = taken.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert taken.status_code == 409 and 'href="#slug">Filnavn</a>: Der findes allerede' in summary
    assert "slug:" not in summary
