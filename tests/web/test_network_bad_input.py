"""Bad input to the network's new pages and records gets a clear answer, never a 500 or a broken registry (the
review of issue 22): a forged answer link with a non-ASCII signature, a superscript digit where a year or a count
goes, a project whose partner kind is a list, a funding call dated in the year 9999, an invitee whose name holds
a control character, and an invitation to more people than one invitation takes."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.helpers.forms import form_data
from tests.helpers.web import app_with_users, sign_in
from toolkit.config import BUNDLED_LIBRARY
from toolkit.errors import Invalid
from toolkit.history.gitstore import Author
from toolkit.network.calls import call_records
from toolkit.network.invitations import INVITE_MAX, Invitee
from toolkit.network.meetings import save_meeting
from toolkit.network.projects.registry import Registry
from toolkit.network.signups import SignupStore
from webui.context import NOTIFY_KEY, instance
from webui.views.network.meetingdata import records
from webui.views.network.signupdata import invitations

DAY = dt.date.today() + dt.timedelta(days=20)
SLUG = f"{DAY.isoformat()}-skrap-input"
MEETING = {"theme": "Skrap input", "date": DAY.isoformat(), "start": "13:00", "end": "15:00",
           "place": "Regionshuset Aarhus", "status": "invited", "facilitator": "Frida Lund",
           "agenda": [{"topic": "Velkomst"}]}


@pytest.fixture
def app(isolated_home):
    app = app_with_users(isolated_home, ("frida", "facilitator"))
    with app.app_context():
        meetings, _proposals = records()
        save_meeting(instance(), meetings, SLUG, MEETING, Author("frida", "frida@netkit.localhost"), "Nyt møde",
                     create=True)
    return app


def test_a_forged_answer_link_with_a_non_ascii_signature_is_a_404(app):
    response = app.test_client().get(f"/moeder/{SLUG}/svar/aaaaaaaaaa.%C3%A6")
    assert response.status_code == 404 and "Linket" in response.get_data(as_text=True)


def test_a_superscript_digit_in_a_year_or_a_count_is_refused_not_a_500(app):
    assert app.test_client().get("/beslutninger/?aar=%C2%B2").status_code == 400
    frida = sign_in(app, "frida", "frida-kodeord-1")[0]
    page = frida.get(f"/moeder/{SLUG}/?inviteret=%C2%B2")
    assert page.status_code == 200 and "inviteret." not in page.get_data(as_text=True)


def test_a_partner_kind_that_is_a_list_is_a_problem_of_that_file_not_of_the_registry(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, library)
    path = library / "projects" / "sepsis-tidlig-varsling.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(_with_seeks(text, "  - {kind: [data-partner, funding]}\n"), encoding="utf-8")
    registry = Registry(library)
    slugs = [project.slug for project in registry.all()]  # the others are read; no TypeError
    assert "triage-af-thoraxroentgen" in slugs and "sepsis-tidlig-varsling" not in slugs
    assert any("is not a partner kind" in problem.message and problem.field == "seeks"
               for problem in registry.problems())


def _with_seeks(text: str, entry: str) -> str:
    """The project's text with `seeks` replaced by one entry."""
    kept = text.splitlines(keepends=True)
    out, skipping = [], False
    for line in kept:
        if line.startswith("seeks:"):
            out.append("seeks:\n" + entry)
            skipping = True
            continue
        if skipping and (line.startswith(" ") or line.startswith("-")):
            continue
        skipping = False
        out.append(line)
    return "".join(out) if any(line.startswith("seeks:") for line in kept) else text + "seeks:\n" + entry


def test_a_call_deadline_outside_2020_to_2100_is_named_and_the_calendar_still_answers(app):
    with app.app_context():
        folder = instance().library_dir / "calls"
    (folder / "for-sent.yaml").write_text(
        "title: Et opslag med en tastefejl\nfunder: Innovationsfonden\ndeadline: 9999-12-31\n"
        "link: https://innovationsfonden.dk/\n", encoding="utf-8")
    problems = call_records(folder.parent).problems()
    assert any(p.field == "deadline" and "outside 2020–2100" in p.message for p in problems)
    response = app.test_client().get("/opslag/frister.ics")
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.data


def test_an_invitee_name_with_a_control_character_is_refused_at_the_field_and_never_stored(app):
    frida = sign_in(app, "frida", "frida-kodeord-1")[0]
    page = frida.get(f"/moeder/{SLUG}/inviter").get_data(as_text=True)
    data = form_data(page, "/inviter") | {"people": "Anna\x00Holm; Region; anna@region.dk"}
    refused = frida.post(f"/moeder/{SLUG}/inviter", data=data)
    assert refused.status_code == 400 and "Anna" in refused.get_data(as_text=True)
    with app.app_context():
        found = invitations()
        assert found.store.of(SLUG) == []
        # the core cleans a name whatever the caller passed
        found.invite(SLUG, [Invitee("Bo\u2028Berg\x07", "bo@firma.dk", "Firma\x00 A/S")])
        (row,) = SignupStore(app.extensions[NOTIFY_KEY].store).of(SLUG)
        assert (row.name, row.organisation) == ("Bo Berg", "Firma A/S")


def test_more_people_than_one_invitation_takes_are_refused_by_the_core(app):
    crowd = [Invitee(f"Person {n}", f"p{n}@example.dk", "") for n in range(INVITE_MAX + 1)]
    with app.app_context(), pytest.raises(Invalid) as refused:
        invitations().invite(SLUG, crowd)
    assert f"at most {INVITE_MAX} people" in refused.value.problems[0].message
