"""Working groups from the accounts and the materials; membership changes in one locked step."""

from __future__ import annotations

import pytest

from toolkit.errors import Invalid, NotFound
from toolkit.network.groups import working_groups
from toolkit.people.accounts import Accounts


def test_groups_combine_members_and_materials(instance, tmp_path):
    accounts = Accounts(tmp_path)
    accounts.add("mette", "member", groups=("dataadgang",), password="mette-kodeord-1")
    accounts.add("ole", "member", groups=("kommunikation",), password="ole-kodeord-12")
    groups = {g.name: g for g in working_groups(accounts, instance.library())}
    assert groups["dataadgang"].members == ("mette",)
    assert groups["kommunikation"].materials == () and groups["kommunikation"].members == ("ole",)
    assert [m.slug for m in groups["dataadgang"].materials] == ["adgang-til-data"]


def test_join_and_leave(tmp_path):
    accounts = Accounts(tmp_path)
    accounts.add("mette", "member", groups=("dataadgang",), password="mette-kodeord-1")
    assert accounts.change_groups("mette", join="ce-maerkning").groups == ("ce-maerkning", "dataadgang")
    assert accounts.change_groups("mette", leave="dataadgang").groups == ("ce-maerkning",)
    with pytest.raises(Invalid):
        accounts.change_groups("mette", join="Ikke En Gruppe!")
    with pytest.raises(NotFound):
        accounts.change_groups("ingen", join="dataadgang")
    assert accounts.get("mette").groups == ("ce-maerkning",)


def test_bundled_group_records_are_valid():
    from toolkit.config import BUNDLED_LIBRARY
    from toolkit.history.records import Records
    from toolkit.network.groups import GROUP

    records = Records(BUNDLED_LIBRARY, GROUP)
    assert records.problems() == []
    assert {g.slug for g in records.all()} >= {"dataadgang", "drift", "etik", "klinisk-evaluering", "regulering",
                                                "udvikling"}


@pytest.mark.parametrize(("text", "field", "message"), [
    ("name: X\n", "name", "3–120"),
    ("name: Gruppen\nstatus: paused\n", "status", "not a status"),
    ("name: Gruppen\nmembers:\n  - {user: mette, role: boss}\n", "members", "role 'boss'"),
    ("name: Gruppen\nmembers: [mette, mette]\n", "members", "listed twice"),
    ("name: Gruppen\nformed_at: Mødet i maj\n", "formed_at", "slug"),
    ("name: Gruppen\nleder: x\n", "leder", "unknown field"),
])
def test_group_record_problems_name_field_and_line(tmp_path, text, field, message):
    from toolkit.history.records import Records
    from toolkit.network.groups import GROUP

    (tmp_path / "groups").mkdir()
    (tmp_path / "groups" / "gruppe.yaml").write_text(text, encoding="utf-8")
    problems = Records(tmp_path, GROUP).problems()
    assert problems and problems[0].field == field and message in problems[0].message and problems[0].line


def test_save_record_validates_commits_and_writes_nothing_when_wrong(instance):
    from toolkit.errors import Invalid
    from toolkit.history.gitstore import Author
    from toolkit.history.records import Records, save_record
    from toolkit.network.groups import GROUP, memberships

    records = Records(instance.library_dir, GROUP)
    anna = Author("Anna", "anna@x")
    save_record(instance, records, "drift", {"name": "Driftsgruppen", "members": [{"user": "mette"}]}, anna,
                "Ny gruppe", create=True)
    assert memberships(records, "mette") == ("drift",)
    assert instance.recent_changes(1)[0][0].message == "Ny gruppe"
    before = instance.head()
    with pytest.raises(Invalid) as refused:
        save_record(instance, records, "drift", {"name": "Driftsgruppen", "status": "pause"}, anna, "x",
                    create=False)
    assert refused.value.problems[0].field == "status" and instance.head() == before


def test_cli_groups_list(runner):
    import json

    from toolkit.cli import main
    from toolkit.config import BUNDLED_LIBRARY

    result = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "groups", "list", "--json"])
    groups = {g["id"]: g for g in json.loads(result.output)}
    assert result.exit_code == 0 and groups["dataadgang"]["name"] == "Arbejdsgruppen for dataadgang"
    assert "adgang-til-data" in groups["dataadgang"]["materials"]
    plain = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "groups", "list"])
    assert plain.exit_code == 0 and "Arbejdsgruppen for etik" in plain.output
