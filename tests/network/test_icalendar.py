"""The .ics files, read back by a real iCalendar parser (the `icalendar` package, which also writes them): UID,
DTSTAMP, DTSTART/DTEND in Europe/Copenhagen with a VTIMEZONE (its rule checked against the tz database), SUMMARY,
LOCATION, DESCRIPTION, STATUS; folding at 75 octets; escaping; a cancelled meeting refused on its own and marked
in the year's plan; the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from icalendar import Calendar

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.icsfile import meeting_ics, plan_ics
from toolkit.network.meetings import ZONE, meeting_records, parse_meeting
from toolkit.yamlfile import parse_yaml

TAXONOMY = Taxonomy.load(BUNDLED_LIBRARY / "taxonomy.yaml")
NOW = dt.datetime(2026, 11, 26, 20, 15, 3, tzinfo=dt.UTC)
MEETINGS = meeting_records(BUNDLED_LIBRARY)
TRICKY = """\
theme: "Data, ansvar; og \\\\ skråstreger"
date: 2027-07-01
start: "09:00"
end: "10:30"
place: "Aarhus N, lokale 3; 2. sal"
status: planned
facilitator: Mette Holm, MedTech Innovation Consortium
problem: |-
  Første linje, med komma; og semikolon.
  Anden linje med æøå og en lang sætning, der fortsætter ud over de 75 oktetter, som en linje må fylde.
