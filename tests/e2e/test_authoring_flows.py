"""Authoring flows in a real browser on a real instance, with several people at once: a stale editor whose
changes merge, a conflict that keeps the editor's text, the review workflow up to a new edition, who may
edit what, an expired session that keeps the typed text, a new material from its starting text, and the
facilitators' group and activity pages — the pages along the way checked with axe-core."""

from __future__ import annotations

import re

import pytest

from tests.e2e.layout import box, page_width, phone
from tests.e2e.servers import browser_pages, serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.library.frontmatter import set_fields
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

PASSWORDS = {"frida": "frida-kodeord-1", "mette": "mette-kodeord-1", "ole": "ole-kodeord-1"}
# Bundled materials of the group "dataadgang": one per flow, so the flows do not step on each other.
MERGE_SLUG = "adgang-til-data"
CONFLICT_SLUG = "fra-forskning-til-kvalitetsudvikling"
REVIEW_SLUG = "samtykkemodeller"
# Bundled without a working group: given to "dataadgang" before the server starts.
EXPIRED_SLUG = "kommunikation-om-ai-projekter"
ACTIVITY_SLUG = "om-netvaerket"


@pytest.fixture(scope="module")
def flow_app(tmp_path_factory):
    home = tmp_path_factory.mktemp("authoring-flows") / "instance"
    app = create_app(Settings(home=home))
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password=PASSWORDS["frida"])
    accounts.add("mette", "member", groups=("dataadgang",), password=PASSWORDS["mette"])
    accounts.add("ole", "member", groups=("andet",), password=PASSWORDS["ole"])
    instance = app.extensions["netkit.source"]
    for slug in (EXPIRED_SLUG,):
        text = set_fields(instance.read(slug), {"working_group": "dataadgang"})
        instance.save(slug, text, Author("Setup", "s@x"), "setup", instance.latest_revision(slug))
    return app


@pytest.fixture(scope="module")
def flow_server(flow_app):
    with serving(flow_app) as base:
        yield base


@pytest.fixture
def open_page(browser, flow_server):
    """A page in a browser context of its own (its own cookies), signed in as `name` unless None."""
    with browser_pages(browser, flow_server, sign_in) as open_:
        yield open_


def sign_in(page, base: str, name: str, password: str | None = None) -> None:
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password or PASSWORDS[name])
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("button", name="Log ud").is_visible()


def open_editor(page, base: str, slug: str):
    page.goto(f"{base}/m/{slug}/rediger")
    assert page.locator("h1").inner_text().startswith("Rediger:")
    return page.get_by_label("Tekst (Markdown)")


def first_text_line(body: str) -> int:
    """The index of the body's first non-empty line (the opening paragraph, near the top)."""
    lines = body.split("\n")
    return next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))


def change_line(body: str, index: int, change) -> str:
    lines = body.split("\n")
    lines[index] = change(lines[index])
    return "\n".join(lines)


def save(page, message: str = ""):
    """Click "Gem" and return the response to the posted form (302 when saved)."""
    if message:
        page.get_by_label("Hvad har du ændret?", exact=False).fill(message)
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_load_state()
    return response.value


def state_line(page) -> str:
    return page.locator(".badge.state").inner_text().strip()


def material_text(page) -> str:
    return page.locator(".material-body").first.inner_text()


def status_action(page, base: str, slug: str, action: str, note: str = "", bump: str | None = None) -> None:
    page.goto(f"{base}/m/{slug}/status")
    page.get_by_label(action, exact=True).check()
    if bump:
        page.get_by_label(bump, exact=True).check()
    if note:
        page.get_by_label("Note, kommentar eller ændringslog", exact=False).fill(note)
    page.get_by_role("button", name="Udfør").click()
    page.wait_for_url(re.compile(rf"/m/{slug}/(\?.*)?$"))


