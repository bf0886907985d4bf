"""People and groups by name, and the core's messages in the reader's language (issue 17, defects 6 and 7),
through real HTTP on a real instance: the history, an edition's changes, the feed, a project page, the groups
pages, the activity log and the material page show "Anna Holm" and "Arbejdsgruppen for dataadgang", never
"anna" or "dataadgang"; the history's messages are Danish (English for English readers) and counts are plural
only when they should be. git keeps the English messages: they are the record."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import sign_in
from toolkit.history.gitstore import Author

SLUG = "adgang-til-data"
GROUP_NAME = "Arbejdsgruppen for dataadgang"


@pytest.fixture
def app(isolated_home):
    from toolkit.config import Settings
    from toolkit.people.accounts import Accounts
    from webui import create_app

    app = create_app(Settings.from_env(), {"TESTING": True})
    accounts = Accounts(isolated_home)
    accounts.add("anna", "member", groups=("dataadgang",), password="anna-kodeord-1", full_name="Anna Holm")
    accounts.add("frida", "facilitator", groups=("dataadgang",), password="frida-kodeord-1",
                 full_name="Frida Lund")
    accounts.add("adam", "admin", password="adam-kodeord-1", full_name="Adam Berg")
    return app


@pytest.fixture
def published(app):
    """adgang-til-data taken through the review cycle by Anna and Frida, and published as 1.1.0."""
    versioned = app.extensions["netkit.source"]
    anna, frida = Author("anna", "anna@netkit.localhost"), Author("frida", "frida@netkit.localhost")
    versioned.set_status(SLUG, "draft", frida)
    text = (versioned.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
    versioned.save(SLUG, text + "\nEt nyt afsnit om ventetider.\n", anna, "", versioned.latest_revision(SLUG))
    versioned.set_status(SLUG, "review", anna)
    versioned.set_status(SLUG, "approved", frida, "ser fint ud")
    versioned.publish(SLUG, "minor", "Nyt afsnit om ventetider", frida)
    return versioned


def client(app, name):
    return sign_in(app, name, f"{name}-kodeord-1")[0]


def english(test_client):
    test_client.get("/sprog/en")
    return test_client


def text_of(html: str) -> str:
    """The page's text without tags, spaces collapsed (what a reader sees)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_history_names_people_and_speaks_danish(app, published):
    page = text_of(client(app, "anna").get(f"/m/{SLUG}/historik").get_data(as_text=True))
    assert "Anna Holm" in page and "Frida Lund" in page
    assert "Status: Godkendt → Udgivet" not in page  # publishing is its own line, not a status change
    assert "Udgivet som udgave 1.1.0: Nyt afsnit om ventetider" in page
    assert "Status: Til review → Godkendt: ser fint ud" in page
    assert "Status: Kladde → Til review" in page and "Status: Udgivet → Kladde" in page
    assert "Ændret (uden besked)" in page
    assert "Oprettet, da Netkit blev sat op" in page and "library/" not in page
    for english_text in ("Create the instance", "review → approved", "Publish adgang-til-data", "Update "):
        assert english_text not in page
    assert not re.search(r">\s*(anna|frida)\s*<", client(app, "anna").get(f"/m/{SLUG}/historik").get_data(
        as_text=True))
    # git keeps the core's English: the record, read by git tools and the CLI
    messages = [r.message for r in published.history(SLUG)]
    assert any(m.startswith(f"Publish {SLUG} 1.1.0") for m in messages)


def test_the_history_in_english(app, published):
    page = text_of(english(client(app, "anna")).get(f"/m/{SLUG}/historik").get_data(as_text=True))
    assert "Published as edition 1.1.0: Nyt afsnit om ventetider" in page  # the writer's note as written
    assert "Status: In review → Approved: ser fint ud" in page
    assert "Created when Netkit was set up" in page and "Changed (no message)" in page
    assert "Anna Holm" in page


def test_an_editions_changes_and_the_material_page_name_people_and_the_group(app, published):
    reader = app.test_client()
    changes = text_of(reader.get(f"/m/{SLUG}/v/1.1.0/aendringer").get_data(as_text=True))
    assert "Frida Lund" in changes and "Nyt afsnit om ventetider" in changes
    first = text_of(reader.get(f"/m/{SLUG}/v/1.0.0/aendringer").get_data(as_text=True))
    assert "Udgave 1.0.0 fra det medfølgende bibliotek" in first and "from the bundled library" not in first
    material = reader.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert f"<dd>{GROUP_NAME}</dd>" in material and "<dd>dataadgang</dd>" not in material


