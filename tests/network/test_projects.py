"""The project registry's core: every field checked with its line and a helpful message, duplicates refused,
the bundled examples valid, saving through the instance, filters and counts, exports read back, search hits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid, Problem
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.records import save_record
from toolkit.library.folder import Library
from toolkit.network.projects.editing import contacts_from_lines, contacts_to_lines, links_from_lines, unique_slug
from toolkit.network.projects.export import HEADERS, rows, to_csv, to_xlsx
from toolkit.network.projects.filters import ProjectFilters, facet_counts, filter_projects
from toolkit.network.projects.model import Project
from toolkit.network.projects.organisations import Organisations
from toolkit.network.projects.registry import Registry
from toolkit.network.projects.search import ProjectSource
from toolkit.network.projects.validation import parse_project
from toolkit.people.accounts import User
from toolkit.people.permissions import can, can_edit_project
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import material_docs
from toolkit.search.index import SearchIndex
from toolkit.yamlfile import parse_yaml

ORGANISATIONS = Organisations.load(BUNDLED_LIBRARY)
WHERE = "library/projects/proeve.yaml"
VALID = """\
title: Prøveprojekt om AI
summary: Et projekt, der kun findes i testene.
owner: region-midtjylland
department: Testafdelingen
contacts:
  - name: Anna Jensen
    email: anna.jensen@example.org
    role: Projektleder
clinical_area: Kardiologi
phase: research
regulatory:
  status: not-medical-device
start: 2025-01-01
end: 2026-01-01
links:
  - title: Om projektet
    url: https://www.example.org/proeve
related_materials: [adgang-til-data]
working_groups: [dataadgang]
"""


def parse(text: str, others: dict | None = None) -> tuple[Project | None, list[Problem]]:
    return parse_project("proeve", parse_yaml(text, WHERE), WHERE, others or {}, organisations=ORGANISATIONS)


def only_problem(text: str, field: str) -> Problem:
    project, problems = parse(text)
    assert project is None
    found = [p for p in problems if p.field == field]
    assert len(found) == 1 and len(problems) == 1, problems
    return found[0]


def line_of(text: str, needle: str) -> int:
    return next(number for number, row in enumerate(text.splitlines(), start=1) if needle in row)


def test_a_valid_project_is_read_with_every_field():
    project, problems = parse(VALID)
    assert problems == [] and project is not None
    assert project.title == "Prøveprojekt om AI" and project.owner == "region-midtjylland"
    assert project.contacts[0].email == "anna.jensen@example.org" and project.contacts[0].role == "Projektleder"
    assert project.phase == "research" and project.regulatory_status == "not-medical-device"
    assert project.start == dt.date(2025, 1, 1) and project.end == dt.date(2026, 1, 1)
    assert project.links[0].url == "https://www.example.org/proeve"
    assert project.related_materials == ("adgang-til-data",) and project.working_groups == ("dataadgang",)
    assert project.example is False and project.line_of("phase") == line_of(VALID, "phase:")
    again, problems = parse_project("proeve", project.to_data(), WHERE, {}, organisations=ORGANISATIONS)
    assert problems == [] and again == project  # to_data() is what save_record writes: a round trip


def test_required_fields_are_named():
    _project, problems = parse("title: Kun en titel\n")
    assert {p.field for p in problems} == {"summary", "owner", "contacts", "phase", "regulatory"}
    assert all("required" in p.message for p in problems)


def test_unknown_phase_names_the_line_and_a_hint():
    text = VALID.replace("phase: research", "phase: reserch")
    problem = only_problem(text, "phase")
    assert problem.line == line_of(text, "phase:") and "did you mean 'research'?" in problem.message
    assert "idea, research, quality-development" in problem.message
    danish = only_problem(VALID.replace("phase: research", "phase: I drift"), "phase")
    assert "did you mean 'in-operation'?" in danish.message  # the Danish label leads to the id


def test_unknown_organisation_is_refused_with_a_hint_and_where_to_add_it():
    text = VALID.replace("owner: region-midtjylland", "owner: aarhus-universitets-hospital")
    problem = only_problem(text, "owner")
    assert problem.line == line_of(text, "owner:")
    assert "did you mean 'aarhus-universitetshospital'?" in problem.message
    assert "add it to library/organisations.yaml" in problem.message
    by_name = only_problem(VALID.replace("owner: region-midtjylland", "owner: Regionshospitalet Gødstrup"), "owner")
    assert "did you mean 'regionshospitalet-goedstrup'?" in by_name.message
    other = only_problem(VALID.replace("owner: region-midtjylland", "owner: Andet firma"), "owner")
    assert "'Andet firma' is not a known organisation" in other.message


def test_a_contact_needs_a_valid_email():
    for bad in ("anna.jensen", "anna@", "anna jensen@example.org", "<anna@example.org>", "anna@example"):
        text = VALID.replace("email: anna.jensen@example.org", f"email: '{bad}'")
        problem = only_problem(text, "contacts")
        assert problem.line == line_of(text, "email:") and "is not a valid e-mail address" in problem.message
        assert "Anna Jensen" in problem.message
    missing = only_problem(VALID.replace("    email: anna.jensen@example.org\n", ""), "contacts")
    assert "give an e-mail address" in missing.message
    none = only_problem(VALID.replace("""contacts:
  - name: Anna Jensen
    email: anna.jensen@example.org
    role: Projektleder
