"""Meetings and topic proposals as records: validation naming field and line, the past-date rule, saving on a
real instance, merging and planning proposals (both records updated), the minutes answers, the annual plan."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import textwrap
from pathlib import Path

import pytest
from docx import Document

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Conflict, Forbidden, Invalid, NotFound
from toolkit.history.gitstore import Author
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.annualplan import annual_plan_docx
from toolkit.network.meetings import (
    default_year,
    meeting_data,
    meeting_kind,
    meeting_records,
    meetings_of_year,
    new_slug,
    next_meeting,
    parse_meeting,
    save_meeting,
)
from toolkit.network.minutes import MINUTES_TEMPLATE, minutes_answers, minutes_docx
from toolkit.network.proposals import (
    decline,
    final,
    merge,
    merged_here,
    parse_proposal,
    plan,
    proposal_records,
    propose,
)
from toolkit.yamlfile import parse_yaml

TAXONOMY = Taxonomy.load(BUNDLED_LIBRARY / "taxonomy.yaml")
AUTHOR = Author("Frida Facilitator", "frida@example.dk")
TODAY = dt.date(2026, 11, 26)
VALID = """\
theme: Adgang til data
date: 2027-02-04
start: "13:00"
end: "16:00"
place: Regionshuset Aarhus
status: invited
facilitator: Mette Holm, MedTech Innovation Consortium
topics: [law, research]
invited_roles: [project-leads, data-owners]
invitees:
  - {name: Anne Sørensen, organisation: Regionshospitalet Eksempelby, email: anne@example.dk}
agenda:
  - topic: Velkomst
  - {topic: Hjemmel, presenter: Lise Andersen, decision: Vi skriver en vejledning}