def test_the_feed_names_people_in_danish_whatever_the_site_language(app, published):
    reader = english(app.test_client())
    feed = reader.get("/feed.atom").get_data(as_text=True)
    entry = feed[feed.index(f"{SLUG}/1.1.0"):]
    entry = entry[:entry.index("</entry>")]
    assert "<name>Frida Lund</name>" in entry and "<name>frida</name>" not in feed
    assert "Nyt afsnit om ventetider" in entry
    assert "Udgave 1.0.0 fra det medfølgende bibliotek" in feed and "from the bundled library" not in feed


def test_a_project_page_names_its_working_group(app):
    page = client(app, "anna").get("/projekter/genindlaeggelse-risiko/").get_data(as_text=True)
    assert f">{GROUP_NAME}</a>" in page and ">dataadgang</a>" not in page


def test_the_groups_pages_name_members_and_count_in_the_singular_and_plural(app):
    anna = client(app, "anna")
    page = text_of(anna.get("/grupper").get_data(as_text=True))
    assert "Anna Holm" in page and "Frida Lund" in page
    assert "2 medlemmer · 3 materialer" in page  # dataadgang
    assert "0 medlemmer · 1 materiale" in page and "1 materialer" not in page  # drift
    group = text_of(anna.get("/grupper/dataadgang/").get_data(as_text=True))
    assert "Anna Holm" in group and "Frida Lund" in group
    in_english = text_of(english(anna).get("/grupper").get_data(as_text=True))
    assert "2 members · 3 materials" in in_english and "0 members · 1 material" in in_english


def test_one_member_is_one_medlem(app):
    frida = client(app, "frida")
    token = re.search(r'name="csrf_token" value="([^"]+)"', frida.get("/grupper").get_data(as_text=True))[1]
    joined = frida.post("/grupper", data={"csrf_token": token, "action": "join", "name": "anna", "group": "etik"})
    page = text_of(joined.get_data(as_text=True))
    assert "Anna Holm er nu med i Arbejdsgruppen for etik." in page
    assert "1 medlem · 1 materiale" in page and "1 medlemmer" not in page
    history = text_of(frida.get("/aktivitet").get_data(as_text=True))
    assert "Anna Holm er med i Arbejdsgruppen for etik" in history  # the group record's commit "etik: anna joins"


def test_the_activity_log_names_people_and_speaks_danish(app, published):
    page = text_of(client(app, "frida").get("/aktivitet").get_data(as_text=True))
    assert "Anna Holm" in page and "Frida Lund" in page
    assert "Status: Kladde → Til review" in page and "Udgivet som udgave 1.1.0" in page
    assert "Publish " not in page and "→ review" not in page