""", "contacts: []\n"), "contacts")
    assert "required" in none.message


def test_end_before_start():
    text = VALID.replace("end: 2026-01-01", "end: 2024-12-31")
    problem = only_problem(text, "end")
    assert problem.line == line_of(text, "end:") and "before it starts (2025-01-01)" in problem.message
    bad = only_problem(VALID.replace("start: 2025-01-01", "start: 1. januar 2025"), "start")
    assert "is not a date; write YYYY-MM-DD" in bad.message
    same_day, problems = parse(VALID.replace("end: 2026-01-01", "end: 2025-01-01"))
    assert problems == [] and same_day is not None


def test_ce_marked_needs_a_class_and_only_then():
    text = VALID.replace("status: not-medical-device", "status: ce-marked")
    problem = only_problem(text, "regulatory")
    assert "add class: one of I, IIa, IIb, III" in problem.message and problem.line == line_of(text, "status:")
    wrong_case = only_problem(text.replace("status: ce-marked", "status: ce-marked\n  class: iia"), "regulatory")
    assert "did you mean 'IIa'?" in wrong_case.message and wrong_case.line == line_of(VALID, "status:") + 1
    marked, problems = parse(text.replace("status: ce-marked", "status: ce-marked\n  class: IIb"))
    assert problems == [] and marked.regulatory_class == "IIb" and marked.regulatory_label() == "CE-mærket, klasse IIb"
    extra = only_problem(VALID.replace("status: not-medical-device", "status: not-medical-device\n  class: I"),
                         "regulatory")
    assert "only given for status ce-marked" in extra.message
    unknown = only_problem(VALID.replace("status: not-medical-device", "status: ce-maerket"), "regulatory")
    assert "did you mean 'ce-marked'?" in unknown.message


def test_duplicate_title_and_owner():
    first, _problems = parse(VALID)
    other = Project(**{**first.__dict__, "slug": "den-foerste", "path": "library/projects/den-foerste.yaml"})
    project, problems = parse(VALID.replace("Prøveprojekt om AI", "PRØVEPROJEKT om ai"), {"den-foerste": other})
    assert project is None and [p.field for p in problems] == ["title"]
    assert "already exists: library/projects/den-foerste.yaml" in problems[0].message
    assert problems[0].line == line_of(VALID, "title:")
    elsewhere, problems = parse(VALID.replace("owner: region-midtjylland", "owner: aarhus-universitet"),
                                {"den-foerste": other})
    assert problems == [] and elsewhere is not None  # the same title at another organisation is another project


def test_links_must_be_web_addresses():
    for bad in ("javascript:alert(1)", "ftp://example.org/x", "www.example.org", "https://", "https://a b.dk"):
        text = VALID.replace("url: https://www.example.org/proeve", f"url: '{bad}'")
        problem = only_problem(text, "links")
        assert problem.line == line_of(text, "url:") and "is not a web address" in problem.message
    plain, problems = parse(VALID.replace("""  - title: Om projektet
    url: https://www.example.org/proeve""", "  - http://example.org/plain"))
    assert problems == [] and plain.links[0].title == plain.links[0].url == "http://example.org/plain"


def test_unknown_fields_and_bad_shapes():
    problem = only_problem(VALID.replace("department:", "afdeling:"), "afdeling")
    assert "unknown field" in problem.message
    hint = only_problem(VALID.replace("clinical_area:", "clinical_areas:"), "clinical_areas")
    assert "did you mean 'clinical_area'?" in hint.message
    slugs = only_problem(VALID.replace("related_materials: [adgang-til-data]", "related_materials: [Adgang til data]"),
                         "related_materials")
    assert "is not the id of a material" in slugs.message
    flag = only_problem(VALID + "example: ja\n", "example")
    assert "write true or false" in flag.message
    _project, problems = parse("- en liste\n")
    assert "a project is a mapping" in problems[0].message


@pytest.fixture
def registry_library(library_path: Path) -> Path:
    """The test library with the organisations and one valid project."""
    shutil.copy(BUNDLED_LIBRARY / "organisations.yaml", library_path / "organisations.yaml")
    (library_path / "projects").mkdir()
    (library_path / "projects" / "proeve.yaml").write_text(VALID, encoding="utf-8")
    return library_path


