"""`netkit meetings actions [--open] [--json]` on a real instance of the bundled library: the action items of the
minutes records, earliest due first, overdue ones marked, done ones left out with --open; misuse exits 2 with a
usage message and no traceback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.network.decisions import minutes_records
from toolkit.network.minutesflow import save_minutes

SLUG = "2027-02-04-adgang-til-data"  # a meeting of the bundled library
PAST = (dt.date.today() - dt.timedelta(days=3)).isoformat()


@pytest.fixture
def home(tmp_path) -> Path:
    instance = Instance.create(tmp_path / "instance", library=BUNDLED_LIBRARY, templates=tmp_path / "no-templates")
    save_minutes(instance, minutes_records(instance.library_dir), SLUG, {
        "decisions": [{"text": "En fælles skabelon til dataansøgninger.", "topic": "data-access"}],
        "actions": [{"what": "Skrive skabelonen", "owner": "Anne Sørensen", "email": "anne@example.dk", "due": PAST},
                    {"what": "Samle eksempler", "owner": "Sara Nielsen", "due": "2099-05-01", "status": "done"},
                    {"what": "Tale med RKKP", "owner": "Peter Lund", "due": "2099-03-01"}]},
        Author("frida", "frida@netkit.localhost"), "Referat", base="")
    return instance.home


def run(home, *args):
    return CliRunner().invoke(main, ["--home", str(home), "meetings", "actions", *args])


def test_the_action_items_are_listed_earliest_first_with_overdue_marked(home):
    result = run(home)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{PAST}  OVERDUE  Anne Sørensen: Skrive skabelonen  [{SLUG} #1, draft]"
    assert lines[1].startswith("2099-03-01  open     Peter Lund: Tale med RKKP")
    assert lines[2].startswith("2099-05-01  done     Sara Nielsen: Samle eksempler")
    only_open = run(home, "--open")
    assert "Samle eksempler" not in only_open.output and "Tale med RKKP" in only_open.output


def test_json_output(home):
    result = run(home, "--open", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["what"] for r in rows] == ["Skrive skabelonen", "Tale med RKKP"]
    assert rows[0] | {"due": ""} == {"meeting": SLUG, "number": 1, "what": "Skrive skabelonen",
                                     "owner": "Anne Sørensen", "email": "anne@example.dk", "user": None, "due": "",
                                     "status": "open", "overdue": True, "minutes": "draft"}


def test_misuse_exits_2_without_a_traceback(home, tmp_path):
    for args in (("--opn",), ("extra",)):
        result = run(home, *args)
        assert result.exit_code == 2 and "Usage:" in result.output and "Traceback" not in result.output
    empty = Instance.create(tmp_path / "empty", library=BUNDLED_LIBRARY, templates=tmp_path / "none").home
    nothing = CliRunner().invoke(main, ["--home", str(empty), "meetings", "actions"])
    assert nothing.exit_code == 0 and "no action items" in nothing.output


def test_the_owner_of_an_action_item_is_in_the_person_export_and_erased(home):
    exported = CliRunner().invoke(main, ["--home", str(home), "person", "export", "ANNE@example.dk"])
    assert exported.exit_code == 0, exported.output
    assert "Action items in minutes" in exported.output
    assert f"owner of action item 1 of the minutes of {SLUG}: Anne Sørensen <anne@example.dk>" in exported.output
    erased = CliRunner().invoke(main, ["--home", str(home), "person", "erase", "anne@example.dk", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert f"library/minutes/{SLUG}.yaml: owner of 1 action item(s) replaced" in erased.output
    listed = json.loads(run(home, "--json").output)
    assert listed[0]["owner"] == "Slettet person" and listed[0]["email"] is None


def test_check_reports_minutes_problems_by_row_and_field(home):
    minutes = home / "content/library/minutes"
    (minutes / "ingen-moede.yaml").write_text("actions:\n  - {what: Noget, owner: Bo, due: 2027-02-30}\n",
                                              encoding="utf-8")
    (minutes / "2027-04-15-ce-maerkning-af-beslutningsstoette.yaml").write_text(
        "decisions:\n  - {text: Godt, topic: law}\n", encoding="utf-8")
    (minutes / "2031-01-01-findes-ikke.yaml").write_text("decisions:\n  - {text: Godt, topic: law}\n",
                                                         encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(home), "check"])
    assert result.exit_code == 1
    assert "library/minutes/ingen-moede.yaml:2: actions[1].due: '2027-02-30' is not a date" in result.output
    assert "library/minutes/2031-01-01-findes-ikke.yaml: meeting: '2031-01-01-findes-ikke' is no meeting" \
        in result.output
    assert "ce-maerkning" not in result.output  # good minutes of a real meeting