def test_changes_in_different_places_merge(open_page, flow_server):
    base = flow_server
    frida, mette = open_page("frida"), open_page("mette")
    frida_body, mette_body = open_editor(frida, base, MERGE_SLUG), open_editor(mette, base, MERGE_SLUG)
    original = mette_body.input_value()
    assert frida_body.input_value() == original

    frida_body.fill(original.rstrip("\n") + "\n\nSlutafsnit tilføjet af Frida i flettetesten.\n")
    response = save(frida, "Afsnit til sidst")
    assert response.status == 302
    frida.wait_for_url(f"**/m/{MERGE_SLUG}/?gemt=gemt")

    top = first_text_line(original)  # the body's first line: far from Frida's change at the end
    mette_body.fill(change_line(original, top, lambda line: "Toprettelse fra Mette. " + line))
    response = save(mette, "Rettelse øverst")
    assert response.status == 302
    mette.wait_for_url(f"**/m/{MERGE_SLUG}/?gemt=flettet")
    assert mette.get_by_role("status").inner_text().startswith("Gemt – og flettet")
    text = material_text(mette)
    assert "Toprettelse fra Mette." in text
    assert "Slutafsnit tilføjet af Frida i flettetesten." in text

    # Both changes are in the saved file, not only on the page: a fresh editor shows them.
    saved = open_editor(frida, base, MERGE_SLUG).input_value()
    assert "Toprettelse fra Mette. " in saved
    assert saved.rstrip().endswith("Slutafsnit tilføjet af Frida i flettetesten.")


def test_overlapping_changes_give_a_conflict_that_keeps_the_text(open_page, flow_server):
    base = flow_server
    frida, mette = open_page("frida"), open_page("mette")
    frida_body, mette_body = open_editor(frida, base, CONFLICT_SLUG), open_editor(mette, base, CONFLICT_SLUG)
    original = mette_body.input_value()
    top = first_text_line(original)

    frida_body.fill(change_line(original, top, lambda line: "Fridas version af linjen. " + line))
    assert save(frida, "Fridas rettelse").status == 302
    frida.wait_for_url(f"**/m/{CONFLICT_SLUG}/?gemt=gemt")

    mine = change_line(original, top, lambda line: line + " Mettes version af linjen.")
    mette_body.fill(mine + "Mettes ekstra afsnit, som ikke må gå tabt.\n")
    mine = mette_body.input_value()
    response = save(mette, "Mettes rettelse")
    assert response.status == 409
    conflict = mette.locator("section.conflict")
    assert conflict.get_by_role("heading", name="En anden har ændret de samme steder").is_visible()
    kept = mette.get_by_label("Tekst (Markdown)").input_value().replace("\r\n", "\n")
    # The editor holds both versions of the line, marked, and everything else of Mette's text.
    assert "<<<<<<< DIN TEKST" in kept and ">>>>>>> DEN ANDENS TEKST" in kept
    assert "Mettes version af linjen." in kept and "Fridas version af linjen." in kept
    assert "Mettes ekstra afsnit, som ikke må gå tabt." in kept
    assert "Frida" in conflict.inner_text()  # who saved the other change
    # The other text: the conflicting part side by side, and all of it behind "Se hele den anden tekst".
    assert "Fridas version af linjen." in conflict.locator("td.old").first.inner_text()
    assert "Mettes version af linjen." in conflict.locator("td.new").first.inner_text()
    assert "Fridas version af linjen." in conflict.locator("pre.their-text").text_content()
    assert mette.get_by_label("Hvad har du ændret?", exact=False).input_value() == "Mettes rettelse"
    assert serious_violations(mette) == []
    # One numbering, the textarea's; your text first, as in the textarea; the place column narrow at 1280 px.
    lines = kept.split("\n")
    where = f"{lines.index('<<<<<<< DIN TEKST') + 1}–{lines.index('>>>>>>> DEN ANDENS TEKST') + 1}"
    table = conflict.locator("table.conflict-places")
    assert table.locator("tbody th").first.inner_text() == f"Linje {where}"
    assert [h.strip() for h in table.locator("thead th").all_inner_texts()] == ["Hvor", "Din tekst", "Den andens tekst"]
    assert box(table.locator("thead th").first)["width"] < 0.2 * box(table)["width"]
    mette.screenshot(path="/tmp/conflictbox-conflict-1280.png", full_page=True)
    with phone(mette):
        assert page_width(mette) <= 320
        row = table.locator("tbody tr").first
        assert box(row.locator("td.new"))["y"] > box(row.locator("th"))["y"]  # stacked, not three columns
        assert box(row.locator("td.new"))["width"] > 200
        assert serious_violations(mette) == []
        mette.screenshot(path="/tmp/conflictbox-conflict-320.png", full_page=True)
        conflict.screenshot(path="/tmp/conflictbox-conflict-box-320.png")
        mette.locator(".site-header").screenshot(path="/tmp/conflictbox-header-mette-320.png")

    # Saving with the markers left is refused, naming the same lines, and the text stays in the editor.
    assert save(mette, "Mettes rettelse").status == 400
    refusal = mette.locator(".error-summary", has_text="Teksten blev ikke gemt").inner_text()
    assert f"Tekst (Markdown): Der er stadig et markeret modstridende sted (linje {where})" in refusal
    assert "body" not in refusal
    assert "Mettes ekstra afsnit" in mette.get_by_label("Tekst (Markdown)").input_value()

    # Resolve: keep both versions of the line in one, drop the markers, and save again.
    resolved = change_line(mine, top, lambda line: "Fridas version af linjen. " + line)
    mette.get_by_label("Tekst (Markdown)").fill(resolved)
    response = save(mette, "Mettes rettelse, flettet i hånden")
    assert response.status == 302
    mette.wait_for_url(f"**/m/{CONFLICT_SLUG}/?gemt=gemt")
    assert mette.get_by_role("status").inner_text().startswith("Gemt")
    text = material_text(mette)
    for part in ("Fridas version af linjen.", "Mettes version af linjen.",
                 "Mettes ekstra afsnit, som ikke må gå tabt."):
        assert part in text


