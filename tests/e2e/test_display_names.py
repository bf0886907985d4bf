"""People and groups by name in a real browser: the history of a material that went through the review cycle
names Anna Holm and Frida Lund and speaks Danish (then English, after switching), the groups page names its
members and counts in the singular and plural; the pages pass axe-core at 1280 and 320 px."""

from __future__ import annotations

import pytest

from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

SLUG = "adgang-til-data"


@pytest.fixture(scope="module")
def names_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("names") / "instance"
    app = instance_app(home, ("anna", "member", ("dataadgang",), "Anna Holm"),
                       ("frida", "facilitator", (), "Frida Lund"))
    versioned = app.extensions["netkit.source"]
    anna, frida = Author("anna", "anna@netkit.localhost"), Author("frida", "frida@netkit.localhost")
    versioned.set_status(SLUG, "draft", frida)
    versioned.set_status(SLUG, "review", anna)
    versioned.set_status(SLUG, "approved", frida, "ser fint ud")
    versioned.publish(SLUG, "minor", "Nyt afsnit om ventetider", frida)
    with serving(app) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 320])
def test_the_history_and_groups_name_people_in_the_readers_language(browser, names_server, width):
    base = names_server
    page = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}).new_page()
    sign_in(page, base, "frida")

    page.goto(f"{base}/m/{SLUG}/historik")
    rows = [" ".join(row.split()) for row in page.locator("table tbody tr").all_inner_texts()]
    assert any("Anna Holm" in row and "Status: Kladde → Til review" in row for row in rows), rows
    assert any("Frida Lund" in row and "Udgivet som udgave 1.1.0: Nyt afsnit om ventetider" in row for row in rows)
    assert any("Status: Til review → Godkendt: ser fint ud" in row for row in rows)
    assert not any("review → approved" in row or "anna" in row or "frida" in row for row in rows)
    assert serious_violations(page) == []

    page.goto(base + "/grupper")
    card = page.locator("#group-dataadgang")
    assert "1 medlem · 3 materialer" in card.inner_text() and "Anna Holm" in card.inner_text()
    assert "0 medlemmer · 1 materiale" in page.locator("#group-drift").inner_text()
    assert serious_violations(page) == []

    page.get_by_role("link", name="English").click()
    page.goto(f"{base}/m/{SLUG}/historik")
    rows = " ".join(page.locator("table tbody").inner_text().split())
    assert "Status: In review → Approved: ser fint ud" in rows and "Created from the folder library/" in rows
    page.context.close()
