"""Partners for consortia in the core: what a project seeks and offers (checked field by field), the matches across
the bundled example projects, funding calls as records with their deadlines in the annual plan (Word) and the
.ics, and "Vis interesse" kept once a day and covered by the privacy tools — on a real instance of the bundled
library with the real notification store."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from icalendar import Calendar

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.errors import Forbidden, Invalid
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.library.taxonomy import Taxonomy
from toolkit.network.annualplan import annual_plan_docx
from toolkit.network.calls import call_records, calls_of_year, unknown_calls
from toolkit.network.icsfile import calls_ics, plan_ics
from toolkit.network.interest import WAIT, TooSoon, interest_shown, show_interest
from toolkit.network.meetings import meeting_records
from toolkit.network.persondata import erase_person, find_person
from toolkit.network.projects.export import HEADERS, rows
from toolkit.network.projects.model import Need
from toolkit.network.projects.partners import partner_kinds
from toolkit.network.projects.registry import Registry
from toolkit.network.projects.validation import parse_project
from toolkit.people.accounts import Accounts
from toolkit.people.notifications import assemble

LIBRARY = Path(BUNDLED_LIBRARY)
SEPSIS, THORAX = "sepsis-tidlig-varsling", "triage-af-thoraxroentgen"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(LIBRARY)


def check(registry: Registry, **changes):
    """The sepsis example's data with these changes, parsed as a new file would be."""
    data = {**registry.get(SEPSIS).to_data(), **changes}
    return parse_project("ny", data, "library/projects/ny.yaml", {}, organisations=registry.organisations)


def test_seeks_and_offers_round_trip_through_the_file_data(registry):
    project = registry.get(SEPSIS)
    assert project.seeks[1] == Need("competence-implementation", project.seeks[1].text)
    assert project.seeks_funding_from == ("danske-regioner-ai-i-drift-2027",)
    again, problems = check(registry)
    assert problems == [] and (again.seeks, again.offers, again.seeks_funding_from) == (
        project.seeks, project.offers, project.seeks_funding_from)
    short, problems = check(registry, offers=["funding"])  # a bare kind is short for {kind: …}
    assert problems == [] and short.offers == (Need("funding"),)


@pytest.mark.parametrize(("field", "entry", "words"), [
    ("seeks", {"kind": "dataleverandør", "text": "Billeder"}, "'dataleverandør' is not a partner kind"),
    ("offers", {"kind": "Datapartner", "text": "Data"}, "did you mean 'data-partner'?"),
    ("seeks", {"kind": "funding", "text": "To linjer\nher"}, "the text is one line"),
    ("offers", {"kind": "funding", "text": "Et\x07bip"}, "control character"),
    ("seeks", {"kind": "funding", "text": "x" * 201}, "the text is 201 characters; keep it to 200"),
    ("seeks", {"text": "Uden type"}, "choose a kind"),
    ("offers", {"kind": "funding", "how": "?"}, "unknown field 'how'"),
])
def test_a_bad_entry_is_refused_naming_its_field_and_entry(registry, field, entry, words):
    project, problems = check(registry, **{field: [{"kind": "funding", "text": "Fint"}, entry]})
    assert project is None
    assert [p.field for p in problems] == [field]
    assert "entry 2" in problems[0].message and words in problems[0].message


def test_a_call_that_is_no_slug_is_refused(registry):
    project, problems = check(registry, seeks_funding_from=["Novo Nordisk Fonden"])
    assert project is None and problems[0].field == "seeks_funding_from"


def test_two_example_projects_match_and_a_project_never_matches_itself(registry):
    kinds = {k.kind: k for k in partner_kinds(registry.all())}
    implementation = kinds["competence-implementation"]
    assert implementation.matched
    assert [e.project.slug for e in implementation.seekers] == [SEPSIS]
    assert [e.project.slug for e in implementation.offerers] == [THORAX]
    assert partner_kinds(registry.all())[0].matched  # the matched kinds come first
    # Sepsis seeks a clinical partner; only the pressure-ulcer idea offers one: a match too.
    assert [e.project.slug for e in kinds["clinical-partner"].offers_for(registry.get(SEPSIS))] == ["tryksaarsrisiko"]
    assert not kinds["funding"].matched  # sought, offered by nobody
    only = partner_kinds(registry.all(), "competence-mdr")
    assert [k.kind for k in only] == ["competence-mdr"] and not only[0].matched


