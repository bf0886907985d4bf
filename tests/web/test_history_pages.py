"""History and diff pages on a real instance: signed-in members see who changed what, side by side."""

from __future__ import annotations

import re

import pytest

from tests.helpers.forms import form_data
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts
from webui import create_app


@pytest.fixture
def app(isolated_home):
    app = create_app(Settings.from_env(), {"TESTING": True})
    Accounts(isolated_home).add("ane", "member", groups=("samtykke",), password="ane-kodeord-1")
    instance = app.extensions["netkit.source"]
    text = instance.read("samtykkemodeller")
    changed = text.replace("\n## ", "\n## Et nyt afsnit om <b>dynamisk</b> samtykke\n\nTekst.\n\n## ", 1)
    instance.save("samtykkemodeller", changed, Author("Ane Eksempel", "ane@example.dk"), "Nyt afsnit",
                  instance.latest_revision("samtykkemodeller"))
    return app


def sign_in(client) -> None:
    page = client.get("/log-ind").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/log-ind", data={"csrf_token": token, "name": "ane", "password": "ane-kodeord-1"})


def test_history_needs_sign_in(app):
    response = app.test_client().get("/m/samtykkemodeller/historik")
    assert response.status_code == 302 and "/log-ind?next=/m/samtykkemodeller/historik" in response.headers["Location"]


def test_history_and_side_by_side_diff(app):
    client = app.test_client()
    sign_in(client)
    page = client.get("/m/samtykkemodeller/historik").get_data(as_text=True)
    assert "Ane Eksempel" in page and "Nyt afsnit" in page
    assert 'name="fra"' in page and 'name="til"' in page
    diff = client.get("/m/samtykkemodeller/forskel").get_data(as_text=True)
    assert '<tr class="diff-insert">' in diff or '<tr class="diff-replace">' in diff
    assert "<ins>" in diff and "&lt;b&gt;dynamisk&lt;/b&gt;" in diff  # escaped, never rendered
    revisions = app.extensions["netkit.source"].history("samtykkemodeller")
    same = client.get(f"/m/samtykkemodeller/forskel?fra={revisions[0].id}&til={revisions[0].id}")
    assert "Der er ingen forskel" in same.get_data(as_text=True)
    assert client.get("/m/samtykkemodeller/forskel?fra=--evil").status_code in (400, 404)


def test_a_signed_in_page_is_never_served_from_the_shared_cache(app):
    anonymous, member = app.test_client(), app.test_client()
    assert "Log ind" in anonymous.get("/m/samtykkemodeller/").get_data(as_text=True)
    sign_in(member)
    page = member.get("/m/samtykkemodeller/").get_data(as_text=True)
    assert '<span class="signed-in">ane</span>' in page and "/m/samtykkemodeller/historik" in page
    again = anonymous.get("/m/samtykkemodeller/").get_data(as_text=True)
    assert "signed-in" not in again and "historik" not in again


def test_no_history_for_a_plain_folder(bundled_app):
    client = bundled_app.test_client()
    accounts = Accounts(bundled_app.config["NETKIT_SETTINGS"].home)
    if not any(u.name == "ane" for u in accounts.users()):
        accounts.add("ane", "member", password="ane-kodeord-1")
    sign_in(client)
    assert client.get("/m/adgang-til-data/historik").status_code == 404


def test_restore_needs_the_right_role_and_a_confirmation(app, isolated_home):
    revisions = app.extensions["netkit.source"].history("samtykkemodeller")
    old = revisions[1].id
    member = app.test_client()
    sign_in(member)
    assert member.get(f"/m/samtykkemodeller/gendan/{old}").status_code == 403
    Accounts(isolated_home).add("frida", "facilitator", password="frida-kodeord-1")
    facilitator = app.test_client()
    page = facilitator.get("/log-ind").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    facilitator.post("/log-ind", data={"csrf_token": token, "name": "frida", "password": "frida-kodeord-1"})
    history = facilitator.get("/m/samtykkemodeller/historik").get_data(as_text=True)
    assert f"/m/samtykkemodeller/gendan/{old}" in history
    confirm = facilitator.get(f"/m/samtykkemodeller/gendan/{old}").get_data(as_text=True)
    assert "Gendan denne udgave" in confirm and "<del>" in confirm
    assert facilitator.post(f"/m/samtykkemodeller/gendan/{old}", data={}).status_code == 400  # no token
    confirmed = form_data(confirm, f"/m/samtykkemodeller/gendan/{old}")  # its token and the revision it shows
    assert confirmed["csrf_token"] != token  # signing in gave the session a new form token
    done = facilitator.post(f"/m/samtykkemodeller/gendan/{old}", data=confirmed)
    assert done.status_code == 302
    instance = app.extensions["netkit.source"]
    assert "Et nyt afsnit om" not in instance.read("samtykkemodeller")
    assert instance.history("samtykkemodeller")[0].author == "frida"
    assert facilitator.get("/m/samtykkemodeller/gendan/--evil").status_code in (400, 404)
