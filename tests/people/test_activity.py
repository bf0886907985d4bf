"""The activity log (sign-ins) and the timeline merged with the library's history."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from toolkit.history.gitstore import Author
from toolkit.people import activity
from toolkit.people.activity import ActivityLog, timeline

ANNA = Author("Anna Jensen", "anna@rm.dk")


def test_record_and_read_newest_first(tmp_path):
    log = ActivityLog(tmp_path)
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    log.record("sign_in", "frida", "127.0.0.1", now=start)
    log.record("sign_in_failed", "ukendt", "10.0.0.7", now=start + dt.timedelta(minutes=1))
    events = log.recent()
    assert [(e.kind, e.who, e.detail) for e in events] == [("sign_in_failed", "ukendt", "10.0.0.7"),
                                                            ("sign_in", "frida", "127.0.0.1")]
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600


def test_damaged_lines_are_skipped_and_unknown_kinds_refused(tmp_path):
    log = ActivityLog(tmp_path)
    log.record("sign_in", "frida")
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write('{"time": "not a time", "kind"\n')
    log.record("sign_in", "mette")
    assert [e.who for e in log.recent()] == ["mette", "frida"]
    with pytest.raises(ValueError):
        log.record("delete_everything", "x")


def test_the_log_is_cut_back_when_it_grows(tmp_path, monkeypatch):
    monkeypatch.setattr(activity, "MAX_BYTES", 4000)
    log = ActivityLog(tmp_path)
    for number in range(200):
        log.record("sign_in", f"bruger{number}")
    assert log.path.stat().st_size <= 4000 + 200
    assert log.recent(1)[0].who == "bruger199"


def test_timeline_merges_sign_ins_with_saves_status_and_publications(instance, tmp_path):
    log = ActivityLog(tmp_path)
    log.record("sign_in", "frida", "127.0.0.1", now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    slug = "adgang-til-data"
    text = instance.read(slug).replace("\n## ", "\nNyt.\n\n## ", 1)
    instance.save(slug, text, ANNA, "Nyt afsnit", instance.latest_revision(slug))
    instance.set_status(slug, "review", ANNA)
    instance.publish(slug, "patch", "Rettelser", ANNA)
    events = timeline(log, instance.recent_changes(10), limit=10)
    kinds = [e.kind for e in events]
    assert kinds[:3] == ["publish", "status", "save"] and kinds[-1] == "sign_in"
    assert events[2].slugs == (slug,) and events[2].who == "Anna Jensen" and events[2].detail == "Nyt afsnit"