def test_the_export_has_what_a_project_seeks_and_offers(registry):
    row = dict(zip(HEADERS, rows([registry.get(SEPSIS)], registry.organisations)[0], strict=True))
    assert row["Søger"].startswith("Klinisk partner: Akutafdelinger")
    assert "Kompetence: implementering: " in row["Søger"]
    assert row["Tilbyder"].startswith("Kompetence: data science: ")
    assert row["Søger støtte fra"] == "danske-regioner-ai-i-drift-2027"


# -- funding calls ---------------------------------------------------------------------------------------------------


def test_the_bundled_calls_load_and_every_example_project_names_a_real_one(registry):
    calls = call_records(LIBRARY)
    assert calls.problems() == []
    assert len(calls.all()) == 4 and all(c.example and c.deadline.year == 2027 for c in calls.all())
    assert {c.funder for c in calls.all()} >= {"Innovationsfonden", "Novo Nordisk Fonden", "Danske Regioner"}
    for project in registry.all():
        assert unknown_calls(project.seeks_funding_from, calls, project.path) == []
    wrong = unknown_calls(["novo-nordisk-fonden-datascience-2026"], calls, "library/projects/x.yaml")
    assert wrong[0].field == "seeks_funding_from" and "did you mean 'novo-nordisk-fonden-datascience-2027'" in \
        wrong[0].message


def test_a_broken_call_names_each_field(tmp_path):
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "forkert.yaml").write_text(
        "title: Et opslag\nfunder: En fond\ndeadline: 31. marts\nlink: innovationsfonden.dk\nbeloeb: 3 mio.\n",
        encoding="utf-8")
    records = call_records(tmp_path)
    assert records.all() == []
    found = {p.field: p for p in records.problems()}
    assert set(found) == {"deadline", "link", "beloeb"}
    assert found["deadline"].line == 3 and "is not a date" in found["deadline"].message
    assert found["beloeb"].message.startswith("unknown field") and "amount" in found["beloeb"].message


