"""The review cycle in two browsers against `netkit serve` with two gunicorn workers (issue 17, defects 2–4): the
writer reads their own status change at once whichever worker answers, a failed publish keeps the chosen action
with a Danish error at the note, and a publication dates the material and heads "Nyt og opdateret"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.e2e.test_reading import serious_violations
from tests.web.test_served import served
from toolkit.people.accounts import Accounts

pytestmark = pytest.mark.browser

SLUG = "samtykkemodeller"  # bundled, in the working group "dataadgang"
PASSWORDS = {"frida": "frida-kodeord-12", "mette": "mette-kodeord-12"}


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    home = tmp_path_factory.mktemp("review-served") / "instance"
    accounts = Accounts(home)
    accounts.add("frida", "facilitator", password=PASSWORDS["frida"], full_name="Frida Facilitator")
    accounts.add("mette", "member", groups=("dataadgang",), password=PASSWORDS["mette"], full_name="Mette Holm")
    with served(home) as base:
        yield base


@pytest.fixture
def person(browser, gunicorn):
    contexts = []

    def open_(name: str):
        context = browser.new_context(locale="da-DK")
        contexts.append(context)
        page = context.new_page()
        page.goto(gunicorn + "/log-ind")
        page.get_by_label("Brugernavn").fill(name)
        page.get_by_label("Adgangskode").fill(PASSWORDS[name])
        page.locator("main").get_by_role("button", name="Log ind").click()
        page.wait_for_url(gunicorn + "/")
        return page

    yield open_
    for context in contexts:
        context.close()


def state(page) -> str:
    return page.locator(".badge.state").inner_text().strip()


def choose(page, base: str, action: str, note: str = "", bump: str | None = None) -> None:
    page.goto(f"{base}/m/{SLUG}/status")
    page.get_by_label(action, exact=True).check()
    if bump:
        page.get_by_label(bump, exact=True).check()
    page.get_by_label("Note, kommentar eller ændringslog", exact=False).fill(note)
    page.get_by_role("button", name="Udfør").click()
    page.wait_for_load_state()


def test_status_changes_show_at_once_and_a_failed_publish_keeps_the_choice(person, gunicorn):
    base = gunicorn
    mette, frida = person("mette"), person("frida")
    mette.goto(f"{base}/m/{SLUG}/rediger")
    body = mette.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value().rstrip("\n") + "\n\nEt afsnit fra testen med to arbejdere.\n")
    mette.get_by_label("Hvad har du ændret?", exact=False).fill("Nyt afsnit")
    mette.get_by_role("button", name="Gem", exact=True).click()
    mette.wait_for_url(re.compile(r"\?gemt=gemt$"))
    published = re.match(r"Udgivet (\S+)", state(mette)).group(1)

    # Six status changes in a row, each read right after by whichever worker answers (defect 3: 5 of 6 were stale).
    for round_ in range(3):
        choose(mette, base, "Bed om review", f"Runde {round_}")
        assert state(mette) == f"Udgivet {published} · kladde under review"
        assert mette.get_by_role("status").inner_text().startswith("Status ændret")
        choose(frida, base, "Send tilbage til kladde", f"Ret runde {round_}")
        assert state(frida) == f"Udgivet {published} · ny kladde"

    choose(mette, base, "Bed om review", "Klar")
    choose(frida, base, "Godkend", "Fint")
    assert state(frida).endswith("kladde godkendt, klar til udgivelse")

    # Defect 2: publishing without a note is refused, the choice and bump are kept, the error is Danish, at the note.
    choose(frida, base, "Udgiv som ny udgave", "", bump="Rettelse (x.y.Z)")
    assert "/status" in frida.url
    assert frida.get_by_label("Udgiv som ny udgave", exact=True).is_checked()
    assert frida.get_by_label("Rettelse (x.y.Z)", exact=True).is_checked()
    error = frida.locator("#note-error").inner_text()
    assert error.startswith("Skriv en note om, hvad der er ændret")
    assert frida.get_by_label("Note, kommentar eller ændringslog", exact=False).get_attribute("aria-invalid") == "true"
    assert serious_violations(frida) == []

    frida.get_by_label("Note, kommentar eller ændringslog", exact=False).fill("Et nyt afsnit.")
    frida.get_by_role("button", name="Udfør").click()
    frida.wait_for_url(re.compile(r"\?udgivet="))
    version = frida.url.rsplit("=", 1)[1]
    assert state(frida) == f"Udgivet {version}"
    assert frida.get_by_role("status").inner_text() == f"Udgivet som udgave {version}."

    # Defect 4: the material is dated today, and the home page's "Nyt og opdateret" starts with it.
    today = dt.date.today()
    assert frida.locator(".facts time").first.get_attribute("datetime") == today.isoformat()
    frida.goto(base + "/")
    newest = frida.locator("section", has=frida.get_by_role("heading", name="Nyt og opdateret")).locator("li").first
    assert "Samtykke" in newest.inner_text() and version in newest.inner_text()
