"""Working groups as records through real HTTP: the list and the group page, facilitators create groups and
change membership (each a revision of the group's record), and membership is what lets a member edit."""

from __future__ import annotations

import pytest

from tests.helpers.web import app_with_users, sign_in


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home,
                          ("frida", "facilitator"),
                          ("mette", "member", ("samtykke",)),
                          ("ole", "member", (), "ole-kodeord-12"))


def client_of(app, name, password=None):
    return sign_in(app, name, password or f"{name}-kodeord-1")


def record_text(app, group: str) -> str:
    return (app.extensions["netkit.source"].library_dir / "groups" / f"{group}.yaml").read_text(encoding="utf-8")


def test_the_bundled_groups_with_their_materials_and_mandates(app):
    mette, _token = client_of(app, "mette")
    page = mette.get("/grupper").get_data(as_text=True)
    assert "Arbejdsgruppen for dataadgang" in page and 'value="join"' not in page
    group = mette.get("/grupper/dataadgang/").get_data(as_text=True)
    assert "Kommissorium" in group and "vejen til data" in group and 'href="/m/adgang-til-data/"' in group
    assert "/skabeloner/kommissorium-arbejdsgruppe/udfyld?group_name=" in group
    assert mette.get("/grupper/findes-ikke/").status_code == 404
    assert "/log-ind" in app.test_client().get("/grupper/dataadgang/").headers["Location"]


def test_membership_in_the_record_gives_the_right_to_edit(app):
    ole, _ = client_of(app, "ole", "ole-kodeord-12")
    assert ole.get("/m/adgang-til-data/rediger").status_code == 403
    frida, token = client_of(app, "frida")
    assert frida.post("/grupper", data={"action": "join", "name": "ole", "group": "dataadgang"}).status_code == 400
    joined = frida.post("/grupper", data={"csrf_token": token, "action": "join", "name": "ole",
                                          "group": "dataadgang", "role": "formand"})
    assert joined.status_code == 200
    assert "ole er nu med i Arbejdsgruppen for dataadgang." in joined.get_data(as_text=True)
    assert "- user: ole\n  role: formand" in record_text(app, "dataadgang")
    history = app.extensions["netkit.source"].recent_changes(1)[0][0]
    assert history.author == "frida" and "ole joins" in history.message
    assert ole.get("/m/adgang-til-data/rediger").status_code == 200
    frida.post("/grupper", data={"csrf_token": token, "action": "leave", "name": "ole", "group": "dataadgang"})
    assert "ole" not in record_text(app, "dataadgang")
    assert ole.get("/m/adgang-til-data/rediger").status_code == 403


def test_a_closed_group_gives_no_rights(app):
    frida, token = client_of(app, "frida")
    frida.post("/grupper", data={"csrf_token": token, "action": "join", "name": "ole", "group": "dataadgang"})
    frida.post("/grupper", data={"csrf_token": token, "action": "close", "group": "dataadgang"})
    assert "status: closed" in record_text(app, "dataadgang")
    ole, _ = client_of(app, "ole", "ole-kodeord-12")
    assert ole.get("/m/adgang-til-data/rediger").status_code == 403
    assert "Lukket" in frida.get("/grupper/dataadgang/").get_data(as_text=True)


def test_facilitators_create_groups_and_bad_input_is_named(app):
    frida, token = client_of(app, "frida")
    created = frida.post("/grupper", data={"csrf_token": token, "action": "create", "slug": "data-i-drift",
                                           "title": "Arbejdsgruppen for data i drift", "mandate": "Et **mandat**."})
    assert created.status_code == 200
    assert "Arbejdsgruppen for data i drift er oprettet." in created.get_data(as_text=True)
    assert "<strong>mandat</strong>" in frida.get("/grupper/data-i-drift/").get_data(as_text=True)
    again = frida.post("/grupper", data={"csrf_token": token, "action": "create", "slug": "data-i-drift",
                                         "title": "En anden titel"})
    assert again.status_code == 400 and "Dette id er allerede i brug; vælg et andet." in again.get_data(as_text=True)
    same_name = frida.post("/grupper", data={"csrf_token": token, "action": "create", "slug": "andet-id",
                                             "title": "Arbejdsgruppen for data i drift"})
    assert same_name.status_code == 400
    assert "En anden gruppe har allerede dette navn (data-i-drift)." in same_name.get_data(as_text=True)
    kept = same_name.get_data(as_text=True)
    assert 'value="andet-id"' in kept  # what was typed stays in the form
    bad = frida.post("/grupper", data={"csrf_token": token, "action": "create", "slug": "<script>",
                                       "title": "<script>alert(1)</script>"})
    assert bad.status_code == 400 and "<script>alert(1)</script>" not in bad.get_data(as_text=True)
    nobody = frida.post("/grupper", data={"csrf_token": token, "action": "join", "name": "ingen",
                                          "group": "dataadgang"})
    assert nobody.status_code == 400 and "ingen bruger" in nobody.get_data(as_text=True)


def test_members_cannot_change_groups(app):
    mette, token = client_of(app, "mette")
    for action in ("join", "leave", "create", "close"):
        response = mette.post("/grupper", data={"csrf_token": token, "action": action, "name": "mette",
                                                "group": "dataadgang", "slug": "x", "title": "xyz"})
        assert response.status_code == 403
