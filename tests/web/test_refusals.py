"""A refusal says why: the sign-in page names what the page is for, and a 403 names what the action takes and who
can grant it (a bare "Forespørgslen kunne ikke gennemføres" left people stuck)."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers.web import app_with_users, sign_in


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("ada", "admin"), ("fie", "facilitator"), ("max", "member", ("etik",)))


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("path", "reason"), [
    ("/emner/", "Emneforslag er for netværkets medlemmer"),
    ("/grupper", "Arbejdsgrupperne er for netværkets medlemmer"),
    ("/aktivitet", "Aktivitetsloggen er for facilitatorer"),
    ("/m/adgang-til-data/rediger", "Log ind for at redigere materialet"),
])
def test_the_sign_in_page_says_why_the_page_needs_it(app, path, reason):
    client = app.test_client()
    response = client.get(path)
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    page = page_of(client.get(response.headers["Location"]))
    assert reason in page
    assert "Forespørgslen kunne ikke gennemføres" not in page


def test_signing_in_of_ones_own_accord_gives_no_reason(app):
    page = page_of(app.test_client().get("/log-ind"))
    assert "why-sign-in" not in page


def test_a_member_refused_an_admin_page_learns_what_it_takes_and_who_grants_it(app):
    client, _token = sign_in(app, "max", "max-kodeord-1")
    response = client.get("/admin/brugere")
    page = page_of(response)
    assert response.status_code == 403
    assert "Du har ikke adgang" in page and "Det kræver rollen administrator." in page
    assert "Roller gives af en administrator: ada." in page
    assert "Forespørgslen kunne ikke gennemføres" not in page


def test_a_member_of_another_group_is_told_which_group_the_material_belongs_to(app):
    client, _token = sign_in(app, "max", "max-kodeord-1")
    response = client.get("/m/adgang-til-data/rediger")
    page = page_of(response)
    assert response.status_code == 403
    assert "hører til Arbejdsgruppen for dataadgang." in page and "En facilitator kan tage dig med i gruppen" in page


def test_a_member_posting_to_the_groups_page_is_told_it_takes_a_facilitator(app):
    client, token = sign_in(app, "max", "max-kodeord-1")
    response = client.post("/grupper", data={"csrf_token": token, "action": "add", "slug": "ny-gruppe"})
    page = page_of(response)
    assert response.status_code == 403 and "Det kræver rollen facilitator (eller administrator)." in page


def test_the_reasons_are_english_for_an_english_reader(app):
    client, _token = sign_in(app, "max", "max-kodeord-1")
    client.get("/sprog/en")
    page = page_of(client.get("/admin/brugere"))
    assert "You do not have access" in page and "It takes the administrator role." in page
    anonymous = app.test_client()
    anonymous.get("/sprog/en")
    page = page_of(anonymous.get("/log-ind?next=/emner/"))
    assert "Topic proposals are for the network's members" in page


def status_form(client, slug: str) -> str:
    page = client.get(f"/m/{slug}/status").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_status_action_not_offered_says_what_it_takes_or_that_the_status_moved_on(app):
    member, _token = sign_in(app, "max", "max-kodeord-1")
    refused = member.post("/m/etiske-dilemmaer/status", data={"csrf_token": status_form(member, "etiske-dilemmaer"),
                                                              "action": "approve", "note": "Godkendt"})
    assert refused.status_code == 403 and "Det kræver rollen facilitator" in page_of(refused)
    facilitator, _token = sign_in(app, "fie", "fie-kodeord-1")
    stale = facilitator.post("/m/etiske-dilemmaer/status", data={
        "csrf_token": status_form(facilitator, "etiske-dilemmaer"), "action": "approve", "note": "Godkendt"})
    page = page_of(stale)
    assert stale.status_code == 409 and "handlingen passer ikke til materialets status nu" in page
    assert "Godkendt" in page  # the note typed is kept
