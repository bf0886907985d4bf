"""The search page through Flask's test client (real Whoosh index under the test's home folder)."""

import logging
import re
import shutil
from pathlib import Path

import pytest

from toolkit.config import Settings
from webui import create_app


def result_links(page: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)"', page)


def test_a_question_lands_on_the_right_material(bundled_app):
    page = bundled_app.test_client().get("/sog?q=hvordan+får+jeg+adgang+til+data?").get_data(as_text=True)
    assert result_links(page)[0] == "/m/adgang-til-data/"
    assert "<mark>" in page


def test_facets_with_counts_filter_and_unfilter(client):
    page = client.get("/sog?q=data").get_data(as_text=True)
    assert re.search(r'href="/sog\?q=data&amp;kind=guide">Vejledning\s*<span class="count">\(1\)</span>', page)
    filtered = client.get("/sog?q=data&kind=guide").get_data(as_text=True)
    assert result_links(filtered) == ["/m/adgang-til-data/"]
    assert 'aria-current="true"' in filtered and 'href="/sog?q=data"' in filtered


def test_did_you_mean_and_corrected_results(client):
    page = client.get("/sog?q=samtykeerklæringen").get_data(as_text=True)
    assert "samtykkeerklæringen" in page
    # the form titled "Samtykkeerklæring" first: a word of the title counts on its own (toolkit/search/scoring.py)
    assert result_links(page) == ["/skabeloner/samtykkeerklaering/", "/m/samtykke-playbook/"]


def test_empty_and_wildcard_queries_explain(client):
    assert "Skriv et eller flere ord" in client.get("/sog").get_data(as_text=True)
    assert "Skriv et eller flere ord" in client.get("/sog?q=*").get_data(as_text=True)


def test_drafts_are_not_found_by_readers(client):
    assert result_links(client.get("/sog?q=nyhedsbrev").get_data(as_text=True)) == []


@pytest.mark.parametrize("query", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                                   "javascript:alert(1)", "x" * 5000])
def test_echoed_query_is_escaped(client, query):
    response = client.get("/sog", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_unknown_filter_values_and_bad_pages_are_ignored(client):
    assert client.get("/sog?q=data&kind=../../etc&side=abc").status_code == 200
    assert client.get("/sog?q=data&side=99999").status_code == 200


def test_pagination_links(bundled_app):
    page = bundled_app.test_client().get("/sog?q=data").get_data(as_text=True)
    assert 'rel="next"' in page and "side 1 af" in page
    second = bundled_app.test_client().get("/sog?q=data&side=2").get_data(as_text=True)
    assert 'rel="prev"' in second


def test_every_page_has_the_header_search_box(client):
    page = client.get("/m/adgang-til-data/").get_data(as_text=True)
    assert '<form class="header-search" action="/sog"' in page
    assert '<label for="header-q"' in page


@pytest.mark.parametrize("path", ["/", "/sog?q=data", "/sog"])
def test_pages_with_their_own_search_box_have_only_that_one(client, path):
    page = client.get(path).get_data(as_text=True)
    assert page.count('type="search"') == 1 and 'id="header-q"' not in page


def test_title_suggestions_as_you_type(client):
    response = client.get("/sog/forslag?q=sam")
    assert response.status_code == 200 and response.mimetype == "application/json"
    titles = [item["title"] for item in response.get_json()]
    assert "Samtykke i praksis" in titles
    assert client.get("/sog/forslag?q=s").get_json() == []
    assert client.get("/sog/forslag?q=" + "x" * 5000).status_code == 200


def test_did_you_mean_never_reveals_a_word_only_a_draft_holds(client):
    # "Nyhedsbrev" is only in the title of the test library's draft (nyhedsbrev-kladde.md)
    page = client.get("/sog?q=nyhedsbrv").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the footer links to the newsletter on every page
    assert 'class="suggestion"' not in page and "nyhedsbrev" not in main.lower()
    assert result_links(page) == []
    assert "samtykkeerklæringen" in client.get("/sog?q=samtykeerklæringen").get_data(as_text=True)


# -- a search index damaged under the running app (L11) -------------------------------------------------

def index_folder_under(home: Path) -> Path:
    return next(state.parent for state in home.rglob("netkit-index.json"))


def delete_the_files(folder: Path) -> None:
    for entry in folder.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def remove_the_folder(folder: Path) -> None:
    shutil.rmtree(folder)


def overwrite_segments_with_garbage(folder: Path) -> None:
    for path in [*folder.glob("*.seg"), *folder.glob("*.toc")]:
        path.write_bytes(b"garbage")


def cut_segments_short(folder: Path) -> None:
    for path in folder.glob("*.seg"):  # memory-mapped, this killed the process (SIGBUS)
        path.write_bytes(path.read_bytes()[:64])


DAMAGE = [delete_the_files, remove_the_folder, overwrite_segments_with_garbage, cut_segments_short]


# Whoosh leaves a file handle open when it fails to read a garbage table of contents (its code, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", DAMAGE, ids=[f.__name__ for f in DAMAGE])
def test_a_damaged_instance_index_is_rebuilt_and_the_search_answered(tmp_path, damage, caplog):
    home = tmp_path / "instance"  # a real instance from the bundled library: its index is instance/index/
    client = create_app(Settings(home=home), {"TESTING": True}).test_client()
    before = client.get("/sog?q=samtykke")
    assert before.status_code == 200 and result_links(before.get_data(as_text=True))
    typed = client.get("/sog/forslag?q=samty").get_json()
    assert typed and index_folder_under(home) == home / "index"
    damage(home / "index")  # while the app runs, its searcher open
    with caplog.at_level(logging.WARNING, logger="toolkit.search.index"):  # (another spelling: not a kept page)
        after = client.get("/sog?q=Samtykke")
    assert after.status_code == 200
    assert result_links(after.get_data(as_text=True)) == result_links(before.get_data(as_text=True))
    assert any("rebuilding it" in record.getMessage() for record in caplog.records)
    again = client.get("/sog?q=hvordan+får+jeg+adgang+til+data?")
    assert again.status_code == 200 and result_links(again.get_data(as_text=True))[0] == "/m/adgang-til-data/"
    assert client.get("/sog/forslag?q=samty").get_json() == typed


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", [delete_the_files, overwrite_segments_with_garbage],
                         ids=["delete_the_files", "overwrite_segments_with_garbage"])
