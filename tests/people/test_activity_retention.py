"""The activity log kept by age (NETKIT_ACTIVITY_DAYS): old sign-ins are never shown and are dropped from the file
now and then; a person's lines found and dropped (netkit person export|erase)."""

from __future__ import annotations

import datetime as dt
import json
import threading

from toolkit.people.activity import ActivityLog

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def lines(log: ActivityLog) -> list[dict]:
    return [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]


def test_old_sign_ins_are_not_shown_and_are_dropped_on_the_next_write(tmp_path):
    log = ActivityLog(tmp_path, days=30)
    log.record("sign_in", "gammel", "10.0.0.1", now=NOW - dt.timedelta(days=40))
    log.record("sign_in", "nyere", "10.0.0.2", now=NOW - dt.timedelta(days=29))
    # Read as of NOW: the 40-day-old line is past the limit and is not shown, though still in the file.
    assert [e.who for e in log.recent(now=NOW)] == ["nyere"]
    assert [line["who"] for line in lines(log)] == ["gammel", "nyere"]
    log.record("sign_in_failed", "ny", "10.0.0.3", now=NOW)  # the first line is well past the limit: cut
    assert [line["who"] for line in lines(log)] == ["nyere", "ny"]
    assert [e.who for e in log.recent(now=NOW)] == ["ny", "nyere"]


def test_a_write_does_not_rewrite_while_the_oldest_line_is_young_enough(tmp_path):
    log = ActivityLog(tmp_path, days=30)
    log.record("sign_in", "b", now=NOW - dt.timedelta(days=30, hours=12))  # past the limit, within the grace
    log.record("sign_in", "a", now=NOW - dt.timedelta(days=10))
    inode = log.path.stat().st_ino
    log.record("sign_in", "c", now=NOW)
    assert log.path.stat().st_ino == inode  # appended, not rewritten (a rewrite renames a new file into place)
    assert [line["who"] for line in lines(log)] == ["b", "a", "c"]
    assert [e.who for e in log.recent(now=NOW)] == ["c", "a"]


def test_without_an_age_limit_only_the_size_cap_applies(tmp_path):
    log = ActivityLog(tmp_path)
    log.record("sign_in", "frida", now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    log.record("sign_in", "mette", now=NOW)
    assert [e.who for e in log.recent(now=NOW)] == ["mette", "frida"]


def test_zero_days_keeps_no_sign_ins(tmp_path):
    log = ActivityLog(tmp_path, days=0)
    log.record("sign_in", "frida", "10.0.0.1", now=NOW)
    assert not log.path.exists() and log.recent(now=NOW) == []


def test_a_damaged_first_line_goes_with_the_next_rewrite(tmp_path):
    log = ActivityLog(tmp_path, days=30)
    log.path.write_text('{"time": "ikke en tid"\n', encoding="utf-8")
    log.record("sign_in", "frida", now=NOW)
    assert [line["who"] for line in lines(log)] == ["frida"]


def test_the_file_keeps_only_the_last_days_as_sign_ins_go_on(tmp_path):
    log = ActivityLog(tmp_path, days=5)
    start = NOW - dt.timedelta(days=10)
    for hour in range(241):  # one sign-in an hour for ten days
        log.record("sign_in", f"bruger{hour}", now=start + dt.timedelta(hours=hour))
    times = [dt.datetime.fromisoformat(line["time"]) for line in lines(log)]
    # Cut when the oldest line is a day past the limit (not at every sign-in): at most six days are in the file,
    # and the file was rewritten about once a day, keeping at least the last five days.
    assert times[-1] == NOW and NOW - dt.timedelta(days=6, hours=1) <= times[0] <= NOW - dt.timedelta(days=5)
    assert [e.who for e in log.recent(500, now=NOW)][-1] == "bruger120"  # never shown past the limit


def test_a_persons_lines_are_found_and_dropped_case_insensitively(tmp_path):
    log = ActivityLog(tmp_path, days=30)
    log.record("sign_in", "anna", "10.0.0.1", now=NOW - dt.timedelta(hours=2))
    log.record("sign_in_failed", "Anna", "10.0.0.9", now=NOW - dt.timedelta(hours=1))
    log.record("sign_in", "bo", "10.0.0.2", now=NOW)
    assert [(e.who, e.detail) for e in log.of({"anna"}, now=NOW)] == [("anna", "10.0.0.1"), ("Anna", "10.0.0.9")]
    assert log.drop({"anna"}) == 2
    assert [line["who"] for line in lines(log)] == ["bo"]
    assert log.of({"anna"}, now=NOW) == [] and log.drop({"anna"}) == 0


def test_lines_written_during_a_rewrite_are_kept(tmp_path):
    log = ActivityLog(tmp_path)
    for _number in range(200):
        log.record("sign_in", "gammel", now=NOW)

    def write_many() -> None:
        for number in range(300):
            log.record("sign_in", f"ny{number}", now=NOW)

    writer = threading.Thread(target=write_many)
    writer.start()
    for _round in range(20):
        log.drop({"gammel"})
    writer.join()
    log.drop({"gammel"})
    assert sorted(line["who"] for line in lines(log)) == sorted(f"ny{number}" for number in range(300))


def test_turning_the_log_off_drops_what_it_held(tmp_path):
    ActivityLog(tmp_path, days=180).record("sign_in", "anna", "10.0.0.1", now=NOW - dt.timedelta(days=3))
    off = ActivityLog(tmp_path, days=0)
    assert off.expire(now=NOW) == 1 and lines(off) == []  # the privacy page says nothing is kept: so it is
    ActivityLog(tmp_path, days=180).record("sign_in", "bo", "10.0.0.2", now=NOW)
    off.record("sign_in", "carl", "10.0.0.3", now=NOW)  # a sign-in while the log is off also clears it
    assert lines(off) == []


def test_expire_drops_lines_past_the_limit_without_waiting_for_a_sign_in(tmp_path):
    log = ActivityLog(tmp_path, days=30)
    log.record("sign_in", "gammel", "10.0.0.1", now=NOW - dt.timedelta(days=31))
    log.record("sign_in", "ny", "10.0.0.2", now=NOW - dt.timedelta(days=1))
    assert log.expire(now=NOW - dt.timedelta(days=2)) == 0  # nothing past the limit yet: the file is not rewritten
    assert log.expire(now=NOW) == 1
    assert [line["who"] for line in lines(log)] == ["ny"]