def test_unknown_related_material_is_a_problem_of_the_library(registry_library: Path):
    path = registry_library / "projects" / "proeve.yaml"
    path.write_text(VALID.replace("[adgang-til-data]", "[adgang-til-dat, samtykke-playbook]"), encoding="utf-8")
    registry = Registry(registry_library)
    problems = registry.problems(Library.load(registry_library))
    assert [(p.path, p.field) for p in problems] == [(WHERE, "related_materials")]
    assert "'adgang-til-dat' is no material; did you mean 'adgang-til-data'?" in problems[0].message
    assert problems[0].line == line_of(VALID, "related_materials")
    assert registry.get("proeve").related_materials == ("adgang-til-dat", "samtykke-playbook")  # still listed


def test_a_missing_organisations_file_is_reported_when_there_are_projects(registry_library: Path):
    (registry_library / "organisations.yaml").unlink()
    problems = Registry(registry_library).problems()
    assert any(p.path == "library/organisations.yaml" and "missing" in p.message for p in problems)
    assert any(p.field == "owner" and "none yet" in p.message for p in problems)
    shutil.rmtree(registry_library / "projects")
    assert Registry(registry_library).problems() == []  # a library without projects needs no organisations


def test_the_registry_rereads_when_the_organisations_change(registry_library: Path):
    path = registry_library / "projects" / "proeve.yaml"
    path.write_text(VALID.replace("owner: region-midtjylland", "owner: ny-klinik"), encoding="utf-8")
    registry = Registry(registry_library)
    assert registry.all() == [] and "'ny-klinik' is not a known organisation" in registry.problems()[0].message
    with (registry_library / "organisations.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  ny-klinik: {da: Ny Klinik, en: New Clinic}\n")
    assert [p.slug for p in registry.all()] == ["proeve"] and registry.problems() == []
    assert registry.organisations.label("ny-klinik", "en") == "New Clinic"


def test_the_bundled_examples_are_valid_and_marked():
    registry = Registry(BUNDLED_LIBRARY)
    assert registry.problems(Library.load(BUNDLED_LIBRARY)) == []
    projects = registry.all()
    assert len(projects) == 16 and all(p.example for p in projects)  # enough for the AI map's charts
    assert all(p.summary.startswith("Eksempel:") for p in projects)
    assert all(c.email.endswith("@example.org") for p in projects for c in p.contacts)
    assert {p.phase for p in projects} == {"idea", "research", "quality-development", "operations-test",
                                           "in-operation", "stopped"}
    assert {p.regulatory_status for p in projects} == {"not-medical-device", "in-house-mdr-5-5", "ce-marked",
                                                       "under-assessment"}


def test_save_record_validates_writes_and_commits(registry_library: Path, tmp_path: Path):
    instance = Instance.create(tmp_path / "instance", library=registry_library, templates=tmp_path / "none")
    registry = Registry(instance.library_dir)
    data = registry.get("proeve").to_data()
    head = instance.head()
    bad = {**data, "title": "Nyt projekt", "end": dt.date(2020, 1, 1)}
    with pytest.raises(Invalid) as refused:
        save_record(instance, registry.records, "nyt-projekt", bad, Author("Mette", "mette@x"), "Nyt", create=True)
    assert [p.field for p in refused.value.problems] == ["end"]
    assert not (instance.library_dir / "projects" / "nyt-projekt.yaml").exists() and instance.head() == head
    duplicate = {**data, "title": "prøveprojekt om ai"}
    with pytest.raises(Invalid) as twice:
        save_record(instance, registry.records, "igen", duplicate, Author("Mette", "mette@x"), "Igen", create=True)
    assert "library/projects/proeve.yaml" in twice.value.problems[0].message
    saved = save_record(instance, registry.records, "nyt-projekt", {**data, "title": "Nyt projekt"},
                        Author("Mette", "mette@x"), "Nyt projekt", create=True)
    assert saved.title == "Nyt projekt" and instance.head() != head
    revision, _slugs = instance.recent_changes(1)[0]
    assert revision.author == "Mette" and revision.message == "Nyt projekt"
    assert [p.slug for p in registry.all()] == ["nyt-projekt", "proeve"]