def test_a_damaged_folder_index_is_rebuilt_for_as_you_type_and_search(client, isolated_home, damage):
    assert client.get("/sog?q=data").status_code == 200
    folder = index_folder_under(isolated_home)
    assert folder.parent.name == "indexes"  # a plain library folder: instance/indexes/<key>/
    damage(folder)
    titles = [item["title"] for item in client.get("/sog/forslag?q=sam").get_json()]
    assert "Samtykke i praksis" in titles
    page = client.get("/sog?q=data&kind=guide")
    assert page.status_code == 200 and result_links(page.get_data(as_text=True)) == ["/m/adgang-til-data/"]


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_damage_again_right_after_a_rebuild_is_a_clear_page_not_a_500(client, isolated_home):
    assert client.get("/sog?q=data").status_code == 200
    folder = index_folder_under(isolated_home)
    delete_the_files(folder)
    assert client.get("/sog?q=Data").status_code == 200  # rebuilt (other spellings: not kept pages)
    delete_the_files(folder)  # again, within a minute: no second rebuild, a page that says so
    page = client.get("/sog?q=DATA")
    assert page.status_code == 503
    assert "Søgningen er ikke tilgængelig lige nu" in page.get_data(as_text=True)
    assert client.get("/sog/forslag?q=sam").get_json() == []
    assert client.get("/m/adgang-til-data/").status_code == 200  # the rest of the site is unaffected


# -- a material under revision: readers find its published edition (review 17) ---------------------------

GUIDE = "adgang-til-data"
GUIDE_TITLE = "Adgang til sundhedsdata og patientdata i AI-projekter"
DRAFT_WORD = "kvantefluxkondensator"  # only in the draft: it replaces "skyløsning", only in the published text


