"""The admin page for users: only admins, no role escalation by anyone else, CSRF, the last admin kept."""

from __future__ import annotations

import pytest

from tests.helpers.web import sign_in
from toolkit.people.accounts import Accounts
from webui.context import SIGNINS_KEY


@pytest.fixture
def app(bundled_app):
    accounts = Accounts(bundled_app.config["NETKIT_SETTINGS"].home)
    existing = {u.name for u in accounts.users()}
    for name, role in (("adam", "admin"), ("fie", "facilitator"), ("mia", "member")):
        if name not in existing:
            accounts.add(name, role, password=f"{name}-kodeord-12")
    bundled_app.extensions[SIGNINS_KEY].clear_failures()
    return bundled_app


def signed_in(app, name: str):
    return sign_in(app, name, f"{name}-kodeord-12")


def test_only_admins_reach_the_page(app):
    assert "/log-ind" in app.test_client().get("/admin/brugere").headers["Location"]
    for name in ("mia", "fie"):
        client, _token = signed_in(app, name)
        assert client.get("/admin/brugere").status_code == 403


@pytest.mark.parametrize("name", ["mia", "fie"])
def test_no_role_escalation_by_members_or_facilitators(app, name):
    client, token = signed_in(app, name)
    response = client.post("/admin/brugere", data={"csrf_token": token, "action": "update", "name": name,
                                                   "role": "admin", "groups": ""})
    assert response.status_code == 403
    assert Accounts(app.config["NETKIT_SETTINGS"].home).get(name).role != "admin"


def test_admin_adds_changes_and_removes_users(app):
    client, token = signed_in(app, "adam")
    page = client.get("/admin/brugere").get_data(as_text=True)
    assert "mia" in page and "<select" in page
    added = client.post("/admin/brugere", data={"csrf_token": token, "action": "add", "name": "nils",
                                                "full_name": "Nils Holm", "role": "member",
                                                "groups": "dataadgang, etik"})
    page = added.get_data(as_text=True)
    assert added.status_code == 200 and "Adgangskoden vises kun nu" in page
    accounts = Accounts(app.config["NETKIT_SETTINGS"].home)
    assert accounts.get("nils").groups == ("dataadgang", "etik") and accounts.get("nils").full_name == "Nils Holm"
    typo = client.post("/admin/brugere", data={"csrf_token": token, "action": "add", "name": "nina",
                                               "role": "member", "groups": "etikk"})
    assert typo.status_code == 400 and "etikk" in typo.get_data(as_text=True)
    assert "nina" not in {u.name for u in accounts.users()}
    client.post("/admin/brugere", data={"csrf_token": token, "action": "update", "name": "nils", "role": "facilitator",
                                        "groups": ""})
    assert accounts.get("nils").role == "facilitator"
    bad = client.post("/admin/brugere", data={"csrf_token": token, "action": "add", "name": "<b>x</b>",
                                              "role": "king"})
    assert bad.status_code == 400 and "<b>x</b>" not in bad.get_data(as_text=True)
    forged = client.post("/admin/brugere", data={"action": "remove", "name": "nils"})
    assert forged.status_code == 400 and accounts.get("nils")
    client.post("/admin/brugere", data={"csrf_token": token, "action": "remove", "name": "nils"})
    assert "nils" not in {u.name for u in accounts.users()}
    itself = client.post("/admin/brugere", data={"csrf_token": token, "action": "remove", "name": "adam"})
    assert itself.status_code == 400 and accounts.get("adam")
