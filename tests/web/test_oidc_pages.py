"""Signing in with a real OpenID provider (oidc-provider under node) through Flask's test client: the session, the
mapping applied at every sign-in, "Ingen adgang", refused answers, the throttle, local sign-in switched off, and
signing out at the provider too."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from tests.helpers.oidc import MAPPING, ProviderBrowser, provider_fixture, set_groups
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

provider = provider_fixture()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "instance"


def make_app(home, provider, **settings):
    app = create_app(Settings(home=home, oidc_issuer=provider.issuer, oidc_client_id="netkit",
                              oidc_client_secret=provider.netkit_secret, **settings), {"TESTING": True})
    if not (home / "oidc-groups.yaml").exists():
        (home / "oidc-groups.yaml").write_text(MAPPING, encoding="utf-8")
    if not Accounts(home).exists():  # the emergency admin, a local account
        Accounts(home).add("noedadmin", "admin", password="noedadmin-kodeord-1", email="it@region.example",
                           full_name="Nød Admin")
    return app


@pytest.fixture
def app(home, provider):
    return make_app(home, provider)


def provider_answer(client, provider, login: str, next_: str | None = None) -> str:
    """Start a sign-in at Netkit, sign in at the provider; the callback path with the provider's answer."""
    start = client.get("/log-ind/oidc" + (f"?next={urllib.parse.quote(next_)}" if next_ else ""))
    assert start.status_code == 302 and start.headers["Location"].startswith(provider.issuer + "/auth?")
    back = urllib.parse.urlsplit(ProviderBrowser(provider).sign_in(start.headers["Location"], login))
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://localhost/log-ind/oidc/retur"
    return f"{back.path}?{back.query}"


