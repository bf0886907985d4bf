"""The review queue in a real browser, two people in two browser contexts: a member asks for review, the
facilitator finds it under 'Mit arbejde' (with the count in the header), filters /gennemse by status and sends
it back with a comment, which the member then reads under 'Mit arbejde' — every page checked with axe-core."""

from __future__ import annotations

import re

import pytest

from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

SLUG = "adgang-til-data"


@pytest.fixture(scope="module")
def queue_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("mywork") / "instance"
    app = instance_app(home, ("frida", "facilitator"), ("anna", "member", ("dataadgang",)))
    instance = app.extensions["netkit.source"]
    instance.save(SLUG, instance.read(SLUG) + "\nAnnas nye afsnit.\n", Author("anna", "anna@netkit.localhost"),
                  "Nyt afsnit", instance.latest_revision(SLUG))
    with serving(app) as base:
        yield base


def my_work_link(page, name: str | re.Pattern = re.compile("^Mit arbejde")):
    """The header's link; `name` its whole accessible name, the count and 'venter på dig' included."""
    return page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name=name, exact=True)


def test_ask_for_review_find_it_in_the_queue_and_read_the_comment(browser, queue_server):
    base = queue_server
    member = browser.new_context(locale="da-DK").new_page()
    facilitator = browser.new_context(locale="da-DK").new_page()
    try:
        sign_in(member, base, "anna")
        my_work_link(member).click()
        member.wait_for_url(base + "/mit-arbejde")
        drafts = member.get_by_role("region", name=re.compile("^Mine kladder"))
        assert "Adgang til sundhedsdata" in drafts.inner_text()
        assert serious_violations(member) == []
        drafts.get_by_role("link", name=re.compile("^Bed om review")).click()
        member.get_by_label("Bed om review").check()
        member.get_by_label(re.compile("^Note")).fill("Se det nye afsnit.")
        member.get_by_role("button", name="Udfør").click()
        member.wait_for_url(re.compile(r".*/m/adgang-til-data/\?status=review"))

        sign_in(facilitator, base, "frida")
        assert my_work_link(facilitator, "Mit arbejde 1 venter på dig").count() == 1
        my_work_link(facilitator).click()
        queue = facilitator.get_by_role("region", name=re.compile("^Venter på review"))
        assert "Se det nye afsnit." in queue.inner_text() and "sendt af anna" in queue.inner_text()
        assert serious_violations(facilitator) == []

        facilitator.goto(base + "/gennemse")
        facilitator.get_by_label("Status").select_option("review")
        facilitator.get_by_role("button", name="Vis").click()
        facilitator.wait_for_url(base + "/gennemse?status=review")
        assert facilitator.get_by_role("heading", level=2, name="1 materiale").is_visible()
        assert serious_violations(facilitator) == []

        facilitator.goto(base + "/mit-arbejde")
        facilitator.get_by_role("link", name=re.compile("^Godkend eller send tilbage")).click()
        facilitator.get_by_label("Send tilbage til kladde").check()
        facilitator.get_by_label(re.compile("^Note")).fill("Afsnittet mangler kilder.")
        facilitator.get_by_role("button", name="Udfør").click()
        facilitator.wait_for_url(re.compile(r".*\?status=draft"))
        assert my_work_link(facilitator, "Mit arbejde").count() == 1  # nothing waits any more

        member.goto(base + "/")
        assert my_work_link(member, "Mit arbejde 1 venter på dig").count() == 1
        my_work_link(member).click()
        returned = member.get_by_role("region", name=re.compile("^Sendt tilbage til dig"))
        assert "Afsnittet mangler kilder." in returned.inner_text()
        assert "Sendt tilbage af frida" in returned.inner_text()
        assert serious_violations(member) == []
    finally:
        member.context.close()
        facilitator.context.close()
