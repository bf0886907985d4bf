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
    assert "Status: In review → Approved: ser fint ud" in rows and "Created when Netkit was set up" in rows
    page.context.close()


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """The new user's review (round 2): a comment by Anna on a draft, a restore, and a rename by Frida."""
    from toolkit.history.comments import Comments

    home = tmp_path_factory.mktemp("review2") / "instance"
    app = instance_app(home, ("anna", "member", ("dataadgang",), "Anna Holm"),
                       ("frida", "facilitator", (), "Frida Lund"), ("ole", "member", ("etik",), "Ole Dam"))
    versioned = app.extensions["netkit.source"]
    anna, frida = Author("anna", "anna@netkit.localhost"), Author("frida", "frida@netkit.localhost")
    versioned.set_status(SLUG, "draft", frida)
    thread = Comments(versioned).start(SLUG, 2, "Hvad betyder det for små projekter?", anna)
    Comments(versioned).reply(SLUG, thread.id, "Det står i næste afsnit.", frida)
    text = (versioned.library_dir / f"{SLUG}.md").read_text(encoding="utf-8")
    versioned.save(SLUG, text + "\nEt afsnit, der skal væk igen.\n", anna, "", versioned.latest_revision(SLUG))
    versioned.restore(SLUG, versioned.history(SLUG)[1].id, frida)
    versioned.rename("samtykkemodeller", "samtykke-i-forskning", frida, "Kortere adresse")
    with serving(app) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 320])
def test_comments_activity_and_a_refusal_name_people_groups_and_materials(browser, review_server, width):
    base = review_server
    page = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}).new_page()
    sign_in(page, base, "frida")

    page.goto(f"{base}/m/{SLUG}/kommentarer")
    threads = " ".join(page.locator("main").inner_text().split())
    assert "Kommentar fra Anna Holm" in threads and "Frida Lund svarede" in threads
    assert " anna " not in f" {threads} " and " frida " not in f" {threads} "
    assert serious_violations(page) == []
    page.locator("article.thread").first.screenshot(path=f"/tmp/names17-comments-{width}.png")

    page.goto(base + "/aktivitet")
    table = " ".join(page.locator("table.activity tbody").inner_text().split())
    assert "– Ny kommentar" in table and "(t" not in table
    assert "Gendannet til udgaven fra" in table and "18 materialer – Oprettet, da Netkit blev sat op" in table
    assert "Links opdateret i" in table and "adgang-til-data-i-region-midtjylland" not in table
    assert serious_violations(page) == []
    page.screenshot(path=f"/tmp/names17-activity-{width}.png", full_page=True)

    page.get_by_role("link", name="English").click()
    page.goto(base + "/grupper")
    options = page.locator("#join-role option").all_inner_texts()
    assert options == ["chair", "member", "secretary", "facilitator"]
    page.context.close()

    ole = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}).new_page()
    sign_in(ole, base, "ole")
    ole.goto(f"{base}/m/{SLUG}/rediger")
    assert "hører til Arbejdsgruppen for dataadgang." in ole.locator("main").inner_text()
    ole.locator("main").get_by_role("link", name="Arbejdsgrupper").click()
    ole.wait_for_url(base + "/grupper")
    ole.go_back()
    assert serious_violations(ole) == []
    ole.screenshot(path=f"/tmp/names17-refusal-{width}.png", full_page=True)
    ole.context.close()
