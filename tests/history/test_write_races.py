"""Every write is read-modify-write under the writer lock (issue 14, H3, M6, M7): status changes and publishes
run by CLI processes while the browser saves never revert a save, and record changes computed from what a
writer saw never drop a change saved in between."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import REPOSITORY
from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import Records
from toolkit.network.groups import GROUP, join_group

SLUG = "samtykkemodeller"
NETKIT = [str(Path(sys.executable).parent / "netkit")]
WORKFLOW_LINE = ("status:", "version:", "updated:", "replaced_by:")


def changed_lines(instance: Instance, commit: str, path: str) -> list[str]:
    diff = subprocess.run(["git", "-C", str(instance.content), "diff", f"{commit}^", commit, "--", path],
                          capture_output=True, text=True, check=True).stdout
    return [line for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def commits_of(instance: Instance, path: str) -> list[tuple[str, str]]:
    log = subprocess.run(["git", "-C", str(instance.content), "log", "--format=%H%x00%s", "--", path],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("\0", 1)) for line in log.splitlines()]


def test_status_and_publish_from_the_cli_never_revert_a_browser_save(isolated_home):
    app = app_with_users(isolated_home, ("frida", "facilitator"))
    instance: Instance = app.extensions["netkit.source"]
    client, _token = sign_in(app, "frida", "frida-kodeord-1")
    saved: list[str] = []
    failures: list[str] = []
    done = threading.Event()

    def browser_saves() -> None:
        number = 0
        while not done.is_set() and number < 200:
            number += 1
            editor = f"/m/{SLUG}/rediger"
            form = form_data(client.get(editor).get_data(as_text=True), editor)
            line = f"Linje fra browseren nummer {number}."
            form.update(body=form["body"].rstrip("\n") + f"\n\n{line}\n", message=f"Browser {number}",
                        action="save")
            answer = client.post(editor, data=form)
            if answer.status_code == 302:
                saved.append(line)
            else:
                failures.append(f"{answer.status_code}: {answer.get_data(as_text=True)[:300]}")

    writer = threading.Thread(target=browser_saves)
    writer.start()
    environment = {"NETKIT_HOME": str(instance.home), "NETKIT_AUTHOR": "CLI <cli@example.dk>", "PATH": "/usr/bin:/bin"}
    commands = []
    for round_number in range(8):
        commands += [["status", SLUG, "review"], ["status", SLUG, "draft"],
                     ["publish", SLUG, "--patch", "-m", f"Runde {round_number}"], ["status", SLUG, "draft"]]
    try:
        for command in commands:
            result = subprocess.run([*NETKIT, *command], capture_output=True, text=True, env=environment,
                                    cwd=REPOSITORY, timeout=120)
            assert result.returncode in (0, 1), result.stderr  # 1: the workflow did not allow it just then
            assert "Traceback" not in result.stderr
    finally:
        done.set()
        writer.join(timeout=120)
    assert not failures, failures[:3]
    assert len(saved) >= 5

    path = f"library/{SLUG}.md"
    workflow_commits = [(sha, subject) for sha, subject in commits_of(instance, path)
                        if subject.startswith((f"{SLUG}: ", f"Publish {SLUG} "))]
    assert len(workflow_commits) >= 10
    for sha, subject in workflow_commits:
        stray = [line for line in changed_lines(instance, sha, path) if not line[1:].startswith(WORKFLOW_LINE)]
        assert not stray, f"{subject} changed more than its status lines: {stray}"
    final = instance.read(SLUG)
    assert all(line in final for line in saved), "a browser save was lost"
    for edition in instance.versions(SLUG):  # every edition holds every save accepted before it
        text = instance.read(SLUG, edition.revision)
        before = [line for line in saved if line in text]
        assert before == saved[:len(before)]


def test_parallel_joins_to_one_group_keep_every_member(instance):
    records = Records(instance.library_dir, GROUP)
    author = Author("Frida", "frida@example.dk")
    join_group(instance, records, "samtykke", "forste", author)
    errors: list[BaseException] = []

    def join(name: str) -> None:
        try:
            join_group(instance, Records(instance.library_dir, GROUP), "samtykke", name, author)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=join, args=(f"medlem{n}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    records.invalidate()
    members = {m.user for m in records.get("samtykke").members}
    assert members == {"forste"} | {f"medlem{n}" for n in range(12)}
