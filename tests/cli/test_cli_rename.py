"""`netkit rename OLD NEW` on a real instance: one revision with the links of other materials, the old address
kept; exit 1 for a failed check (a taken slug, a missing material, an old address of another one), 2 for misuse (a
slug that is not a slug, missing arguments), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from toolkit.cli import main

OLD, NEW = "samtykke-playbook", "samtykke-i-praksis"
AUTHOR = "Anna Jensen <anna@rm.dk>"


def run(runner, instance, *args):
    return runner.invoke(main, ["--home", str(instance.home), *args])


def clean_exit(result, code: int) -> str:
    """The output of a run that ended with `code` through click (SystemExit), never an exception."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


def test_rename_moves_the_material_and_says_what_it_did(runner, instance):
    before = instance.head()
    output = clean_exit(run(runner, instance, "rename", OLD, NEW, "-m", "Kortere navn", "--author", AUTHOR), 0)
    revision = instance.head()
    assert output.splitlines() == [f"Renamed {OLD} → {NEW} in revision {revision[:10]}",
                                   "Links updated in: adgang-til-data",
                                   f"The old address /m/{OLD}/ now redirects to /m/{NEW}/"]
    log = subprocess.run(["git", "-C", str(instance.content), "log", "-2", "--format=%an|%s|%P"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log[0] == f"Anna Jensen|Rename {OLD} → {NEW}: Kortere navn|{before}"  # one revision on top
    assert f"[[{NEW}]]" in instance.read("adgang-til-data")
    assert instance.revisions.renamed_to(OLD) == NEW

    history = clean_exit(run(runner, instance, "history", NEW), 0)
    assert f"Rename {OLD} → {NEW}" in history and "Create the instance" in history  # followed across
    assert "1.0.0" in clean_exit(run(runner, instance, "versions", NEW), 0)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (OLD, "adgang-til-data", "'adgang-til-data' is already a material; choose another slug"),
    ("samtykke-playbok", NEW, "no material 'samtykke-playbok'; did you mean 'samtykke-playbook'?"),
    (OLD, OLD, f"'{OLD}' already has that slug"),
])
def test_a_failed_check_exits_1_and_changes_nothing(runner, instance, old, new, expected):
    head = instance.head()
    output = clean_exit(run(runner, instance, "rename", old, new), 1)
    assert expected in output and output.startswith("Error: ")
    assert instance.head() == head


def test_an_old_address_is_not_given_to_another_material(runner, instance):
    clean_exit(run(runner, instance, "rename", OLD, NEW), 0)
    head = instance.head()
    output = clean_exit(run(runner, instance, "rename", "adgang-til-data", OLD), 1)
    assert f"'{OLD}' is the old address of '{NEW}' and keeps leading there; choose another slug" in output
    output = clean_exit(run(runner, instance, "rename", OLD, "noget-nyt"), 1)
    assert f"'{OLD}' was renamed to '{NEW}'" in output
    assert instance.head() == head
    clean_exit(run(runner, instance, "rename", NEW, OLD), 0)  # the material itself may take its name back
    assert instance.revisions.redirects.current() == {NEW: OLD}


@pytest.mark.parametrize("args", [
    ("rename", OLD, "Samtykke i praksis"),
    ("rename", "../taxonomy", NEW),
    ("rename", OLD),
    ("rename", OLD, NEW, "--no-such-option"),
])
def test_misuse_exits_2(runner, instance, args):
    head = instance.head()
    output = clean_exit(run(runner, instance, *args), 2)
    assert "Usage:" in output or "Error:" in output
    assert instance.head() == head


def test_the_real_command_exits_1_without_a_traceback(instance):
    """The installed entry point in a process of its own, as a person runs it."""
    env = {**os.environ, "NETKIT_HOME": str(instance.home), "NETKIT_AUTHOR": AUTHOR}
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "rename", OLD, "adgang-til-data"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "already a material" in done.stderr
