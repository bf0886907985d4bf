"""Search and browse on a small screen (issue 21): the facets sit behind a closed "Filtrér" disclosure (a <details>,
no JS), the results follow it, and the chosen filters stay outside it, each a link that removes it. Through Flask's
test client; the layout itself is measured in tests/e2e/test_small_screens.py."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.helpers.web import app_with_users, sign_in


def soup_of(response) -> BeautifulSoup:
    assert response.status_code in (200, 400)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def chips(page: BeautifulSoup) -> dict[str, str]:
    """The chosen filters shown outside the disclosure: their text → the link that removes them."""
    box = page.select_one("aside.facets .active-filters")
    if box is None:
        return {}
    assert box.find_parent("details") is None
    return {" ".join(a.get_text(" ", strip=True).split()): a["href"] for a in box.select("li:not(.clear-all) a")}


def test_the_search_facets_are_behind_a_closed_filter_disclosure_before_the_results(client):
    page = soup_of(client.get("/sog?q=data"))
    aside = page.select_one("aside.facets")
    disclosure = aside.select_one("details.filter-disclosure")
    assert disclosure is not None and not disclosure.has_attr("open")  # closed: a phone sees the results first
    assert disclosure.find("summary").get_text(strip=True) == "Filtrér"
    facet_links = aside.select("section a")
    assert facet_links and all(link.find_parent("details") is disclosure for link in facet_links)
    assert "Vejledning" in disclosure.get_text()
    assert chips(page) == {}  # nothing chosen yet
    results = page.select_one("section.results")
    assert results.select("li.hit") and aside.find_next_sibling("section") is results


def test_a_chosen_search_filter_stays_in_sight_and_its_link_removes_it(client):
    page = soup_of(client.get("/sog?q=data&kind=guide"))
    assert chips(page) == {"Type: Vejledning – valgt, klik for at fjerne ×": "/sog?q=data"}
    assert not page.select_one("details.filter-disclosure").has_attr("open")  # still closed
    again = soup_of(client.get("/sog?q=data"))
    assert chips(again) == {} and len(again.select("li.hit")) > len(page.select("li.hit")) - 1


def test_no_disclosure_without_results_but_a_filter_that_emptied_them_can_be_removed(client):
    assert soup_of(client.get("/sog")).select_one("details.filter-disclosure") is None
    assert soup_of(client.get("/sog?q=zzqqxxvv")).select_one("details.filter-disclosure") is None
    emptied = soup_of(client.get("/sog?q=zzqqxxvv&kind=guide"))
    assert emptied.select_one("details.filter-disclosure") is None
    assert chips(emptied) == {"Type: Vejledning – valgt, klik for at fjerne ×": "/sog?q=zzqqxxvv"}


def test_browse_has_the_same_disclosure_and_removes_one_filter_at_a_time(client):
    page = soup_of(client.get("/gennemse?topic=consent&kind=guide"))
    disclosure = page.select_one("aside.facets details.filter-disclosure")
    assert disclosure is not None and not disclosure.has_attr("open")
    assert all(section.find_parent("details") is disclosure for section in page.select("aside.facets section"))
    found = chips(page)
    assert found == {"Type: Vejledning – valgt, klik for at fjerne ×": "/gennemse?topic=consent",
                     "Emne: Samtykke – valgt, klik for at fjerne ×": "/gennemse?kind=guide"}
    clear = page.select_one(".active-filters .clear-all a")  # with two or more chosen, one link clears them all
    assert clear.get_text() == "Fjern alle filtre" and clear["href"] == "/gennemse"
    assert chips(soup_of(client.get("/gennemse"))) == {}


def test_a_members_status_filter_is_a_chip_and_its_error_opens_the_disclosure(isolated_home):
    app = app_with_users(isolated_home, ("anna", "member", ("dataadgang",)))
    anna, _token = sign_in(app, "anna", "anna-kodeord-1")
    drafts = soup_of(anna.get("/gennemse?status=draft&kind=guide"))
    assert chips(drafts) == {"Type: Vejledning – valgt, klik for at fjerne ×": "/gennemse?status=draft",
                             "Status: Kladde – valgt, klik for at fjerne ×": "/gennemse?kind=guide"}
    assert drafts.select_one("details.filter-disclosure select#status-filter") is not None
    assert not drafts.select_one("details.filter-disclosure").has_attr("open")
    wrong = anna.get("/gennemse?status=findes-ikke")
    assert wrong.status_code == 400
    page = soup_of(wrong)
    disclosure = page.select_one("details.filter-disclosure")
    assert disclosure.has_attr("open")  # the error is seen at its field, not hidden in a closed box
    assert disclosure.select_one("#status-error").get_text(strip=True).startswith("Der er ingen status")
