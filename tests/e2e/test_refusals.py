"""Refusals in the browser (issue 17, defect 8): a visitor sent to sign in is told why, a member refused a page is
told what it takes and who grants it — and neither page has serious accessibility violations."""

from __future__ import annotations

import pytest

from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from toolkit.config import Settings
from toolkit.people.accounts import Accounts
from webui import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def refusal_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("refusals") / "instance"
    app = create_app(Settings(home=home))
    Accounts(home).add("ada", "admin", password="ada-kodeord-123", full_name="Ada Admin")
    Accounts(home).add("max", "member", groups=("etik",), password="max-kodeord-123")
    with serving(app) as base:
        yield base


def test_a_visitor_learns_why_to_sign_in_and_a_member_what_a_page_takes(page, refusal_server):
    base = refusal_server
    page.goto(base + "/grupper")
    assert "/log-ind" in page.url
    assert page.get_by_role("status").inner_text().startswith("Arbejdsgrupperne er for netværkets medlemmer")
    assert serious_violations(page) == []

    page.get_by_label("Brugernavn").fill("max")
    page.get_by_label("Adgangskode").fill("max-kodeord-123")
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/grupper")  # back where they were going

    response = page.goto(base + "/m/adgang-til-data/rediger")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Du har ikke adgang"
    detail = page.locator(".error-detail").inner_text()
    assert "hører til Arbejdsgruppen for dataadgang." in detail
    assert "En facilitator kan tage dig med i gruppen" in detail
    assert page.locator(".error-detail").get_by_role("link", name="Arbejdsgrupper").get_attribute("href") == "/grupper"
    assert serious_violations(page) == []

    page.goto(base + "/admin/brugere")
    assert "Roller gives af en administrator: Ada Admin." in page.locator(".error-detail").inner_text()
