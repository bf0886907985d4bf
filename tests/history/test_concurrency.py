"""Many writers at once (8 processes × 25 saves, shared materials, stale bases): nothing accepted is lost."""

import json
import subprocess
import sys

from tests.conftest import HELPERS, VALID_FRONT
from toolkit.history.instance import Instance

WRITERS, SAVES = 8, 25
SLUGS = ["felles-a", "felles-b", "felles-c"]
WRITER = HELPERS / "writer.py"


def body() -> str:
    # One line per writer, kept apart by blank lines so separate edits merge; one shared line that conflicts.
    return "Indledning.\n\nFælles: start\n\n" + "\n\n".join(f"Skriver {w}: start" for w in range(WRITERS)) + "\n"


def test_many_writers_lose_nothing(tmp_path, library_path):
    for slug in SLUGS:
        (library_path / f"{slug}.md").write_text(VALID_FRONT.format(title=slug).replace("published", "draft")
                                                 + body(), encoding="utf-8")
    instance = Instance.create(tmp_path / "instance", library=library_path, templates=tmp_path / "none")
    out = tmp_path / "log.jsonl"
    processes = [subprocess.Popen([sys.executable, str(WRITER), str(instance.home), str(w), str(SAVES),
                                   ",".join(SLUGS), str(out)], stderr=subprocess.PIPE, text=True)
                 for w in range(WRITERS)]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == WRITERS * SAVES
    assert {r["result"] for r in records} <= {"saved", "conflict", "unchanged"}
    saved = [r for r in records if r["result"] == "saved"]
    assert any(r["merged"] for r in saved), "stale bases should have produced merges"
    assert any(r["result"] == "conflict" for r in records), "shared-line edits should have produced conflicts"

    reopened = Instance.open(instance.home)
    for slug in SLUGS:
        history = {rev.id: rev for rev in reopened.history(slug)}
        mine = [r for r in saved if r["slug"] == slug]
        for record in mine:
            assert record["revision"] in history, f"accepted save missing from history: {record}"
            # The accepted text holds the writer's marker at that revision.
            assert record["marker"] in reopened.read(slug, record["revision"])
        # The final text is the text of the last accepted save.
        last = reopened.latest_revision(slug)
        assert last in {r["revision"] for r in mine}
        assert (reopened.library_dir / f"{slug}.md").read_text(encoding="utf-8") == reopened.read(slug, last)
    fsck = subprocess.run(["git", "-C", str(reopened.content), "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr
