"""Working groups from the accounts and the materials; membership changes in one locked step."""

from __future__ import annotations

import pytest

from toolkit.accounts import Accounts
from toolkit.errors import Invalid, NotFound
from toolkit.groups import working_groups


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