@pytest.fixture
def revised_app(isolated_home):
    """An instance where the data-access guide was published as 1.1.0, then changed again in a draft."""
    from tests.helpers.forms import form_data
    from tests.helpers.web import app_with_users, seen_revision, sign_in

    app = app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("dataadgang",)))
    frida, token = sign_in(app, "frida", "frida-kodeord-1")

    def save(change, questions=lambda text: text) -> None:
        form = form_data(frida.get(f"/m/{GUIDE}/rediger").get_data(as_text=True), f"/m/{GUIDE}/rediger")
        form.update(body=change(form["body"]), questions=questions(form["questions"]), message="Kladde",
                    action="save")
        assert frida.post(f"/m/{GUIDE}/rediger", data=form).status_code == 302

    save(lambda body: body + "\nEt nyt afsnit til udgave 1.1.0.\n")
    published = frida.post(f"/m/{GUIDE}/status", data={"revision": seen_revision(frida, GUIDE),
                                                       "csrf_token": token, "action": "publish", "bump": "minor",
                                                       "note": "Nyt afsnit"})
    assert published.status_code == 302
    replaced = lambda text: text.replace("skyløsning", DRAFT_WORD)  # noqa: E731
    save(replaced, questions=replaced)  # "skyløsning" is one of the guide's questions (front matter) too
    return app


def test_readers_find_a_material_under_revision_by_its_published_edition(revised_app):
    reader = revised_app.test_client()
    assert "Du læser udgave 1.1.0." in reader.get(f"/m/{GUIDE}/").get_data(as_text=True)
    for query in (GUIDE_TITLE, "Adgang til sundhedsdata og patientdata"):
        page = reader.get("/sog", query_string={"q": query}).get_data(as_text=True)
        assert result_links(page)[0] == f"/m/{GUIDE}/", query
        assert result_links(page).count(f"/m/{GUIDE}/") == 1
    # where it ranked before the draft (second, after the consent models that also speak of sundhedsdata)
    assert f"/m/{GUIDE}/" in result_links(reader.get("/sog?q=sundhedsdata").get_data(as_text=True))[:2]
    published_only = reader.get("/sog?q=skyløsning").get_data(as_text=True)
    assert result_links(published_only) == [f"/m/{GUIDE}/"] and "<mark>skyløsning</mark>" in published_only
    assert "· Kladde" not in published_only
    draft_only = reader.get(f"/sog?q={DRAFT_WORD}").get_data(as_text=True)
    assert f"/m/{GUIDE}/" not in result_links(draft_only) and f"<mark>{DRAFT_WORD}" not in draft_only
    titles = [item["title"] for item in reader.get("/sog/forslag?q=adgang sundhedsd").get_json()]
    assert titles.count(GUIDE_TITLE) == 1


def test_members_with_drafts_search_the_current_text(revised_app):
    from tests.helpers.web import sign_in

    mette, _token = sign_in(revised_app, "mette", "mette-kodeord-1")
    found = mette.get(f"/sog?q={DRAFT_WORD}").get_data(as_text=True)
    assert result_links(found) == [f"/m/{GUIDE}/"] and f"<mark>{DRAFT_WORD}</mark>" in found
    assert re.search(r'<p class="meta">Vejledning\s*· Kladde</p>', found)  # says the hit is the draft
    assert f"/m/{GUIDE}/" not in result_links(mette.get("/sog?q=skyløsning").get_data(as_text=True))
    title = mette.get("/sog", query_string={"q": GUIDE_TITLE}).get_data(as_text=True)
    assert result_links(title)[0] == f"/m/{GUIDE}/" and result_links(title).count(f"/m/{GUIDE}/") == 1


def test_the_api_search_finds_the_published_edition_as_readers_do(revised_app):
    api = revised_app.test_client()
    hits = api.get("/api/search", query_string={"q": GUIDE_TITLE}).get_json()["hits"]
    assert hits[0]["slug"] == GUIDE and hits[0]["url"] == f"/m/{GUIDE}/" and hits[0]["status"] == "published"
    assert [h["slug"] for h in hits].count(GUIDE) == 1
    assert [h["slug"] for h in api.get("/api/search?q=skyløsning").get_json()["hits"]] == [GUIDE]
    assert GUIDE not in [h["slug"] for h in api.get(f"/api/search?q={DRAFT_WORD}").get_json()["hits"]]