def test_review_return_approve_and_publish(open_page, flow_server):
    base = flow_server
    mette, frida = open_page("mette"), open_page("frida")
    mette.goto(f"{base}/m/{REVIEW_SLUG}/")
    before = state_line(mette)
    match = re.fullmatch(r"Udgivet (\d+)\.(\d+)\.(\d+)", before)
    assert match, before
    published = ".".join(match.groups())
    expected = f"{match[1]}.{int(match[2]) + 1}.0"

    body = open_editor(mette, base, REVIEW_SLUG)
    body.fill(body.input_value().rstrip("\n") + "\n\n## Nyt fra reviewtesten\n\nEt afsnit, der skal udgives.\n")
    assert save(mette, "Afsnit til review").status == 302
    mette.wait_for_url(f"**/m/{REVIEW_SLUG}/?gemt=gemt")
    assert state_line(mette) == f"Udgivet {published} · ny kladde"

    mette.goto(f"{base}/m/{REVIEW_SLUG}/status")
    assert mette.get_by_label("Godkend", exact=True).count() == 0  # a member cannot approve
    assert mette.get_by_label("Udgiv som ny udgave", exact=True).count() == 0
    status_action(mette, base, REVIEW_SLUG, "Bed om review", "Kan I kigge på det nye afsnit?")
    assert state_line(mette) == f"Udgivet {published} · kladde under review"

    frida.goto(f"{base}/m/{REVIEW_SLUG}/status")
    assert "kladde under review" in frida.locator(".lead").inner_text()
    assert serious_violations(frida) == []
    status_action(frida, base, REVIEW_SLUG, "Send tilbage til kladde", "Tilføj en kilde til afsnittet.")
    assert state_line(frida) == f"Udgivet {published} · ny kladde"

    status_action(mette, base, REVIEW_SLUG, "Bed om review", "Nu med kilde.")
    assert state_line(mette) == f"Udgivet {published} · kladde under review"

    status_action(frida, base, REVIEW_SLUG, "Godkend", "Fint.")
    assert state_line(frida) == f"Udgivet {published} · kladde godkendt, klar til udgivelse"

    frida.goto(f"{base}/m/{REVIEW_SLUG}/status")
    assert frida.get_by_label("Tilføjelse (x.Y.0)").is_checked()
    assert serious_violations(frida) == []
    status_action(frida, base, REVIEW_SLUG, "Udgiv som ny udgave", "Nyt afsnit fra reviewtesten.",
                  bump="Tilføjelse (x.Y.0)")
    assert f"udgivet={expected}" in frida.url
    assert state_line(frida) == f"Udgivet {expected}"

    reader = open_page()
    reader.goto(f"{base}/m/{REVIEW_SLUG}/")
    assert reader.get_by_role("link", name="Log ind").count() == 1  # really not signed in
    assert state_line(reader) == f"Udgivet {expected}"
    assert "Et afsnit, der skal udgives." in material_text(reader)
    assert reader.get_by_role("heading", name="Nyt fra reviewtesten").count() == 1

    frida.goto(f"{base}/m/{REVIEW_SLUG}/historik")
    history = frida.locator("table").inner_text()
    assert "Nyt afsnit fra reviewtesten." in history
    assert expected in history
    assert "Afsnit til review" in history


