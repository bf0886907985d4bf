"""Benchmark the network registry: 1,000 projects and a year of 100 meetings, read, served and exported.

An instance is made from a copy of the bundled library with generated project and meeting files added (995 projects
beside the 5 bundled examples, 100 meetings in one year beside the bundled 2027 ones), varied deterministically:
phases, owners from organisations.yaml, regulatory statuses (CE classes too), clinical areas, contacts, dates,
links, related materials and working groups; meetings with and without times, every status, agendas, speakers.
Requests go through Flask's test client, anonymous, on the app `create_app` builds around the instance; every
request must answer 200. Prints median and p95 in ms, each row with its ratio to the section's reference:

1. a fresh read and check of the 1,000 project files (`Registry(...).all()`); reference: `yaml.safe_load` of the
   same files, no checks.
2. GET /projekter/ (all) and /projekter/?phase=… (filtered, phases in turn), and one project page; reference: the
   static file /static/netkit.css from the same app.
3. GET /projekter/eksport.csv and /projekter/eksport.xlsx of all 1,000; references: Python's csv module writing the
   same rows to a StringIO, and openpyxl writing a bare workbook of the same rows (sizes printed too).
4. GET /moeder/aarsplan/<year>.ics and .docx for the year of 100 meetings; reference: `plan_ics` called directly
   (no HTTP). The direct `annual_plan_docx` is shown beside it.

Run: make bench   (or: .venv/bin/python bench/bench_network.py [--projects 1000 --meetings 100 --repeat 30])
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import itertools
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from bench.timing import Timing, anonymous_app, header, measure
from toolkit.config import BUNDLED_LIBRARY
from toolkit.history.instance import Instance
from toolkit.history.records import record_text
from toolkit.library.starters import slug_from_title
from toolkit.network.annualplan import annual_plan_docx
from toolkit.network.icsfile import plan_ics
from toolkit.network.meetings import STATUSES, meeting_records, meetings_of_year
from toolkit.network.projects.export import HEADERS, _csv_cell, rows
from toolkit.network.projects.model import CE_CLASSES, CE_MARKED, PHASES, REGULATORY
from toolkit.network.projects.organisations import Organisations
from toolkit.network.projects.registry import Registry
from webui.context import SOURCE_KEY

YEAR = 2028  # the generated meetings' year (the bundled ones are in 2027)

AREAS = ("Akutmedicin", "Radiologi", "Onkologi", "Kardiologi", "Psykiatri", "Sygepleje", "Intern medicin",
         "Ortopædkirurgi", "Patologi", "Neurologi", "Pædiatri", "Almen praksis", "Ambulant behandling",
         "Gynækologi og obstetrik", "Anæstesi og intensiv")
SUBJECTS = ("Forudsigelse af genindlæggelse", "Tidlig varsling af sepsis", "Automatisk kodning af diagnoser",
            "Triage af henvisninger", "Billedanalyse af røntgen", "Tale-til-tekst i ambulatoriet",
            "Risikovurdering af tryksår", "Prioritering af ventelister", "Opsporing af delir",
            "Dosering af antikoagulantia", "Forudsigelse af udeblivelser", "Segmentering af tumorer",
            "Sammenfatning af journalnotater", "Vurdering af faldrisiko", "Planlægning af operationsstuer")
TARGETS = ("hos ældre medicinske patienter", "i akutmodtagelsen", "på intensiv", "i almen praksis",
           "hos børn og unge", "efter udskrivelse", "i hjemmeplejen", "på tværs af regionen")
DEPARTMENTS = ("Akutafdelingen", "Billeddiagnostisk Afdeling", "Kvalitet og Data", "Onkologisk Afdeling",
               "Hjertesygdomme", "Psykiatrisk Center", "Sygeplejefagligt udviklingsteam",
               "Institut for Klinisk Medicin")
FIRST = ("Anne", "Lars", "Mette", "Jonas", "Sofie", "Peter", "Karen", "Hanne", "Søren", "Ida", "Mads", "Line")
LAST = ("Sørensen", "Madsen", "Nielsen", "Holm", "Andersen", "Larsen", "Poulsen", "Kristensen", "Jørgensen", "Dahl")
ROLES = ("Projektleder", "Projektejer", "Data scientist", "Overlæge", "Ph.d.-studerende", "")
SOURCES = ("Landspatientregisteret", "MidtEPJ (diagnoser, medicin og funktionsniveau)", "Laboratoriesvar (LABKA)",
           "PACS (røntgenbilleder)", "Lægemiddelstatistikregisteret", "RKKP-databaser", "Sygeplejedokumentation")
METHODS = ("Logistisk regression og gradient boosting, sammenlignet på kalibrering og nettogevinst",
           "Gradient boosting (XGBoost) på tidsserier, forklaret med SHAP",
           "Dyb læring (convolutional neural network) fra en kommerciel leverandør",
           "Transformer-baseret sprogmodel, finjusteret på dansk klinisk tekst",
           "Endnu ikke valgt; først en afdækning af behov og data")
THEMES = ("Adgang til data", "CE-mærkning af beslutningsstøtte", "Fra forskning til drift", "IT-sikkerhed",
          "Klinisk evaluering", "Samtykke og hjemmel", "Finansiering efter projektperioden", "Etik i praksis",
          "Brugerinddragelse", "Test i praksis")
PLACES = ("Regionshuset Aarhus, Olof Palmes Allé 15, 8200 Aarhus N", "Regionshuset Viborg, Skottenborg 26, 8800 Viborg",
          "Hospitalsenheden Vest, Gl. Landevej 61, 7400 Herning", "Online (Teams)")
TOPICS = ("technology", "it-security", "research", "law", "operations", "financing", "data-access", "ethics",
          "clinical-evaluation", "testing-in-practice", "consent", "ce-marking")
ROLE_IDS = ("project-owners", "project-leads", "data-scientists", "clinical-staff", "data-owners", "legal-ethics",
            "researchers", "companies")


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first}.{last}".lower().replace("ø", "oe").replace("å", "aa").replace("æ", "ae") + "@example.org"
    return f"{first} {last}", email


def project_data(index: int, rng: random.Random, owners: list[str], materials: list[str], groups: list[str]) -> dict:
    area = rng.choice(AREAS)
    title = f"{rng.choice(SUBJECTS)} {rng.choice(TARGETS)}, delprojekt {index + 1}"  # the number keeps it unique
    status = rng.choice(list(REGULATORY))
    regulatory = {"status": status} | ({"class": rng.choice(CE_CLASSES)} if status == CE_MARKED else {})
    contacts = []
    for _ in range(rng.randint(1, 3)):
        name, email = person(rng)
        role = rng.choice(ROLES)
        contacts.append({"name": name, "email": email} | ({"role": role} if role else {}))
    data: dict = {
        "title": title,
        "summary": (f"Et projekt i {area.lower()}, der undersøger, om en model kan hjælpe klinikerne; "
                    f"data fra {rng.choice(SOURCES)}, evalueret \"i drift\" på {rng.randint(2, 9)} afdelinger. ")
                   * rng.randint(1, 3),
        "owner": rng.choice(owners),
        "department": rng.choice(DEPARTMENTS),
        "contacts": contacts,
        "clinical_area": area,
        "problem": "\n".join(f"Linje {n + 1}: mange patienter; for få hænder, og forsinkelser koster liv."
                             for n in range(rng.randint(1, 4))),
        "phase": rng.choice(list(PHASES)),
        "data_sources": rng.sample(SOURCES, rng.randint(1, 4)),
        "ai_method": rng.choice(METHODS),
        "regulatory": regulatory,
    }
    if rng.random() < 0.8:
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        data["start"] = start
        if rng.random() < 0.7:
            data["end"] = start + dt.timedelta(days=rng.randrange(90, 1500))
    if rng.random() < 0.4:
        data["links"] = [{"title": "Projektbeskrivelse (fiktiv)", "url": f"https://www.example.org/projekt/{index}"}]
    data["related_materials"] = rng.sample(materials, rng.randint(0, 3))
    data["working_groups"] = rng.sample(groups, rng.randint(0, 2))
    data["created_by"] = "bench"
    return {key: value for key, value in data.items() if value not in ([], "")}


def meeting_data(index: int, rng: random.Random) -> tuple[str, dict]:
    day = dt.date(YEAR, 1, 2) + dt.timedelta(days=rng.randrange(360))
    theme = f"{rng.choice(THEMES)}, møde {index + 1}"
    data: dict = {"theme": theme, "date": day.isoformat()}
    if rng.random() < 0.85:
        hour = rng.choice((9, 10, 12, 13))
        data.update(start=f"{hour:02d}:{rng.choice((0, 30)):02d}", end=f"{hour + rng.randint(2, 4):02d}:00")
    data.update({
        "place": rng.choice(PLACES),
        "status": rng.choice(STATUSES),
        "facilitator": f"{' '.join(person(rng)[0].split())}, MedTech Innovation Consortium",
        "topics": rng.sample(TOPICS, rng.randint(1, 4)),
        "problem": "Hvordan kommer et AI-projekt hurtigst og lovligt fra idé til drift – og hvem skal godkende "
                   "hvad undervejs; med data, hjemmel, test og en driftsejer, der tager over?",
        "invited_roles": rng.sample(ROLE_IDS, rng.randint(1, 5)),
        "invitees": [{"name": name, "organisation": "Region Midtjylland, IT", "email": email}
                     for name, email in (person(rng) for _ in range(rng.randint(0, 6)))],
        "speakers": [{"name": person(rng)[0], "organisation": "Regionshospitalet Eksempelby",
                      "topic": "Erfaringer fra et projekt i drift"} for _ in range(rng.randint(0, 2))],
        "agenda": [{"topic": f"Punkt {n + 1}: {rng.choice(THEMES)}"} | ({"presenter": person(rng)[0]} if n % 2 else {})
                   for n in range(rng.randint(2, 8))],
    })
    return f"{day.isoformat()}-{slug_from_title(theme)}", {k: v for k, v in data.items() if v not in ([], "")}


def build_library(root: Path, projects: int, meetings: int, seed: int) -> Path:
    """A copy of the bundled library with generated projects (to `projects` in all) and `meetings` meetings."""
    rng = random.Random(seed)
    folder = root / "library"
    shutil.copytree(BUNDLED_LIBRARY, folder)
    owners = Organisations.load(folder).ids()
    materials = sorted(p.stem for p in folder.glob("*.md"))
    groups = sorted(p.stem for p in (folder / "groups").glob("*.yaml"))
    bundled = len(list((folder / "projects").glob("*.yaml")))
    for index in range(projects - bundled):
        data = project_data(index, rng, owners, materials, groups)
        slug = f"{slug_from_title(data['title'].rsplit(',', 1)[0])[:60].rstrip('-')}-{index + 1}"
        (folder / "projects" / f"{slug}.yaml").write_text(record_text(data), encoding="utf-8")
    for index in range(meetings):
        slug, data = meeting_data(index, rng)
        (folder / "meetings" / f"{slug}.yaml").write_text(record_text(data), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30, help="requests per row (the slow rows: a tenth, at least 3)")
    args = parser.parse_args()
    slow = max(3, args.repeat // 10)

    with tempfile.TemporaryDirectory(prefix="netkit-bench-network-") as tmp:
        root = Path(tmp)
        folder = build_library(root, args.projects, args.meetings, seed=3)
        home = root / "instance"
        instance = Instance.create(home, library=folder)
        library_dir = instance.library_dir
        del instance

        # -- 1. loading and checking ----------------------------------------------------------------------------
        files = sorted((library_dir / "projects").glob("*.yaml"))
        registry = Registry(library_dir)
        projects = registry.all()
        problems = registry.problems()
        if len(projects) != args.projects or problems:
            raise SystemExit(f"expected {args.projects} valid projects, got {len(projects)} and {len(problems)} "
                             f"problems, e.g. {problems[:3]}")

        def read_raw() -> None:
            for path in files:
                yaml.safe_load(path.read_text(encoding="utf-8"))

        print(f"instance: {len(projects)} projects ({sum(f.stat().st_size for f in files) / 1024:.0f} KiB of YAML), "
              f"{args.meetings} meetings in {YEAR}")
        print(header(f"Loading {len(files)} project files (reference: yaml.safe_load of the same files, no checks)"))
        reference = measure("yaml.safe_load of every file (reference)", read_raw, slow)
        print(reference.row(reference))
        print(measure("fresh Registry: read + check every project", lambda: Registry(library_dir).all(),
                      slow).row(reference))
        if getattr(yaml, "CSafeLoader", None) is not None:  # for comparison: the same files through libyaml
            print(measure("(libyaml CSafeLoader of every file, no checks)", lambda: [
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for path in files],
                slow).row(reference))

        # -- the app -----------------------------------------------------------------------------------------------
        app, get = anonymous_app(home)

        # -- 2. pages ------------------------------------------------------------------------------------------------
        page = get("/projekter/").decode()
        cards = page.count('class="card project"')
        if cards != len(projects):
            raise SystemExit(f"/projekter/ lists {cards} projects, not {len(projects)}")
        phases = itertools.cycle(PHASES)
        for phase in PHASES:
            get(f"/projekter/?phase={phase}")
        some = projects[len(projects) // 2].slug
        get(f"/projekter/{some}/")
        get("/static/netkit.css")
        print(header(f"Project pages through the test client, {len(projects)} projects (reference: static CSS)"))
        static = measure("GET /static/netkit.css (reference)", lambda: get("/static/netkit.css"), args.repeat)
        print(static.row(static))
        for timing in (
            measure(f"GET /projekter/ (all {len(projects)}, {len(page) / 1024:.0f} KiB)",
                    lambda: get("/projekter/"), args.repeat),
            measure("GET /projekter/?phase=… (each phase in turn)",
                    lambda: get(f"/projekter/?phase={next(phases)}"), args.repeat),
            measure("GET /projekter/<slug>/ (one project)", lambda: get(f"/projekter/{some}/"), args.repeat),
        ):
            print(timing.row(static))

        # -- 3. exports ----------------------------------------------------------------------------------------------
        organisations = registry.organisations
        values = rows(projects, organisations)
        cells = [[_csv_cell(value) for value in row] for row in values]
        plain = [[value.isoformat() if isinstance(value, dt.date) else value for value in row] for row in values]

        def csv_reference() -> str:
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADERS)
            writer.writerows(cells)
            return out.getvalue()

        def xlsx_reference() -> bytes:
            book = Workbook()
            sheet = book.active
            sheet.append(list(HEADERS))
            for row in plain:
                sheet.append(row)
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()

        sizes = {"csv": len(get("/projekter/eksport.csv")), "xlsx": len(get("/projekter/eksport.xlsx")),
                 "csv ref": len(csv_reference().encode()), "xlsx ref": len(xlsx_reference())}
        print(header(f"Exports of all {len(projects)} projects (sizes: .csv {sizes['csv'] / 1024:.0f} KiB, reference "
                     f"{sizes['csv ref'] / 1024:.0f} KiB; .xlsx {sizes['xlsx'] / 1024:.0f} KiB, reference "
                     f"{sizes['xlsx ref'] / 1024:.0f} KiB)"))
        csv_ref = measure("csv.writer of the same rows (reference)", csv_reference, args.repeat)
        print(csv_ref.row(csv_ref))
        print(measure("GET /projekter/eksport.csv", lambda: get("/projekter/eksport.csv"), args.repeat).row(csv_ref))
        xlsx_ref = measure("openpyxl bare workbook, same rows (reference)", xlsx_reference, slow)
        print(xlsx_ref.row(xlsx_ref))
        print(measure("GET /projekter/eksport.xlsx", lambda: get("/projekter/eksport.xlsx"), slow).row(xlsx_ref))

        # -- 4. the annual plan --------------------------------------------------------------------------------------
        records = meeting_records(library_dir)
        meetings = records.all()
        chosen = meetings_of_year(records, YEAR)
        if len(chosen) != args.meetings:
            raise SystemExit(f"expected {args.meetings} meetings in {YEAR}, got {len(chosen)}: "
                             f"{records.problems()[:3]}")
        taxonomy = app.extensions[SOURCE_KEY].library().taxonomy

        def ics_direct() -> str:
            return plan_ics(meetings, year=YEAR, url_for=lambda m: f"http://localhost/moeder/{m.slug}/",
                            taxonomy=taxonomy)

        ics = ics_direct()
        web_ics = get(f"/moeder/aarsplan/{YEAR}.ics")
        web_docx = get(f"/moeder/aarsplan/{YEAR}.docx")
        if web_ics.count(b"BEGIN:VEVENT") != args.meetings:
            raise SystemExit(f"the .ics has {web_ics.count(b'BEGIN:VEVENT')} events, not {args.meetings}")
        print(header(f"Annual plan {YEAR}, {len(chosen)} meetings (.ics {len(web_ics) / 1024:.0f} KiB, .docx "
                     f"{len(web_docx) / 1024:.0f} KiB; reference: plan_ics, no HTTP)"))
        ics_ref = measure(f"plan_ics directly (reference, {len(ics) / 1024:.0f} KiB)", ics_direct, args.repeat)
        timings: list[Timing] = [
            ics_ref,
            measure(f"GET /moeder/aarsplan/{YEAR}.ics", lambda: get(f"/moeder/aarsplan/{YEAR}.ics"), args.repeat),
            measure("annual_plan_docx directly", lambda: annual_plan_docx(meetings, YEAR, taxonomy), slow),
            measure(f"GET /moeder/aarsplan/{YEAR}.docx", lambda: get(f"/moeder/aarsplan/{YEAR}.docx"), slow),
        ]
        for timing in timings:
            print(timing.row(ics_ref))


if __name__ == "__main__":
    main()
