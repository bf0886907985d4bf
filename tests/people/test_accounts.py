"""Accounts and permissions: hashed passwords, roles, groups, the last admin, the one permission check."""

from __future__ import annotations

import json

import pytest

from toolkit.cli import main
from toolkit.errors import Invalid, NotFound
from toolkit.library.materials import Material
from toolkit.people.accounts import Accounts, check_password, hash_password
from toolkit.people.permissions import ACTIONS, can


@pytest.fixture
def accounts(tmp_path):
    return Accounts(tmp_path / "instance")


def test_passwords_are_salted_slow_hashes_never_plain(accounts, tmp_path):
    accounts.add("ane", "member", groups=("samtykke",), password="rigtig-hemmelig")
    stored = (tmp_path / "instance" / "users.json").read_text(encoding="utf-8")
    assert "rigtig-hemmelig" not in stored and "scrypt$" in stored
    assert oct((tmp_path / "instance" / "users.json").stat().st_mode & 0o777) == "0o600"
    assert hash_password("x" * 12) != hash_password("x" * 12)  # salted
    assert accounts.authenticate("ane", "rigtig-hemmelig").groups == ("samtykke",)
    assert accounts.authenticate("ane", "forkert-kodeord") is None
    assert accounts.authenticate("ingen", "rigtig-hemmelig") is None
    assert not check_password("x", "md5$abc$def")


def test_first_start_creates_one_admin_once(accounts):
    password = accounts.ensure_admin()
    assert password and len(password) >= 20
    assert accounts.authenticate("admin", password).role == "admin"
    assert accounts.ensure_admin() is None


def test_bad_input_names_the_field(accounts):
    with pytest.raises(Invalid) as caught:
        accounts.add("Ane Bo", "chief", groups=("Not A Group",), password="kort")
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "role", "group"}
    with pytest.raises(Invalid, match="too short"):
        accounts.add("ane", "member", password="kort")
    accounts.add("ane", "member", password="langt-nok-kodeord")
    with pytest.raises(Invalid, match="exists"):
        accounts.add("ane", "member", password="langt-nok-kodeord")
    with pytest.raises(NotFound):
        accounts.remove("ingen")


def test_the_last_admin_stays(accounts):
    accounts.ensure_admin()
    with pytest.raises(Invalid, match="last admin"):
        accounts.remove("admin")
    with pytest.raises(Invalid, match="last admin"):
        accounts.update("admin", role="member")
    accounts.add("bo", "admin", password="endnu-en-admin")
    accounts.remove("admin")
    assert [u.name for u in accounts.users()] == ["bo"]


def _material(group: str | None) -> Material:
    import datetime as dt

    return Material(slug="x", title="X", kind="guide", summary="S", topics=(), audience=(), language="da",
                    authors=(), status="draft", version="0.1.0", updated=dt.date(2026, 1, 1), body="", path="x.md",
                    working_group=group)


def test_permissions_in_one_place(accounts):
    accounts.add("mette", "member", groups=("samtykke",), password="medlem-kodeord")
    accounts.add("frida", "facilitator", password="facilitator-kode")
    accounts.add("alma", "admin", password="admin-kodeord-x")
    member, facilitator, admin = (accounts.get(n) for n in ("mette", "frida", "alma"))
    own, other, none = _material("samtykke"), _material("ce"), _material(None)
    assert can(member, "edit", own) and not can(member, "edit", other) and not can(member, "edit", none)
    assert can(member, "create") and can(member, "read_drafts")
    for action in ("publish", "review", "restore", "retire", "manage_users", "manage_groups", "see_activity"):
        assert not can(member, action, own)
    assert all(can(facilitator, a, other) for a in ACTIONS if a != "manage_users")
    assert not can(facilitator, "manage_users")
    assert all(can(admin, a, other) for a in ACTIONS)
    assert not any(can(None, a, own) for a in ACTIONS)
    with pytest.raises(ValueError):
        can(admin, "fly")


def test_user_commands(runner, tmp_path):
    home = ["--home", str(tmp_path / "instance")]
    added = runner.invoke(main, [*home, "user", "add", "ane", "--role", "member", "--group", "etik",
                                 "--full-name", "Ane  Bo"])
    assert added.exit_code == 0 and "password: " in added.output
    password = added.output.rsplit("password: ", 1)[1].strip()
    assert Accounts(tmp_path / "instance").authenticate("ane", password)
    listed = json.loads(runner.invoke(main, [*home, "user", "list", "--json"]).output)
    assert listed == [{"name": "ane", "full_name": "Ane Bo", "role": "member", "groups": ["etik"], "email": ""}]
    # issue 17, defect 5: a mistyped group used to be accepted and show up as a phantom group on /grupper
    typo = runner.invoke(main, [*home, "user", "add", "bo", "--role", "member", "--group", "dataadgan"])
    assert typo.exit_code == 1 and "no working group 'dataadgan'" in typo.output and "'dataadgang'" in typo.output
    assert [u.name for u in Accounts(tmp_path / "instance").users()] == ["ane"]
    changed = runner.invoke(main, [*home, "user", "passwd", "ane", "--password-stdin"], input="ny-og-lang-kode\n")
    assert changed.exit_code == 0 and "ny-og-lang-kode" not in changed.output
    assert Accounts(tmp_path / "instance").authenticate("ane", "ny-og-lang-kode")
    assert runner.invoke(main, [*home, "user", "add", "x", "--role", "king"]).exit_code == 2
    assert runner.invoke(main, [*home, "user", "add", "Bad Name", "--role", "member"]).exit_code == 1
    assert runner.invoke(main, [*home, "user", "remove", "ingen"]).exit_code == 1
    assert runner.invoke(main, [*home, "user", "remove", "ane"]).exit_code == 0
