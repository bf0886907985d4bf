"""Freshness on the web: the review line of a material and of an edition, and the facilitators' list of
materials to review (`/gennemgang`), through real HTTP on a real instance of the bundled library."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.library.frontmatter import set_fields
from webui import create_app

SLUG = "adgang-til-data"
OTHER = "samtykkemodeller"
ANNA = Author("Anna Jensen", "anna@rm.dk")


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("dataadgang",)))


def set_review(app, slug: str, reviewed: str, review_by: str, *, append: str = "") -> None:
    """Give a material these review months (and optionally a paragraph more), saved as a revision."""
    instance = app.extensions["netkit.source"]
    text = set_fields(instance.read(slug), {"reviewed": reviewed, "review_by": review_by}) + append
    instance.save(slug, text, ANNA, "Gennemgang", instance.latest_revision(slug))


def review_line(page: str) -> str | None:
    found = re.search(r'<p class="meta review-line[^"]*">(.*?)</p>', page, re.S)
    return found.group(1) if found else None


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


# -- the material page ---------------------------------------------------------------------------------------

def test_the_material_page_shows_when_it_was_reviewed_and_when_next(app):
    set_review(app, SLUG, "2026-11", "2099-05")
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")  # the saved text is a draft: members read it
    page = frida.get(f"/m/{SLUG}/").get_data(as_text=True)
    line = review_line(page)
    assert plain(line) == "Fagligt gennemgået november 2026 · næste gennemgang maj 2099"
    assert '<time datetime="2026-11">november 2026</time>' in line and '<time datetime="2099-05">' in line
    assert "forfalden" not in page
    assert page.index("review-line") < page.index('class="material-body"')  # up with the state line


def test_a_passed_review_is_said_calmly_but_visibly(app):
    set_review(app, SLUG, "2019-06", "2020-01")
    app.extensions["netkit.source"].publish(SLUG, "minor", "Gennemgået", ANNA)
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    for client in (app.test_client(), frida):  # the kept page of anonymous readers too
        line = review_line(client.get(f"/m/{SLUG}/").get_data(as_text=True))
        assert plain(line) == "Fagligt gennemgået juni 2019 · næste gennemgang januar 2020 · gennemgangen er forfalden"
        assert "<strong>gennemgangen er forfalden</strong>" in line


def test_the_months_are_in_the_readers_language(app):
    set_review(app, SLUG, "2026-11", "2099-05")
    reader, _token = sign_in(app, "frida", "frida-kodeord-1")
    reader.get("/sprog/en")
    line = plain(review_line(reader.get(f"/m/{SLUG}/").get_data(as_text=True)))
    assert "November 2026" in line and "May 2099" in line and "november" not in line


def test_an_edition_page_shows_the_review_months_of_that_edition(app):
    instance = app.extensions["netkit.source"]
    edition = instance.read_version(SLUG, "1.0.0")
    set_review(app, SLUG, "2019-06", "2020-01")  # the current text: not what the edition says
    page = app.test_client().get(f"/m/{SLUG}/v/1.0.0/").get_data(as_text=True)
    line = review_line(page)
    assert edition.reviewed is not None  # the instance was created from the bundled library, which has them
    assert f'<time datetime="{edition.reviewed}">' in line and f'<time datetime="{edition.review_by}">' in line
    assert "2019" not in line and "forfalden" not in line


def test_nothing_is_shown_without_review_months(settings):
    """The test library's materials have no review months: no line, no empty paragraph."""
    page = create_app(settings, {"TESTING": True}).test_client().get("/m/adgang-til-data/").get_data(as_text=True)
    assert page.count("<h1") == 1 and "review-line" not in page and "gennemgå" not in page


# -- the facilitators' list -----------------------------------------------------------------------------------

def test_facilitators_see_the_materials_due_and_the_stale_markers(app):
    set_review(app, SLUG, "2019-06", "2020-01",
               append="\nUdtrækket tager fire uger (tjekket januar 2020).\n")
    set_review(app, OTHER, "2026-11", "2099-01")
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    response = frida.get("/gennemgang")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Faglig gennemgang</h1>" in page
    due = re.search(r'<tr class="review-overdue">(.*?)</tr>', page, re.S).group(1)
    assert f'href="/m/{SLUG}/"' in due
    assert plain(due).endswith("dataadgang juni 2019 januar 2020 Forfalden")
    markers = page[page.index('id="markers-heading"'):]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", markers, re.S) if "januar 2020" in r)
    instance = app.extensions["netkit.source"]
    line = next(i for i, text in enumerate(instance.read(SLUG).splitlines(), 1) if "tjekket januar 2020" in text)
    assert f'href="/m/{SLUG}/"' in row and f"<td>{line}</td>" in row
    assert "Udtrækket tager fire uger (tjekket januar 2020)." in plain(row)
    assert '<time datetime="2020-01">januar 2020</time>' in row
    due_table = page[page.index('id="due-heading"'):page.index('id="markers-heading"')]
    assert f'href="/m/{OTHER}/"' not in due_table  # its next review is far off: not on the list


def test_the_list_is_for_facilitators_only(app):
    mette, _token = sign_in(app, "mette", "mette-kodeord-1")
    assert mette.get("/gennemgang").status_code == 403
    anonymous = app.test_client().get("/gennemgang")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].endswith("/log-ind?next=/gennemgang")


def test_the_navigation_links_the_list_for_facilitators_only(app):
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    mette, _token = sign_in(app, "mette", "mette-kodeord-1")
    nav = re.compile(r'<nav aria-label="Hovedmenu".*?</nav>', re.S)
    frida_nav = nav.search(frida.get("/").get_data(as_text=True)).group(0)
    assert '<a href="/aktivitet">Aktivitet</a></li>\n          <li><a href="/gennemgang">Gennemgang</a>' in frida_nav
    for client in (mette, app.test_client()):
        assert "/gennemgang" not in nav.search(client.get("/").get_data(as_text=True)).group(0)