"""


def parse(text: str, slug: str = "2027-02-04-adgang-til-data", others=None):
    where = f"library/meetings/{slug}.yaml"
    return parse_meeting(slug, parse_yaml(text, where), where, others or {}, TAXONOMY)


def problems_of(text: str) -> dict[str, tuple[int | None, str]]:
    meeting, problems = parse(text)
    assert meeting is None and problems
    return {p.field: (p.line, p.message) for p in problems}


# -- meetings: validation --------------------------------------------------------------------------------------------


def test_a_valid_meeting_reads_with_times_in_copenhagen():
    meeting, problems = parse(VALID)
    assert problems == []
    assert meeting.theme == "Adgang til data" and meeting.status == "invited"
    assert meeting.starts.isoformat() == "2027-02-04T13:00:00+01:00"
    assert meeting.ends.tzinfo is not None and meeting.ends.utcoffset() == dt.timedelta(hours=1)
    assert meeting.time_text == "kl. 13.00–16.00"
    assert meeting.invitees[0].email == "anne@example.dk"
    assert [item.topic for item in meeting.agenda] == ["Velkomst", "Hjemmel"]
    assert meeting.agenda[1].decision == "Vi skriver en vejledning"


def test_an_unquoted_time_is_read_as_the_time_it_looks_like():
    meeting, problems = parse(VALID.replace('"13:00"', "13:00").replace('"16:00"', "16:00"))
    assert problems == [] and meeting.start == dt.time(13, 0) and meeting.end == dt.time(16, 0)


@pytest.mark.parametrize(("change", "field", "line", "words"), [
    (("date: 2027-02-04", "date: 2027-02-31"), "date", 2, "not a date"),
    (("date: 2027-02-04", "date: i morgen"), "date", 2, "YYYY-MM-DD"),
    (('start: "13:00"', 'start: "25:00"'), "start", 3, "not a time of day"),
    (('end: "16:00"', 'end: "12:00"'), "end", 4, "ends (12:00) before it starts (13:00)"),
    (('end: "16:00"\n', ""), "end", None, "both the start and the end"),
    (("status: invited", "status: planed"), "status", 6, "did you mean 'planned'"),
    (("topics: [law, research]", "topics: [law, reserch]"), "topics", 8, "did you mean 'research'"),
    (("invited_roles: [project-leads, data-owners]", "invited_roles: [project-lead]"), "invited_roles", 9,
     "did you mean 'project-leads'"),
    (("email: anne@example.dk", "email: anne(at)example"), "invitees[1].email", 11, "not an e-mail address"),
    (("theme: Adgang til data", "theme: ''"), "theme", 1, "required"),
    (("place: Regionshuset Aarhus", "plase: Regionshuset Aarhus"), "plase", 5, "did you mean 'place'"),
    (("  - topic: Velkomst", "  - presenter: Ingen"), "agenda[1].topic", 13, "topic"),
])
def test_each_problem_names_the_field_and_its_line(change, field, line, words):
    old, new = change
    found = problems_of(VALID.replace(old, new))
    assert field in found, found
    found_line, message = found[field]
    if line is not None:
        assert found_line == line
    assert words in message


def test_every_problem_is_reported_at_once():
    text = VALID.replace("date: 2027-02-04", "date: 2027-13-01").replace("status: invited", "status: x")
    text = text.replace("topics: [law, research]", "topics: [lov]")
    assert {"date", "status", "topics"} <= set(problems_of(text))


def test_not_a_mapping_and_a_duplicate_meeting():
    _meeting, problems = parse("- a list\n")
    assert problems and "mapping" in problems[0].message
    first, _ = parse(VALID)
    _again, problems = parse(VALID, slug="2027-02-04-igen", others={first.slug: first})
    assert [p.field for p in problems] == ["theme"]


def test_meeting_data_round_trips():
    meeting, _ = parse(VALID)
    data = meeting_data(meeting)
    again, problems = parse_meeting(meeting.slug, data, meeting.path, {}, TAXONOMY)
    assert problems == [] and again == meeting


def test_new_slugs_and_the_default_year(tmp_path: Path):
    assert new_slug(dt.date(2027, 2, 4), "Adgang til data – i Århus") == "2027-02-04-adgang-til-data-i-aarhus"
    records = meeting_records(BUNDLED_LIBRARY)
    assert default_year(records, TODAY) == 2027  # nothing left in 2026: next year's plan
    assert default_year(records, dt.date(2027, 3, 1)) == 2027
    assert default_year(records, dt.date(2028, 1, 1)) == 2028


def test_the_bundled_meetings_and_proposals_are_valid():
    meetings = meeting_records(BUNDLED_LIBRARY)
    proposals = proposal_records(BUNDLED_LIBRARY)
    assert meetings.problems() == [] and proposals.problems() == []
    plan_2027 = meetings_of_year(meetings, 2027)
    assert len(plan_2027) >= 3 and [m.date for m in plan_2027] == sorted(m.date for m in plan_2027)
    assert {"planned", "invited", "cancelled"} <= {m.status for m in plan_2027}
    assert len(proposals.all()) >= 1


# -- meetings: saving ------------------------------------------------------------------------------------------------


def meeting_input(**changes) -> dict:
    data = {"theme": "Fra forskning til drift", "date": "2027-06-10", "start": "12:00", "end": "16:00",
            "place": "Herning", "status": "planned", "facilitator": "Mette Holm", "topics": ["operations"]}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_saving_a_meeting_commits_it_and_a_bad_one_writes_nothing(instance):
    records = meeting_records(instance.library_dir)
    saved = save_meeting(instance, records, "2027-06-10-drift", meeting_input(), AUTHOR, "Nyt møde", create=True,
                         today=TODAY)
    assert saved.theme == "Fra forskning til drift"
    path = instance.library_dir / "meetings" / "2027-06-10-drift.yaml"
    assert path.is_file() and instance.store.dirty_paths() == []
    assert records.get("2027-06-10-drift") == saved
    before = path.read_text(encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        save_meeting(instance, records, "2027-06-10-drift", meeting_input(end="11:00"), AUTHOR, "x", create=False)
    assert [p.field for p in caught.value.problems] == ["end"]
    assert path.read_text(encoding="utf-8") == before
    with pytest.raises(Conflict):
        save_meeting(instance, records, "2027-06-10-drift", meeting_input(), AUTHOR, "x", create=True, today=TODAY)


def test_a_new_meeting_in_the_past_is_refused_but_a_held_one_is_recorded(instance):
    records = meeting_records(instance.library_dir)
    for status in ("planned", "invited"):
        with pytest.raises(Invalid) as caught:
            save_meeting(instance, records, "2026-10-01-gammelt", meeting_input(date="2026-10-01", status=status),
                         AUTHOR, "x", create=True, today=TODAY)
        problem = next(p for p in caught.value.problems if p.field == "date")
        assert "in the past" in problem.message and "2026-11-26" in problem.message
    assert not (instance.library_dir / "meetings" / "2026-10-01-gammelt.yaml").exists()
    held = save_meeting(instance, records, "2026-10-01-gammelt", meeting_input(date="2026-10-01", status="held"),
                        AUTHOR, "Afholdt møde", create=True, today=TODAY)
    assert held.status == "held"
    # today itself is fine, and an existing meeting in the past can still be edited
    save_meeting(instance, records, "2026-11-26-i-dag", meeting_input(date="2026-11-26"), AUTHOR, "x", create=True,
                 today=TODAY)
    edited = save_meeting(instance, records, "2026-10-01-gammelt", meeting_input(date="2026-10-01", status="planned"),
                          AUTHOR, "x", create=False)
    assert edited.status == "planned"


def test_the_past_rule_is_reported_with_the_other_problems(instance):
    records = meeting_records(instance.library_dir)
    with pytest.raises(Invalid) as caught:
        save_meeting(instance, records, "2026-01-01-x", meeting_input(date="2026-01-01", place=""), AUTHOR, "x",
                     create=True, today=TODAY)
    assert {"date", "place"} <= {p.field for p in caught.value.problems}


# -- proposals -------------------------------------------------------------------------------------------------------

PROPOSAL = """\
title: Overvågning af modeller i drift
problem: Hvem opdager, at en model bliver dårligere?
why: Det berører data scientists, klinikere, IT og projektejere.
proposer: mette
created: 2026-11-02
status: new
"""


def parse_p(text: str, slug: str = "overvaagning"):
    where = f"library/proposals/{slug}.yaml"
    return parse_proposal(slug, parse_yaml(text, where), where, {})


def test_a_valid_proposal_and_its_problems_by_field_and_line():
    proposal, problems = parse_p(PROPOSAL)
    assert problems == [] and proposal.status == "new" and proposal.created == dt.date(2026, 11, 2)
    cases = [
        (PROPOSAL.replace("title: Overvågning af modeller i drift", "title: ''"), "title", 1),
        (PROPOSAL.replace("why: Det", "why: x\n#"), "why", 3),
        (PROPOSAL.replace("created: 2026-11-02", "created: i går"), "created", 5),
        (PROPOSAL.replace("status: new", "status: merged"), "merged_into", None),
        (PROPOSAL.replace("status: new", "status: planned"), "meeting", None),
        (PROPOSAL.replace("status: new", "status: new\nmeeting: 2027-02-04-x"), "meeting", 7),
        (PROPOSAL.replace("status: new", "status: merged\nmerged_into: overvaagning"), "merged_into", 7),
        (PROPOSAL.replace("status: new", "status: maybe"), "status", 6),
        (PROPOSAL + "votes: 3\n", "votes", 7),
    ]
    for text, field, line in cases:
        proposal, problems = parse_p(text)
        assert proposal is None, field
        found = {p.field: p.line for p in problems}
        assert field in found, (field, problems)
        if line is not None:
            assert found[field] == line, (field, problems)


@pytest.fixture
def registry(instance):
    """A real instance with two open meetings, one cancelled, and three proposals (two of them duplicates)."""
    meetings = meeting_records(instance.library_dir)
    proposals = proposal_records(instance.library_dir)
    save_meeting(instance, meetings, "2027-02-04-data", meeting_input(theme="Adgang til data", date="2027-02-04"),
                 AUTHOR, "m1", create=True, today=TODAY)
    save_meeting(instance, meetings, "2027-04-15-ce", meeting_input(theme="CE-mærkning", date="2027-04-15"),
                 AUTHOR, "m2", create=True, today=TODAY)
    save_meeting(instance, meetings, "2027-09-23-aflyst", meeting_input(theme="Aflyst", date="2027-09-23",
                                                                        status="cancelled"),
                 AUTHOR, "m3", create=True, today=TODAY)
    member = Author("mette", "mette@netkit.localhost")
    first = propose(instance, proposals, title="Overvågning af modeller", problem="Hvem opdager at modellen driver?",
                    why="Det berører hele kæden fra data til drift.", proposer="mette", author=member, today=TODAY)
    second = propose(instance, proposals, title="Overvågning af modeller", problem="Modeller i drift skal overvåges.",
                     why="Klinikere og IT skal samarbejde om alarmerne.", proposer="ole", author=member, today=TODAY)
    third = propose(instance, proposals, title="Finansiering efter projektet",
                    problem="Hvem betaler, når projektmidlerne slutter?", why="Driften står uden ejer og budget.",
                    proposer="mette", author=member, today=TODAY)
    return instance, meetings, proposals, (first, second, third)


def test_propose_makes_unique_slugs_and_commits(registry):
    instance, _meetings, proposals, (first, second, _third) = registry
    assert first.slug == "overvaagning-af-modeller" and second.slug == "overvaagning-af-modeller-2"
    assert first.status == "new" and first.proposer == "mette"
    assert instance.store.dirty_paths() == []
    with pytest.raises(Invalid) as caught:
        propose(instance, proposals, title="x", problem="", why="", proposer="mette", author=AUTHOR)
    assert {"title", "problem", "why"} <= {p.field for p in caught.value.problems}


def test_merge_marks_the_duplicate_and_follows_merges(registry):
    instance, _meetings, proposals, (first, second, third) = registry
    merged = merge(instance, proposals, second.slug, first.slug, AUTHOR)
    assert merged.status == "merged" and merged.merged_into == first.slug
    assert merged_here(proposals, proposals.get(first.slug)) == [merged]
    assert final(proposals, merged).slug == first.slug
    # merging into a merged proposal goes to where it ended up; merging twice or into itself is refused
    merge(instance, proposals, third.slug, second.slug, AUTHOR)
    assert proposals.get(third.slug).merged_into == first.slug
    with pytest.raises(Forbidden):
        merge(instance, proposals, second.slug, first.slug, AUTHOR)
    with pytest.raises(Invalid):
        merge(instance, proposals, first.slug, first.slug, AUTHOR)
    with pytest.raises(NotFound):
        merge(instance, proposals, first.slug, "findes-ikke", AUTHOR)


def test_plan_updates_the_meeting_and_the_proposal_in_two_commits(registry):
    instance, meetings, proposals, (first, second, _third) = registry
    merge(instance, proposals, second.slug, first.slug, AUTHOR)
    before = instance.head()
    planned, meeting = plan(instance, proposals, meetings, first.slug, "2027-02-04-data", AUTHOR)
    assert planned.status == "planned" and planned.meeting == "2027-02-04-data"
    assert meeting.proposals == (first.slug,)
    assert meetings.get("2027-02-04-data").proposals == (first.slug,)
    assert proposals.get(first.slug).status == "planned"
    commits = subprocess.run(["git", "-C", str(instance.content), "log", "--format=%s", f"{before}..HEAD"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(commits) == 2 and "planlagt" in commits[0] and "planlagt" in commits[1]
    # the duplicate's proposer follows it to the planned proposal
    assert final(proposals, proposals.get(second.slug)).status == "planned"
    # planning again into the same meeting changes nothing; elsewhere, merged or into a closed meeting is refused
    assert plan(instance, proposals, meetings, first.slug, "2027-02-04-data", AUTHOR)[0] == planned
    with pytest.raises(Forbidden):
        plan(instance, proposals, meetings, first.slug, "2027-04-15-ce", AUTHOR)
    with pytest.raises(Forbidden):
        plan(instance, proposals, meetings, second.slug, "2027-04-15-ce", AUTHOR)


def test_plan_refuses_a_cancelled_meeting_and_finishes_a_half_done_plan(registry):
    instance, meetings, proposals, (_first, _second, third) = registry
    with pytest.raises(Forbidden):
        plan(instance, proposals, meetings, third.slug, "2027-09-23-aflyst", AUTHOR)
    # the meeting lists the proposal, but the proposal was never updated (the second save failed)
    meeting = meetings.get("2027-04-15-ce")
    save_meeting(instance, meetings, meeting.slug, meeting_data(meeting, proposals=[third.slug]), AUTHOR, "half",
                 create=False)
    planned, meeting = plan(instance, proposals, meetings, third.slug, "2027-04-15-ce", AUTHOR)
    assert planned.status == "planned" and meeting.proposals == (third.slug,)


def test_decline_with_a_note(registry):
    instance, _meetings, proposals, (first, _second, _third) = registry
    declined = decline(instance, proposals, first.slug, AUTHOR, "Tages op i 2028")
    assert declined.status == "declined" and declined.note == "Tages op i 2028"
    with pytest.raises(Forbidden):
        decline(instance, proposals, first.slug, AUTHOR)


# -- minutes and the annual plan -------------------------------------------------------------------------------------


def test_the_minutes_answers_pass_the_templates_own_validation():
    meetings = meeting_records(BUNDLED_LIBRARY)
    meeting = meetings.get("2027-02-04-adgang-til-data")
    package = TemplateCatalogue(BUNDLED_TEMPLATES).get(MINUTES_TEMPLATE)
    answers = minutes_answers(meeting, next_meeting=next_meeting(meetings, meeting), taxonomy=TAXONOMY)
    clean = package.form.validate(answers, today=TODAY)
    assert clean["meeting_title"] == "Adgang til data" and clean["meeting_date"] == dt.date(2027, 2, 4)
    assert clean["theme"] == "law" and clean["place"].startswith("Regionshuset Aarhus")
    assert clean["next_meeting_theme"] == "CE-mærkning af beslutningsstøtte"
    assert any(a["name"] == "Anne Sørensen" for a in clean["attendees"])
    assert [item["topic"] for item in clean["agenda_items"]] == [item.topic for item in meeting.agenda]


def test_minutes_of_a_meeting_with_another_topic_and_formed_groups():
    meeting, _ = parse(VALID.replace("topics: [law, research]", "topics: [consent]") + "formed_groups: [drift]\n")
    answers = minutes_answers(meeting, taxonomy=TAXONOMY, groups={"drift": ("Arbejdsgruppen for drift", "")})
    assert answers["theme"] == "other" and answers["theme_other"] == "Samtykke"
    assert answers["working_group_proposals"][0]["name"] == "Arbejdsgruppen for drift"
    package = TemplateCatalogue(BUNDLED_TEMPLATES).get(MINUTES_TEMPLATE)
    package.form.validate(answers, today=TODAY)


def test_minutes_need_an_agenda():
    meeting, _ = parse(VALID.split("agenda:")[0])
    with pytest.raises(Invalid) as caught:
        minutes_docx(TemplateCatalogue(BUNDLED_TEMPLATES), meeting)
    assert caught.value.problems[0].field == "agenda"


def test_the_annual_plan_as_word():
    meetings = meeting_records(BUNDLED_LIBRARY)
    data = annual_plan_docx(meetings.all(), 2027, TAXONOMY)
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Årsplan 2027"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Dato", "Tema", "Sted", "Status", "Emner"]
    themes = [row.cells[1].text for row in table.rows[1:]]
    assert themes == [m.theme for m in meetings_of_year(meetings, 2027)]
    assert "Aflyst" in [row.cells[3].text for row in table.rows[1:]]
    assert document.core_properties.title == "Årsplan 2027"
    empty = Document(io.BytesIO(annual_plan_docx(meetings.all(), 2031, TAXONOMY)))
    assert "ingen møder" in "\n".join(p.text for p in empty.paragraphs)


def test_meeting_kind_without_a_taxonomy_still_checks_the_shape(tmp_path: Path):
    kind = meeting_kind(None)
    text = textwrap.dedent(VALID).replace("topics: [law, research]", "topics: [whatever]")
    meeting, problems = kind.parse("x", parse_yaml(text, "x"), "x", {})
    assert problems == [] and meeting.topics == ("whatever",)


def test_netkit_check_reports_meeting_and_proposal_files(library_path: Path, runner):
    from toolkit.cli import main

    (library_path / "meetings").mkdir()
    (library_path / "proposals").mkdir()
    (library_path / "meetings" / "2027-02-04-data.yaml").write_text(
        VALID.replace("status: invited", "status: invited\nproposals: [findes-ikke]")
        .replace("topics: [law, research]", "topics: [law, reserch]"), encoding="utf-8")
    (library_path / "proposals" / "emne.yaml").write_text(
        PROPOSAL.replace("status: new", "status: planned\nmeeting: 2027-01-01-intet"), encoding="utf-8")
    result = runner.invoke(main, ["--library", str(library_path), "check"])
    assert result.exit_code == 1
    assert "library/meetings/2027-02-04-data.yaml:9: topics: 'reserch' is not a known topic" in result.output
    assert "library/proposals/emne.yaml: meeting: '2027-01-01-intet' is no meeting" in result.output
    (library_path / "meetings" / "2027-02-04-data.yaml").write_text(VALID + "proposals: [nope]\n", encoding="utf-8")
    result = runner.invoke(main, ["--library", str(library_path), "check"])
    assert "proposals: 'nope' is no topic proposal" in result.output


def test_the_bundled_library_still_checks_clean(runner):
    from toolkit.cli import main

    result = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "check"])
    assert result.exit_code == 0, result.output
