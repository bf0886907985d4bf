"""New materials, text kept through an expired session, working groups and the activity page, through
real HTTP on a real instance."""

from __future__ import annotations

import re

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in

SLUG = "samtykkemodeller"
MULTILINE = "Første linje af en lang tekst.\n\n## Et afsnit <b>med</b> \"citater\" & tegn\n\n- punkt æøå\n"


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home,
                          ("frida", "facilitator"),
                          ("fie", "facilitator"),
                          ("mette", "member", ("samtykke",)),
                          ("ole", "member", (), "ole-kodeord-12"))


def client_of(app, name, password=None):
    return sign_in(app, name, password or f"{name}-kodeord-1")


# -- new materials ---------------------------------------------------------------------------------------------

def test_new_material_starts_from_the_kinds_text_and_is_saved_as_a_draft(app):
    mette, _token = client_of(app, "mette")
    choose = mette.get("/ny").get_data(as_text=True)
    assert 'href="/ny/guide"' in choose and 'href="/ny/minutes"' in choose and "/ny/template" not in choose
    form = form_data(mette.get("/ny/minutes").get_data(as_text=True), "/ny/minutes")
    assert "## Beslutninger" in form["body"] and form["working_group"] == "samtykke"
    form.update(title="Referat af netværksmødet", summary="Beslutninger fra mødet om dataadgang.",
                topics="data-access", audience="researchers", working_group="andet", action="save")
    created = mette.post("/ny/minutes", data=form)
    assert created.status_code == 302 and "/m/referat-af-netvaerksmoedet/" in created.headers["Location"]
    instance = app.extensions["netkit.source"]
    text = instance.read("referat-af-netvaerksmoedet")
    assert "status: draft" in text and "version: 0.1.0" in text and "## Beslutninger" in text
    assert "working_group: samtykke" in text  # a member cannot put a material in another group
    assert instance.history("referat-af-netvaerksmoedet")[0].author == "mette"


def test_new_material_problems_keep_everything_typed(app):
    mette, _token = client_of(app, "mette")
    form = form_data(mette.get("/ny/guide").get_data(as_text=True), "/ny/guide")
    form.update(title="En ny vejledning om samtykke", summary="kort", body=MULTILINE,  # summary too short
                action="save")
    refused = mette.post("/ny/guide", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "summary" in page and "topics" in page
    assert form_data(page, "/ny/guide")["body"] == MULTILINE
    form.update(summary="En lang nok beskrivelse.", topics="consent", audience="researchers",
                slug=SLUG)  # an existing file name
    taken = mette.post("/ny/guide", data=form)
    assert taken.status_code == 409 and f"filnavnet {SLUG}" in taken.get_data(as_text=True)
    assert form_data(taken.get_data(as_text=True), "/ny/guide")["body"] == MULTILINE
    form.update(slug="../../etc/passwd")
    assert mette.post("/ny/guide", data=form).status_code == 400


def test_only_signed_in_members_create_and_unknown_kinds_are_404(app):
    anonymous = app.test_client()
    assert "/log-ind" in anonymous.get("/ny").headers["Location"]
    assert anonymous.post("/ny/guide", data={"title": "x"}).status_code == 401  # the sign-in page, text kept
    mette, _token = client_of(app, "mette")
    assert mette.get("/ny/template").status_code == 404 and mette.get("/ny/ukendt").status_code == 404


def test_editor_offers_topics_audience_and_for_facilitators_the_group(app):
    frida, _token = client_of(app, "frida")
    form = form_data(frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    assert "consent" in form["topics"] and form["audience"]
    form.update(topics=["consent", "ethics"], audience="researchers", working_group="samtykke", action="save")
    assert frida.post(f"/m/{SLUG}/rediger", data=form).status_code == 302
    material = app.extensions["netkit.source"].library().get(SLUG)
    assert material.topics == ("consent", "ethics") and material.audience == ("researchers",)
    assert material.working_group == "samtykke"
    mette, _token = client_of(app, "mette")
    page = mette.get(f"/m/{SLUG}/rediger").get_data(as_text=True)
    assert '<select id="working_group"' not in page  # a member in one group cannot move the material


# -- an expired session loses nothing -------------------------------------------------------------------------

SAME_SITE = {"Origin": "http://localhost"}  # what a browser sends with a form posted from this site's page


def expired_editor(app, name: str, slug: str = SLUG):
    """A client signed in as `name` with the editor open, whose session has just ended on the server (after the
    8 hours, or signed out elsewhere): the browser still has its cookie."""
    client, _ = client_of(app, name)
    form = form_data(client.get(f"/m/{slug}/rediger").get_data(as_text=True), f"/m/{slug}/rediger")
    app.extensions["netkit.signins"].end_sessions_of(name)
    return client, form


def test_text_posted_after_the_session_ended_survives_signing_in_again(app):
    expired, form = expired_editor(app, "frida")
    form.update(body=MULTILINE, topics=["consent", "law"], message="Min besked", action="save")
    before = app.extensions["netkit.source"].read(SLUG)

    answer = expired.post(f"/m/{SLUG}/rediger", data=form, headers=SAME_SITE)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 401 and "din tekst er bevaret" in page
    assert "Et afsnit" not in page and "draft." not in page  # kept on the server, never echoed into the page
    login = form_data(page, "/log-ind")
    assert login["next"] == f"/m/{SLUG}/rediger" and login["name"] == "frida"

    wrong = expired.post("/log-ind", data={**login, "name": "frida", "password": "forkert-kodeord"})
    assert wrong.status_code == 400
    login = form_data(wrong.get_data(as_text=True), "/log-ind")

    signed_in = expired.post("/log-ind", data={**login, "name": "frida", "password": "frida-kodeord-1"})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == f"/m/{SLUG}/rediger"
    editor = expired.get(signed_in.headers["Location"])
    editor_page = editor.get_data(as_text=True)
    assert editor.status_code == 200 and "Du er logget ind igen" in editor_page
    assert app.extensions["netkit.source"].read(SLUG) == before  # resuming shows the text; it saves nothing
    again = form_data(editor_page, f"/m/{SLUG}/rediger")
    assert again["body"].strip("\n") == MULTILINE.strip("\n") and again["message"] == "Min besked"
    assert sorted(again["topics"]) == ["consent", "law"]
    assert "Et afsnit" not in expired.get(f"/m/{SLUG}/rediger").get_data(as_text=True)  # taken once
    assert expired.post(f"/m/{SLUG}/rediger", data={**again, "action": "save"}).status_code == 302
    assert "## Et afsnit <b>med</b>" in app.extensions["netkit.source"].read(SLUG)


def test_a_kept_text_opens_only_for_the_person_who_typed_it(app):
    """Frida's session ends on a shared computer; Fie signs in next on the same browser and opens the same
    editor: she gets the material's text, never Frida's. Frida, signing in later elsewhere, gets hers."""
    shared, form = expired_editor(app, "frida")
    form.update(body="Fridas private udkast.\n", action="save")
    assert shared.post(f"/m/{SLUG}/rediger", data=form, headers=SAME_SITE).status_code == 401
    login = form_data(shared.get("/log-ind").get_data(as_text=True), "/log-ind")
    assert shared.post("/log-ind", data={**login, "name": "fie", "password": "fie-kodeord-1",
                                         "next": f"/m/{SLUG}/rediger"}).status_code == 302
    fies = shared.get(f"/m/{SLUG}/rediger").get_data(as_text=True)
    assert "Fridas private udkast" not in fies and "Du er logget ind igen" not in fies
    frida, _ = client_of(app, "frida")
    assert "Fridas private udkast" in frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True)


def test_without_a_known_account_what_was_typed_is_shown_to_copy_and_kept_nowhere(app):
    nobody = app.test_client()  # no cookie at all: the browser forgot the session long ago
    answer = nobody.post(f"/m/{SLUG}/rediger", headers=SAME_SITE, data={"title": "En titel", "body": MULTILINE})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 401 and "kopier det" in page
    assert "Første linje af en lang tekst." in page and "<b>med</b>" not in page  # escaped, read-only
    assert re.search(r"<textarea[^>]*readonly", page)
    frida, _ = client_of(app, "frida")
    assert "Første linje af en lang tekst." not in frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True)


