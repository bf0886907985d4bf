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
    assert "Oprettet ud fra mappen library/" in page
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
    assert "Created from the folder library/" in page and "Changed (no message)" in page
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
            "Omdøbt fra gammel til ny\n\nLinks opdateret i: a, b")
        assert core_error("something the mapper does not know") == "something the mapper does not know"
        assert core_message("adgang-til-data: ny kommentar (t3)") == "Ny kommentar (t3)"
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
        assert core_message("adgang-til-data: kommentar løst (t3)") == "Comment marked as resolved (t3)"
        assert core_error("there is no working group 'etk'; did you mean 'etik'?") == (
            "There is no working group called etk. Did you mean etik?")
