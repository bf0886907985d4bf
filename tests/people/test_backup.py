"""Backup and restore of a real instance: the same history (revision ids, edition tags), the same users (they sign
in with the same password through the web), the same pages; consistent while saves run in parallel; and a damaged,
foreign or unsafe archive, or a target that is not empty, refused with nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.conftest import HELPERS, VALID_FRONT
from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.backup import BackupRefused, create_backup, file_sha256
from toolkit.people.notifystore import NotifyStore
from toolkit.people.restoring import restore_backup
from webui import create_app

SLUG = "adgang-til-data"
PASSWORD = "anna-kodeord-1"


def git(content: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(content), *args], capture_output=True, text=True, check=True).stdout


def refs(content: Path) -> str:
    """Every ref with the object it names (an annotated tag by its tag object): identical only for the same
    history with the same tags."""
    return git(content, "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)")


@pytest.fixture
def lived_in(instance: Instance) -> Instance:
    """An instance with a save, a user who signed in through the web (secret key, session and throttle rows in
    signins.sqlite), a failed sign-in in the activity log and a notification store."""
    base = instance.latest_revision(SLUG)
    text = instance.read(SLUG).replace("Ansøg om godkendelse.", "Ansøg i god tid.")
    instance.save(SLUG, text, Author("Bo Nielsen", "bo@rm.dk"), "Præciser ansøgning", base)
    Accounts(instance.home).add("anna", "facilitator", password=PASSWORD, full_name="Anna Jensen")
    app = create_app(Settings(home=instance.home), {"TESTING": True})
    client, _ = sign_in(app, "anna", PASSWORD)
    assert "Anna Jensen" in client.get("/").get_data(as_text=True)
    ActivityLog(instance.home).record("sign_in_failed", "ukendt", "10.0.0.7")
    NotifyStore(instance.home).put("probe", "kept")  # the outbox and the rest of the notification store
    NotifyStore(instance.home).secret()  # the key that signs unsubscribe links (made on first use)
    return instance


def page_text(client, path: str) -> str:
    """A page without its per-session form tokens."""
    response = client.get(path)
    assert response.status_code == 200, path
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))


def test_restore_into_an_empty_folder_gives_the_same_history_users_and_pages(lived_in, tmp_path):
    home = lived_in.home
    archive = tmp_path / "backups" / "netkit.tar.gz"
    result = create_backup(home, archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert set(result.files) >= {"content.bundle", "users.json", "secret_key", "signins.sqlite", "activity.jsonl",
                                 "notifications.sqlite"}
    assert result.head == lived_in.head() and result.tags == len(git(lived_in.content, "tag").split())
    assert result.skipped == ("cache",)  # rebuilt, not backed up (locks and SQLite journals are not news)

    target = tmp_path / "restored"
    restored = restore_backup(archive, target)
    assert restored.head == lived_in.head() and restored.users == 1
    assert git(target / "content", "log", "--all", "--format=%H %an %s") == \
        git(lived_in.content, "log", "--all", "--format=%H %an %s")
    assert refs(target / "content") == refs(lived_in.content)
    assert git(target / "content", "status", "--porcelain") == ""
    for name in ("users.json", "secret_key", "activity.jsonl", "signins.sqlite", "notifications.sqlite"):
        assert stat.S_IMODE((target / name).stat().st_mode) == 0o600, name
    assert (target / "secret_key").read_bytes() == (home / "secret_key").read_bytes()
    assert "10.0.0.7" in (target / "activity.jsonl").read_text(encoding="utf-8")
    assert NotifyStore(target).get("probe") == "kept"
    assert NotifyStore(target).secret() == NotifyStore(home).secret()  # old unsubscribe links still work
    assert not (target / "index").exists()

    original = create_app(Settings(home=home), {"TESTING": True})
    again = create_app(Settings(home=target), {"TESTING": True})  # builds the search index on the way
    client, _ = sign_in(again, "anna", PASSWORD)  # the same password hash, the same secret
    assert "Anna Jensen" in client.get("/").get_data(as_text=True)
    assert "Ansøg i god tid." in client.get(f"/m/{SLUG}/rediger").get_data(as_text=True)
    for path in (f"/m/{SLUG}/", "/", f"/m/{SLUG}/v/1.2.0/"):  # as a visitor sees them
        assert page_text(again.test_client(), path) == page_text(original.test_client(), path), path
    before, _ = sign_in(original, "anna", PASSWORD)
    for path in (f"/m/{SLUG}/", f"/m/{SLUG}/historik"):  # as anna sees them: the draft, the revisions
        assert page_text(client, path) == page_text(before, path), path
    assert "Præciser ansøgning" in page_text(client, f"/m/{SLUG}/historik")
    assert "adgang" in again.test_client().get("/sog?q=adgang").get_data(as_text=True)


def test_the_restored_sign_in_sessions_still_hold(lived_in, tmp_path):
    """A session cookie issued before the backup opens the restored instance too (same secret, same sessions)."""
    app = create_app(Settings(home=lived_in.home), {"TESTING": True})
    client, _ = sign_in(app, "anna", PASSWORD)
    cookie = client.get_cookie("session")
    create_backup(lived_in.home, tmp_path / "b.tar.gz")
    restore_backup(tmp_path / "b.tar.gz", tmp_path / "restored")
    again = create_app(Settings(home=tmp_path / "restored"), {"TESTING": True}).test_client()
    again.set_cookie("session", cookie.value)
    assert "Anna Jensen" in again.get("/").get_data(as_text=True)


def test_a_round_trip_while_saves_run_in_parallel_is_consistent(tmp_path, library_path):
    slugs = ["samtidig-a", "samtidig-b"]
    for slug in slugs:
        (library_path / f"{slug}.md").write_text(
            VALID_FRONT.format(title=slug).replace("published", "draft") + "Indledning.\n\nFælles: start\n\n"
            + "\n\n".join(f"Skriver {w}: start" for w in range(2)) + "\n", encoding="utf-8")
    instance = Instance.create(tmp_path / "instance", library=library_path, templates=tmp_path / "none")
    Accounts(instance.home).add("anna", "admin", password=PASSWORD)
    start = instance.head()
    log = tmp_path / "saves.jsonl"
    writers = [subprocess.Popen([sys.executable, str(HELPERS / "writer.py"), str(instance.home), str(w), "0",
                                 ",".join(slugs), str(log), "--loop"], stderr=subprocess.PIPE, text=True)
               for w in range(2)]
    archives = []
    try:
        deadline = time.monotonic() + 60
        while (not log.exists() or log.read_text().count("\n") < 10) and time.monotonic() < deadline:
            time.sleep(0.05)
        for n in range(3):
            archives.append(create_backup(instance.home, tmp_path / f"b{n}.tar.gz"))
            time.sleep(0.2)
    finally:
        for writer in writers:
            writer.terminate()
        for writer in writers:
            _, errors = writer.communicate(timeout=30)
            assert writer.returncode == -15, errors  # still saving when stopped: saves ran all along

    heads = [archive.head for archive in archives]
    assert len(set(heads)) == 3 and start not in heads, "saves should have gone on between the backups"
    final = Instance.open(instance.home)
    history = git(final.content, "rev-list", "HEAD").split()
    for archive in archives:
        manifest = read_manifest(archive.path)
        assert manifest["head"] == archive.head and archive.head in history  # a revision of the real history
        target = tmp_path / f"restored-{archive.path.stem}"
        restore_backup(archive.path, target)  # checks every file of the manifest against its checksum
        content = target / "content"
        assert git(content, "rev-parse", "HEAD").strip() == archive.head
        assert git(content, "status", "--porcelain") == ""  # the working tree is that revision, whole
        subprocess.run(["git", "-C", str(content), "fsck", "--strict", "--no-dangling"], check=True,
                       capture_output=True)
        reopened = Instance.open(target)
        library = reopened.library()
        assert library.problems == [] and {"samtidig-a", "samtidig-b"} <= {m.slug for m in library.materials()}
        for slug in slugs:  # the text of each material is exactly the one committed at that revision
            assert reopened.read(slug) == final.read(slug, archive.head)
        assert restore_users(target) == ["anna"]


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        first = tar.next()
        assert first is not None and first.name == "manifest.json"
        manifest = json.load(tar.extractfile(first))
        for entry in manifest["files"]:  # every file in the manifest matches
            data = tar.extractfile(entry["name"]).read()
            assert len(data) == entry["size"]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    return manifest


def restore_users(home: Path) -> list[str]:
    return [user.name for user in Accounts(home).users()]


# -- refused: nothing written ------------------------------------------------------------------------------------


@pytest.fixture
def archive(instance: Instance, tmp_path: Path) -> Path:
    Accounts(instance.home).add("anna", "admin", password=PASSWORD)
    return create_backup(instance.home, tmp_path / "good.tar.gz").path


def members(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]


def rewrite(path: Path, target: Path, entries: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return target


def refused(archive: Path, into: Path, *fragments: str) -> None:
    before = sorted(os.listdir(into.parent))
    with pytest.raises(BackupRefused) as caught:
        restore_backup(archive, into)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert sorted(os.listdir(into.parent)) == before  # no target made, no staging folder left


def test_a_target_that_is_not_empty_is_refused_and_left_alone(archive, tmp_path):
    target = tmp_path / "in-use"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    refused(archive, target, "is not empty")
    assert os.listdir(target) == ["notes.txt"]


def test_an_empty_existing_folder_is_filled(archive, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    restore_backup(archive, target)
    assert (target / "content" / ".git").is_dir() and restore_users(target) == ["anna"]


def test_a_damaged_archive_is_refused(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 64):
        data[offset] ^= 0xFF
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(bytes(data))
    refused(broken, tmp_path / "target", "nothing was restored")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: len(data) // 3])
    refused(truncated, tmp_path / "target", "damaged")


def test_a_changed_file_fails_its_checksum(archive, tmp_path):
    entries = [(info, data.replace(b'"admin"', b'"member"') if info.name == "users.json" else data)
               for info, data in members(archive)]
    changed = rewrite(archive, tmp_path / "changed.tar.gz", entries)
    refused(changed, tmp_path / "target", "users.json does not match its checksum")


def test_a_path_traversal_member_is_refused(archive, tmp_path):
    evil = tarfile.TarInfo("../evil.txt")
    evil.size = 4
    refused(rewrite(archive, tmp_path / "evil.tar.gz", [*members(archive), (evil, b"evil")]), tmp_path / "target",
            "unsafe member name '../evil.txt'")
    absolute = tarfile.TarInfo("/tmp/evil.txt")
    absolute.size = 4
    refused(rewrite(archive, tmp_path / "abs.tar.gz", [(absolute, b"evil"), *members(archive)]), tmp_path / "target",
            "unsafe member name")
    assert not (tmp_path / "evil.txt").exists()


def test_links_and_devices_are_refused(archive, tmp_path):
    link = tarfile.TarInfo("secret_key")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    entries = [entry for entry in members(archive) if entry[0].name != "secret_key"]
    refused(rewrite(archive, tmp_path / "link.tar.gz", [*entries, (link, b"")]), tmp_path / "target",
            "'secret_key' is a link, a device or a folder")
    device = tarfile.TarInfo("users.json")
    device.type = tarfile.CHRTYPE
    entries = [entry for entry in members(archive) if entry[0].name != "users.json"]
    refused(rewrite(archive, tmp_path / "dev.tar.gz", [*entries, (device, b"")]), tmp_path / "target",
            "is a link, a device or a folder")


def test_a_foreign_archive_is_refused(tmp_path):
    plain = tmp_path / "files"
    plain.mkdir()
    (plain / "users.json").write_text("{}", encoding="utf-8")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(plain / "users.json", arcname="users.json")
    refused(foreign, tmp_path / "target", "no manifest.json: it is not a Netkit backup")
    text = tmp_path / "notes.tar.gz"
    text.write_text("not an archive", encoding="utf-8")
    refused(text, tmp_path / "target", "cannot be read as a tar.gz")


def test_a_manifest_of_a_newer_format_or_a_wrong_shape_is_refused(archive, tmp_path):
    entries = members(archive)
    manifest = json.loads(entries[0][1])
    for change, expected in (({"version": 99}, "made by a newer Netkit"), ({"format": "zip"}, "not a Netkit backup"),
                             ({"head": "../../etc"}, "not a Netkit backup")):
        data = json.dumps({**manifest, **change}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        refused(rewrite(archive, tmp_path / "m.tar.gz", [(info, data), *entries[1:]]), tmp_path / "target", expected)


def test_a_bundle_that_lacks_the_manifests_revisions_is_refused(archive, instance, tmp_path):
    """A bundle swapped for another repository's (with a manifest to match its checksum) is still refused: the
    refs it brings are not the ones the manifest names."""
    other = Instance.create(tmp_path / "other", library=instance.library_dir, templates=tmp_path / "none")
    text = other.read(SLUG).replace("Ansøg om godkendelse.", "Et andet bibliotek.")
    other.save(SLUG, text, Author("Bo Nielsen", "bo@rm.dk"), "Andet", other.latest_revision(SLUG))
    bundle = tmp_path / "other.bundle"
    git(other.content, "bundle", "create", str(bundle), "--all")
    entries = members(archive)
    manifest = json.loads(entries[0][1])
    data = bundle.read_bytes()
    manifest["files"] = [{**f, "size": len(data), "sha256": file_sha256(bundle)} if f["name"] == "content.bundle"
                         else f for f in manifest["files"]]
    payload = json.dumps(manifest).encode()
    info = tarfile.TarInfo("manifest.json")
    info.size = len(payload)
    swapped = [(info, payload)]
    for member, content in entries[1:]:
        if member.name == "content.bundle":
            member.size, content = len(data), data
        swapped.append((member, content))
    refused(rewrite(archive, tmp_path / "swap.tar.gz", swapped), tmp_path / "target",
            "does not hold the revisions its manifest names")


def test_create_refuses_an_existing_archive_unless_forced_and_a_missing_instance(archive, instance, tmp_path):
    before = archive.read_bytes()
    with pytest.raises(BackupRefused, match="already exists"):
        create_backup(instance.home, archive)
    assert archive.read_bytes() == before
    create_backup(instance.home, archive, force=True)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with pytest.raises(BackupRefused, match="inside the instance"):
        create_backup(instance.home, instance.home / "b.tar.gz")
    from toolkit.errors import NotFound
    with pytest.raises(NotFound, match="no instance"):
        create_backup(tmp_path / "nothing", tmp_path / "x.tar.gz")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_an_edit_made_outside_the_app_is_committed_into_the_backup(instance, tmp_path):
    """A text changed with an editor (not yet committed) is committed under the lock first: the bundle's HEAD is
    the library as it is on disk."""
    path = instance.library_dir / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Ansøg om godkendelse.", "Rettet i en editor."),
                    encoding="utf-8")
    result = create_backup(instance.home, tmp_path / "b.tar.gz")
    restore_backup(result.path, tmp_path / "restored")
    assert "Rettet i en editor." in (tmp_path / "restored" / "content" / "library" / f"{SLUG}.md").read_text()
    assert git(tmp_path / "restored" / "content", "status", "--porcelain") == ""


def test_the_group_mapping_travels_when_there_is_one(instance, tmp_path):
    mapping = "grupper:\n  a1b2: {role: member, groups: [dataadgang]}\n"
    (instance.home / "oidc-groups.yaml").write_text(mapping, encoding="utf-8")
    result = create_backup(instance.home, tmp_path / "b.tar.gz")
    assert "oidc-groups.yaml" in result.files
    restore_backup(result.path, tmp_path / "restored")
    assert (tmp_path / "restored" / "oidc-groups.yaml").read_text(encoding="utf-8") == mapping


def test_the_capture_waits_for_a_save_that_holds_the_writer_lock(instance, tmp_path):
    """A save in progress (lock taken, file not yet committed) finishes before the capture: the backup holds it."""
    import threading

    holding, saved = threading.Event(), {}

    def slow_save() -> None:
        with instance.writing():
            holding.set()
            time.sleep(0.5)
            text = instance.read(SLUG).replace("Ansøg om godkendelse.", "Gemt under låsen.")
            saved["revision"] = instance.save(SLUG, text, Author("Bo", "bo@rm.dk"), "Langsom",
                                              instance.latest_revision(SLUG)).revision

    writer = threading.Thread(target=slow_save)
    writer.start()
    assert holding.wait(10)
    result = create_backup(Instance(instance.home).home, tmp_path / "b.tar.gz")
    writer.join()
    assert result.head == saved["revision"]