def test_after_signing_in_only_a_path_on_this_site_is_followed(app):
    for next_url in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "/m/x\r\nSet-Cookie: a=b"):
        client = app.test_client()
        login = form_data(client.get("/log-ind?next=" + next_url).get_data(as_text=True), "/log-ind")
        assert login["next"] == "/"
        answer = client.post("/log-ind", data={**login, "next": next_url, "name": "frida",
                                               "password": "frida-kodeord-1"})
        assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_forged_post_to_the_sign_in_page_carries_nothing_and_goes_nowhere(app):
    """H2: another site posts to /log-ind without a token, with next=/admin/brugere and draft.* fields that
    would make the attacker an admin; the admin then signs in on the page that comes back."""
    victim = app.test_client()
    forged = victim.post("/log-ind", headers={"Origin": "https://evil.example"}, data={
        "next": "/admin/brugere", "draft.action": "update", "draft.name": "ole", "draft.role": "admin"})
    page = forged.get_data(as_text=True)
    assert forged.status_code == 400
    assert "draft." not in page and "/admin/brugere" not in page and 'value="admin"' not in page
    login = form_data(page, "/log-ind")
    signed_in = victim.post("/log-ind", data={**login, "name": "frida", "password": "frida-kodeord-1"})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    assert "Fortsæt redigeringen" not in victim.get("/").get_data(as_text=True)
    from toolkit.people.accounts import Accounts
    assert Accounts(app.config["NETKIT_SETTINGS"].home).get("ole").role == "member"


def test_a_forged_post_to_an_editor_keeps_nothing_to_resume(app):
    """Another site's form posted to an editor while the victim is signed out: no draft is kept, so signing
    in does not open the editor with the attacker's text."""
    victim = app.test_client()
    forged = victim.post(f"/m/{SLUG}/rediger", headers={"Origin": "https://evil.example"},
                         data={"body": "Angriberens tekst", "title": "Overtaget"})
    assert forged.status_code == 401 and "din tekst er bevaret" not in forged.get_data(as_text=True)
    login = form_data(forged.get_data(as_text=True), "/log-ind")
    signed_in = victim.post("/log-ind", data={**login, "name": "frida", "password": "frida-kodeord-1"})
    editor = victim.get(signed_in.headers["Location"]).get_data(as_text=True)
    assert "Angriberens tekst" not in editor and "Overtaget" not in editor


def test_a_post_to_a_page_that_is_no_editor_keeps_nothing(app):
    victim = app.test_client()
    answer = victim.post("/admin/brugere", headers=SAME_SITE, data={"action": "update", "name": "ole",
                                                                     "role": "admin"})
    assert answer.status_code in (302, 401)
    from toolkit.people.accounts import Accounts
    assert Accounts(app.config["NETKIT_SETTINGS"].home).get("ole").role == "member"


# -- activity ------------------------------------------------------------------------------

def test_activity_page_shows_saves_and_sign_ins_to_facilitators_only(app):
    app.test_client().post("/log-ind", data={"name": "frida", "password": "forkert"})  # no token: refused early
    failing = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', failing.get("/log-ind").get_data(as_text=True)).group(1)
    failing.post("/log-ind", data={"csrf_token": token, "name": "frida", "password": "helt-forkert"})
    frida, frida_token = client_of(app, "frida")
    frida.post(f"/m/{SLUG}/status", data={"csrf_token": frida_token, "action": "reopen", "note": "Ny runde"})
    page = frida.get("/aktivitet").get_data(as_text=True)
    assert "Mislykket log-ind" in page and "Logget ind" in page and "Status ændret" in page
    assert f'href="/m/{SLUG}/historik"' in page
    mette, _token = client_of(app, "mette")
    assert mette.get("/aktivitet").status_code == 403
    assert "/log-ind" in app.test_client().get("/aktivitet").headers["Location"]


def test_saving_an_unchanged_form_changes_nothing(app):
    """Browsers drop one newline right after <textarea>; the form must give back exactly what it was given."""
    frida, _token = client_of(app, "frida")
    instance = app.extensions["netkit.source"]
    before = (instance.read(SLUG), instance.latest_revision(SLUG))
    form = form_data(frida.get(f"/m/{SLUG}/rediger").get_data(as_text=True), f"/m/{SLUG}/rediger")
    assert form["body"].startswith("\n")  # the blank line after the front matter survives the round trip
    saved = frida.post(f"/m/{SLUG}/rediger", data={**form, "action": "save"})
    assert saved.status_code == 302 and "gemt=uaendret" in saved.headers["Location"]
    assert (instance.read(SLUG), instance.latest_revision(SLUG)) == before
