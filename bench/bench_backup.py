"""Benchmark `netkit backup create` and `restore` on an instance of the bundled library (and a large one).

The instance has the bundled library's history (plus --saves saves through the core), users who signed in
(signins.sqlite), an activity log and a notification store. Prints median and p95 of: create a backup
(toolkit.people.backup.create_backup: lock, bundle, SQLite online backups, manifest, tar.gz, fsync, rename) and
restore it into a new folder (toolkit.people.restoring.restore_backup: every check, fetch, checkout, open).
Reference in the same run: `git bundle create --all` plus `tar czf` of the bundle and the state files, and for
restore `tar xzf` plus `git clone` of the bundle — what a careful shell script would do without any checks.

Then the same on a synthetic instance of --materials materials and --revisions revisions (as bench_history), with
how long the writer lock is held (saves wait that long at most).

Run: make bench   (or: .venv/bin/python bench/bench_backup.py [--saves 200 --repeat 9 --materials 500
     --revisions 5000])
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.bench_history as history
import toolkit.people.backup as backup
from bench.bench_library import synthetic_library
from bench.timing import Timing, header, measure
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.backup import STATE_FILES, create_backup
from toolkit.people.notifystore import NotifyStore
from toolkit.people.restoring import restore_backup
from toolkit.people.signins import SignIns

AUTHOR = Author("Bench", "bench@localhost")


def lived_in(home: Path, saves: int) -> Instance:
    instance = Instance.create(home)
    slugs = [m.slug for m in instance.library().materials()]
    for i in range(saves):
        slug = slugs[i % len(slugs)]
        instance.save(slug, instance.read(slug) + f"\nRettelse {i}.\n", AUTHOR, f"Bench {i}",
                      instance.latest_revision(slug))
    accounts = Accounts(home)
    for n in range(20):
        accounts.add(f"bruger{n}", "member", password=f"bruger{n}-kodeord")
    signins = SignIns(home)
    for n in range(20):
        signins.start_session(f"bruger{n}")
    log = ActivityLog(home)
    for n in range(2000):
        log.record("sign_in", f"bruger{n % 20}", "10.0.0.7")
    NotifyStore(home).secret()
    return instance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--materials", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        instance = lived_in(root / "instance", args.saves)
        compare(instance, root, "bundled library", args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "library").mkdir()
        synthetic_library(root / "library", args.materials)
        instance = Instance.create(root / "instance", library=root / "library", templates=root / "none")
        history.add_history(instance, args.revisions - 1)
        compare(instance, root, f"{args.materials} synthetic materials", max(3, args.repeat // 3))


def compare(instance: Instance, root: Path, what: str, repeat: int) -> None:
    """Our create and restore against plain git bundle + tar, and how long the capture holds the writer lock."""
    commits = int(instance.store.run("rev-list", "--count", "--all").stdout)
    tags = len(instance.store.run("tag").stdout.split())
    counter = iter(range(10**6))
    held: list[float] = []
    capture = backup._capture

    def timed_capture(*args):  # the part under the writer lock
        start = time.perf_counter()
        try:
            return capture(*args)
        finally:
            held.append((time.perf_counter() - start) * 1000)

    def ours_create() -> None:
        backup._capture = timed_capture
        try:
            create_backup(instance.home, root / "ours.tar.gz", force=True)
        finally:
            backup._capture = capture

    def raw_create() -> None:
        work = root / "raw"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        subprocess.run(["git", "-C", str(instance.content), "bundle", "create", "--quiet", str(work / "c.bundle"),
                        "--all"], check=True)
        files = [name for name in STATE_FILES if (instance.home / name).exists()]
        for name in files:
            shutil.copy2(instance.home / name, work / name)
        subprocess.run(["tar", "czf", str(root / "raw.tar.gz"), "-C", str(work), "c.bundle", *files], check=True)

    def ours_restore() -> None:
        restore_backup(root / "ours.tar.gz", root / f"restored-{next(counter)}")

    def raw_restore() -> None:
        target = root / f"raw-restored-{next(counter)}"
        target.mkdir()
        subprocess.run(["tar", "xzf", str(root / "raw.tar.gz"), "-C", str(target)], check=True)
        subprocess.run(["git", "clone", "--quiet", str(target / "c.bundle"), str(target / "content")],
                       check=True)

    ours_create()
    raw_create()
    size = (root / "ours.tar.gz").stat().st_size
    held.clear()
    print(f"\ninstance: {what}, {commits} commits, {tags} tags; archive {size / 1024:.0f} kB")
    print(header("Backup (reference: git bundle --all + tar czf, no lock, no checks)"))
    reference = measure("git bundle + tar czf (reference)", raw_create, repeat)
    print(reference.row(reference))
    print(measure("netkit backup create", ours_create, repeat).row(reference))
    print(Timing("  of which under the writer lock", list(held)).row(reference))
    print(header("Restore (reference: tar xzf + git clone of the bundle, no checks)"))
    reference = measure("tar xzf + git clone (reference)", raw_restore, repeat)
    print(reference.row(reference))
    print(measure("netkit backup restore (checked, opened)", ours_restore, repeat).row(reference))


if __name__ == "__main__":
    main()
