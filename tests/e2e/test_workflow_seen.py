"""Approving the text that was seen, in a real browser: a facilitator opens the status page of a material in review,
a member of its group saves a change meanwhile, and the approval is refused (409) with who changed it, a link to the
diff and the choice and note kept; after reading the diff the facilitator approves. A member who asked for review
is told why the page offers nothing. axe-core at 1280 and 320 px; screenshots go to /tmp/workflow-seen-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

SLUG = "adgang-til-data"  # working group "dataadgang"


@pytest.fixture(scope="module")
def workflow_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("workflow-seen") / "instance"
    app = instance_app(home, ("frida", "facilitator"), ("mette", "member", ("dataadgang",)))
    instance = app.extensions["netkit.source"]
    setup = Author("Setup", "s@x")
    instance.set_status(SLUG, "draft", setup)
    instance.set_status(SLUG, "review", Author("mette", "mette@netkit.localhost"))
    with serving(app) as base:
        yield base, instance


def test_an_approval_of_a_text_changed_meanwhile_is_refused_with_the_diff(browser, workflow_server):
    base, instance = workflow_server
    facilitator = browser.new_context(locale="da-DK").new_page()
    member = browser.new_context(locale="da-DK").new_page()
    try:
        sign_in(member, base, "mette")
        member.goto(f"{base}/m/{SLUG}/status")
        assert "Materialet er til review; en facilitator godkender det" in member.locator("main").inner_text()
        assert member.get_by_role("button", name="Udfør").count() == 0
        for width, height in ((1280, 900), (320, 800)):
            member.set_viewport_size({"width": width, "height": height})
            member.screenshot(path=f"/tmp/workflow-seen-nothing-{width}.png", full_page=True)
            assert serious_violations(member) == []

        sign_in(facilitator, base, "frida")
        facilitator.goto(f"{base}/m/{SLUG}/status")
        seen = instance.latest_revision(SLUG)
        text = instance.read(SLUG) + "\nEt afsnit skrevet, mens frida læste.\n"
        instance.save(SLUG, text, Author("mette", "mette@netkit.localhost"), "Ret", seen)

        facilitator.get_by_label("Godkend", exact=True).check()
        facilitator.get_by_label("Note, kommentar eller ændringslog", exact=False).fill("Fint arbejde")
        facilitator.get_by_role("button", name="Udfør").click()
        alert = facilitator.get_by_role("alert")
        assert "teksten er ændret, siden du åbnede siden" in alert.inner_text()
        assert "mette ændrede teksten" in alert.inner_text()
        assert facilitator.get_by_label("Godkend", exact=True).is_checked()
        assert facilitator.get_by_label("Note, kommentar eller ændringslog", exact=False).input_value() == \
            "Fint arbejde"
        assert instance.library().get(SLUG).status == "review"
        for width, height in ((1280, 900), (320, 800)):
            facilitator.set_viewport_size({"width": width, "height": height})
            facilitator.screenshot(path=f"/tmp/workflow-seen-409-{width}.png", full_page=True)
            assert serious_violations(facilitator) == []
            overflow = facilitator.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the status page is wider than {width} px"
        facilitator.set_viewport_size({"width": 1280, "height": 900})

        link = alert.get_by_role("link", name="Se, hvad der er ændret, siden du åbnede siden")
        diff = facilitator.context.new_page()  # read in another tab; the refused form stays as it was
        diff.goto(base + link.get_attribute("href"))
        assert f"fra={seen}" in diff.url and "Et afsnit skrevet, mens frida læste." in diff.locator("main").inner_text()
        facilitator.get_by_role("button", name="Udfør").click()  # the page as it is now: approving it works
        facilitator.wait_for_url(f"{base}/m/{SLUG}/?status=approved")
        assert instance.library().get(SLUG).status == "approved"
    finally:
        facilitator.context.close()
        member.context.close()
