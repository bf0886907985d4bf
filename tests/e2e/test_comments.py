"""Comments on a draft in a real browser, two people in two contexts: a member of the working group comments on a
paragraph (the form opened from the keyboard), a facilitator finds the open thread on the status page, answers
it, is asked to confirm when approving past it, and approves. The review view (1280 and 320 px) and the status
page with its error are checked with axe-core; screenshots go to /tmp/comments-*.png."""

from __future__ import annotations

import pytest

from tests.e2e.servers import instance_app, serving, sign_in
from tests.e2e.test_reading import serious_violations
from toolkit.history.comments import Comments
from toolkit.history.gitstore import Author

pytestmark = pytest.mark.browser

SLUG = "adgang-til-data"  # working group "dataadgang"
PASSAGE = "Før I kontakter nogen dataleverandør"


@pytest.fixture(scope="module")
def comment_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("comments") / "instance"
    app = instance_app(home, ("frida", "facilitator"), ("mette", "member", ("dataadgang",)))
    instance = app.extensions["netkit.source"]
    setup = Author("Setup", "s@x")
    instance.set_status(SLUG, "draft", setup)
    instance.set_status(SLUG, "review", setup)
    with serving(app) as base:
        yield base, instance


def test_comment_answer_and_approve_past_an_open_thread(browser, comment_server):
    base, instance = comment_server
    member = browser.new_context(locale="da-DK").new_page()
    facilitator = browser.new_context(locale="da-DK").new_page()
    try:
        # The member comments on a paragraph, opening the form from the keyboard.
        sign_in(member, base, "mette")
        member.goto(f"{base}/m/{SLUG}/")
        member.get_by_role("link", name="Kommentarer").click()
        member.wait_for_url(f"{base}/m/{SLUG}/kommentarer")
        block = member.locator(".review-block", has_text=PASSAGE).first
        block.locator("summary").focus()
        member.keyboard.press("Enter")
        field = block.get_by_label("Din kommentar til afsnittet")
        field.fill("Skal vi nævne, hvor lang tid en anmeldelse typisk tager?")
        block.get_by_role("button", name="Gem kommentar").click()
        member.wait_for_url("**/kommentarer?gemt=kommentar#traad-*")
        assert member.get_by_role("status").inner_text() == "Kommentaren er gemt."
        thread = member.locator("article.thread-open")
        assert thread.count() == 1 and "Skal vi nævne" in thread.inner_text()
        assert member.locator(".review-block", has_text=PASSAGE).first.locator("article.thread").count() == 1
        assert serious_violations(member) == []

        # The facilitator finds it on the status page and answers it.
        sign_in(facilitator, base, "frida")
        facilitator.goto(f"{base}/m/{SLUG}/status")
        listed = facilitator.get_by_role("region", name="1 åben kommentar")
        assert "Skal vi nævne" in listed.inner_text() and "mette" in listed.inner_text()
        listed.get_by_role("link", name="Læs og svar").click()
        facilitator.wait_for_url(f"{base}/m/{SLUG}/kommentarer#traad-*")
        answer = facilitator.locator("article.thread-open")
        answer.locator("summary", has_text="Svar").click()
        answer.get_by_label("Dit svar").fill("Ja, tilføj et typisk forløb i uger.")
        answer.get_by_role("button", name="Send svar").click()
        facilitator.wait_for_url("**/kommentarer?gemt=svar#traad-*")
        assert "Ja, tilføj et typisk forløb i uger." in facilitator.locator("article.thread-open").inner_text()
        for width, height in ((1280, 900), (320, 800)):
            facilitator.set_viewport_size({"width": width, "height": height})
            facilitator.locator("article.thread-open").scroll_into_view_if_needed()
            facilitator.screenshot(path=f"/tmp/comments-review-{width}.png")
            assert serious_violations(facilitator) == []
            overflow = facilitator.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the review view is wider than {width} px"
        facilitator.set_viewport_size({"width": 1280, "height": 900})

        # Approving past the open thread asks first; confirmed, it approves.
        facilitator.goto(f"{base}/m/{SLUG}/status")
        facilitator.get_by_label("Godkend", exact=True).check()
        facilitator.get_by_role("button", name="Udfør").click()
        error = facilitator.locator("#confirm-open-error")
        assert "Der er 1 åben kommentar." in error.inner_text()
        assert facilitator.get_by_label("Godkend", exact=True).is_checked()  # the choice survives
        assert serious_violations(facilitator) == []
        facilitator.screenshot(path="/tmp/comments-status-1280.png", full_page=True)
        assert instance.library().get(SLUG).status == "review"
        facilitator.get_by_label("Godkend eller udgiv, selv om 1 kommentar er åben").check()
        facilitator.get_by_role("button", name="Udfør").click()
        facilitator.wait_for_url(f"{base}/m/{SLUG}/**")
        instance.refresh()
        assert instance.library().get(SLUG).status == "approved"
        assert Comments(instance).open_count(SLUG, fresh=True) == 1  # approving resolves nothing by itself
    finally:
        member.context.close()
        facilitator.context.close()
