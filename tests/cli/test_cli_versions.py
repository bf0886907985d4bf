"""The versioning commands on a real instance: init, history, diff, restore, status, publish, versions, show."""

import subprocess

import pytest

from toolkit.cli import main
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance

SLUG = "adgang-til-data"
AUTHOR = "Anna Jensen <anna@rm.dk>"


@pytest.fixture
def home(instance):
    base = instance.latest_revision(SLUG)
    text = instance.read(SLUG).replace("Ansøg om godkendelse.", "Ansøg i god tid.")
    instance.save(SLUG, text, Author("Bo Nielsen", "bo@rm.dk"), "Præciser ansøgning", base)
    return instance.home


def run(runner, home, *args):
    return runner.invoke(main, ["--home", str(home), *args])


def test_init_creates_an_instance_and_refuses_twice(runner, tmp_path):
    target = tmp_path / "ny"
    first = runner.invoke(main, ["init", str(target)])
    assert first.exit_code == 0, first.output
    assert "Created an instance" in first.output
    log = subprocess.run(["git", "-C", str(target / "content"), "log", "--oneline"], capture_output=True, text=True)
    assert log.stdout.count("\n") == 1
    again = runner.invoke(main, ["init", str(target)])
    assert again.exit_code == 1 and "already holds an instance" in again.output


def test_init_uses_netkit_home(runner, isolated_home):
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0
    assert (isolated_home / "content" / "library" / "taxonomy.yaml").is_file()


def test_history_lists_revisions_with_versions(runner, home):
    result = run(runner, home, "history", SLUG)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Bo Nielsen" in lines[0] and "Præciser ansøgning" in lines[0]
    assert lines[1].endswith("[1.2.0]")


def test_diff_shows_the_latest_change(runner, home):
    result = run(runner, home, "diff", SLUG)
    assert result.exit_code == 0
    assert "-Ansøg om godkendelse.[^1]" in result.output and "+Ansøg i god tid.[^1]" in result.output


def test_diff_between_named_revisions(runner, home):
    revisions = [line.split()[0] for line in run(runner, home, "history", SLUG).output.splitlines()]
    result = run(runner, home, "diff", SLUG, revisions[0], revisions[1])
    assert result.exit_code == 0 and "+Ansøg om godkendelse.[^1]" in result.output


def test_restore_and_unknown_revision(runner, home):
    old = run(runner, home, "history", SLUG).output.splitlines()[1].split()[0]
    result = run(runner, home, "restore", SLUG, old, "--author", AUTHOR, "-m", "Tilbage")
    assert result.exit_code == 0 and "Saved revision" in result.output
    assert "Anna Jensen" in run(runner, home, "history", SLUG).output.splitlines()[0]
    missing = run(runner, home, "restore", SLUG, "0123456789", "--author", AUTHOR)
    assert missing.exit_code == 1 and "no revision '0123456789'" in missing.output


def test_publish_versions_and_show_version(runner, home):
    result = run(runner, home, "publish", SLUG, "--minor", "-m", "Nyt om ansøgning", "--author", AUTHOR)
    assert result.exit_code == 0, result.output
    assert "Published adgang-til-data 1.3.0" in result.output
    versions = run(runner, home, "versions", SLUG).output.splitlines()
    assert versions[0].startswith("1.3.0") and "Nyt om ansøgning" in versions[0]
    assert versions[1].startswith("1.2.0")
    old = run(runner, home, "show", SLUG, "--version", "1.2.0")
    assert old.exit_code == 0 and "Ansøg om godkendelse." in old.output
    assert "Ansøg i god tid." in run(runner, home, "show", SLUG).output
    missing = run(runner, home, "show", SLUG, "--version", "7.0.0")
    assert missing.exit_code == 1 and "no published version 7.0.0" in missing.output


def test_publish_needs_a_bump_and_a_message(runner, home):
    assert run(runner, home, "publish", SLUG, "-m", "x").exit_code == 2
    assert run(runner, home, "publish", SLUG, "--patch").exit_code == 2


def test_status_moves_through_the_workflow(runner, home):
    result = run(runner, home, "status", "nyhedsbrev-kladde", "review", "--author", AUTHOR)
    assert result.exit_code == 0
    refused = run(runner, home, "status", "nyhedsbrev-kladde", "retired", "--author", AUTHOR)
    assert refused.exit_code == 1 and "it can move to: approved, draft" in refused.output


def test_bad_author_is_a_clear_error(runner, home):
    result = run(runner, home, "restore", SLUG, "HEAD", "--author", "anna")
    assert result.exit_code == 1 and "Name <email>" in result.output


def test_author_from_environment(runner, home):
    old = run(runner, home, "history", SLUG).output.splitlines()[1].split()[0]
    result = runner.invoke(main, ["--home", str(home), "restore", SLUG, old],
                           env={"NETKIT_AUTHOR": "Eva Holm <eva@rm.dk>"})
    assert result.exit_code == 0
    assert Instance.open(home).history(SLUG)[0].author == "Eva Holm"


def test_versioning_commands_without_instance(runner, tmp_path):
    result = runner.invoke(main, ["--home", str(tmp_path / "none"), "history", SLUG])
    assert result.exit_code == 1 and "netkit init" in result.output


def test_reading_commands_use_the_instance_when_it_exists(runner, home):
    listed = run(runner, home, "list")
    assert listed.exit_code == 0 and "Adgang til data (testudgave)" in listed.output
    checked = run(runner, home, "check")
    assert checked.exit_code == 0 and "OK: 3 materials" in checked.output