def test_core_errors_on_the_admin_page_are_danish_with_the_field(app):
    adam = client(app, "adam")
    token = re.search(r'name="csrf_token" value="([^"]+)"', adam.get("/admin/brugere").get_data(as_text=True))[1]
    refused = adam.post("/admin/brugere", data={"csrf_token": token, "action": "add", "name": "bo",
                                                 "role": "member", "groups": "dataadgnag", "email": "ikke-en-adresse"})
    page = text_of(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "Arbejdsgrupper: Der er ingen arbejdsgruppe, der hedder dataadgnag. Mente du dataadgang?" in page
    assert "E-mail: ikke-en-adresse er ikke en e-mailadresse." in page
    assert "did you mean" not in page and "is not an e-mail address" not in page


def test_a_refused_status_change_is_explained_in_danish(app):
    frida = client(app, "frida")
    status_page = frida.get(f"/m/{SLUG}/status").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', status_page)[1]
    refused = frida.post(f"/m/{SLUG}/status", data={"csrf_token": token, "action": "retire",
                                                     "replaced_by": "findes-ikke"})
    page = text_of(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "findes-ikke kan ikke afløse materialet; vælg et andet." in page and "is no material" not in page


def test_the_mapper_leaves_the_writers_own_words_alone(app):
    from webui.coremessages import core_error, core_message

    with app.test_request_context("/"):
        assert core_message("Publish the new chapter soon") == "Publish the new chapter soon"
        assert core_message("Rettede stavefejl") == "Rettede stavefejl"
        assert core_message("") == ""
        assert core_message("Rename gammel → ny\n\nLinks updated in: a, b") == (
            "Omdøbt fra gammel til ny\n\nLinks opdateret i 2 materialer")
        assert core_message("Rename gammel → ny\n\nLinks updated in: a") == (
            "Omdøbt fra gammel til ny\n\nLinks opdateret i 1 materiale")
        assert core_error("something the mapper does not know") == "something the mapper does not know"
        assert core_message("adgang-til-data: ny kommentar (t3)") == "Ny kommentar"  # the thread id: record only
        assert core_message("Edited in the browser") == "Redigeret i browseren"  # saved by an English reader
        assert core_message("etik: anna joins") == "Anna Holm er med i Arbejdsgruppen for etik"
        # a status change the workflow refuses (e.g. two facilitators at once): the statuses by their labels
        assert core_error("'adgang-til-data' is published; it can move to: draft, retired") == (
            "Materialet har status Udgivet og kan kun skifte til: Kladde, Udgået.")


def test_the_mapper_in_english(app):
    from webui.coremessages import core_error, core_message

    with app.test_request_context("/", headers={"Cookie": "netkit_lang=en"}):
        assert core_message("Redigeret i browseren") == "Edited in the browser"  # saved by a Danish reader
        assert core_message("etik: closed") == "Arbejdsgruppen for etik is closed"
        assert core_message("adgang-til-data: kommentar løst (t3)") == "Comment marked as resolved"
        assert core_error("there is no working group 'etk'; did you mean 'etik'?") == (
            "There is no working group called etk. Did you mean etik?")


# -- the new user's review (round 2): ids, the clock, plurals, Danish on English pages ---------------------------

def comment_by(versioned, name: str, text: str = "Hvad betyder det?"):
    from toolkit.history.comments import Comments

    return Comments(versioned).start(SLUG, 2, text, Author(name, f"{name}@netkit.localhost"))


def test_the_comments_pages_name_people(app):
    versioned = app.extensions["netkit.source"]
    versioned.set_status(SLUG, "draft", Author("frida", "frida@netkit.localhost"))
    thread = comment_by(versioned, "frida")
    from toolkit.history.comments import Comments

    Comments(versioned).reply(SLUG, thread.id, "Det forklarer jeg i næste afsnit.", Author("anna", "a@x"))
    anna = client(app, "anna")
    for language in ("da", "en"):
        anna.get(f"/sprog/{language}")
        review = anna.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
        status = anna.get(f"/m/{SLUG}/status").get_data(as_text=True)
        for page in (text_of(review), text_of(status)):
            assert "Frida Lund" in page
            assert not re.search(r"\b(frida|anna)\b", page), page
        assert "Anna Holm" in text_of(review) and "– Frida Lund" in text_of(review)
    anna.get("/sprog/da")
    review = text_of(anna.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True))
    assert "Kommentar fra Frida Lund" in review and "Frida Lund kommenterede" in review
    assert "Anna Holm svarede" in review


def test_a_refusal_names_the_group_and_links_to_the_groups(app):
    app.extensions["netkit.accounts"].add("ole", "member", groups=("etik",), password="ole-kodeord-1",
                                          full_name="Ole Dam")
    ole = client(app, "ole")
    refused = ole.get(f"/m/{SLUG}/rediger")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert f"dette materiale hører til {GROUP_NAME}." in text_of(page) and "til dataadgang." not in text_of(page)
    assert '<a href="/grupper">Arbejdsgrupper</a>' in page
    english_page = english(ole).get(f"/m/{SLUG}/rediger").get_data(as_text=True)
    assert '<a href="/grupper">Working groups</a>' in english_page and GROUP_NAME in english_page


def test_the_activity_log_names_materials_by_title_and_counts_long_lists(app, published):
    versioned = published
    frida = Author("frida", "frida@netkit.localhost")
    title = versioned.library().get(SLUG).title
    comment_by(versioned, "frida")
    first = versioned.history(SLUG)[-1]
    versioned.restore(SLUG, first.id, frida)
    versioned.rename(SLUG, "adgang-til-sundhedsdata", frida, "Kortere adresse")
    page = text_of(client(app, "frida").get("/aktivitet").get_data(as_text=True))
    assert f"{title} – Ny kommentar" in page and "(t" not in page, page[page.index("Hvad"):][:3000]
    assert re.search(r"Gendannet til udgaven fra \d+\. [a-z]+ \d{4} \d\d:\d\d:\d\d", page), page
    assert first.id[:7] not in page
    assert re.search(r"Omdøbt fra adgang-til-data til adgang-til-sundhedsdata: Kortere adresse · "
                     r"Links opdateret i \d+ materialer?", page), page
    assert "adgang-til-data-i-region-midtjylland" not in page
    assert re.search(r"\d+ materialer – Oprettet, da Netkit blev sat op", page), page
    history = text_of(client(app, "frida").get("/m/adgang-til-sundhedsdata/historik").get_data(as_text=True))
    assert "Links opdateret i" in history and "Links opdateret i:" not in history
    assert "Gendannet til udgaven fra" in history and first.id[:7] not in history


def test_times_are_danish_time_whatever_the_servers_clock(app, monkeypatch):
    import datetime as dt
    import time

    from webui.filters import local_date, local_datetime

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        winter = dt.datetime(2026, 12, 6, 8, 56, 7, tzinfo=dt.UTC)
        summer = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)
        with app.test_request_context("/"):
            assert local_datetime(winter) == "6. december 2026 09:56"
            assert local_datetime(winter, seconds=True) == "6. december 2026 09:56:07"
            assert local_datetime(summer) == "1. juli 2026 00:30"  # summer time, and the next day in Denmark
            assert local_date(summer) == "1. juli 2026"
            assert local_datetime(winter.replace(tzinfo=None)) == "6. december 2026 09:56"  # naive: UTC
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_history_shows_danish_time_to_the_second(app, published, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        newest = published.history(SLUG)[0]
        local = newest.time.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Copenhagen"))
        page = text_of(client(app, "anna").get(f"/m/{SLUG}/historik").get_data(as_text=True))
        assert local.strftime("%H:%M:%S") in page
        if local.utcoffset():
            assert newest.time.astimezone(__import__("datetime").UTC).strftime("%H:%M:%S") not in page
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_one_line_is_one_linje(app, published):
    revisions = published.history(SLUG)
    anna = client(app, "anna")
    text = (published.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
    published.save(SLUG, text.replace("Et nyt afsnit om ventetider.", "Et nyt afsnit om korte ventetider."),
                   Author("anna", "a@x"), "", published.latest_revision(SLUG))
    newest, before = published.history(SLUG)[0], published.history(SLUG)[1]
    diff = text_of(anna.get(f"/m/{SLUG}/forskel?fra={before.id}&til={newest.id}").get_data(as_text=True))
    assert "1 linje tilføjet eller ændret, 1 fjernet eller ændret" in diff and "1 linjer" not in diff
    restore = text_of(client(app, "frida").get(f"/m/{SLUG}/gendan/{before.id}").get_data(as_text=True))
    assert "1 linje tilføjet eller ændret, 1 fjernet eller ændret" in restore
    in_english = text_of(english(anna).get(f"/m/{SLUG}/forskel?fra={before.id}&til={newest.id}").get_data(
        as_text=True))
    assert "1 line added or changed, 1 removed or changed" in in_english and "1 lines" not in in_english
    assert revisions


def test_english_pages_show_roles_and_quotes_in_english(app):
    versioned = app.extensions["netkit.source"]
    versioned.set_status(SLUG, "draft", Author("frida", "frida@netkit.localhost"))
    comment_by(versioned, "frida")
    frida = english(client(app, "frida"))
    groups = frida.get("/grupper").get_data(as_text=True)
    select = groups[groups.index('id="join-role"'):groups.index("</select>", groups.index('id="join-role"'))]
    assert '<option value="formand">chair</option>' in select and '>secretary</option>' in select
    assert '<option value="medlem" selected>member</option>' in select
    assert "formand<" not in select and "sekretær<" not in select
    status = frida.get(f"/m/{SLUG}/status").get_data(as_text=True)
    assert "“" in status and "»" not in status and "«" not in status
    danish = client(app, "frida").get(f"/m/{SLUG}/status").get_data(as_text=True)
    assert "»" in danish
