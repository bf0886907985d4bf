"""`netkit backup create|restore` on a real instance: the round trip, what it prints, and the exit codes (1 for a
refused archive or target, 2 for misuse); `netkit restore` stays the revision command."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tarfile

import pytest

from toolkit.cli import main
from toolkit.history.gitstore import Author
from toolkit.people.accounts import Accounts

SLUG = "adgang-til-data"
NETKIT = [sys.executable, "-c", "from toolkit.cli import main; main()"]


@pytest.fixture
def home(instance):
    base = instance.latest_revision(SLUG)
    text = instance.read(SLUG).replace("Ansøg om godkendelse.", "Ansøg i god tid.")
    instance.save(SLUG, text, Author("Bo Nielsen", "bo@rm.dk"), "Præciser ansøgning", base)
    accounts = Accounts(instance.home)
    accounts.add("anna", "admin", password="anna-kodeord-1")
    accounts.add("bo", "member", password="bo-kodeord-12")
    return instance.home


def run(runner, home, *args):
    return runner.invoke(main, ["--home", str(home), *args])


def test_create_then_restore_with_the_real_command(home, tmp_path):
    """As an operator runs it: two processes, the second reading only the archive."""
    archive = tmp_path / "backups" / "netkit.tar.gz"
    made = subprocess.run([*NETKIT, "--home", str(home), "backup", "create", str(archive)], capture_output=True,
                          text=True)
    assert made.returncode == 0, made.stderr
    assert f"to {archive}" in made.stdout and "mode 0600" in made.stdout
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    target = tmp_path / "restored"
    back = subprocess.run([*NETKIT, "backup", "restore", str(archive), "--into", str(target)], capture_output=True,
                          text=True)
    assert back.returncode == 0, back.stderr
    head = subprocess.run(["git", "-C", str(home / "content"), "rev-parse", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    assert f"revision {head[:10]}" in back.stdout and "2 user(s)" in back.stdout
    assert f"NETKIT_HOME={target} netkit serve" in back.stdout
    original = subprocess.run([*NETKIT, "--home", str(home), "history", SLUG], capture_output=True, text=True)
    restored = subprocess.run([*NETKIT, "--home", str(target), "history", SLUG], capture_output=True, text=True)
    assert restored.returncode == 0 and restored.stdout == original.stdout and "Præciser ansøgning" in restored.stdout
    versions = subprocess.run([*NETKIT, "--home", str(target), "versions", SLUG], capture_output=True, text=True)
    assert "1.2.0" in versions.stdout


def test_create_refuses_an_existing_file_unless_forced(runner, home, tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"older")
    refused = run(runner, home, "backup", "create", str(archive))
    assert refused.exit_code == 1 and "already exists" in refused.output and "--force" in refused.output
    assert archive.read_bytes() == b"older"
    forced = run(runner, home, "backup", "create", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"


def test_create_without_an_instance_exits_1(runner, tmp_path):
    result = run(runner, tmp_path / "nothing", "backup", "create", str(tmp_path / "b.tar.gz"))
    assert result.exit_code == 1 and "no instance" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


@pytest.fixture
def archive(runner, home, tmp_path):
    path = tmp_path / "good.tar.gz"
    assert run(runner, home, "backup", "create", str(path)).exit_code == 0
    return path


def test_restore_into_a_folder_that_is_not_empty_exits_1_and_touches_nothing(runner, archive, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["backup", "restore", str(archive), "--into", str(target)])
    assert result.exit_code == 1 and "is not empty" in result.output
    assert os.listdir(target) == ["keep.txt"]


def test_a_damaged_archive_exits_1_with_a_clear_message(runner, archive, tmp_path):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    result = runner.invoke(main, ["backup", "restore", str(damaged), "--into", str(tmp_path / "target")])
    assert result.exit_code == 1, result.output
    assert "nothing was restored" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "target").exists()


def test_a_path_traversal_member_exits_1(runner, archive, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(evil, "w:gz") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        bad = tarfile.TarInfo("../../outside.txt")
        bad.size = 3
        out.addfile(bad, io.BytesIO(b"bad"))
    result = runner.invoke(main, ["backup", "restore", str(evil), "--into", str(tmp_path / "target")])
    assert result.exit_code == 1 and "unsafe member name '../../outside.txt'" in result.output
    assert not (tmp_path / "target").exists() and not (tmp_path.parent / "outside.txt").exists()


def test_a_missing_archive_exits_1(runner, tmp_path):
    result = runner.invoke(main, ["backup", "restore", str(tmp_path / "none.tar.gz"), "--into", str(tmp_path / "t")])
    assert result.exit_code == 1 and "no backup at" in result.output


@pytest.mark.parametrize("args", [["backup", "restore", "x.tar.gz"], ["backup", "create"], ["backup", "copy"],
                                  ["backup", "create", "x.tar.gz", "--into", "y"]])
def test_misuse_exits_2(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.output


def test_restore_stays_the_revision_command(runner):
    result = runner.invoke(main, ["restore", "--help"])
    assert result.exit_code == 0 and "SLUG REVISION" in result.output
    assert "create" in runner.invoke(main, ["backup", "--help"]).output


def test_an_archive_that_cannot_be_written_there_exits_1(runner, home, tmp_path):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = run(runner, home, "backup", "create", str(tmp_path / "a-file" / "b.tar.gz"))
    assert result.exit_code == 1 and "cannot be written there" in result.output and "Traceback" not in result.output


def test_netkit_serve_opens_the_restored_instance(archive, tmp_path):
    """The restored folder is served as it is by `netkit serve` (gunicorn): pages answer, the index is rebuilt."""
    import socket
    import time
    import urllib.request

    target = tmp_path / "restored"
    back = subprocess.run([*NETKIT, "backup", "restore", str(archive), "--into", str(target)], capture_output=True,
                          text=True)
    assert back.returncode == 0, back.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([*NETKIT, "--home", str(target), "serve", "--port", str(port), "--workers", "1"],
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        page, deadline = "", time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/m/{SLUG}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert "Adgang til data" in page, log.read_text(encoding="utf-8", errors="replace")[-2000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sog?q=godkendelse", timeout=30) as response:
            assert SLUG in response.read().decode("utf-8")
        assert (target / "index").is_dir()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_shipped_systemd_unit_makes_a_dated_archive_and_keeps_the_14_newest(home, tmp_path):
    """docs/deploy/netkit-backup.service's own command lines (systemd's $$ and %% escapes undone, the paths pointed
    at this test), run as systemd would run them."""
    import re
    import shutil
    import time
    from pathlib import Path

    unit_file = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "netkit-backup.service"
    unit = unit_file.read_text(encoding="utf-8")
    if shutil.which("systemd-analyze"):
        check = subprocess.run(["systemd-analyze", "verify", str(unit_file), str(unit_file.with_suffix(".timer"))],
                               capture_output=True, text=True)
        assert check.returncode == 0 and "netkit-backup" not in check.stderr, check.stderr  # no warning on ours
    folder = tmp_path / "backups"
    folder.mkdir()
    for age in range(1, 17):  # sixteen older nightly archives
        old = folder / f"netkit-2026-01-{age:02d}T023000Z.tar.gz"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - age * 86400,) * 2)
    netkit = str(Path(sys.executable).with_name("netkit"))
    environment = {**os.environ, "NETKIT_HOME": str(home)}
    for key in ("ExecStart", "ExecStartPost"):
        line = re.search(rf"^{key}=(.*)$", unit, re.MULTILINE).group(1)
        line = line.replace("$$", "$").replace("%%", "%").replace("/opt/netkit/.venv/bin/netkit", netkit)
        line = line.replace("/var/backups/netkit", str(folder))
        assert line.startswith("/bin/sh -c '") and line.endswith("'")
        done = subprocess.run(["/bin/sh", "-c", line[len("/bin/sh -c '"):-1]], env=environment, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    archives = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    assert len(archives) == 14
    newest = archives[0]
    assert re.fullmatch(r"netkit-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", newest.name)
    assert stat.S_IMODE(newest.stat().st_mode) == 0o600
    assert "netkit-2026-01-14T023000Z.tar.gz" not in {p.name for p in archives}  # the oldest ones went
    restored = subprocess.run([*NETKIT, "backup", "restore", str(newest), "--into", str(tmp_path / "r")],
                              capture_output=True, text=True)
    assert restored.returncode == 0 and "2 user(s)" in restored.stdout
