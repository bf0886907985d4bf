"""Notifications on the web, through real HTTP on a real instance of the bundled library: the bell with its unread
count, `/notifikationer`, the watch buttons and settings, and the signed one-click unsubscribe page."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts
from toolkit.people.watches import Unsubscribe
from webui import create_app
from webui.context import NOTIFY_KEY, SOURCE_KEY

SLUG = "adgang-til-data"  # working group dataadgang


@pytest.fixture
def app(isolated_home):
    app = create_app(Settings(home=isolated_home), {"TESTING": True})  # no NETKIT_SMTP_* of the developer's
    accounts = Accounts(isolated_home)
    accounts.add("anna", "member", groups=("dataadgang",), email="anna@region.dk", full_name="Anna Holm",
                 password="anna-kodeord-1")
    accounts.add("frida", "facilitator", groups=("dataadgang",), email="frida@region.dk", full_name="Frida Lund",
                 password="frida-kodeord-1")
    accounts.add("bo", "member", email="bo@firma.dk", password="bo-kodeord-1")
    return app


def request_review(app) -> None:
    """Anna edits the material and asks for review; the sender (not a thread in tests) runs once."""
    instance = app.extensions[SOURCE_KEY]
    author = Author("anna", "anna@netkit.localhost")
    instance.save(SLUG, instance.read(SLUG) + "\nEt afsnit mere.\n", author, "Tilføjet", instance.latest_revision(SLUG))
    instance.set_status(SLUG, "review", author, "Se venligst afsnittet om registre")
    app.extensions[NOTIFY_KEY].sender.run_once()


def bell(page: str) -> str | None:
    found = re.search(r'<a href="/notifikationer" class="bell[^"]*">(.*?)</a>', page, re.S)
    return found.group(1) if found else None


def test_the_bell_counts_unread_notifications_for_the_signed_in_user(app):
    assert bell(app.test_client().get("/").get_data(as_text=True)) is None  # signed out: no bell
    frida, _ = sign_in(app, "frida", "frida-kodeord-1")
    quiet = bell(frida.get("/").get_data(as_text=True))
    assert quiet is not None and "bell-count" not in quiet and "Notifikationer" in quiet
    request_review(app)
    loud = bell(frida.get("/").get_data(as_text=True))
    assert '<span class="bell-count">1</span>' in loud and "ulæste" in loud
    anna, _ = sign_in(app, "anna", "anna-kodeord-1")  # her own action: nothing for her
    assert "bell-count" not in bell(anna.get("/").get_data(as_text=True))


def test_the_page_lists_notifications_and_opening_one_marks_it_read(app):
    request_review(app)
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    page = frida.get("/notifikationer").get_data(as_text=True)
    assert "Du har 1 ulæst notifikation." in page
    assert "Anna Holm har bedt om review af »Adgang til sundhedsdata" in page
    assert "Se venligst afsnittet om registre" in page
    item = re.search(r'href="(/notifikationer/\d+/)"', page).group(1)
    anna, _ = sign_in(app, "anna", "anna-kodeord-1")
    assert anna.get(item).status_code == 404  # not hers
    opened = frida.get(item)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/m/{SLUG}/status")
    assert "Du har ingen ulæste notifikationer." in frida.get("/notifikationer").get_data(as_text=True)


def test_mark_all_read_needs_the_form_token(app):
    request_review(app)
    frida, token = sign_in(app, "frida", "frida-kodeord-1")
    assert frida.post("/notifikationer/laest", data={}).status_code == 400
    assert app.extensions[NOTIFY_KEY].inbox.unread("frida") == 1
    assert frida.post("/notifikationer/laest", data={"csrf_token": token}).status_code == 302
    assert app.extensions[NOTIFY_KEY].inbox.unread("frida") == 0


def test_signed_out_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/notifikationer")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


def test_watching_a_material_from_its_page(app):
    bo, token = sign_in(app, "bo", "bo-kodeord-1")
    page = bo.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert 'action="/foelg"' in page and 'aria-label="Følg Adgang til sundhedsdata' in page
    response = bo.post("/foelg", data={"csrf_token": token, "type": "material", "target": SLUG, "mode": "digest",
                                       "action": "watch", "next": f"/m/{SLUG}/"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/m/{SLUG}/")
    watches = app.extensions[NOTIFY_KEY].watches
    assert watches.find("bo", "material", SLUG).mode == "digest"
    assert "Du følger materialet »Adgang til sundhedsdata" in bo.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "«: daglig oversigt." in bo.get(f"/m/{SLUG}/").get_data(as_text=True)
    bo.post("/foelg", data={"csrf_token": token, "type": "material", "target": SLUG, "action": "stop",
                            "next": f"/m/{SLUG}/"})
    assert watches.find("bo", "material", SLUG) is None


def test_a_watch_needs_the_form_token_and_a_real_target(app):
    bo, token = sign_in(app, "bo", "bo-kodeord-1")
    watches = app.extensions[NOTIFY_KEY].watches
    forged = bo.post("/foelg", data={"type": "material", "target": SLUG, "action": "watch"})
    assert forged.status_code == 400 and watches.of("bo") == []
    missing = bo.post("/foelg", data={"csrf_token": token, "type": "topic", "target": "findes-ikke",
                                      "action": "watch"})
    assert missing.status_code == 400 and "Det, du ville følge, findes ikke" in missing.get_data(as_text=True)
    assert watches.of("bo") == []
    away = bo.post("/foelg", data={"csrf_token": token, "type": "kind", "target": "guide", "action": "watch",
                                   "next": "https://evil.example/"})
    assert away.headers["Location"] == "/" and watches.find("bo", "kind", "guide").mode == "immediate"


def test_topics_kinds_and_groups_have_watch_buttons(app):
    bo, _token = sign_in(app, "bo", "bo-kodeord-1")
    assert 'name="target" value="consent"' in bo.get("/gennemse?topic=consent").get_data(as_text=True)
    assert 'name="target" value="guide"' in bo.get("/gennemse?kind=guide").get_data(as_text=True)
    assert 'name="target" value="dataadgang"' in bo.get("/grupper/dataadgang/").get_data(as_text=True)
    assert 'action="/foelg"' not in app.test_client().get(f"/m/{SLUG}/").get_data(as_text=True)  # signed out


def test_settings_keep_the_choices_and_refuse_a_bad_one_at_the_field(app):
    bo, token = sign_in(app, "bo", "bo-kodeord-1")
    bo.post("/foelg", data={"csrf_token": token, "type": "group", "target": "dataadgang", "action": "watch"})
    page = bo.get("/notifikationer/indstillinger").get_data(as_text=True)
    assert "E-mails sendes til bo@firma.dk." not in page  # no mail server in this app
    assert "Denne server sender ikke e-mails" in page and "dataadgang" in page
    saved = bo.post("/notifikationer/indstillinger", data={"csrf_token": token, "personal": "digest", "muted": "ja",
                                                           "mode-group-dataadgang": "digest"})
    assert saved.status_code == 302
    watches = app.extensions[NOTIFY_KEY].watches
    assert watches.prefs("bo").personal == "digest" and watches.prefs("bo").muted
    assert watches.find("bo", "group", "dataadgang").mode == "digest"
    bad = bo.post("/notifikationer/indstillinger", data={"csrf_token": token, "personal": "hver-time"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'class="field-error" id="personal-error"' in text
    assert watches.prefs("bo").personal == "digest"


def test_the_unsubscribe_link_works_without_signing_in_and_only_when_signed(app):
    parts = app.extensions[NOTIFY_KEY]
    parts.watches.watch("bo", "material", SLUG)
    token = parts.watches.token(Unsubscribe("bo", "watch", "material", SLUG))
    visitor = app.test_client()
    shown = visitor.get(f"/notifikationer/afmeld/{token}")
    assert shown.status_code == 200 and "Vil du stoppe med at få e-mails om materialet »Adgang til" in \
        shown.get_data(as_text=True)
    assert parts.watches.find("bo", "material", SLUG) is not None  # a link checker's GET changes nothing
    done = visitor.post(f"/notifikationer/afmeld/{token}", data={"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert done.status_code == 200 and "Du er afmeldt" in done.get_data(as_text=True)
    assert parts.watches.find("bo", "material", SLUG).mode == "none"  # the mail stops, the watch stays
    altered = visitor.post(f"/notifikationer/afmeld/{token[:-3]}abc")
    assert altered.status_code == 404 and "Linket virker ikke" in altered.get_data(as_text=True)
    everything = parts.watches.token(Unsubscribe("bo", "all"))
    visitor.post(f"/notifikationer/afmeld/{everything}")
    assert parts.watches.prefs("bo").muted


def test_the_pages_speak_english_when_chosen(app):
    request_review(app)
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    frida.get("/sprog/en?next=/")
    page = frida.get("/notifikationer").get_data(as_text=True)
    assert "You have 1 unread notification." in page
    assert "Anna Holm asked for a review of “Adgang til sundhedsdata" in page
    assert "Notification settings" in frida.get("/notifikationer/indstillinger").get_data(as_text=True)


def test_after_unsubscribing_the_settings_show_the_watch_with_mail_off_and_the_bell_still_rings(app):
    parts = app.extensions[NOTIFY_KEY]
    parts.watches.watch("bo", "material", SLUG)
    token = parts.watches.token(Unsubscribe("bo", "watch", "material", SLUG))
    app.test_client().post(f"/notifikationer/afmeld/{token}")
    bo, _token = sign_in(app, "bo", "bo-kodeord-1")
    page = bo.get("/notifikationer/indstillinger").get_data(as_text=True)
    assert "Du følger ikke noget endnu" not in page
    chosen = re.search(rf'<select id="mode-material-{SLUG}".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="none" selected>Ingen e-mails</option>', chosen)
    assert "Du følger materialet »Adgang til sundhedsdata" in bo.get(f"/m/{SLUG}/").get_data(as_text=True)
    request_review(app)  # a material's watcher hears of the review request too
    assert parts.inbox.items("bo")[0].what == "review"
    assert '<span class="bell-count">1</span>' in bell(bo.get("/").get_data(as_text=True))


def test_a_comment_notification_opens_the_thread(app):
    from toolkit.history.comments import Comments

    instance = app.extensions[SOURCE_KEY]
    anna = Author("anna", "anna@netkit.localhost")
    instance.save(SLUG, instance.read(SLUG) + "\nEt afsnit mere.\n", anna, "Tilføjet", instance.latest_revision(SLUG))
    thread = Comments(instance).start(SLUG, 1, "Hvad menes her?", Author("frida", "frida@netkit.localhost"))
    app.extensions[NOTIFY_KEY].sender.run_once()
    client, _token = sign_in(app, "anna", "anna-kodeord-1")
    item = re.search(r'href="(/notifikationer/\d+/)"', client.get("/notifikationer").get_data(as_text=True)).group(1)
    opened = client.get(item)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/m/{SLUG}/kommentarer#traad-{thread.id}")
    page = client.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    assert f'id="traad-{thread.id}"' in page  # the anchor is there to land on


def test_the_watch_button_names_what_is_followed_and_the_settings_say_what_it_brings(app):
    bo, token = sign_in(app, "bo", "bo-kodeord-1")
    bo.post("/foelg", data={"csrf_token": token, "type": "kind", "target": "guide", "action": "watch"})
    page = bo.get("/gennemse?kind=guide").get_data(as_text=True)
    assert "Du følger materialetypen »Vejledning«: e-mail straks." in page
    settings = bo.get("/notifikationer/indstillinger").get_data(as_text=True)
    assert "skifter status eller udgives" not in settings
    assert "når et materiale af den slags udgives eller udgår" in settings
