"""Filling in the CE-marking questionnaire in a real browser: conditional questions, review, Word download."""

from __future__ import annotations

import pytest
from docx import Document

from tests.e2e.test_reading import serious_violations

pytestmark = pytest.mark.browser


def test_fill_in_the_ce_checklist_and_download_the_word_file(page, live_server, tmp_path):
    page.goto(live_server + "/skabeloner/ce-maerkning-tjekliste/")
    page.get_by_role("link", name="Udfyld skabelonen").click()
    page.wait_for_url("**/udfyld")
    assert serious_violations(page) == []
    page.get_by_label("Produktets navn").fill("HjerteAlarm")
    page.get_by_label("Fabrikant", exact=False).fill("Regionshospitalet Eksempelby")
    page.get_by_label("Tilsigtet formål").fill("Overvåger hjerterytmen hos indlagte patienter.")
    def answer(question: str, choice: str) -> None:  # a yes/no is a group of radio buttons: Ja, Nej, Ved ikke
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()

    for question in ("Er produktet software", "Gør softwaren mere med data",
                     "Bruges resultatet til gavn for den enkelte patient", "Har softwaren et medicinsk formål",
                     "Bygger softwaren på kunstig intelligens", "Behandler softwaren personoplysninger",
                     "Skal softwaren bruges i behandlingen"):
        answer(question, "Ja")
    for question in ("Bygger resultatet på oplysninger fra in vitro", "Styrer eller påvirker softwaren",
                     "Giver softwaren information, der bruges til beslutninger", "Bruges softwaren til prævention",
                     "Fremstilles og bruges softwaren kun inden for én sundhedsinstitution",
                     "Behandles helbredsoplysninger i stort omfang"):
        answer(question, "Nej")
    page.get_by_label("En sundhedsinstitution (region, hospital)").check()
    worst_impact = page.locator('[data-question="worst_impact"]')
    vital = page.locator('[data-question="vital_parameters"]')
    answer("Monitorerer softwaren fysiologiske processer", "Ja")
    vital.wait_for(state="visible")
    worst_impact.wait_for(state="hidden")  # the script hides what does not apply
    answer("Monitorerer softwaren vitale parametre", "Ja")
    page.get_by_label("Alvorlig skade eller død").check()
    page.get_by_role("button", name="Se resultatet").click()
    page.wait_for_url("**/udfyld")
    row = page.locator("tr", has_text="Klasse")
    assert "Klasse IIb" in row.first.inner_text() and "Regel 11(b)" in row.first.inner_text()
    assert "Kan ikke afgøres" not in page.locator("table").first.inner_text()
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Hent dokumentet i Word").click()
    download = download_info.value
    assert download.suggested_filename == "ce-tjekliste-hjertealarm.docx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "HjerteAlarm er medicinsk udstyrssoftware i klasse IIb" in text


def test_a_question_answered_ved_ikke_is_shown_as_undetermined(page, live_server):
    page.goto(live_server + "/skabeloner/ce-maerkning-tjekliste/udfyld")
    page.get_by_label("Produktets navn").fill("Ukendt")
    page.get_by_label("Fabrikant", exact=False).fill("Region Midtjylland")
    page.get_by_label("Tilsigtet formål").fill("Et formål.")
    page.get_by_role("group", name="Er produktet software").get_by_label("Ved ikke", exact=True).check()
    page.get_by_role("button", name="Se resultatet").click()
    page.wait_for_url("**/udfyld")
    row = page.locator("tr", has_text="Medicinsk udstyrssoftware").first
    assert "Kan ikke afgøres" in row.inner_text() and "Besvar først" in row.inner_text()
    assert serious_violations(page) == []


def test_a_mistake_is_shown_beside_the_field_and_reachable_from_the_summary(page, live_server):
    page.goto(live_server + "/skabeloner/samtykkeerklaering/udfyld")
    page.get_by_role("button", name="Se resultatet").click()
    summary = page.get_by_role("alert").first
    assert "fejl" in summary.inner_text()
    first_link = summary.get_by_role("link").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.locator(target.replace(".", "\\.")).count() == 1
    assert serious_violations(page) == []


def test_switch_language_and_it_is_remembered(page, live_server):
    page.goto(live_server + "/gennemse")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/gennemse")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Browse the materials"
    page.goto(live_server + "/")
    assert page.get_by_role("heading", name="Find help by need").count() == 1
    assert serious_violations(page) == []
    page.get_by_role("link", name="Dansk").click()
    assert page.locator("html").get_attribute("lang") == "da"


def test_search_and_open_a_guide_by_keyboard_alone(page, live_server):
    page.goto(live_server + "/skabeloner/")
    for _ in range(30):  # Tab to the search box in the header
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "header-q":
            break
    else:
        pytest.fail("the search box is not reachable by keyboard")
    page.keyboard.type("klinisk evaluering")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sog?q=*")
    for _ in range(60):  # Tab on to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit') !== null"):
            break
    else:
        pytest.fail("no search result reachable by keyboard")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    assert page.locator("h1").count() == 1


def test_the_rules_page_reads_without_violations_at_phone_width(page, live_server):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/skabeloner/ce-maerkning-tjekliste/")
    page.get_by_role("link", name="Se reglerne").click()
    page.wait_for_url("**/regler")
    assert page.locator("h1").inner_text().startswith("Regler: CE-mærkning")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # long expressions wrap
    assert serious_violations(page) == []
