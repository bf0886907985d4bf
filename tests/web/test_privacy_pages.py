"""The accessibility statement (/was and the footer link), the privacy page (/privatliv or the network's own
notice) and the activity log's age limit as the web uses it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from tests.helpers.web import app_with_users, sign_in
from toolkit.config import Settings
from toolkit.people.activity import ACTIVITY_FILE
from webui import create_app

STATEMENT = "https://www.was.digst.dk/app-netkit-rm-dk"
NOTICE = "https://www.rm.dk/om-os/privatlivspolitik/"


def footer(page: str) -> str:
    return page[page.index('<footer class="site-footer">'):]


def app_for(settings: Settings, **changes):
    return create_app(dataclasses.replace(settings, **changes), {"TESTING": True})


def test_without_a_statement_there_is_no_footer_link_and_was_explains(settings):
    client = app_for(settings).test_client()
    home = client.get("/").get_data(as_text=True)
    assert "Tilgængelighedserklæring" not in footer(home) and "/was" not in home
    response = client.get("/was")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>Ingen erklæring om tilgængelighed endnu</h1>" in page
    assert "NETKIT_ACCESSIBILITY_STATEMENT_URL" in page and "facilitatorer" in page


def test_with_a_statement_every_page_links_to_it_and_was_redirects(settings):
    client = app_for(settings, accessibility_statement_url=STATEMENT).test_client()
    for path in ("/", "/gennemse", "/log-ind", "/privatliv", "/findes-ikke"):
        assert f'<a href="{STATEMENT}">Tilgængelighedserklæring</a>' in footer(client.get(path).get_data(as_text=True))
    response = client.get("/was")
    assert response.status_code == 302 and response.headers["Location"] == STATEMENT


def test_the_bundled_privacy_page_says_what_is_kept_and_for_how_long(settings):
    client = app_for(settings, activity_days=90).test_client()
    assert '<a href="/privatliv">Privatliv og personoplysninger</a>' in footer(client.get("/").get_data(as_text=True))
    response = client.get("/privatliv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Privatliv og personoplysninger</h1>" in page
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == ["Det gemmer Netkit", "Spørgsmål og kontakt", "Dine rettigheder"]
    assert "Den gemmes i 90 dage og slettes derefter." in page  # NETKIT_ACTIVITY_DAYS
    assert "senest efter 8 timer" in page  # the session's life (toolkit.people.signins)
    for fact in ("IP-adresse", "kontaktpersoner med navn, e-mail og rolle", "Historikken skrives ikke om",
                 "netkit person export", "netkit person erase", "Indsigt:", "Berigtigelse:", "Sletning:",
                 "Datatilsynet", "sender ingen e-mails"):
        assert fact in page, fact
    assert "Logger du ind med" not in page  # no OpenID provider configured


def test_with_zero_days_the_page_says_sign_ins_are_not_kept(settings):
    page = app_for(settings, activity_days=0).test_client().get("/privatliv").get_data(as_text=True)
    assert "Aktivitetsloggen er slået fra" in page and "gemmes i 0 dage" not in page


def test_the_privacy_page_names_the_provider_when_one_is_configured(settings):
    app = app_for(settings, oidc_issuer="https://login.example.org/tenant", oidc_provider_name="Region Nord",
                  smtp_host="smtp.example.org")
    page = app.test_client().get("/privatliv").get_data(as_text=True)
    assert "Logger du ind med Region Nord, kommer dit navn" in page and "sender ingen e-mails" not in page


def test_the_networks_own_notice_replaces_the_bundled_page(settings):
    client = app_for(settings, privacy_url=NOTICE).test_client()
    assert f'<a href="{NOTICE}">Privatliv og personoplysninger</a>' in footer(client.get("/").get_data(as_text=True))
    response = client.get("/privatliv")
    assert response.status_code == 302 and response.headers["Location"] == NOTICE


def test_the_static_site_links_only_outside_itself(settings):
    page = create_app(settings, {"TESTING": True, "NETKIT_STATIC": True}).test_client().get("/").get_data(
        as_text=True)
    assert "/privatliv" not in page and "footer-links" not in page
    page = create_app(dataclasses.replace(settings, privacy_url=NOTICE, accessibility_statement_url=STATEMENT),
                      {"TESTING": True, "NETKIT_STATIC": True}).test_client().get("/").get_data(as_text=True)
    assert f'href="{NOTICE}"' in footer(page) and f'href="{STATEMENT}"' in footer(page)


@pytest.fixture
def kept_30_days(isolated_home, monkeypatch):
    monkeypatch.setenv("NETKIT_ACTIVITY_DAYS", "30")
    return app_with_users(isolated_home, ("frida", "facilitator"))


def test_sign_ins_older_than_the_limit_are_not_shown_and_leave_the_file(kept_30_days, isolated_home):
    log = isolated_home / ACTIVITY_FILE
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    log.write_text(json.dumps({"time": old.isoformat(timespec="seconds"), "kind": "sign_in", "who": "gammel",
                               "detail": "192.0.2.45"}) + "\n", encoding="utf-8")
    frida, _token = sign_in(kept_30_days, "frida", "frida-kodeord-1")  # a new line: the old one goes
    page = frida.get("/aktivitet").get_data(as_text=True)
    assert "192.0.2.45" not in page and "gammel" not in page
    assert "frida" in page
    kept = [json.loads(line)["who"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert kept == ["frida"]
