"""A person's data found by e-mail and erased from the current records (netkit person export|erase), on a real
instance of the bundled library (its example projects and meetings), with real comments, groups, proposals, the
activity log and the notification store."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid
from toolkit.history.comments import Comments
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import Records, save_record
from toolkit.network.groups import GROUP, join_group
from toolkit.network.meetings import meeting_data, meeting_records
from toolkit.network.persondata import ERASE_MESSAGE, erase_person, find_person
from toolkit.network.projects.model import Contact
from toolkit.network.projects.registry import Registry
from toolkit.network.proposals import proposal_records, propose
from toolkit.people.accounts import Accounts
from toolkit.people.activity import ActivityLog
from toolkit.people.notifystore import NotifyStore
from toolkit.people.watches import Watches

DRIFT = Author("Drift", "drift@rm.dk")
LISE = "lise.andersen@example.dk"  # the bundled meeting of 2027-02-04 has Lise Andersen as a speaker and presenter
MEETING = "2027-02-04-adgang-til-data"
SOLE = "anne.kristensen@example.org"  # the only contact of one bundled project
SOLE_PROJECT = "triage-af-thoraxroentgen"


@pytest.fixture
def instance(tmp_path) -> Instance:
    return Instance.create(tmp_path / "instance", library=BUNDLED_LIBRARY, templates=tmp_path / "no-templates")


@pytest.fixture
def lise(instance) -> Instance:
    """Lise has an account, is an invitee of one meeting and a speaker of another, a project contact, has
    commented, joined a group, proposed a topic, signed in and follows a material."""
    home = instance.home
    Accounts(home).add("lise", "member", email="Lise.Andersen@Example.dk", full_name="Lise Andersen",
                       password="lises-kodeord-12")
    Accounts(home).add("bo", "member", email="bo@rm.dk", full_name="Bo Hansen", password="bos-kodeord-12")
    registry = Registry(instance.library_dir)
    project = registry.get("genindlaeggelse-risiko")
    data = project.to_data()
    data["contacts"].append({"name": "Lise Andersen", "email": LISE, "role": "Jurist"})
    save_record(instance, registry.records, project.slug, data, DRIFT, "Ny kontakt", create=False)
    meetings = meeting_records(instance.library_dir)
    other = next(m for m in meetings.all() if m.slug != MEETING)
    save_record(instance, meetings, other.slug, meeting_data(other, invitees=[
        {"name": "Lise Andersen", "organisation": "Region Midtjylland", "email": LISE.upper()},
        {"name": "Bo Hansen", "email": "bo@rm.dk"}]), DRIFT, "Inviterede", create=False)
    Comments(instance).start("adgang-til-data", 1, "Hvilken hjemmel?", Author("lise", "lise@netkit.localhost"))
    Comments(instance).start("adgang-til-data", 1, "Bos spørgsmål", Author("bo", "bo@netkit.localhost"))
    join_group(instance, Records(instance.library_dir, GROUP), "dataadgang", "lise", DRIFT)
    propose(instance, proposal_records(instance.library_dir), title="Hjemmel til drift", problem="Hvilken hjemmel "
            "gælder for drift af en model?", why="Det spørger alle om.", proposer="lise", author=DRIFT)
    log = ActivityLog(home, days=180)
    log.record("sign_in", "lise", "10.1.2.3")
    log.record("sign_in_failed", "Lise.Andersen@example.dk", "10.1.2.4")
    log.record("sign_in", "bo", "10.9.9.9")
    watches = Watches(NotifyStore(home))
    watches.watch("lise", "material", "adgang-til-data")
    watches.set_prefs("lise", personal="digest")
    watches.watch("bo", "material", "adgang-til-data")
    return instance


def whats(found, section: str) -> list[str]:
    return [p.what for p in found.section(section)]


def test_everything_of_the_person_is_found_whatever_the_case_of_the_address(lise):
    found = find_person(lise, "LISE.andersen@example.DK", activity_days=180)
    assert found.users == ("lise",) and found.names == ("Lise Andersen",)
    assert whats(found, "accounts") == ["account lise: Lise Andersen <lise.andersen@example.dk>, role member"]
    assert [p.data["project"] for p in found.section("projects")] == ["genindlaeggelse-risiko"]
    meetings = {(p.data["meeting"], next(k for k in ("invitee", "speaker", "presenter", "facilitator", "minutes")
                                          if k in p.data)) for p in found.section("meetings")}
    assert (MEETING, "speaker") in meetings and (MEETING, "presenter") in meetings
    assert any(kind == "invitee" for _slug, kind in meetings)
    assert [p.data["text"] for p in found.section("comments")] == ["Hvilken hjemmel?"]  # not Bo's
    assert [p.data["group"] for p in found.section("groups")] == ["dataadgang"]
    assert [p.data["proposal"] for p in found.section("proposals")] == ["hjemmel-til-drift"]
    assert sorted(p.data["address"] for p in found.section("activity")) == ["10.1.2.3", "10.1.2.4"]
    assert found.notified.watches == (("lise", "material", "adgang-til-data", "immediate"),)
    assert found.notified.prefs == (("lise", "digest", False),)
    assert found.to_dict()["notifications"]["watches"][0]["target"] == "adgang-til-data"


def test_nothing_is_found_for_an_unknown_address(lise):
    found = find_person(lise, "ingen@example.dk")
    assert found.places == () and not found.notified and found.users == ()


def test_erase_removes_the_contact_data_and_keeps_every_record_valid(lise):
    before = lise.head()
    erasure = erase_person(lise, LISE, DRIFT, activity_days=180)
    library_dir = lise.library_dir
    # Each changed record is one revision with the clear message; every record still loads without problems.
    log = subprocess.run(["git", "-C", str(lise.content), "log", "--format=%s|%an", f"{before}..HEAD"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log == [f"{ERASE_MESSAGE}|Drift"] * 3 and len(erasure.revisions) == 3
    assert any(line.startswith(f"library/meetings/{MEETING}.yaml: speaker, presenter removed (revision ")
               for line in erasure.done)
    assert "activity log: 2 line(s) removed" in erasure.done
    registry = Registry(library_dir)
    assert registry.problems() == [] and meeting_records(library_dir).problems() == []
    assert [c.email for c in registry.get("genindlaeggelse-risiko").contacts] == ["lars.madsen@example.org",
                                                                                  "sofie.nielsen@example.org"]
    meeting = meeting_records(library_dir).get(MEETING)
    assert "Lise Andersen" not in [s.name for s in meeting.speakers]
    assert all(not i.presenter.startswith("Lise Andersen") for i in meeting.agenda)
    assert [i.topic for i in meeting.agenda][1] == "Forskning, kvalitetsudvikling eller drift: hjemlen afgør vejen"
    others = [m for m in meeting_records(library_dir).all() if any(i.name == "Bo Hansen" for i in m.invitees)]
    assert others and all("Lise Andersen" not in [i.name for i in m.invitees] for m in others)
    # The activity log and the notification store: hers gone, Bo's kept.
    assert [e.who for e in ActivityLog(lise.home).recent()] == ["bo"]
    watches = Watches(NotifyStore(lise.home))
    assert watches.of("lise") == [] and watches.prefs("lise").personal == "immediate" and watches.of("bo")
    # What was not done is said: the account, the comments, the group, the proposal, the history.
    kept = "\n".join(erasure.kept)
    assert "netkit user remove lise" in kept and "history: not rewritten" in kept
    for section in ("comments: 1 place(s)", "groups: 1 place(s)", "proposals: 1 place(s)"):
        assert section in kept
    assert Accounts(lise.home).get("lise").email == "lise.andersen@example.dk"
    # Afterwards the export shows only what erase leaves.
    assert not [p for p in find_person(lise, LISE, activity_days=180).places if p.erasable]


def test_a_project_whose_only_contact_goes_needs_a_replacement_else_nothing_is_erased(instance):
    log = ActivityLog(instance.home)
    log.record("sign_in", "anne", "10.0.0.1")
    Accounts(instance.home).add("anne", "member", email=SOLE, full_name="Anne Kristensen", password="annes-kode-12")
    before = instance.head()
    with pytest.raises(Invalid) as refused:
        erase_person(instance, SOLE, DRIFT)
    assert f"library/projects/{SOLE_PROJECT}.yaml" in str(refused.value) and "nothing was erased" in str(refused.value)
    assert instance.head() == before and [e.who for e in log.recent()] == ["anne"]
    erasure = erase_person(instance, SOLE, DRIFT, replacement=Contact("Netværkets sekretariat", "sekretariat@rm.dk"))
    project = Registry(instance.library_dir).get(SOLE_PROJECT)
    assert project.contacts == (Contact("Netværkets sekretariat", "sekretariat@rm.dk"),)
    assert "Netværkets sekretariat put in its place" in erasure.done[0]
    assert log.recent() == []


def test_a_facilitator_matched_by_name_is_reported_not_changed(instance):
    Accounts(instance.home).add("mette", "facilitator", email="mette.holm@mic.dk", full_name="Mette Holm",
                                password="mettes-kode-12")
    found = find_person(instance, "mette.holm@mic.dk")
    facilitating = [p for p in found.section("meetings") if "facilitator" in p.data]
    assert facilitating and not any(p.erasable for p in facilitating)
    erasure = erase_person(instance, "mette.holm@mic.dk", DRIFT)
    assert any("facilitator of" in line and "not changed" in line for line in erasure.kept)
    assert meeting_records(instance.library_dir).get(MEETING).facilitator.startswith("Mette Holm")


def test_old_activity_lines_past_the_limit_are_not_exported(instance):
    log = ActivityLog(instance.home, days=30)
    log.record("sign_in", "gammel", "10.0.0.1", now=dt.datetime.now(dt.UTC) - dt.timedelta(days=40))
    Accounts(instance.home).add("gammel", "member", email="g@rm.dk", password="gammel-kode-12")
    assert find_person(instance, "g@rm.dk", activity_days=30).section("activity") == []
    assert len(find_person(instance, "g@rm.dk").section("activity")) == 1  # no limit given: every line


def test_a_record_with_problems_that_holds_the_address_is_named_not_guessed_at(instance):
    broken = instance.library_dir / "projects" / "gammelt-projekt.yaml"
    broken.write_text("title: Et gammelt projekt\ncontacts:\n  - {name: Lise Andersen, email: LISE.andersen@example.dk}"
                      "\nukendt_felt: ja\n", encoding="utf-8")
    found = find_person(instance, LISE)
    assert [(p.where, p.erasable) for p in found.section("unread")] == [
        ("library/projects/gammelt-projekt.yaml", False)]
    erasure = erase_person(instance, LISE, DRIFT)
    assert erasure.done == [] and any(line.startswith("library/projects/gammelt-projekt.yaml: not changed")
                                      for line in erasure.kept)
    assert "LISE.andersen@example.dk" in broken.read_text(encoding="utf-8")