def test_deadlines_are_in_the_years_calendar_and_the_word_plan():
    calls = call_records(LIBRARY).all()
    meetings = meeting_records(LIBRARY).all()
    calendar = Calendar.from_ical(plan_ics(meetings, year=2027, calls=calls))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    deadline = events["call-innovationsfonden-grand-solutions-2027@netkit"]
    assert deadline.decoded("DTSTART") == dt.date(2027, 3, 10)
    assert str(deadline["SUMMARY"]).startswith("Ansøgningsfrist: Grand Solutions 2027")
    assert any(not uid.startswith("call-") for uid in events)  # the meetings are still there
    assert not [uid for uid in Calendar.from_ical(plan_ics(meetings, year=2026, calls=calls)).walk("VEVENT")
                if str(uid.get("UID")).startswith("call-")]  # 2027's deadlines are not in 2026's plan
    alone = Calendar.from_ical(calls_ics(calls))
    assert len(alone.walk("VEVENT")) == 4 and str(alone["X-WR-CALNAME"]) == "Ansøgningsfrister"

    taxonomy = Taxonomy.load(LIBRARY / "taxonomy.yaml")
    document = Document(io.BytesIO(annual_plan_docx(meetings, 2027, taxonomy, calls=calls)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Ansøgningsfrister" in headings
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Frist", "Opslag", "Støttegiver", "Beløb"]
    assert [r.cells[1].text for r in table.rows[1:]] == [c.title for c in calls_of_year(calls, 2027)]
    assert table.rows[1].cells[0].text.endswith("2027")


# -- "Vis interesse" and the privacy tools -----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def instance(tmp_path) -> Instance:
    return Instance.create(tmp_path / "instance", library=BUNDLED_LIBRARY, templates=tmp_path / "no-templates")


def wired(instance: Instance, clock: Clock):
    settings = Settings(home=instance.home, base_url="https://netkit.test/", smtp_from="Netkit <netkit@netkit.test>",
                        smtp_host="127.0.0.1", smtp_port=1, smtp_starttls=False)  # queued only: nothing is sent here
    parts = assemble(settings, instance, Accounts(instance.home))
    parts.store.clock = clock
    return parts


def test_interest_is_queued_once_a_day_and_the_person_can_see_and_erase_it(instance):
    accounts = Accounts(instance.home)
    accounts.add("bo", "member", email="bo@firma.dk", full_name="Bo Berg", password="bos-kodeord-12")
    bo = accounts.get("bo")
    clock = Clock()
    parts = wired(instance, clock)
    thorax = Registry(instance.library_dir).get(THORAX)
    show_interest(parts.store, parts.outbox, parts.notifier.site, thorax, bo, "Vi vil gerne lære af jeres drift.")
    assert parts.outbox.waiting() == 1
    with pytest.raises(TooSoon) as refused:
        show_interest(parts.store, parts.outbox, parts.notifier.site, thorax, bo, "En gang til, samme dag.")
    assert refused.value.until == clock.now + WAIT and parts.outbox.waiting() == 1
    with pytest.raises(Invalid):
        show_interest(parts.store, parts.outbox, parts.notifier.site, registry_project(instance), bo, "Kort")
    clock.now += WAIT + 1  # a day later: the old row is dropped, one more mail may go
    show_interest(parts.store, parts.outbox, parts.notifier.site, thorax, bo, "Vi vil stadig gerne høre fra jer.")
    assert parts.outbox.waiting() == 2 and [s.project for s in interest_shown(instance.home, ["bo"])] == [THORAX]

    found = find_person(instance, "BO@firma.dk")
    assert [p.data["project"] for p in found.section("interest")] == [THORAX]
    shown = CliRunner().invoke(main, ["--home", str(instance.home), "person", "export", "bo@firma.dk"])
    assert shown.exit_code == 0 and "Partner interest" in shown.output
    assert f"showed interest in project {THORAX} [erase]" in shown.output  # the text export, not only the JSON
    assert found.to_dict()["interest"][0]["user"] == "bo" and found.notified.mails_waiting == 2
    erasure = erase_person(instance, "bo@firma.dk", Author("Drift", "drift@rm.dk"))
    assert "partner interest: 1 row(s) removed" in erasure.done
    assert interest_shown(instance.home, ["bo"]) == [] and parts.outbox.waiting() == 0  # his messages go too
    assert find_person(instance, "bo@firma.dk").section("interest") == []


def registry_project(instance: Instance):
    return Registry(instance.library_dir).get(SEPSIS)


def test_no_mail_server_or_no_address_refuses_and_keeps_nothing(instance):
    accounts = Accounts(instance.home)
    accounts.add("ida", "member", password="idas-kodeord-12")
    nomail = accounts.get("ida")
    parts = wired(instance, Clock())
    thorax = Registry(instance.library_dir).get(THORAX)
    with pytest.raises(Forbidden):
        show_interest(parts.store, parts.outbox, parts.notifier.site, thorax, nomail, "Vi vil gerne samarbejde.")
    without_server = assemble(Settings(home=instance.home), instance, accounts)
    accounts.add("bo", "member", email="bo@firma.dk", password="bos-kodeord-12")
    bo = accounts.get("bo")
    with pytest.raises(Forbidden):
        show_interest(without_server.store, without_server.outbox, without_server.notifier.site, thorax, bo,
                      "Vi vil gerne samarbejde.")
    assert parts.outbox.waiting() == 0 and interest_shown(instance.home, ["ida", "bo"]) == []



def test_netkit_check_names_a_broken_call_by_file_line_and_field(runner, library_path):
    from toolkit.cli import main

    (library_path / "calls").mkdir()
    (library_path / "calls" / "pulje.yaml").write_text(
        "title: En pulje\nfunder: En fond\ndeadline: 2027-02-30\nlink: https://example.org/\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(library_path)])
    assert result.exit_code == 1
    assert "library/calls/pulje.yaml:3: deadline: '2027-02-30' is not a date" in result.output


def test_the_cli_annual_plan_carries_the_deadlines(runner, tmp_path):
    from toolkit.cli import main

    out = tmp_path / "aarsplan.docx"
    done = runner.invoke(main, ["--library", str(BUNDLED_LIBRARY), "meetings", "plan", "2027", "-o", str(out)])
    assert done.exit_code == 0, done.output
    document = Document(str(out))
    assert "Ansøgningsfrister" in [p.text for p in document.paragraphs]
    assert document.tables[-1].rows[1].cells[1].text == "Grand Solutions 2027 – sundhed og kunstig intelligens"
