"""Signing in through a real OpenID provider (oidc-provider under node) in a real browser: its own login page, back
to Netkit, editing a material of the working group the provider's group maps to, signing out here and there; a
person without a mapped group gets "Ingen adgang"; the sign-in page passes axe-core. Screenshots go to
/tmp/oidc-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.layout import phone
from tests.e2e.servers import serving
from tests.e2e.test_reading import serious_violations
from tests.helpers.oidc import MAPPING, provider_fixture
from toolkit.config import Settings
from webui import create_app

pytestmark = pytest.mark.browser
provider = provider_fixture()


@pytest.fixture(scope="module")
def netkit(tmp_path_factory, provider):
    home = tmp_path_factory.mktemp("oidc-e2e") / "instance"
    app = create_app(Settings(home=home, oidc_issuer=provider.issuer, oidc_client_id="netkit",
                              oidc_client_secret=provider.netkit_secret, local_login=False))
    (home / "oidc-groups.yaml").write_text(MAPPING, encoding="utf-8")
    with serving(app) as base:
        yield base


def sign_in_at_the_provider(page, provider, login: str) -> None:
    page.wait_for_url(provider.issuer + "/interaction/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()


def test_sign_in_at_the_provider_edit_a_group_material_and_sign_out(page, netkit, provider):
    page.goto(netkit + "/m/adgang-til-data/")
    page.get_by_role("link", name="Log ind").click()
    assert page.get_by_label("Adgangskode").count() == 0  # local sign-in is off
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/oidc-sign-in-1280.png", full_page=True)
    with phone(page):
        assert serious_violations(page) == []
        page.screenshot(path="/tmp/oidc-sign-in-320.png", full_page=True)
    page.get_by_role("button", name="Log ind med Region Midtjylland").click()
    sign_in_at_the_provider(page, provider, "alice")
    page.wait_for_url(netkit + "/m/adgang-til-data/")
    assert page.locator(".signed-in").inner_text() == "Alice Ærø"
    page.get_by_role("link", name="Rediger").click()
    page.wait_for_url("**/rediger")
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\n## Skrevet efter log-ind hos regionen\n\nEt afsnit.\n")
    page.get_by_label("Hvad har du ændret?", exact=False).fill("Afsnit via OpenID-log-ind")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/m/adgang-til-data/?gemt=*")
    assert page.get_by_role("status").inner_text().startswith("Gemt")
    page.get_by_role("link", name="Historik").click()
    assert "Afsnit via OpenID-log-ind" in page.locator("table").inner_text()
    assert "Alice Ærø" in page.locator("table").inner_text()

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(provider.issuer + "/session/end**")  # the provider asks before ending its own session
    page.locator("button[autofocus], button[type=submit]").first.click()
    page.wait_for_url(netkit + "/")
    assert page.locator(".signed-in").count() == 0
    page.get_by_role("link", name="Log ind").click()
    page.get_by_role("button", name="Log ind med Region Midtjylland").click()
    page.wait_for_url(provider.issuer + "/interaction/**")  # signed out there too: its login page again


def test_a_person_without_a_mapped_group_is_told_whom_to_ask(page, netkit, provider):
    page.goto(netkit + "/log-ind")
    page.get_by_role("button", name="Log ind med Region Midtjylland").click()
    sign_in_at_the_provider(page, provider, "carol")
    page.wait_for_url(netkit + "/log-ind/oidc/retur**")
    assert page.locator("h1").inner_text() == "Ingen adgang"
    assert "gid-unmapped" in page.locator("main").inner_text()
    assert page.locator(".signed-in").count() == 0
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/oidc-no-access-1280.png", full_page=True)
    with phone(page):
        page.screenshot(path="/tmp/oidc-no-access-320.png", full_page=True)


def test_both_ways_to_sign_in_side_by_side_pass_axe(page, provider, tmp_path):
    app = create_app(Settings(home=tmp_path / "instance", oidc_issuer=provider.issuer, oidc_client_id="netkit",
                              oidc_client_secret=provider.netkit_secret))
    with serving(app) as base:
        page.goto(base + "/log-ind")
        assert page.get_by_role("button", name="Log ind med Region Midtjylland").is_visible()
        assert page.get_by_role("heading", name="Lokal konto").is_visible()
        assert page.get_by_label("Adgangskode").is_visible()
        assert serious_violations(page) == []
        page.screenshot(path="/tmp/oidc-both-1280.png", full_page=True)
        with phone(page):
            assert serious_violations(page) == []
            page.screenshot(path="/tmp/oidc-both-320.png", full_page=True)