"""


def tricky():
    where = "library/meetings/2027-07-01-svaert.yaml"
    meeting, problems = parse_meeting("2027-07-01-svaert", parse_yaml(TRICKY, where), where, {}, TAXONOMY)
    assert problems == []
    return meeting


def events(text: str):
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_one_meeting_parses_with_the_copenhagen_time_zone():
    meeting = MEETINGS.get("2027-02-04-adgang-til-data")
    text = meeting_ics(meeting, now=NOW, url="https://netkit.example/moeder/2027-02-04-adgang-til-data/",
                       taxonomy=TAXONOMY)
    calendar = Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and "Netkit" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    (event,) = events(text)
    assert str(event["UID"]) == "2027-02-04-adgang-til-data@netkit"
    assert event.decoded("DTSTAMP") == NOW
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == dt.datetime(2027, 2, 4, 12, 0, tzinfo=dt.UTC)  # 13:00 in Copenhagen, winter time
    assert end == dt.datetime(2027, 2, 4, 15, 0, tzinfo=dt.UTC)
    assert "Copenhagen" in str(start.tzinfo)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert str(event["SUMMARY"]) == "Adgang til data"
    assert str(event["LOCATION"]) == meeting.place
    assert str(event["STATUS"]) == "CONFIRMED"  # invited
    assert meeting.problem in str(event["DESCRIPTION"]) and "Dagsorden" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith("/moeder/2027-02-04-adgang-til-data/")
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Jura", "Forskning", "Dataadgang"]


def test_summer_time_and_planned_is_tentative():
    (event,) = events(meeting_ics(MEETINGS.get("2027-06-10-fra-forskning-til-drift"), now=NOW))
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
    assert event.decoded("DTSTART") == dt.datetime(2027, 6, 10, 10, 0, tzinfo=dt.UTC)
    assert str(event["STATUS"]) == "TENTATIVE"


def test_the_vtimezone_is_an_open_ended_rule_that_agrees_with_the_tz_database():
    calendar = Calendar.from_ical(meeting_ics(MEETINGS.get("2027-02-04-adgang-til-data"), now=NOW))
    assert str(calendar["CALSCALE"]) == "GREGORIAN" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Copenhagen"
    (zone,) = calendar.walk("VTIMEZONE")
    observances = zone.walk("DAYLIGHT") + zone.walk("STANDARD")
    assert len(observances) == 2  # a yearly RRULE each, no dated RDATE list: the form Outlook reads right
    assert all("RRULE" in o and "RDATE" not in o for o in observances)
    ours = zone.to_tz(lookup_tzid=False)  # the rule as written in the file, not the tz database's zone
    day = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    while day.year < 2036:  # every day of ten years, and every hour of the Sundays of March and October
        hours = range(-12, 12) if day.month in (3, 10) and day.weekday() == 6 else (0,)
        for moment in (day + dt.timedelta(hours=h) for h in hours):
            assert moment.astimezone(ours).utcoffset() == moment.astimezone(ZONE).utcoffset(), moment
        day += dt.timedelta(days=1)


def test_the_uid_is_stable():
    meeting = MEETINGS.get("2027-02-04-adgang-til-data")
    first, second = events(meeting_ics(meeting, now=NOW))[0], events(meeting_ics(meeting))[0]
    assert str(first["UID"]) == str(second["UID"])


def test_lines_are_folded_at_75_octets_and_end_in_crlf():
    text = meeting_ics(tricky(), now=NOW)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # the long description was folded
    for line in lines:  # never inside a UTF-8 character
        line.encode("utf-8").decode("utf-8")
    (event,) = events(text)
    assert "som en linje må fylde.\n\nFacilitator: Mette Holm" in str(event["DESCRIPTION"])


def test_fold_never_splits_a_character():
    # The folding is icalendar's now (its own fold() is private): read through a whole file instead.
    text = meeting_ics(replace(tricky(), problem="æ" * 100), now=NOW)
    line = "DESCRIPTION:" + "æ" * 100
    folded = text[text.index("DESCRIPTION:"):]
    folded = folded[:folded.index("\r\nSTATUS:")]  # the folded DESCRIPTION line (CATEGORIES: none here)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "").startswith(line)
    (event,) = events(text)
    assert str(event["DESCRIPTION"]).startswith("æ" * 100 + "\n\nFacilitator:")


def test_commas_semicolons_backslashes_and_newlines_are_escaped():
    # The escaping is icalendar's now: a SUMMARY of this text is written escaped like this, and read back.
    escaped = meeting_ics(replace(tricky(), theme="a,b;c\\d\ne"), now=NOW)
    assert "\r\nSUMMARY:" + "a\\,b\\;c\\\\d\\ne" + "\r\n" in escaped
    assert str(events(escaped)[0]["SUMMARY"]) == "a,b;c\\d\ne"
    text = meeting_ics(tricky(), now=NOW)
    assert "SUMMARY:Data\\, ansvar\\; og \\\\ skråstreger" in text
    (event,) = events(text)
    assert str(event["SUMMARY"]) == "Data, ansvar; og \\ skråstreger"
    assert str(event["LOCATION"]) == "Aarhus N, lokale 3; 2. sal"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Første linje, med komma; og semikolon.\nAnden linje med æøå")


def test_every_kind_of_line_break_is_an_escaped_newline():
    text = meeting_ics(replace(tricky(), theme="a\r\nb\rc\nd"), now=NOW)
    assert "\r" not in text.replace("\r\n", "") and "\r\nSUMMARY:a\\nb\\nc\\nd\r\n" in text
    assert str(events(text)[0]["SUMMARY"]) == "a\nb\nc\nd"


def test_an_all_day_meeting_uses_dates():
    meeting = tricky()
    (event,) = events(meeting_ics(replace(meeting, start=None, end=None), now=NOW))
    assert event.decoded("DTSTART") == dt.date(2027, 7, 1) and event.decoded("DTEND") == dt.date(2027, 7, 2)


def test_a_cancelled_meeting_has_no_calendar_file_but_is_marked_in_the_plan():
    cancelled = MEETINGS.get("2027-09-23-it-sikkerhed-i-ai-loesninger")
    with pytest.raises(Invalid) as caught:
        meeting_ics(cancelled)
    assert "mødet er aflyst" in str(caught.value)
    plan = events(plan_ics(MEETINGS.all(), year=2027, now=NOW, taxonomy=TAXONOMY))
    by_uid = {str(e["UID"]): e for e in plan}
    assert str(by_uid["2027-09-23-it-sikkerhed-i-ai-loesninger@netkit"]["STATUS"]) == "CANCELLED"
    assert len(plan) == len([m for m in MEETINGS.all() if m.year == 2027])
    assert len(set(by_uid)) == len(plan)


def test_the_year_plan_has_only_that_year_and_one_time_zone():
    text = plan_ics(MEETINGS.all(), year=2027, now=NOW, url_for=lambda m: f"https://x.example/moeder/{m.slug}/")
    calendar = Calendar.from_ical(text)
    assert len(list(calendar.walk("VTIMEZONE"))) == 1
    assert all(e.decoded("DTSTART").year == 2027 for e in calendar.walk("VEVENT"))
    assert "2027" in str(calendar["X-WR-CALNAME"])
    assert events(plan_ics(MEETINGS.all(), year=2031, now=NOW)) == []
    Calendar.from_ical(plan_ics(MEETINGS.all(), year=2031, now=NOW))  # an empty plan is still a valid calendar


def test_cli_meetings_list_and_ics(runner, tmp_path: Path):
    listed = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "list", "--year", "2027"])
    assert listed.exit_code == 0 and "2027-02-04-adgang-til-data" in listed.output and "Aflyst" in listed.output
    as_json = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "list", "--json"])
    assert as_json.exit_code == 0 and '"theme": "Adgang til data"' in as_json.output
    out = tmp_path / "moede.ics"
    done = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "ics", "2027-02-04-adgang-til-data",
                                "-o", str(out)])
    assert done.exit_code == 0, done.output
    (event,) = events(out.read_bytes().decode("utf-8"))
    assert str(event["SUMMARY"]) == "Adgang til data"
    year = tmp_path / "aar.ics"
    assert runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "ics", "--year", "2027", "-o",
                                str(year)]).exit_code == 0
    uids = [str(e["UID"]) for e in events(year.read_text(encoding="utf-8"))]
    assert len([u for u in uids if not u.startswith("call-")]) == 4  # the meetings, beside the calls' deadlines
    assert len([u for u in uids if u.startswith("call-")]) == 4
    refused = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "ics",
                                   "2027-09-23-it-sikkerhed-i-ai-loesninger", "-o", str(tmp_path / "x.ics")])
    assert refused.exit_code == 1 and "mødet er aflyst" in refused.output
    assert not (tmp_path / "x.ics").exists()
    misuse = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "ics", "-o", str(out)])
    assert misuse.exit_code == 2
    unknown = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "ics", "2027-02-05-adgang",
                                   "-o", str(out)])
    assert unknown.exit_code == 1 and "did you mean" in unknown.output


def test_cli_meetings_plan_writes_word(runner, tmp_path: Path):
    from docx import Document

    out = tmp_path / "plan.docx"
    done = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "plan", "2027", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert Document(str(out)).paragraphs[0].text == "Årsplan 2027"
