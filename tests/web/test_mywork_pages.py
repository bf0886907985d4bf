"""'Mit arbejde' and the status filter of /gennemse through real HTTP on a real instance of the bundled library:
a member's drafts, what they asked to have reviewed and what came back with the comment; a facilitator's queue,
oldest waiting first, and the counts in the header; sign-in required; ?status= filters, a wrong one is said."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts

GUIDE, CONSENT, RESEARCH = "adgang-til-data", "samtykkemodeller", "fra-forskning-til-kvalitetsudvikling"
ANNA = Author("anna", "anna@netkit.localhost")  # as the web commits for the account "anna"
BO = Author("bo", "bo@netkit.localhost")
FRIDA = Author("frida", "frida@netkit.localhost")


@pytest.fixture
def app(isolated_home):
    app = app_with_users(isolated_home, ("frida", "facilitator"), ("anna", "member", ("dataadgang",)),
                         ("bo", "member", ("dataadgang",)))
    Accounts(isolated_home).update("frida", full_name="Frida Fisker")  # people are shown by their names
    return app


@pytest.fixture
def at(monkeypatch):
    def set_clock(when: str) -> None:
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(name, when)

    return set_clock


def source(app):
    return app.extensions["netkit.source"]


def edit(app, slug: str, author: Author, words: str) -> None:
    instance = source(app)
    instance.save(slug, instance.read(slug) + f"\n{words}\n", author, f"Ret {slug}", instance.latest_revision(slug))


def section(page: str, heading_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert found, f"no section {heading_id}"
    return found.group(0)


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/m/([^/]+)/">', html)


def nav_count(page: str) -> str | None:
    nav = re.search(r'<a href="/mit-arbejde">(.*?)</a>', page, re.S)
    assert nav, "no 'Mit arbejde' link in the header"
    count = re.search(r'<span class="nav-count">(\d+)', nav.group(1))
    return count.group(1) if count else None


@pytest.fixture
def cycle(app, at):
    """bo writes in the research guide (his draft); anna asks review of the guide through the status page and
    frida returns it with a comment; bo asks review of the consent guide, which frida approves."""
    at("2026-03-01T09:00:00+01:00")
    edit(app, RESEARCH, BO, "Bos afsnit.")
    edit(app, GUIDE, ANNA, "Annas afsnit.")
    edit(app, CONSENT, BO, "Bos andet afsnit.")
    at("2026-03-02T09:00:00+01:00")
    source(app).set_status(CONSENT, "review", BO, "Klar")
    anna, token = sign_in(app, "anna", "anna-kodeord-1")
    at("2026-03-03T09:00:00+01:00")
    response = anna.post(f"/m/{GUIDE}/status", data={"csrf_token": token, "action": "request_review",
                                                     "note": "Se afsnit 2"})
    assert response.status_code == 302
    at("2026-03-04T09:00:00+01:00")
    source(app).set_status(GUIDE, "draft", FRIDA, "Afsnit 2 mangler kilder <b>nu</b>.")
    at("2026-03-05T09:00:00+01:00")
    source(app).set_status(CONSENT, "approved", FRIDA)
    return anna


def test_anonymous_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/mit-arbejde")
    assert response.status_code == 302 and response.headers["Location"].startswith("/log-ind?next=/mit-arbejde")
    assert "Mit arbejde" not in app.test_client().get("/").get_data(as_text=True)


def test_a_member_sees_what_came_back_with_the_comment_and_their_drafts(app, cycle):
    page = cycle.get("/mit-arbejde").get_data(as_text=True)
    assert cycle.get("/mit-arbejde").status_code == 200
    returned = section(page, "returned-heading")
    assert titles(returned) == [GUIDE] and "(1)" in returned
    assert "Afsnit 2 mangler kilder &lt;b&gt;nu&lt;/b&gt;." in returned  # the comment, escaped
    assert "Sendt tilbage af Frida Fisker" in returned and '<time datetime="2026-03-04T09:00:00+01:00">' in returned
    assert f'href="/m/{GUIDE}/rediger"' in returned
    assert titles(section(page, "drafts-heading")) == []  # the returned guide is not listed twice
    assert "queue-heading" not in page  # no reviewer's queue for a member
    assert nav_count(page) == "1"  # one thing waits for anna: the returned guide


def test_a_member_sees_what_they_asked_to_have_reviewed_and_their_own_drafts(app, cycle):
    bo, _token = sign_in(app, "bo", "bo-kodeord-1")
    page = bo.get("/mit-arbejde").get_data(as_text=True)
    asked = section(page, "asked-heading")
    assert titles(asked) == [CONSENT] and "venter på udgivelse" in asked
    assert titles(section(page, "drafts-heading")) == [RESEARCH]
    assert titles(section(page, "returned-heading")) == [] and "Intet er sendt tilbage til dig." in page
    assert nav_count(page) is None  # nothing for bo to act on


def test_the_facilitator_sees_the_queue_oldest_waiting_first_and_the_count_in_the_header(app, cycle, at):
    at("2026-03-06T09:00:00+01:00")
    source(app).set_status(RESEARCH, "review", BO, "Også denne")
    at("2026-03-07T09:00:00+01:00")
    source(app).set_status(GUIDE, "review", ANNA, "Kilder tilføjet")
    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    page = frida.get("/mit-arbejde").get_data(as_text=True)
    queue = section(page, "queue-heading")
    # consent approved on the 5th, research asked on the 6th, the guide again on the 7th (first edited earliest)
    assert titles(queue) == [CONSENT, RESEARCH, GUIDE] and "(3)" in queue
    assert queue.index("Kilder tilføjet") > queue.index(f"/m/{RESEARCH}/")
    assert f'href="/m/{GUIDE}/status"' in queue and "Godkend eller send tilbage" in queue and "Udgiv" in queue
    assert nav_count(page) == "3"
    assert nav_count(frida.get("/").get_data(as_text=True)) == "3"  # on every page
    # once published, it no longer waits: the header follows at once
    source(app).publish(CONSENT, "minor", "Nyt afsnit", FRIDA)
    assert nav_count(frida.get("/?status=published").get_data(as_text=True)) == "2"


def test_the_browse_page_filters_by_status(app, cycle):
    page = cycle.get("/gennemse?status=review").get_data(as_text=True)
    assert re.findall(r'<h3><a href="/m/([^/]+)/">', page) == []  # nothing in review after the cycle
    approved = cycle.get("/gennemse?status=approved").get_data(as_text=True)
    assert re.findall(r'<h3><a href="/m/([^/]+)/">', approved) == [CONSENT]
    assert '<option value="approved" selected>' in approved and '<label for="status-filter">Status</label>' in approved
    drafts = cycle.get("/gennemse?status=draft").get_data(as_text=True)
    assert set(re.findall(r'<h3><a href="/m/([^/]+)/">', drafts)) == {GUIDE, RESEARCH}
    guides = cycle.get("/gennemse?status=draft&kind=guide").get_data(as_text=True)
    assert re.findall(r'<h3><a href="/m/([^/]+)/">', guides) == [GUIDE]  # the filters combine
    assert '<input type="hidden" name="kind" value="guide">' in guides  # the status form keeps the kind
    topics = re.search(r'<section aria-labelledby="facet-topic".*?</section>', guides, re.S).group(0)
    assert "status=draft" in topics  # and the facet links keep the status


def test_review_status_filter_lists_what_is_in_review(app, at):
    at("2026-03-01T09:00:00+01:00")
    edit(app, GUIDE, ANNA, "Annas afsnit.")
    source(app).set_status(GUIDE, "review", ANNA)
    anna, _token = sign_in(app, "anna", "anna-kodeord-1")
    everything = anna.get("/gennemse").get_data(as_text=True)
    page = anna.get("/gennemse?status=review").get_data(as_text=True)
    assert re.findall(r'<h3><a href="/m/([^/]+)/">', page) == [GUIDE]
    assert len(re.findall(r"<h3><a ", everything)) == 18  # without the filter: everything
    assert '<option value="review" selected>Til review (1)</option>' in page


def test_an_unknown_status_is_said_at_the_field_and_nothing_breaks(app):
    anna, _token = sign_in(app, "anna", "anna-kodeord-1")
    response = anna.get("/gennemse?status=<script>nej")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'Der er ingen status, der hedder »&lt;script&gt;nej«' in page and "<script>nej" not in page
    assert 'aria-describedby="status-error"' in page and 'id="status-error"' in page
    assert len(re.findall(r"<h3><a ", page)) == 18  # all materials still shown
    anonymous = app.test_client().get("/gennemse?status=kladde")
    assert anonymous.status_code == 400 and "Der er ingen status, der hedder »kladde«" in anonymous.get_data(
        as_text=True)
    assert 'id="status-filter"' not in anonymous.get_data(as_text=True)  # readers get no status select


def test_the_english_page(app, cycle):
    cycle.get("/sprog/en")
    page = cycle.get("/mit-arbejde").get_data(as_text=True)
    assert "<h1>My work</h1>" in page and "Returned to you" in page


def test_the_header_count_reads_no_history_on_a_page_view(app, cycle, monkeypatch):
    """Kept per library version: once counted, another page view starts no git process for it."""
    import subprocess

    frida, _token = sign_in(app, "frida", "frida-kodeord-1")
    assert nav_count(frida.get("/gennemse").get_data(as_text=True)) == "1"
    started: list[list[str]] = []
    real_run = subprocess.run

    def run(args, *rest, **options):
        started.append(list(args))
        return real_run(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", run)
    for _ in range(3):
        assert nav_count(frida.get("/gennemse").get_data(as_text=True)) == "1"
    assert [args for args in started if "git" in args[0]] == []