def signed_in_as(client) -> str | None:
    found = re.search(r'<span class="signed-in">([^<]+)</span>', client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


def csrf_token(client, path="/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def activity(home) -> list[dict]:
    path = home / "activity.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_sign_in_page_offers_the_provider_and_the_local_form(app):
    page = app.test_client().get("/log-ind?next=/gennemse").get_data(as_text=True)
    assert "Log ind med Region Midtjylland" in page and 'action="/log-ind/oidc"' in page
    assert 'name="next" value="/gennemse"' in page and 'name="password"' in page


def test_a_member_of_a_mapped_group_signs_in_and_lands_where_they_were_going(app, home, provider):
    client = app.test_client()
    answer = client.get(provider_answer(client, provider, "alice", "/gennemse"))
    assert answer.status_code == 302 and answer.headers["Location"] == "/gennemse"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert signed_in_as(client) == "Alice Ærø"
    user = Accounts(home).get("alice")
    assert (user.role, user.groups, user.email, user.full_name) == ("member", ("dataadgang",),
                                                                    "alice@region.example", "Alice Ærø")
    assert user.subject == f"{provider.issuer} alice" and user.password_hash == ""
    assert any(e["kind"] == "sign_in" and e["who"] == "alice" for e in activity(home))


def test_an_answer_is_used_once_and_only_in_the_session_that_asked(app, provider):
    client = app.test_client()
    answer = provider_answer(client, provider, "alice")
    thief = app.test_client()
    refused = thief.get(answer)  # another browser with the same answer (login CSRF, a leaked URL)
    assert refused.status_code == 400 and "Log-ind blev afvist eller er udløbet" in refused.get_data(as_text=True)
    assert signed_in_as(thief) is None
    assert client.get(answer).status_code == 302 and signed_in_as(client) is not None
    assert client.get(answer).status_code == 400  # replayed: the pending sign-in was taken


def test_a_forged_state_is_refused_and_ends_the_pending_sign_in(app, provider):
    client = app.test_client()
    answer = provider_answer(client, provider, "alice")
    forged = re.sub(r"state=[^&]+", "state=forged", answer)
    assert client.get(forged).status_code == 400
    assert client.get(answer).status_code == 400 and signed_in_as(client) is None


def test_the_mapping_is_applied_again_at_every_sign_in(app, home, provider):
    try:
        client = app.test_client()
        client.get(provider_answer(client, provider, "dora"))
        assert (Accounts(home).get("dora").role, Accounts(home).get("dora").groups) == ("facilitator", ("dataadgang",))
        set_groups(provider, "dora", ["gid-data"])  # taken out of the facilitators at the provider
        client.get(provider_answer(client, provider, "dora"))
        assert (Accounts(home).get("dora").role, Accounts(home).get("dora").groups) == ("member", ("dataadgang",))
        (home / "oidc-groups.yaml").write_text('groups:\n  "gid-data": {role: facilitator}\n', encoding="utf-8")
        client.get(provider_answer(client, provider, "dora"))  # the mapping changed: group removed, role raised
        assert (Accounts(home).get("dora").role, Accounts(home).get("dora").groups) == ("facilitator", ())
        set_groups(provider, "dora", [])
        refused = client.get(provider_answer(client, provider, "dora"))
        assert refused.status_code == 403 and signed_in_as(client) is None  # and the earlier session ended
        assert [u.name for u in Accounts(home).users()].count("dora") == 1
    finally:
        set_groups(provider, "dora", ["gid-facil", "gid-data"])


def test_without_a_mapped_group_nobody_gets_an_account(app, home, provider):
    client = app.test_client()
    refused = client.get(provider_answer(client, provider, "carol"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "<h1>Ingen adgang</h1>" in page
    assert "<code>gid-unmapped</code>" in page  # what the administrator needs to map
    assert "Nød Admin" in page and "mailto:it@region.example" in page  # whom to ask
    assert "carol" not in [u.name for u in Accounts(home).users()] and signed_in_as(client) is None
    assert any(e["kind"] == "sign_in_failed" and e["who"] == "carol" for e in activity(home))


def test_a_mapping_naming_an_unknown_group_stops_sign_ins_with_a_clear_message(app, home, provider, caplog):
    (home / "oidc-groups.yaml").write_text('groups:\n  "gid-data": {groups: [dataadgan]}\n', encoding="utf-8")
    client = app.test_client()
    refused = client.get(provider_answer(client, provider, "alice"))
    assert refused.status_code == 503
    assert "Log-ind via Region Midtjylland er ikke sat rigtigt op her" in refused.get_data(as_text=True)
    assert "oidc-groups.yaml:2: gid-data: there is no working group 'dataadgan'" in caplog.text


def test_refused_answers_lock_nobody_out_behind_a_shared_address(app, home, provider):
    """Stale tabs and cancelled sign-ins from a region's shared address must not block the next person there
    (nothing can be guessed through a refused answer), nor the local emergency sign-in."""
    stale = app.test_client()
    for _ in range(40):
        assert stale.get("/log-ind/oidc/retur?state=x&code=y").status_code == 400
    assert [e["who"] for e in activity(home)][-1] == "(oidc)"  # each refusal is still logged
    colleague = app.test_client()
    assert colleague.get(provider_answer(colleague, provider, "alice")).status_code == 302
    assert signed_in_as(colleague) == "Alice Ærø"
    local = app.test_client()
    answer = local.post("/log-ind", data={"csrf_token": csrf_token(local, "/log-ind"), "name": "noedadmin",
                                          "password": "noedadmin-kodeord-1", "next": "/"})
    assert answer.status_code == 302 and ">Nød Admin</a></span>" in local.get("/").get_data(as_text=True)


def test_an_unverified_e_mail_is_not_taken_unless_the_provider_is_trusted_with_addresses(home, provider):
    app = make_app(home, provider)
    client = app.test_client()
    client.get(provider_answer(client, provider, "erik"))
    assert Accounts(home).get("erik").email == ""  # email_verified: false — it could be anybody's address
    trusting = make_app(home, provider, oidc_trust_email=True)
    client = trusting.test_client()
    client.get(provider_answer(client, provider, "erik"))
    assert Accounts(home).get("erik").email == "erik@partner.example"


def test_an_address_another_account_holds_is_not_taken(app, home, provider, caplog):
    client = app.test_client()
    client.get(provider_answer(client, provider, "frida"))
    assert signed_in_as(client) == "Frida Kopi"
    assert Accounts(home).get("frida").email == "" and Accounts(home).get("noedadmin").email == "it@region.example"
    assert "held by another account" in caplog.text


def test_a_new_account_never_takes_a_name_a_working_group_gives_rights_to(app, home, provider):
    from toolkit.history.gitstore import Author
    from toolkit.history.instance import Instance
    from toolkit.history.records import Records
    from toolkit.network.groups import GROUP, join_group

    instance = Instance.open(home)  # "alice" is a member by the group's record, with no account (removed, or new)
    join_group(instance, Records(instance.library_dir, GROUP), "etik", "alice", Author("Drift", "drift@rm.dk"))
    client = app.test_client()
    client.get(provider_answer(client, provider, "alice"))
    names = {user.name for user in Accounts(home).users()}
    assert "alice" not in names and "alice2" in names  # the provider's alice does not inherit etik's rights
    assert Accounts(home).get("alice2").groups == ("dataadgang",)


def test_signing_out_ends_the_session_here_and_at_the_provider(app, provider):
    client = app.test_client()
    client.get(provider_answer(client, provider, "alice"))
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 1000  # the ID token is kept in the instance, not the cookie
    out = client.post("/log-ud", data={"csrf_token": csrf_token(client)})
    location = urllib.parse.urlsplit(out.headers["Location"])
    assert out.status_code == 302 and f"{location.scheme}://{location.netloc}{location.path}" == \
        provider.issuer + "/session/end"
    query = urllib.parse.parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/"] and query["id_token_hint"][0].count(".") == 2
    assert signed_in_as(client) is None


def test_local_sign_in_switched_off_hides_the_form_and_refuses_its_posts(home, provider):
    app = make_app(home, provider, local_login=False)
    client = app.test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    assert "Log ind med Region Midtjylland" in page and 'name="password"' not in page
    with client.session_transaction() as session:  # a valid form token: the refusal is not the CSRF check's
        session["csrf_token"] = "the-token"
    refused = client.post("/log-ind", data={"csrf_token": "the-token", "name": "noedadmin",
                                            "password": "noedadmin-kodeord-1"})
    assert refused.status_code == 403 and "slået fra" in refused.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_without_a_provider_there_is_no_button_and_no_route(tmp_path):
    app = create_app(Settings(home=tmp_path / "instance", local_login=False), {"TESTING": True})
    page = app.test_client().get("/log-ind").get_data(as_text=True)
    assert "Log ind med" not in page and 'name="password"' in page  # local login cannot be switched off alone
    assert app.test_client().get("/log-ind/oidc").status_code == 404


def test_an_unreachable_provider_is_said_in_danish(home, provider):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app = create_app(Settings(home=home, oidc_issuer=f"http://127.0.0.1:{port}", oidc_client_id="netkit",
                              oidc_client_secret="s"), {"TESTING": True})
    refused = app.test_client().get("/log-ind/oidc")
    assert refused.status_code == 503 and "Region Midtjylland svarer ikke lige nu" in refused.get_data(as_text=True)


def test_forms_may_lead_on_to_the_provider_and_nowhere_else(app, provider):
    policy = app.test_client().get("/log-ind").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer};" in policy + ";"  # the sign-in button and the sign-out form
    assert "script-src 'self'" in policy


def test_under_a_sub_path_the_provider_sends_the_browser_back_under_it(app, provider):
    client = app.test_client()
    start = client.get("/log-ind/oidc", base_url="http://localhost/netkit/")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["Location"]).query)
    assert query["redirect_uri"] == ["http://localhost/netkit/log-ind/oidc/retur"]
    back = urllib.parse.urlsplit(ProviderBrowser(provider).sign_in(start.headers["Location"], "alice"))
    assert back.path == "/netkit/log-ind/oidc/retur"
    answer = client.get(f"/log-ind/oidc/retur?{back.query}", base_url="http://localhost/netkit/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/netkit/"


def test_behind_a_proxy_the_redirect_uri_is_the_public_address(home, provider):
    app = make_app(home, provider, proxy_hops=1)
    start = app.test_client().get("/log-ind/oidc", headers={"X-Forwarded-For": "203.0.113.9",
                                                            "X-Forwarded-Proto": "https",
                                                            "X-Forwarded-Host": "netkit.region.example",
                                                            "X-Forwarded-Prefix": "/netkit"})
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["Location"]).query)
    assert query["redirect_uri"] == ["https://netkit.region.example/netkit/log-ind/oidc/retur"]


def test_a_sign_in_cancelled_at_the_provider_is_said_and_signs_nobody_in(app, provider):
    client = app.test_client()
    start = client.get("/log-ind/oidc")
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["Location"]).query)["state"][0]
    answer = client.get(f"/log-ind/oidc/retur?state={state}&error=access_denied&error_description=cancelled")
    assert answer.status_code == 400 and "Log-ind blev afvist eller er udløbet" in answer.get_data(as_text=True)
    assert signed_in_as(client) is None