def test_only_the_group_and_facilitators_may_edit(open_page, flow_server):
    base = flow_server
    ole = open_page("ole")
    ole.goto(f"{base}/m/{MERGE_SLUG}/")
    assert ole.get_by_role("link", name="Historik").count() == 1  # signed in: the author links are there
    assert ole.get_by_role("link", name="Rediger", exact=True).count() == 0
    response = ole.goto(f"{base}/m/{MERGE_SLUG}/rediger")
    assert response.status == 403
    assert "Fejlkode 403" in ole.locator("main").inner_text()
    assert ole.get_by_label("Tekst (Markdown)").count() == 0

    mette = open_page("mette")
    mette.goto(f"{base}/m/{MERGE_SLUG}/")
    assert mette.get_by_role("link", name="Rediger", exact=True).count() == 1

    anonymous = open_page()
    anonymous.goto(f"{base}/m/{MERGE_SLUG}/rediger")
    assert "/log-ind" in anonymous.url
    assert anonymous.locator("h1").inner_text() == "Log ind"


def test_an_expired_session_keeps_the_typed_text(open_page, flow_server, flow_app):
    base = flow_server
    mette = open_page("mette")
    body = open_editor(mette, base, EXPIRED_SLUG)
    title = mette.get_by_label("Titel").input_value()
    topics = mette.locator("input[name=topics]:checked").count()
    assert topics > 0
    added = ('\n\n## Skrevet før sessionen udløb\n\nFørste linje af teksten med æøå & "citat".\n'
             "Anden linje i samme afsnit.\n\n- et punkt\n- et punkt mere\n")
    typed = body.input_value().rstrip("\n") + added
    body.fill(typed)
    typed = body.input_value()
    mette.get_by_label("Hvad har du ændret?", exact=False).fill("Skrevet gennem et nyt log-ind")

    flow_app.extensions["netkit.signins"].end_sessions_of("mette")  # the session ends while the editor is open
    response = save(mette)
    assert response.status == 401
    assert mette.locator("h1").inner_text() == "Log ind"
    assert "Din session er udløbet" in mette.get_by_role("alert").inner_text()
    mette.get_by_label("Brugernavn").fill("mette")
    mette.get_by_label("Adgangskode").fill(PASSWORDS["mette"])
    mette.get_by_role("button", name="Log ind").click()
    mette.wait_for_load_state()

    assert mette.locator("h1").inner_text().startswith("Rediger:")  # the editor again, with the kept text
    assert "Din tekst er bevaret" in mette.get_by_role("alert").inner_text()
    resumed = mette.get_by_label("Tekst (Markdown)").input_value()
    assert added.strip("\n") in resumed  # every line, with its line breaks
    assert resumed == typed
    assert mette.get_by_label("Titel").input_value() == title
    assert mette.locator("input[name=topics]:checked").count() == topics
    assert mette.get_by_label("Hvad har du ændret?", exact=False).input_value() == "Skrevet gennem et nyt log-ind"

    response = save(mette)
    assert response.status == 302
    mette.wait_for_url(f"**/m/{EXPIRED_SLUG}/?gemt=gemt")
    assert mette.get_by_role("heading", name="Skrevet før sessionen udløb").count() == 1
    text = material_text(mette)
    assert 'Første linje af teksten med æøå & "citat".' in text
    assert "et punkt mere" in text
    mette.goto(f"{base}/m/{EXPIRED_SLUG}/historik")
    assert "Skrevet gennem et nyt log-ind" in mette.locator("table").inner_text()


