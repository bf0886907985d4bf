"""Meetings in a real browser on a real instance, with two people at once: a member proposes a topic, a
facilitator plans it into a meeting, the member sees it planned, the facilitator downloads the meeting's
minutes (generated from the beslutningsreferat template) and the .docx opens; a meeting created in the past is
refused with the text kept; the annual plan, meeting and proposal pages pass axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.network.meetings import meeting_records, new_slug, save_meeting
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

PASSWORDS = {"frida": "frida-kodeord-1", "mette": "mette-kodeord-1"}
MEETING_DAY = dt.date.today() + dt.timedelta(days=60)
MEETING_THEME = "Overvågning af AI i drift"
MEETING = new_slug(MEETING_DAY, MEETING_THEME)


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("meetings") / "instance"
    app = create_app(Settings(home=home))
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password=PASSWORDS["frida"])
    accounts.add("mette", "member", password=PASSWORDS["mette"])
    instance = app.extensions["netkit.source"]
    save_meeting(instance, meeting_records(instance.library_dir), MEETING, {
        "theme": MEETING_THEME, "date": MEETING_DAY.isoformat(), "start": "13:00", "end": "16:00",
        "place": "Regionshuset Viborg", "status": "invited", "facilitator": "Frida Facilitator, MIC",
        "topics": ["operations", "technology"], "invited_roles": ["data-scientists", "clinical-staff"],
        "invitees": [{"name": "Anne Sørensen", "organisation": "Regionshospitalet", "email": "anne@example.dk"}],
        "agenda": [{"topic": "Velkomst"}, {"topic": "Silent mode i praksis", "presenter": "Peter Lund",
                                           "decision": "Erfaringerne skrives ind i vejledningen"}],
    }, Author("Setup", "setup@example.dk"), "setup", create=True)
    with serving(app) as base:
        yield base


@pytest.fixture
def open_page(browser, meeting_server):
    contexts = []

    def open_(name: str | None = None):
        context = browser.new_context(locale="da-DK", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        if name is not None:
            page.goto(meeting_server + "/log-ind")
            page.get_by_label("Brugernavn").fill(name)
            page.get_by_label("Adgangskode").fill(PASSWORDS[name])
            page.get_by_role("button", name="Log ind").click()
            page.wait_for_url(meeting_server + "/")
        return page

    yield open_
    for context in contexts:
        context.close()


def test_propose_plan_and_generate_the_minutes(open_page, meeting_server, tmp_path):
    base = meeting_server
    mette, frida = open_page("mette"), open_page("frida")

    # A member proposes a topic.
    mette.goto(base + "/")
    mette.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Møder").click()
    mette.get_by_role("link", name="Emneforslag").click()
    mette.wait_for_url("**/emner/")
    mette.get_by_label("Titel").fill("Hvem ejer modellen i drift?")
    mette.get_by_label("Problemet").fill("Når projektet slutter, mangler mange modeller en driftsejer.")
    mette.get_by_label("Hvorfor det er vigtigt på tværs af værdikæden").fill(
        "Klinikere, IT og projektejere har brug for en klar ansvarsfordeling.")
    mette.get_by_role("button", name="Send forslaget").click()
    mette.wait_for_url("**/emner/?sendt=*")
    mine = mette.locator("section", has=mette.get_by_role("heading", name="Dine forslag"))
    assert "Hvem ejer modellen i drift?" in mine.inner_text() and "Ny" in mine.inner_text()
    assert serious_violations(mette) == []

    # A facilitator plans it into a meeting.
    frida.goto(base + "/emner/")
    proposal = frida.locator("#forslag-hvem-ejer-modellen-i-drift")
    assert "Foreslået af mette" in proposal.inner_text()
    proposal.get_by_label("Planlæg til mødet").select_option(MEETING)
    proposal.get_by_role("button", name="Planlæg").click()
    frida.wait_for_url("**/emner/?udfoert=*")
    assert "Planlagt" in frida.locator("#forslag-hvem-ejer-modellen-i-drift").inner_text()
    assert serious_violations(frida) == []

    # The proposer follows its status.
    mette.goto(base + "/emner/")
    mine = mette.locator("section", has=mette.get_by_role("heading", name="Dine forslag")).inner_text()
    assert "Planlagt" in mine and MEETING_THEME in mine

    # The facilitator generates the meeting's minutes and the Word file opens.
    frida.goto(f"{base}/moeder/{MEETING}/")
    assert "Hvem ejer modellen i drift?" in frida.locator("main").inner_text()
    with frida.expect_download() as download_info:
        frida.get_by_role("link", name="Hent referat (Word)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"beslutningsreferat-{MEETING_DAY.isoformat()}")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = Document(str(path))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert MEETING_THEME in text and "Silent mode i praksis" in text and "Anne Sørensen" in text
    assert f"{MEETING_DAY.day}." in text and str(MEETING_DAY.year) in text

    # The meeting's calendar file downloads too.
    with frida.expect_download() as download_info:
        frida.get_by_role("link", name="Hent i kalender (.ics)").click()
    assert download_info.value.suggested_filename == f"{MEETING}.ics"


def test_a_meeting_in_the_past_is_refused_and_the_text_kept(open_page, meeting_server):
    frida = open_page("frida")
    frida.goto(meeting_server + "/moeder/ny")
    past = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    frida.get_by_label("Tema", exact=True).fill("Et møde i går")
    frida.get_by_label("Dato").fill(past)
    frida.get_by_label("Sted").fill("Aarhus")
    frida.get_by_label("Dagsorden", exact=False).fill("Velkomst\nEt punkt; Bo; Vi besluttede noget")
    frida.get_by_role("button", name="Gem mødet").click()
    frida.wait_for_load_state()
    summary = frida.get_by_role("alert")
    assert "Det blev ikke gemt" in summary.inner_text() and "in the past" in summary.inner_text()
    assert frida.get_by_label("Tema", exact=True).input_value() == "Et møde i går"
    assert "Vi besluttede noget" in frida.get_by_label("Dagsorden", exact=False).input_value()
    assert serious_violations(frida) == []


@pytest.mark.parametrize("path", ["/moeder/?aar=2027", "/moeder/2027-02-04-adgang-til-data/",
                                  "/moeder/2027-09-23-it-sikkerhed-i-ai-loesninger/", "/emner/", "/moeder/ny"])
def test_meeting_pages_have_no_serious_accessibility_violations(open_page, meeting_server, path):
    page = open_page("frida")
    page.goto(meeting_server + path)
    assert serious_violations(page) == []


def test_the_annual_plan_for_visitors(open_page, meeting_server):
    page = open_page()
    page.goto(meeting_server + "/moeder/?aar=2027")
    assert page.locator("h1").inner_text() == "Årsplan 2027"
    page.get_by_role("link", name="Adgang til data").click()
    page.wait_for_url("**/moeder/2027-02-04-adgang-til-data/")
    assert "Hent referat" not in page.locator("main").inner_text()
    assert serious_violations(page) == []
