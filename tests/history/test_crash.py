"""A process killed (SIGKILL) in the middle of a save leaves a valid library that the next start recovers."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import HELPERS, VALID_FRONT
from tests.history.test_concurrency import body
from toolkit.history.instance import Instance

WRITER = HELPERS / "writer.py"
SLUG = "felles-a"


@pytest.fixture
def crash_instance(tmp_path, library_path) -> Instance:
    (library_path / f"{SLUG}.md").write_text(VALID_FRONT.format(title=SLUG).replace("published", "draft")
                                             + body(), encoding="utf-8")
    return Instance.create(tmp_path / "instance", library=library_path, templates=tmp_path / "none")


def git(instance: Instance, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(instance.content), *args], capture_output=True, text=True)


def assert_recovered(instance: Instance) -> Instance:
    reopened = Instance.open(instance.home)
    assert git(reopened, "fsck", "--strict").returncode == 0
    assert git(reopened, "status", "--porcelain").stdout == ""
    assert not (reopened.content / ".git" / "index.lock").exists()
    assert not (reopened.home / "tmp").exists() or not list((reopened.home / "tmp").iterdir())
    assert reopened.library().problems == []
    return reopened


@pytest.mark.parametrize("point", ["after-write", "after-rename"])
def test_kill_at_a_point_inside_the_save(crash_instance, tmp_path, point):
    before = crash_instance.read(SLUG)
    log = tmp_path / "log.jsonl"
    result = subprocess.run([sys.executable, str(WRITER), str(crash_instance.home), "0", "1", SLUG, str(log)],
                            env={**os.environ, "NETKIT_CRASH_AT": point}, capture_output=True)
    assert result.returncode == -signal.SIGKILL
    reopened = assert_recovered(crash_instance)
    text = (reopened.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
    if point == "after-write":
        assert text == before  # the new text never replaced the old one
    else:
        assert "Skriver 0: gem 0" in text  # renamed into place: recovered as a committed revision
        assert reopened.history(SLUG)[0].author == "Ekstern ændring"


def test_kill_at_random_moments_never_corrupts(crash_instance, tmp_path):
    log = tmp_path / "log.jsonl"
    for round_ in range(6):
        writer = subprocess.Popen([sys.executable, str(WRITER), str(crash_instance.home), str(round_), "0",
                                   SLUG, str(log), "--loop"], stderr=subprocess.DEVNULL)
        time.sleep(0.6 + 0.13 * round_)  # start-up, then a few saves in flight
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        reopened = assert_recovered(crash_instance)
        text = (reopened.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
        written = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
        # The file holds the last accepted save, or the one in flight (committed at recovery) — never a mix.
        markers = [line for line in text.splitlines() if line.startswith(f"Skriver {round_}:")]
        assert len(markers) == 1
        accepted = [r["marker"] for r in written if r["writer"] == round_ and r["result"] == "saved"]
        if accepted:
            number = int(markers[0].rsplit(" ", 1)[1]) if "gem" in markers[0] else -1
            assert number >= int(accepted[-1].rsplit(" ", 1)[1])


def test_a_child_of_a_killed_writer_keeps_the_lock_until_it_ends(tmp_path):
    from toolkit.history.locking import LockTimeout, writer_lock

    lock = tmp_path / "write.lock"
    script = (
        "import os, signal, subprocess\n"
        "from pathlib import Path\n"
        "from toolkit.history.locking import held_fds, writer_lock\n"
        f"with writer_lock(Path({str(lock)!r})):\n"
        "    subprocess.Popen(['sleep', '1.5'], pass_fds=held_fds())\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    killed = subprocess.run([sys.executable, "-c", script])
    assert killed.returncode == -signal.SIGKILL
    # the orphaned child (git, in real life) still holds it
    with pytest.raises(LockTimeout), writer_lock(lock, timeout=0.3):
        pass
    time.sleep(1.5)
    with writer_lock(lock, timeout=5):
        pass
