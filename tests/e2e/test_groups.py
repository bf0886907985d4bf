"""Working groups in a real browser: a facilitator forms a group from a meeting's page and adds a member; the
meeting lists the group; the member can then edit the group's materials and a non-member is refused; the
group pages pass axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.library.frontmatter import set_fields
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser

PASSWORDS = {"frida": "frida-kodeord-1", "mette": "mette-kodeord-1", "ole": "ole-kodeord-1"}
SLUG = "om-netvaerket"  # bundled without a group; given to the new group below
MEETING = "2027-02-04-adgang-til-data"  # a bundled meeting; the new group is formed there


@pytest.fixture(scope="module")
def group_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("groups") / "instance"
    app = create_app(Settings(home=home))
    accounts = Accounts(home)
    for name, role in (("frida", "facilitator"), ("mette", "member"), ("ole", "member")):
        accounts.add(name, role, password=PASSWORDS[name])
    instance = app.extensions["netkit.source"]
    text = set_fields(instance.read(SLUG), {"working_group": "netvaerksdrift"})
    instance.save(SLUG, text, Author("Setup", "s@x"), "setup", instance.latest_revision(SLUG))
    with serving(app) as base:
        yield base


def signed_in(browser, base: str, name: str):
    page = browser.new_context(locale="da-DK").new_page()
    page.goto(base + "/log-ind")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/")
    return page


def test_create_a_group_add_a_member_and_edit_as_that_member(browser, group_server):
    base = group_server
    frida = signed_in(browser, base, "frida")
    frida.goto(f"{base}/moeder/{MEETING}/")
    frida.get_by_role("link", name="Nedsæt en arbejdsgruppe fra mødet").click()
    assert frida.get_by_label("Nedsat på mødet (mødets id, valgfrit)").input_value() == MEETING
    assert serious_violations(frida) == []
    frida.get_by_label("Navn", exact=True).fill("Arbejdsgruppen for netværkets drift")
    frida.get_by_label("Kort id (små bogstaver, tal og bindestreger)").fill("netvaerksdrift")
    frida.get_by_label("Kommissorium (Markdown, valgfrit)").fill("Gruppen holder **netværkets sider** opdateret.")
    frida.get_by_role("button", name="Opret gruppen").click()
    assert "er oprettet" in frida.get_by_role("status").inner_text()

    mette, ole = signed_in(browser, base, "mette"), signed_in(browser, base, "ole")
    assert mette.goto(f"{base}/m/{SLUG}/rediger").status == 403  # not yet a member

    frida.get_by_label("Bruger").select_option("mette")
    frida.get_by_label("Gruppe", exact=True).select_option("netvaerksdrift")
    frida.get_by_role("button", name="Tilføj").click()
    assert "mette er nu med i Arbejdsgruppen for netværkets drift." in frida.get_by_role("status").inner_text()

    frida.goto(f"{base}/moeder/{MEETING}/")
    formed = frida.locator("section", has=frida.get_by_role("heading", name="Arbejdsgrupper dannet på mødet"))
    assert formed.get_by_role("link", name="Arbejdsgruppen for netværkets drift").count() == 1
    frida.goto(base + "/grupper/netvaerksdrift/")
    assert MEETING in frida.locator("main").inner_text()
    assert frida.locator("strong").filter(has_text="netværkets sider").count() == 1
    assert "mette (medlem)" in frida.locator("main").inner_text()
    assert serious_violations(frida) == []

    mette.goto(f"{base}/m/{SLUG}/")
    mette.get_by_role("link", name="Rediger").click()
    body = mette.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\nSkrevet af et medlem af arbejdsgruppen.\n")
    mette.get_by_role("button", name="Gem", exact=True).click()
    mette.wait_for_url(f"**/m/{SLUG}/?gemt=*")
    assert "Skrevet af et medlem af arbejdsgruppen." in mette.locator("article").inner_text()

    ole.goto(f"{base}/m/{SLUG}/")
    assert ole.get_by_role("link", name="Rediger").count() == 0
    assert ole.goto(f"{base}/m/{SLUG}/rediger").status == 403
    for page in (frida, mette, ole):
        page.context.close()
