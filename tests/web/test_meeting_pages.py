"""Meetings, the annual plan and topic proposals in the browser (Flask's test client, a real instance): the pages,
the .ics and .docx downloads read back, the minutes generated from the beslutningsreferat template, the
proposal flow (propose, merge, plan, the proposer's status), rights, CSRF, escaping and search."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from icalendar import Calendar

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in

DATA = "2027-02-04-adgang-til-data"
CE = "2027-04-15-ce-maerkning-af-beslutningsstoette"
CANCELLED = "2027-09-23-it-sikkerhed-i-ai-loesninger"
SOON = (dt.date.today() + dt.timedelta(days=40)).isoformat()


@pytest.fixture
def app(isolated_home):
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member"), ("ole", "member"))


def signed_in(app, name: str):
    return sign_in(app, name, f"{name}-kodeord-1")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# -- reading -------------------------------------------------------------------------------------------------------


def test_the_annual_plan_lists_the_years_meetings_by_month(app):
    client = app.test_client()
    page = text_of(client.get("/moeder/?aar=2027"))
    assert "<h1>Årsplan 2027</h1>" in page
    for month in ("Februar", "April", "Juni", "September"):
        assert f">{month}</h2>" in page
    assert page.index("Adgang til data") < page.index("CE-mærkning af beslutningsstøtte")
    assert f'href="/moeder/{DATA}/"' in page
    assert 'class="badge status-invited">Inviteret' in page and 'class="badge status-cancelled">Aflyst' in page
    assert 'href="/moeder/aarsplan/2027.ics"' in page and 'href="/moeder/aarsplan/2027.docx"' in page
    assert "Nyt møde" not in page  # only for facilitators
    assert ">Møder</a>" in page  # the menu link
    assert "Der er endnu ingen møder i 2031" in text_of(client.get("/moeder/?aar=2031"))
    assert client.get("/moeder/?aar=abc").status_code == 400
    assert client.get("/moeder/").status_code == 200


def test_the_meeting_page_shows_every_field(app):
    client = app.test_client()
    page = text_of(client.get(f"/moeder/{DATA}/"))
    for text in ("<h1>Adgang til data</h1>", "4. februar 2027", "kl. 13.00–16.00", "Regionshuset Aarhus",
                 "Mette Holm, MedTech Innovation Consortium", "Jura", "Forskning", "Projektledere",
                 "Hvordan kommer et AI-projekt", "Lise Andersen", "Velkomst og formål med mødet",
                 f'href="/moeder/{DATA}.ics"', "Hent i kalender (.ics)"):
        assert text in page, text
    assert "Hent referat (Word)" not in page and "anne.soerensen@example.dk" not in page
    assert "Anne Sørensen" not in page  # invitees are for signed-in members
    member, _token = signed_in(app, "mette")
    member_page = text_of(member.get(f"/moeder/{DATA}/"))
    assert "Anne Sørensen" in member_page and "anne.soerensen@example.dk" not in member_page
    facilitator, _token = signed_in(app, "frida")
    facilitator_page = text_of(facilitator.get(f"/moeder/{DATA}/"))
    assert "Hent referat (Word)" in facilitator_page and "anne.soerensen@example.dk" in facilitator_page
    assert f'href="/moeder/{DATA}/rediger"' in facilitator_page
    assert "Udfyld referatet i skabelonen" in facilitator_page
    assert client.get("/moeder/2027-02-05-adgang-til-data/").status_code == 404
    assert client.get("/moeder/Ugyldig/").status_code in (400, 404)


def test_a_cancelled_meeting_says_so_and_has_no_calendar_file(app):
    client = app.test_client()
    page = text_of(client.get(f"/moeder/{CANCELLED}/"))
    assert "Mødet er aflyst." in page and f"/moeder/{CANCELLED}.ics" not in page
    response = client.get(f"/moeder/{CANCELLED}.ics")
    assert response.status_code == 410
    assert "Mødet er aflyst, så der er ingen kalenderfil til det" in text_of(response)


def test_the_ics_downloads_parse(app):
    client = app.test_client()
    response = client.get(f"/moeder/{DATA}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert f'filename="{DATA}.ics"' in response.headers["Content-Disposition"]
    (event,) = Calendar.from_ical(response.data.decode("utf-8")).walk("VEVENT")
    assert str(event["UID"]) == f"{DATA}@netkit" and str(event["SUMMARY"]) == "Adgang til data"
    assert event.decoded("DTSTART") == dt.datetime(2027, 2, 4, 12, 0, tzinfo=dt.UTC)
    assert str(event["URL"]) == f"http://localhost/moeder/{DATA}/"
    year = client.get("/moeder/aarsplan/2027.ics")
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in Calendar.from_ical(year.data.decode()).walk("VEVENT")}
    assert statuses[f"{CANCELLED}@netkit"] == "CANCELLED" and statuses[f"{CE}@netkit"] == "TENTATIVE"


def test_the_annual_plan_as_word(app):
    response = app.test_client().get("/moeder/aarsplan/2027.docx")
    assert response.status_code == 200 and 'filename="aarsplan-2027.docx"' in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert "Årsplan 2027" in text and "Adgang til data" in text and "Aflyst" in text and "Jura" in text


def test_the_minutes_are_generated_from_the_template_for_facilitators(app):
    anonymous = app.test_client().get(f"/moeder/{DATA}/referat.docx")
    assert anonymous.status_code == 302 and "/log-ind" in anonymous.headers["Location"]
    member, _token = signed_in(app, "mette")
    assert member.get(f"/moeder/{DATA}/referat.docx").status_code == 403
    facilitator, _token = signed_in(app, "frida")
    response = facilitator.get(f"/moeder/{DATA}/referat.docx")
    assert response.status_code == 200
    assert 'filename="beslutningsreferat-2027-02-04-adgang-til-data.docx"' in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert "Adgang til data" in text and "4. februar 2027" in text
    assert "Regionshuset Aarhus" in text and "Anne Sørensen" in text and "Lise Andersen" in text
    assert "Forskning, kvalitetsudvikling eller drift" in text
    assert "CE-mærkning af beslutningsstøtte" in text  # the next meeting


def test_the_minutes_form_opens_prefilled(app):
    facilitator, _token = signed_in(app, "frida")
    page = text_of(facilitator.get(f"/moeder/{DATA}/"))
    fields = form_data(page, "/skabeloner/beslutningsreferat/udfyld")
    assert fields["q.meeting_title"] == "Adgang til data" and fields["q.meeting_date"] == "2027-02-04"
    filled = text_of(facilitator.post("/skabeloner/beslutningsreferat/udfyld", data={**fields, "action": "edit"}))
    assert 'value="Adgang til data"' in filled and "Velkomst og formål med mødet" in filled


# -- creating and editing meetings ---------------------------------------------------------------------------------


def new_meeting_form(client, **changes) -> dict:
    fields = form_data(text_of(client.get("/moeder/ny")), "/moeder/ny")
    fields.update({"theme": "Tema om <script>alert(1)</script> drift", "date": SOON, "start": "13:00",
                   "end": "16:00", "place": "Hospitalsenheden Vest, Herning", "status": "planned",
                   "facilitator": "Frida Facilitator, MedTech Innovation Consortium", "topics": ["operations", "law"],
                   "invited_roles": ["project-leads"], "problem": "Hvordan <b>holder</b> vi modellen i drift?",
                   "invitees": "Anne Sørensen; Regionshospitalet; anne@example.dk\nBo Berg; bo@example.dk",
                   "speakers": "Lise Andersen; Region Midtjylland, Jura; Hjemmel",
                   "agenda": "Velkomst\nDriftsejerskab; Lise Andersen; Vi nedsætter en gruppe",
                   "minutes": "Referat med <script>alert(2)</script> **fed** tekst.",
                   "formed_groups": "drift"})
    fields.update(changes)
    return fields


def test_facilitators_create_a_meeting_and_html_is_escaped(app):
    facilitator, _token = signed_in(app, "frida")
    response = facilitator.post("/moeder/ny", data=new_meeting_form(facilitator))
    assert response.status_code == 302, text_of(response)
    location = response.headers["Location"]
    slug = re.search(r"/moeder/([^/]+)/", location).group(1)
    assert slug.startswith(SOON) and "drift" in slug
    page = text_of(facilitator.get(location))
    assert "Mødet er gemt." in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(2)</script>" not in page and "<strong>fed</strong>" in page
    assert "<b>holder</b>" not in page
    assert "bo@example.dk" in page and "Vi nedsætter en gruppe" in page
    instance = app.extensions["netkit.source"]
    saved = (instance.library_dir / "meetings" / f"{slug}.yaml").read_text(encoding="utf-8")
    assert "email: bo@example.dk" in saved and "formed_groups:\n- drift" in saved
    assert instance.store.dirty_paths() == []


def test_a_new_meeting_in_the_past_is_refused_with_the_text_kept(app):
    facilitator, _token = signed_in(app, "frida")
    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    response = facilitator.post("/moeder/ny", data=new_meeting_form(facilitator, date=past, theme="Gammelt tema"))
    assert response.status_code == 400
    page = text_of(response)
    assert "Det blev ikke gemt" in page and "in the past" in page and "<strong>Dato</strong>" in page
    assert 'value="Gammelt tema"' in page and "Driftsejerskab; Lise Andersen" in page
    instance = app.extensions["netkit.source"]
    assert not list((instance.library_dir / "meetings").glob(f"{past}-*.yaml"))


def test_bad_input_names_the_fields_and_keeps_the_text(app):
    facilitator, _token = signed_in(app, "frida")
    response = facilitator.post("/moeder/ny", data=new_meeting_form(
        facilitator, end="12:00", invitees="Anne; Regionen; ikke-en-mail", date="2027-02-31"))
    page = text_of(response)
    assert response.status_code == 400
    assert "<strong>Dato</strong>" in page and "ikke-en-mail" in page
    assert "<strong>Inviterede nr. 1 (email)</strong>" in page


def test_editing_keeps_planned_proposals_and_needs_the_token(app):
    facilitator, _token = signed_in(app, "frida")
    form = form_data(text_of(facilitator.get(f"/moeder/{CE}/rediger")), f"/moeder/{CE}/rediger")
    assert form["theme"] == "CE-mærkning af beslutningsstøtte" and form["status"] == "planned"
    form.update(status="invited", message="Invitationen er sendt")
    forged = facilitator.post(f"/moeder/{CE}/rediger", data={**form, "csrf_token": "", "place": "Et nyt sted"})
    assert forged.status_code == 400 and 'value="Et nyt sted"' in text_of(forged)
    saved = facilitator.post(f"/moeder/{CE}/rediger", data=form)
    assert saved.status_code == 302
    assert 'status-invited">Inviteret' in text_of(facilitator.get(f"/moeder/{CE}/"))


def test_members_and_visitors_cannot_manage_meetings(app):
    anonymous = app.test_client()
    assert anonymous.get("/moeder/ny").status_code == 302
    assert anonymous.post("/moeder/ny", data={"theme": "x"}).status_code == 401  # signing in again, text kept
    member, token = signed_in(app, "mette")
    assert member.get("/moeder/ny").status_code == 403
    assert member.post("/moeder/ny", data={"csrf_token": token, "theme": "x"}).status_code == 403
    assert member.get(f"/moeder/{DATA}/rediger").status_code == 403
    assert member.post(f"/moeder/{DATA}/rediger", data={"csrf_token": token}).status_code == 403


# -- topic proposals -----------------------------------------------------------------------------------------------


def propose(client, token, title, problem="Et problem, som mødet bør tage op.",
            why="Det går på tværs af data, klinik og drift."):
    return client.post("/emner/", data={"csrf_token": token, "title": title, "problem": problem, "why": why})


def act(client, token, slug, **data):
    return client.post(f"/emner/{slug}/handling", data={"csrf_token": token, **data})


def test_members_propose_facilitators_merge_and_plan_and_the_proposer_follows(app):
    mette, mette_token = signed_in(app, "mette")
    ole, ole_token = signed_in(app, "ole")
    frida, frida_token = signed_in(app, "frida")
    sent = propose(mette, mette_token, "Drift af <script>alert(3)</script> AI-modeller")
    assert sent.status_code == 302 and "sendt=drift-af-script-alert-3-script-ai-modeller" in sent.headers["Location"]
    page = text_of(mette.get(sent.headers["Location"]))
    assert "Tak – dit forslag er sendt" in page and "Dine forslag" in page
    assert "<script>alert(3)</script>" not in page and "&lt;script&gt;" in page
    duplicate = propose(ole, ole_token, "Drift af modeller")
    assert duplicate.status_code == 302
    first, second = "drift-af-script-alert-3-script-ai-modeller", "drift-af-modeller"

    queue = text_of(frida.get("/emner/"))
    assert "Køen" in queue and f'id="forslag-{first}"' in queue and f'id="forslag-{second}"' in queue
    assert f'action="/emner/{first}/handling"' in queue
    merged = act(frida, frida_token, second, action="merge", into=first)
    assert merged.status_code == 302
    planned = act(frida, frida_token, first, action="plan", meeting=CE)
    assert planned.status_code == 302

    mine = text_of(mette.get("/emner/"))
    section = mine.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Planlagt" in section and "CE-mærkning af beslutningsstøtte" in section
    assert f'href="/moeder/{CE}/"' in section
    theirs = text_of(ole.get("/emner/")).split('id="mine-heading"')[1].split("</section>")[0]
    assert "Slået sammen" in theirs and "det samlede forslag er" in theirs and "Planlagt" in theirs
    meeting_page = text_of(mette.get(f"/moeder/{CE}/"))
    assert "Emneforslag planlagt til mødet" in meeting_page and "Drift af &lt;script&gt;" in meeting_page
    instance = app.extensions["netkit.source"]
    meeting_file = (instance.library_dir / "meetings" / f"{CE}.yaml").read_text(encoding="utf-8")
    assert f"proposals:\n- {first}" in meeting_file
    assert instance.store.dirty_paths() == []


def test_decline_and_refusals_say_why(app):
    mette, mette_token = signed_in(app, "mette")
    frida, frida_token = signed_in(app, "frida")
    propose(mette, mette_token, "Et emne til afvisning")
    slug = "et-emne-til-afvisning"
    declined = act(frida, frida_token, slug, action="decline", note="Tages op i 2028")
    assert declined.status_code == 302
    mine = text_of(mette.get("/emner/"))
    assert "Afvist" in mine and "Tages op i 2028" in mine
    again = act(frida, frida_token, slug, action="decline")
    assert again.status_code == 409 and "Kun et nyt forslag kan afvises; dette er afvist." in text_of(again)
    cancelled = act(frida, frida_token, "overvaagning-af-modeller-i-drift", action="plan", meeting=CANCELLED)
    assert cancelled.status_code == 409 and "er afholdt eller aflyst" in text_of(cancelled)
    no_choice = act(frida, frida_token, "overvaagning-af-modeller-i-drift", action="plan", meeting="")
    assert no_choice.status_code == 400 and "Vælg det møde" in text_of(no_choice)
    missing = act(frida, frida_token, "findes-ikke", action="decline")
    assert missing.status_code == 404 and "Der er intet emneforslag, der hedder findes-ikke." in text_of(missing)
    assert act(frida, frida_token, slug, action="noget").status_code == 400


def test_proposal_rights_and_tokens(app):
    anonymous = app.test_client()
    response = anonymous.get("/emner/")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    mette, token = signed_in(app, "mette")
    assert act(mette, token, "overvaagning-af-modeller-i-drift", action="decline").status_code == 403
    forged = mette.post("/emner/", data={"csrf_token": "forkert", "title": "Mit emne", "problem": "Mit problem her",
                                         "why": "Fordi det er vigtigt"})
    assert forged.status_code == 400
    page = text_of(forged)
    assert 'value="Mit emne"' in page and "Mit problem her" in page
    invalid = propose(mette, token, "x", problem="", why="")
    assert invalid.status_code == 400 and "Det blev ikke gemt" in text_of(invalid)
    assert "<strong>Titel</strong>" in text_of(invalid)
    frida, _token = signed_in(app, "frida")
    assert act(frida, "", "overvaagning-af-modeller-i-drift", action="decline").status_code == 400


# -- search --------------------------------------------------------------------------------------------------------


def test_search_finds_meetings(app):
    client = app.test_client()
    page = text_of(client.get("/sog?q=Herning"))
    assert '<a href="/moeder/2027-06-10-fra-forskning-til-drift/">Fra forskning til drift</a>' in page
    assert ">Møde</p>" in page
    facets = text_of(client.get("/sog?q=møde+aarhus"))
    assert f'href="/moeder/{DATA}/"' in facets
    facilitator, _token = signed_in(app, "frida")
    facilitator.post("/moeder/ny", data=new_meeting_form(facilitator, theme="Kvantecomputere i klinikken",
                                                         place="Skejby"))
    found = text_of(client.get("/sog?q=kvantecomputere"))
    assert "Kvantecomputere i klinikken" in found


def test_the_groups_a_meeting_formed_are_named(app):
    facilitator, _token = signed_in(app, "frida")
    form = form_data(text_of(facilitator.get(f"/moeder/{CE}/rediger")), f"/moeder/{CE}/rediger")
    assert facilitator.post(f"/moeder/{CE}/rediger", data={**form, "formed_groups": "regulering, ny-gruppe"}
                            ).status_code == 302
    page = text_of(facilitator.get(f"/moeder/{CE}/"))
    section = page.split('id="groups-heading"')[1].split("</section>")[0]
    assert 'href="/grupper/regulering/"' in section and "Arbejdsgruppen for regulering" in section
    assert "ny-gruppe" in section
    anonymous = text_of(app.test_client().get(f"/moeder/{CE}/"))
    assert "Arbejdsgruppen for regulering" in anonymous and 'href="/grupper/regulering/"' not in anonymous