def test_a_new_material_from_its_starting_text(open_page, flow_server):
    base = flow_server
    mette = open_page("mette")
    mette.goto(base + "/ny")
    mette.get_by_role("link", name="Vejledning", exact=True).click()
    mette.wait_for_url("**/ny/guide")
    assert serious_violations(mette) == []
    body = mette.get_by_label("Tekst (Markdown)")
    assert "## Kort fortalt" in body.input_value()
    mette.get_by_label("Titel", exact=True).fill("Browsertest af ny vejledning")
    mette.get_by_label("Resumé").fill("En vejledning skrevet af en browsertest.")
    mette.get_by_role("checkbox", name="Samtykke", exact=True).check()
    mette.get_by_role("checkbox", name="Forskere", exact=True).check()
    body.fill(body.input_value().replace("De tre til fem vigtigste pointer.", "Den vigtigste pointer fra testen."))
    response = save(mette, "Ny vejledning fra browseren")
    assert response.status == 302
    slug = "browsertest-af-ny-vejledning"
    mette.wait_for_url(f"**/m/{slug}/?gemt=gemt")
    assert mette.locator("h1").inner_text() == "Browsertest af ny vejledning"
    assert state_line(mette) == "Endnu ikke udgivet · ny kladde"
    assert "Den vigtigste pointer fra testen." in material_text(mette)
    assert mette.get_by_role("heading", name="Kort fortalt").count() == 1
    facts = mette.locator("dl.facts").inner_text()
    assert "Samtykke" in facts and "Forskere" in facts and "dataadgang" in facts

    anonymous = open_page()
    response = anonymous.goto(f"{base}/m/{slug}/")
    assert response.status == 404
    assert anonymous.locator("h1").inner_text() == "Siden findes ikke"
    assert "Browsertest af ny vejledning" not in anonymous.content()


def test_groups_and_activity_pages(open_page, flow_server):
    base = flow_server
    stranger = open_page()
    stranger.goto(base + "/log-ind")
    stranger.get_by_label("Brugernavn").fill("ole")
    stranger.get_by_label("Adgangskode").fill("forkert-kodeord-1")
    with stranger.expect_response(lambda r: r.request.method == "POST") as response:
        stranger.get_by_role("button", name="Log ind").click()
    assert response.value.status == 400
    assert "Forkert brugernavn eller adgangskode." in stranger.get_by_role("alert").inner_text()

    frida = open_page("frida")
    body = open_editor(frida, base, ACTIVITY_SLUG)
    body.fill(body.input_value().rstrip("\n") + "\n\nEt afsnit til aktivitetssiden.\n")
    assert save(frida, "Gemt til aktivitetstesten").status == 302

    frida.goto(base + "/grupper")
    assert frida.locator("h1").inner_text() == "Arbejdsgrupper"
    group = frida.locator("li.group", has=frida.get_by_role("heading", name="Arbejdsgruppen for dataadgang"))
    assert "mette" in group.inner_text()
    assert serious_violations(frida) == []
    group.get_by_role("link", name="Arbejdsgruppen for dataadgang").click()
    assert frida.get_by_role("link", name="Samtykkemodeller", exact=False).count() == 1
    assert serious_violations(frida) == []

    frida.goto(base + "/aktivitet")
    assert frida.locator("h1").inner_text() == "Aktivitet"
    failed = frida.locator("tr.activity-sign_in_failed")
    assert failed.count() >= 1
    assert "Mislykket log-ind" in failed.first.inner_text() and "ole" in failed.first.inner_text()
    saves = frida.locator("tr.activity-save", has_text="Gemt til aktivitetstesten")
    assert saves.count() == 1
    assert "Om netværket for AI-projekter" in saves.first.inner_text()  # the material by its title, not its slug
    assert ACTIVITY_SLUG not in saves.first.inner_text() and "frida" in saves.first.inner_text()
    assert serious_violations(frida) == []