def test_filters_combine_and_counts_leave_the_chosen_filter_out():
    registry = Registry(BUNDLED_LIBRARY)
    projects = registry.all()
    chosen = ProjectFilters(owner="region-midtjylland")
    assert {p.slug for p in filter_projects(projects, chosen)} == {"genindlaeggelse-risiko", "tryksaarsrisiko"}
    counts = facet_counts(projects, chosen, registry.organisations)
    assert counts["phase"] == [("idea", 1), ("quality-development", 1)]
    assert ("aarhus-universitet", 1) in counts["owner"] and ("region-midtjylland", 2) in counts["owner"]
    assert counts["regulatory"] == [("under-assessment", 2)]
    both = ProjectFilters(owner="region-midtjylland", phase="idea", area="sygepleje")
    assert [p.slug for p in filter_projects(projects, both)] == ["tryksaarsrisiko"]


def test_form_lines_round_trip():
    contacts = contacts_from_lines("Anna Jensen; anna@example.org; Projektleder\n\nBo Hansen <bo@example.org>\n"
                                   "Carl Uden Mail")
    assert contacts == [{"name": "Anna Jensen", "email": "anna@example.org", "role": "Projektleder"},
                        {"name": "Bo Hansen", "email": "bo@example.org"}, {"name": "Carl Uden Mail", "email": ""}]
    project, _problems = parse(VALID)
    assert contacts_from_lines(contacts_to_lines(project.contacts)) == [c.to_dict() for c in project.contacts]
    assert links_from_lines("Om os; https://example.org/a\nhttps://example.org/b") == [
        {"title": "Om os", "url": "https://example.org/a"}, {"url": "https://example.org/b"}]
    assert unique_slug("Tidlig varsling af sepsis", ["tidlig-varsling-af-sepsis"]) == "tidlig-varsling-af-sepsis-2"
    assert unique_slug("Ærø og Åbenrå", []) == "aeroe-og-aabenraa"


def test_members_edit_their_own_projects_facilitators_all():
    project, _problems = parse(VALID)
    owned = Project(**{**project.__dict__, "created_by": "mette"})
    mette, ole = User("mette", "member"), User("ole", "member")
    assert can_edit_project(mette, owned) and not can_edit_project(ole, owned)
    contact = project.contacts[0].email
    assert can_edit_project(User("anna", "member", email=contact.upper()), project)  # a contact by e-mail
    # L4: only the whole address counts, never the part before @ nor a name (somebody else's elsewhere)
    local = contact.split("@")[0]
    assert not can_edit_project(User(local, "member"), project)
    assert not can_edit_project(User("anna", "member", email=f"{local}@evil.example"), project)
    assert can_edit_project(User("frida", "facilitator"), project) and can_edit_project(User("a", "admin"), project)
    assert not can_edit_project(None, project)
    assert can(mette, "create_project") and not can(None, "create_project") and not can(mette, "edit_project")


def test_exports_read_back_equal_the_records():
    registry = Registry(BUNDLED_LIBRARY)
    chosen = filter_projects(registry.all(), ProjectFilters(regulatory="under-assessment"))
    expected = rows(chosen, registry.organisations)
    text = to_csv(chosen, registry.organisations).decode("utf-8")
    assert text.startswith("\ufeffId;Titel;")
    read = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert tuple(read[0]) == HEADERS
    assert read[1:] == [[v.isoformat() if isinstance(v, dt.date) else (v or "") for v in row] for row in expected]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(chosen, registry.organisations))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == HEADERS and sheet.title == "Projekter"
    assert [[v.date() if isinstance(v, dt.datetime) else (v or "") for v in row] for row in values[1:]] == \
        [[v if v is not None else "" for v in row] for row in expected]


def test_text_that_looks_like_a_formula_stays_text():
    project, _problems = parse(VALID.replace("title: Prøveprojekt om AI", "title: \"=HYPERLINK('x')\""))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([project], ORGANISATIONS))).active
    assert sheet["B2"].value == "=HYPERLINK('x')" and sheet["B2"].data_type == "s"
    assert ";'=HYPERLINK('x');" in to_csv([project], ORGANISATIONS).decode("utf-8")


def test_projects_are_search_hits(tmp_path: Path):
    library = Library.load(BUNDLED_LIBRARY)
    source = ProjectSource(BUNDLED_LIBRARY)
    docs = source.docs(library)
    sepsis = next(d for d in docs if d.slug == "sepsis-tidlig-varsling")
    assert sepsis.kind == "project" and sepsis.url == "/projekter/sepsis-tidlig-varsling/"
    assert "clinical-evaluation" in sepsis.topics  # from the related materials
    index = SearchIndex(tmp_path / "index", Lexicon.load(BUNDLED_LIBRARY))
    index.sync(material_docs(library) + docs)
    results = index.search("sepsis")
    assert results.hits[0].slug == "sepsis-tidlig-varsling" and results.hits[0].doctype == "project"
    assert [h.slug for h in index.search("røntgenbilleder", kind="project").hits] == ["triage-af-thoraxroentgen"]
    assert source.signature() == ProjectSource(BUNDLED_LIBRARY).signature()
