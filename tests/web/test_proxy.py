"""Behind a reverse proxy (Flask's test client sending a proxy's X-Forwarded-* headers to a real instance): with
NETKIT_PROXY_HOPS=1 the client's address, scheme, host and prefix come from them — the activity log, the
sign-in throttle, links, redirects, cookies, feeds and calendars follow —; with 0 the headers are ignored."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.signins import FREE_TRIES
from webui import context, create_app

MEETING = "2027-02-04-adgang-til-data"
PROXIED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "netkit.rm.dk",
           "X-Forwarded-Prefix": "/netkit"}
# The test client keeps cookies by the path it asked for; a browser asks for /netkit/…, and so must it when a
# session (the form token) has to come back under the prefix's cookie path.
BROWSER = {"base_url": "https://netkit.rm.dk/netkit/"}


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("proxied") / "instance"
    create_app(Settings(home=home), {"TESTING": True})  # the instance, made once for every app of this module
    Accounts(home).add("ane", "member", password="ane-kodeord-1")
    return home


def app_for(home: Path, **settings):
    app = create_app(Settings(home=home, **settings), {"TESTING": True})
    app.extensions[context.SIGNINS_KEY].clear_failures()
    return app


def token(client, headers: dict[str, str]) -> str:
    page = client.get("/log-ind", headers=headers, **BROWSER).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def fail_sign_in(client, headers: dict[str, str]):
    data = {"csrf_token": token(client, headers), "name": "ane", "password": "forkert-gæt"}
    response = client.post("/log-ind", headers=headers, data=data, **BROWSER)
    assert response.status_code != 400 or "Forkert brugernavn" in response.get_data(as_text=True)  # not the token
    return response


def last_failure(home: Path) -> str:
    return next(e.detail for e in ActivityLog(home).recent() if e.kind == "sign_in_failed")


def test_without_hops_the_forwarded_headers_are_ignored(home):
    client = app_for(home, proxy_hops=0).test_client()
    assert fail_sign_in(client, PROXIED).status_code == 400
    assert last_failure(home) == "127.0.0.1"  # the test client's own address, not the claimed one
    page = client.get("/", headers=PROXIED).get_data(as_text=True)
    assert 'href="/static/netkit.css' in page and "/netkit/" not in page
    feed = client.get("/feed.atom", headers=PROXIED).get_data(as_text=True)
    assert 'href="http://localhost/feed.atom"' in feed and "netkit.rm.dk" not in feed
    cookie = client.application.test_client().get("/log-ind", headers=PROXIED).headers["Set-Cookie"]
    assert "Path=/;" in cookie and "Secure" not in cookie


def test_the_activity_log_records_the_client_behind_the_proxy(home):
    client = app_for(home, proxy_hops=1).test_client()
    assert fail_sign_in(client, PROXIED).status_code == 400
    assert last_failure(home) == "203.0.113.9"
    # Only the last hop counts: an address the client put in front of the proxy's is not believed.
    spoofed = {**PROXIED, "X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    fail_sign_in(client, spoofed)
    assert last_failure(home) == "203.0.113.7"


def test_the_throttle_counts_each_client_behind_the_proxy(home):
    client = app_for(home, proxy_hops=1).test_client()
    for _ in range(FREE_TRIES):
        assert fail_sign_in(client, PROXIED).status_code == 400
    assert fail_sign_in(client, PROXIED).status_code == 429
    other = {**PROXIED, "X-Forwarded-For": "203.0.113.10"}  # another client through the same proxy
    assert fail_sign_in(app_for(home, proxy_hops=1).test_client(), other).status_code == 400


def test_links_static_files_and_redirects_carry_the_prefix(home):
    client = app_for(home, proxy_hops=1).test_client()
    page = client.get("/", headers=PROXIED).get_data(as_text=True)
    addresses = re.findall(r'(?:href|src|action)="(/[^"]*)"', page)
    assert addresses and all(a.startswith("/netkit/") for a in addresses), addresses
    assert 'href="/netkit/static/netkit.css' in page and 'src="/netkit/static/suggest.js' in page
    assert 'data-suggest="/netkit/sog/forslag"' in page  # the address suggest.js fetches
    with client.get("/static/netkit.css", headers=PROXIED) as stylesheet:
        assert stylesheet.status_code == 200
    # A page that needs signing in sends the visitor to the sign-in page and, after it, back: under /netkit/.
    refused = client.get("/mit-arbejde", headers=PROXIED)
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/netkit/log-ind?next=")
    login = client.get(refused.headers["Location"][len("/netkit"):], headers=PROXIED, **BROWSER)
    assert 'name="next" value="/netkit/mit-arbejde"' in login.get_data(as_text=True)
    signed_in = client.post("/log-ind", headers=PROXIED, **BROWSER, data={
        "csrf_token": token(client, PROXIED), "name": "ane", "password": "ane-kodeord-1",
        "next": "/netkit/mit-arbejde"})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/netkit/mit-arbejde"
    switched = client.get("/sprog/en", query_string={"next": "/gennemse"}, headers=PROXIED)
    assert switched.headers["Location"] == "/netkit/gennemse"
    assert "Path=/netkit/" in switched.headers["Set-Cookie"] and "Secure" in switched.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/", "/gennemse", "/m/adgang-til-data/", "/m/adgang-til-data/historik",
                                  "/moeder/", f"/moeder/{MEETING}/", "/skabeloner/", "/projekter/", "/emner/",
                                  "/log-ind", "/findes-ikke"])
def test_every_address_on_a_page_carries_the_prefix(home, path):
    """Links, forms, scripts, styles, and the links inside a rendered material (the renderer caches them as /m/…)."""
    client = app_for(home, proxy_hops=1).test_client()
    page = client.get(path, headers=PROXIED).get_data(as_text=True)
    addresses = re.findall(r'(?:href|src|action|data-[a-z-]+)="(/[^"]*)"', page)
    assert addresses and all(a.startswith("/netkit/") for a in addresses), addresses


def test_search_hits_link_under_the_prefix(home):
    client = app_for(home, proxy_hops=1).test_client()
    page = client.get("/sog", query_string={"q": "samtykke"}, headers=PROXIED).get_data(as_text=True)
    hits = re.findall(r'<h3><a href="([^"]+)"', page)
    assert hits and all(h.startswith("/netkit/") for h in hits), hits
    titles = client.get("/sog/forslag", query_string={"q": "sa"}, headers=PROXIED).get_json()
    assert titles and all(t["url"].startswith("/netkit/") for t in titles)
    found = client.get("/api/search", query_string={"q": "samtykke"}, headers=PROXIED).get_json()
    assert found["hits"] and all(h["url"].startswith("/netkit/") for h in found["hits"])
    assert client.get("/api/openapi.json", headers=PROXIED).get_json()["servers"] == [{"url": "/netkit"}]
    assert client.get("/api/openapi.json").get_json()["servers"] == [{"url": "/"}]


def test_the_session_cookie_follows_the_prefix_and_https(home):
    client = app_for(home, proxy_hops=1).test_client()
    cookie = client.get("/log-ind", headers=PROXIED).headers["Set-Cookie"]
    assert "Path=/netkit/" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    plain = {**PROXIED, "X-Forwarded-Proto": "http"}
    cookie = app_for(home, proxy_hops=1).test_client().get("/log-ind", headers=plain).headers["Set-Cookie"]
    assert "Secure" not in cookie  # over plain http the browser would drop a Secure cookie: no session at all
    forced = app_for(home, proxy_hops=1, secure_cookies=True).test_client()
    assert "Secure" in forced.get("/log-ind", headers=plain).headers["Set-Cookie"]


def test_feeds_and_calendars_link_to_the_public_address(home):
    client = app_for(home, proxy_hops=1).test_client()
    feed = client.get("/feed.atom", headers=PROXIED).get_data(as_text=True)
    assert 'href="https://netkit.rm.dk/netkit/feed.atom"' in feed and 'href="https://netkit.rm.dk/netkit/"' in feed
    assert "http://localhost" not in feed
    calendar = client.get(f"/moeder/{MEETING}.ics", headers=PROXIED).get_data(as_text=True)
    unfolded = calendar.replace("\r\n ", "")
    assert f"URL:https://netkit.rm.dk/netkit/moeder/{MEETING}/" in unfolded
    plan = client.get("/moeder/aarsplan/2027.ics", headers=PROXIED).get_data(as_text=True).replace("\r\n ", "")
    assert f"https://netkit.rm.dk/netkit/moeder/{MEETING}/" in plan and "localhost" not in plan


def test_a_configured_base_url_wins_over_the_request(home):
    settings = replace(Settings(home=home, proxy_hops=1), base_url="https://viden.rm.dk/")
    app = create_app(settings, {"TESTING": True})
    client = app.test_client()
    feed = client.get("/feed.atom", headers=PROXIED).get_data(as_text=True)
    assert 'href="https://viden.rm.dk/feed.atom"' in feed and "netkit.rm.dk" not in feed
    calendar = client.get(f"/moeder/{MEETING}.ics", headers=PROXIED).get_data(as_text=True).replace("\r\n ", "")
    assert f"URL:https://viden.rm.dk/moeder/{MEETING}/" in calendar
