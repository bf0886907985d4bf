"""`netkit person export|erase EMAIL` on a real instance of the bundled library: text and JSON, the confirmation
(a real terminal, or --yes; exit 2 without either), a project's only contact, misuse."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY
from toolkit.history.instance import Instance
from toolkit.network.projects.registry import Registry
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog

LARS = "lars.madsen@example.org"  # one of two contacts of the bundled project genindlaeggelse-risiko
SOLE = "anne.kristensen@example.org"  # the only contact of triage-af-thoraxroentgen
AUTHOR = "Drift <drift@rm.dk>"


@pytest.fixture
def home(tmp_path) -> Path:
    instance = Instance.create(tmp_path / "instance", library=BUNDLED_LIBRARY, templates=tmp_path / "no-templates")
    Accounts(instance.home).add("lars", "member", email=LARS, full_name="Lars Eksempel Madsen",
                                password="lars-kodeord-12")
    ActivityLog(instance.home).record("sign_in", "lars", "10.4.4.4")
    return instance.home


def run(runner, home, *args, **kwargs):
    return runner.invoke(main, ["--home", str(home), "person", *args], **kwargs)


def contacts(home: Path, slug: str) -> list[str]:
    return [c.email for c in Registry(home / "content" / "library").get(slug).contacts]


def test_export_as_text_marks_what_erase_removes(runner, home):
    result = run(runner, home, "export", "Lars.Madsen@Example.org")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Accounts:" in lines and "Projects:" in lines and "Activity log (sign-ins):" in lines
    assert "  users.json: account lars: Lars Eksempel Madsen <lars.madsen@example.org>, role member" in lines
    assert any(line.startswith("  library/projects/genindlaeggelse-risiko.yaml: contact of") and
               line.endswith("[erase]") for line in lines)
    assert any("sign_in lars 10.4.4.4 [erase]" in line for line in lines)


def test_export_as_json(runner, home):
    result = run(runner, home, "export", LARS, "--json")
    data = json.loads(result.output)
    assert data["users"] == ["lars"] and data["projects"][0]["project"] == "genindlaeggelse-risiko"
    assert data["projects"][0]["erased_by_erase"] is True and data["accounts"][0]["erased_by_erase"] is False
    assert data["activity"][0]["address"] == "10.4.4.4" and data["notifications"]["watches"] == []
    assert not any("password" in key for key in data["accounts"][0])  # never the password's hash


def test_export_of_an_unknown_address_says_nothing_was_found(runner, home):
    result = run(runner, home, "export", "ingen@example.org")
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "Nothing found."


def test_erase_without_a_terminal_and_without_yes_is_misuse_and_changes_nothing(runner, home):
    result = run(runner, home, "erase", LARS, "--author", AUTHOR)
    assert result.exit_code == 2 and "add --yes" in result.output
    assert LARS in contacts(home, "genindlaeggelse-risiko")


def test_erase_with_yes_says_what_it_did_and_did_not(runner, home):
    result = run(runner, home, "erase", LARS, "--yes", "--author", AUTHOR)
    assert result.exit_code == 0, result.output
    assert "library/projects/genindlaeggelse-risiko.yaml: contact removed (revision " in result.output
    assert "activity log: 1 line(s) removed" in result.output
    assert "account lars: not removed here; remove it with `netkit user remove lars`" in result.output
    assert "history: not rewritten — past revisions of the library still hold what was erased here" in result.output
    assert LARS not in contacts(home, "genindlaeggelse-risiko")
    log = subprocess.run(["git", "-C", str(home / "content"), "log", "-1", "--format=%an <%ae>|%s"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert log == f"{AUTHOR}|Erase contact data of a person (GDPR)"


def test_the_only_contact_of_a_project_needs_a_replacement(runner, home):
    refused = run(runner, home, "erase", SOLE, "--yes", "--author", AUTHOR)
    assert refused.exit_code == 1
    assert "nothing was erased" in refused.output and "triage-af-thoraxroentgen.yaml" in refused.output
    assert contacts(home, "triage-af-thoraxroentgen") == [SOLE]
    done = run(runner, home, "erase", SOLE, "--yes", "--author", AUTHOR,
               "--replacement", "Netværkets sekretariat <sekretariat@rm.dk>")
    assert done.exit_code == 0, done.output
    assert contacts(home, "triage-af-thoraxroentgen") == ["sekretariat@rm.dk"]


@pytest.mark.parametrize("args", [("export", "ikke-en-adresse"), ("erase", "ikke-en-adresse", "--yes"),
                                  ("erase", SOLE, "--yes", "--replacement", "Bare et navn"),
                                  ("erase", SOLE, "--yes", "--replacement", f"Samme person <{SOLE.upper()}>")])
def test_misuse_exits_2(runner, home, args):
    result = run(runner, home, *args)
    assert result.exit_code == 2 and "Error" in result.output


def _in_a_terminal(home: Path, answer: str) -> tuple[int, str]:
    """`netkit person erase` with a real terminal (a pty) as its input and output, answering the question."""
    netkit = Path(sys.executable).parent / "netkit"
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(netkit), "--home", str(home), "person", "erase", LARS, "--author", AUTHOR],
                               stdin=follower, stdout=follower, stderr=follower, close_fds=True,
                               env={**os.environ, "TERM": "dumb"})
    os.close(follower)
    output, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the program ended and closed the terminal
                break
            if not chunk:
                break
            output += chunk
        if not answered and b"[y/N]" in output:
            os.write(leader, answer.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    os.close(leader)
    return process.wait(timeout=30), output.decode(errors="replace")


def test_in_a_terminal_it_shows_what_it_will_erase_and_asks(home):
    code, output = _in_a_terminal(home, "n")
    assert code == 1 and "Aborted" in output and "contact of" in output  # it showed what, and erased nothing
    assert LARS in contacts(home, "genindlaeggelse-risiko")
    code, output = _in_a_terminal(home, "y")
    assert code == 0 and "contact removed" in output, output
    assert LARS not in contacts(home, "genindlaeggelse-risiko")
