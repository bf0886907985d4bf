"""The reviewer's diff pages through Flask's test client on a real instance: side by side and inline, the rendered
view, the restore preview, the history page as a member and as a facilitator, and one old revision read-only."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts
from webui import create_app

SLUG = "samtykkemodeller"
NEW_LINE = "Et nyt afsnit om <script>alert('x')</script> dynamisk samtykke."


@pytest.fixture
def app(isolated_home):
    app = create_app(Settings.from_env(), {"TESTING": True})
    accounts = Accounts(isolated_home)
    accounts.add("ane", "member", groups=("samtykke",), password="ane-kodeord-1", full_name="Ane Eksempel")
    accounts.add("frida", "facilitator", password="frida-kodeord-1", full_name="Frida Facilitator")
    instance = app.extensions["netkit.source"]
    text = instance.read(SLUG)
    changed = text.replace("title: ", "title: Ny titel - ", 1).replace("\n## ", f"\n{NEW_LINE}\n\n## ", 1)
    instance.save(SLUG, changed, Author("ane", "ane@example.dk"), "Nyt afsnit", instance.latest_revision(SLUG))
    return app


@pytest.fixture
def member(app):
    return sign_in(app, "ane", "ane-kodeord-1")[0]


@pytest.fixture
def facilitator(app):
    return sign_in(app, "frida", "frida-kodeord-1")[0]


def revisions(app):
    return app.extensions["netkit.source"].history(SLUG)


def test_the_diff_page_shows_changed_fields_as_a_table_and_the_text_as_hunks_side_by_side(app, member):
    page = member.get(f"/m/{SLUG}/forskel").get_data(as_text=True)
    table = page[page.index('<table class="field-changes">'):page.index("</table>") + 8]
    assert "<caption>2 felter ændret</caption>" in table  # the title, and the status (a new draft)
    assert re.search(r'<th scope="row">Titel</th>\s*<td data-label="Før">Samtykkemodeller', table)
    assert "<ins>Ny titel - </ins>Samtykkemodeller" in table
    assert "<del>Udgivet</del>" in table and "<ins>Kladde</ins>" in table  # taxonomy labels, not "draft"
    assert "title:" not in page  # the YAML itself is not shown
    assert '<div class="review-diff side digits-3">' in page
    hunk = page[page.index('<table class="diff review hunk">'):]
    hunk = hunk[:hunk.index("</table>")]
    assert re.search(r"<caption>Linje \d+–\d+</caption>", hunk)
    assert len(re.findall(r'<tr class="diff-equal">', hunk)) == 6  # 3 lines of context each side
    assert '<tr class="diff-insert">' in hunk and "&lt;script&gt;" in hunk and "<script>alert" not in page
    folded = re.findall(r"<summary>… (\d+) uændrede linjer</summary>", page)
    assert len(folded) == 2 and all(int(n) >= 4 for n in folded)
    assert '<a href="/m/samtykkemodeller/forskel?visning=side" aria-current="page">Side om side</a>' in page
    assert "(Ane Eksempel)" in page and "(Netkit)" in page  # the two revisions by time and author
    assert not re.search(r"[0-9a-f]{10} →", page)


def test_the_inline_view_and_the_toggle_keep_the_chosen_revisions(app, member):
    old, new = revisions(app)[1].id, revisions(app)[0].id
    side = member.get(f"/m/{SLUG}/forskel?fra={old}&til={new}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*visning=inline[^"]*)">Under hinanden</a>', side)
    assert link and f"fra={old}" in link[1] and f"til={new}" in link[1]
    page = member.get(link[1].replace("&amp;", "&")).get_data(as_text=True)
    assert '<div class="review-diff inline digits-3">' in page
    assert re.search(r'aria-current="page">Under hinanden</a>', page)
    rows = re.findall(r'<tr class="diff-insert">\s*<td class="line-no"></td><td class="line-no">(\d+)</td>\s*'
                      r'<td class="sign"><span aria-hidden="true">\+</span><span class="visually-hidden">Tilføjet'
                      r"</span></td>\s*<td class=\"text\"><ins>([^<]*)", page)
    assert any(text.startswith("Et nyt afsnit om &lt;script&gt;") for _number, text in rows)
    assert "<summary>… " in page
    assert member.get(f"/m/{SLUG}/forskel?visning=tabel").get_data(as_text=True).count("review-diff side") == 1


def test_the_rendered_view_shows_the_text_as_the_reader_sees_it_with_the_change_marked(app, member):
    page = member.get(f"/m/{SLUG}/forskel?visning=gengivet").get_data(as_text=True)
    assert "Teksten, som den læseren ser den" not in page and "Teksten, som læseren ser den" in page
    rendered = page[page.index('<div class="rendered-diff">'):]
    assert re.search(r'<div class="material-body rendered-block rendered-(insert|changed)">'
                     r'<p class="block-label">(Tilføjet|Ændret)</p>', rendered)
    assert "&lt;script&gt;alert" in rendered and "<script>alert" not in page
    assert "<h2" in rendered  # headings rendered, not as "## " text
    assert "uændrede afsnit</summary>" in rendered
    assert "<table class=\"field-changes\">" in page  # the fields are shown in every view


def test_the_history_page_hides_restoring_from_members_and_names_revisions_by_time_and_author(app, member,
                                                                                               facilitator):
    page = member.get(f"/m/{SLUG}/historik").get_data(as_text=True)
    assert '<th scope="col">Gendan</th>' not in page and "/gendan/" not in page
    assert '<td data-label="Af">Ane Eksempel</td>' in page  # the display name, not the user name
    first, second = revisions(app)[0], revisions(app)[1]
    assert f'href="/m/{SLUG}/historik/{first.id}"' in page and f'href="/m/{SLUG}/historik/{second.id}"' in page
    page = facilitator.get(f"/m/{SLUG}/historik").get_data(as_text=True)
    assert '<th scope="col">Gendan</th>' in page
    link = re.search(rf'<a href="/m/{SLUG}/gendan/{second.id}">(.*?)</a>', page)
    label = re.sub(r"<[^>]+>", "", link[1])
    assert re.fullmatch(r"Gendan udgaven fra \d+\. december \d{4} \d\d:\d\d:\d\d af Netkit", label)  # to the second
    assert second.short not in label
    assert f"/gendan/{first.id}" not in page  # the newest is what is already there
    labels = re.findall(r'<label for="fra-\d+" class="visually-hidden">([^<]+)</label>', page)
    assert labels and all(" af " in text and not re.search(r"[0-9a-f]{10}", text) for text in labels)


def test_one_old_revision_is_shown_read_only_and_marked_as_old(app, member, facilitator):
    old, newest = revisions(app)[1], revisions(app)[0]
    page = member.get(f"/m/{SLUG}/historik/{old.id}").get_data(as_text=True)
    assert 'role="note"' in page and "Gammel udgave – kun til læsning" in page
    assert "gemt af Netkit" in page and "Det er ikke den nuværende tekst" in page
    assert "Et nyt afsnit om" not in page and "Ny titel" not in page.split('<article', 1)[1]
    assert '<div class="material-body"><p>' in page and "<h2 id=" in page  # rendered as the reader sees it
    assert f"/m/{SLUG}/forskel?fra={old.id}&amp;til={newest.id}" in page
    assert "<form" not in page.split("<main", 1)[1] and "/rediger" not in page.split("<main", 1)[1]
    assert "/gendan/" not in page  # a member may not restore
    assert f"/m/{SLUG}/gendan/{old.id}" in facilitator.get(f"/m/{SLUG}/historik/{old.id}").get_data(as_text=True)
    current = member.get(f"/m/{SLUG}/historik/{newest.short}").get_data(as_text=True)
    assert "Nyeste gemte udgave" in current and "Gammel udgave" not in current
    assert "Et nyt afsnit om &lt;script&gt;" in current and "<script>alert" not in current
    assert member.get(f"/m/{SLUG}/historik/{'0' * 40}").status_code == 404
    assert member.get(f"/m/{SLUG}/historik/--evil").status_code in (400, 404)
    other = app.extensions["netkit.source"].history("adgang-til-data")[0].id
    if other not in {r.id for r in revisions(app)}:
        assert member.get(f"/m/{SLUG}/historik/{other}").status_code == 404


def test_an_old_revision_needs_sign_in(app):
    old = revisions(app)[1].id
    response = app.test_client().get(f"/m/{SLUG}/historik/{old}")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


def test_the_restore_preview_names_the_revision_and_shows_what_restoring_changes(app, facilitator):
    old = revisions(app)[1]
    page = facilitator.get(f"/m/{SLUG}/gendan/{old.id}?visning=inline").get_data(as_text=True)
    assert re.search(r"Udgaven fra \d+\. december \d{4} \d\d:\d\d:\d\d, gemt af Netkit, bliver den nyeste\.", page)
    assert f'href="/m/{SLUG}/historik/{old.id}"' in page
    assert '<div class="review-diff inline' in page and "<th scope=\"col\">Nu</th>" in page
    assert "<del>Ny titel - </del>" in page  # the title goes back
    assert "<ins>Kladde</ins>" not in page and ">Status</th>" not in page  # a restore keeps the status
    assert f'action="/m/{SLUG}/gendan/{old.id}?visning=inline"' in page
    rendered = facilitator.get(f"/m/{SLUG}/gendan/{old.id}?visning=gengivet").get_data(as_text=True)
    assert "rendered-delete" in rendered or "rendered-old" in rendered or "rendered-changed" in rendered
