"""Comments on drafts through real HTTP: the review view (`/m/<slug>/kommentarer`), starting, answering, resolving
and reopening threads with real forms and tokens, who may do what, what is kept when a form is refused, outdated
threads, and the status page that lists open threads and asks before approving or publishing past them."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers.web import app_with_users, seen_revision, sign_in
from toolkit.history.comments import TEXT_MAX, Comments
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance

SLUG = "adgang-til-data"  # tests/data/library: working group "dataadgang"
PARAGRAPH = 2  # "Ansøg om godkendelse."
FACILITATOR = Author("frida", "frida@x")


@pytest.fixture
def app(isolated_home, library_path, tmp_path):
    Instance.create(isolated_home, library=library_path, templates=tmp_path / "no-templates")  # the small library
    return app_with_users(isolated_home, ("frida", "facilitator"), ("mette", "member", ("dataadgang",)),
                          ("ole", "member", ("andre",)))


@pytest.fixture
def versioned(app):
    return app.extensions["netkit.source"]


def user(app, name: str):
    return sign_in(app, name, f"{name}-kodeord-1")


def threads(versioned):
    return Comments(versioned).of(SLUG, fresh=True).threads


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def comment(client, token: str, text: str, block: int = PARAGRAPH, **extra):
    return client.post(f"/m/{SLUG}/kommentarer", data={"csrf_token": token, "block": str(block), "text": text,
                                                        **extra})


def to_review(versioned) -> None:
    versioned.set_status(SLUG, "draft", FACILITATOR)
    versioned.set_status(SLUG, "review", FACILITATOR)


# -- the review view -------------------------------------------------------------------------------------------

def test_the_review_view_shows_the_text_block_by_block_with_a_comment_form_at_each(app):
    mette, _token = user(app, "mette")
    page = mette.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    assert '<h2 id="forskning">Forskning</h2>' in page
    assert page.count('<details class="comment-new"') == 7  # every block of the test text but none twice
    assert '<label for="kommentar-2">Din kommentar til afsnittet »Ansøg om godkendelse.«</label>' in page
    assert 'name="revision" value="' + app.extensions["netkit.source"].latest_revision(SLUG) + '"' in page
    assert "0 åbne kommentarer" in page


def test_a_comment_is_saved_shown_at_its_passage_and_counted_on_the_material_page(app, versioned):
    mette, token = user(app, "mette")
    response = comment(mette, token, "Hvilken godkendelse? <b>Komitéens</b>?")
    assert response.status_code == 302
    (thread,) = threads(versioned)
    assert response.headers["Location"].endswith(f"/m/{SLUG}/kommentarer?gemt=kommentar#traad-{thread.id}")
    assert thread.first.author == "mette" and thread.anchor.text == "Ansøg om godkendelse."
    page = mette.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kommentaren er gemt." in page
    block = page[page.index('id="blok-2"'):page.index('id="blok-3"')]
    assert f'id="traad-{thread.id}"' in block and "Hvilken godkendelse? &lt;b&gt;Komitéens&lt;/b&gt;?" in block
    assert "<b>Komitéens</b>" not in page  # a comment is text, never HTML
    assert "1 åben kommentar" in page
    material = mette.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "Kommentarer (1 åben)" in material


def test_a_thread_is_answered_resolved_and_reopened(app, versioned):
    mette, token = user(app, "mette")
    comment(mette, token, "Tjek kilden.")
    (thread,) = threads(versioned)
    ole, ole_token = user(app, "ole")
    answered = ole.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"csrf_token": ole_token, "action": "reply",
                                                                     "text": "Kilden er fin."})
    assert answered.status_code == 302 and "gemt=svar" in answered.headers["Location"]
    page = ole.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    assert "Kilden er fin." in page and "Svaret er gemt." not in page  # the notice belongs to the redirect only
    assert "Markér som løst" not in page  # ole is neither the starter nor in the working group
    refused = ole.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"csrf_token": ole_token, "action": "resolve"})
    assert refused.status_code == 403 and threads(versioned)[0].is_open

    frida, frida_token = user(app, "frida")
    resolved = frida.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"csrf_token": frida_token,
                                                                       "action": "resolve", "seen": "2"})
    assert resolved.status_code == 302 and not threads(versioned)[0].is_open
    page = frida.get(resolved.headers["Location"]).get_data(as_text=True)
    assert "Tråden er markeret som løst." in page and "Løst kommentar fra mette" in page and "Genåbn" in page
    reopened = mette.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"csrf_token": token, "action": "reopen",
                                                                       "seen": "3"})
    assert reopened.status_code == 302 and threads(versioned)[0].is_open
    assert [e.action for e in threads(versioned)[0].entries] == ["comment", "reply", "resolve", "reopen"]


def test_resolving_after_an_unseen_answer_asks_to_read_it_first(app, versioned):
    mette, token = user(app, "mette")
    comment(mette, token, "Tjek kilden.")
    (thread,) = threads(versioned)
    Comments(versioned).reply(SLUG, thread.id, "Nej, vent!", Author("ole", "o@x"))
    response = mette.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"csrf_token": token, "action": "resolve",
                                                                       "seen": "1"})
    assert response.status_code == 409
    assert "Der er kommet et nyt svar i tråden" in response.get_data(as_text=True)
    assert threads(versioned)[0].is_open


# -- refused forms keep what was typed -------------------------------------------------------------------------

def test_a_form_without_its_token_is_refused_and_keeps_the_text(app, versioned):
    mette, _token = user(app, "mette")
    response = comment(mette, "forkert", "Min lange kommentar, som ikke må gå tabt.")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Formularen var for gammel" in page and "Min lange kommentar, som ikke må gå tabt." in page
    assert '<details class="comment-new" open>' in page
    assert threads(versioned) == ()
    comment(mette, token_of(page), "Tjek.")
    (thread,) = threads(versioned)
    answer = mette.post(f"/m/{SLUG}/kommentarer/{thread.id}", data={"action": "reply", "text": "Mit svar."})
    assert answer.status_code == 400 and "Mit svar." in answer.get_data(as_text=True)
    assert len(threads(versioned)[0].entries) == 1


@pytest.mark.parametrize(("text", "error"), [
    ("   ", "Skriv en kommentar, før du sender."),
    ("x" * (TEXT_MAX + 1), f"Kommentaren er {TEXT_MAX + 1} tegn; højst {TEXT_MAX} er tilladt."),
    ("Skjult\x07tegn", "usynligt specialtegn"),
])
def test_a_bad_comment_gets_a_danish_error_at_its_field(app, versioned, text, error):
    mette, token = user(app, "mette")
    response = comment(mette, token, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="field-error" id="kommentar-{PARAGRAPH}-error">' in page and error in page
    assert f'aria-describedby="kommentar-{PARAGRAPH}-error"' in page and 'aria-invalid="true"' in page
    assert '<a href="#kommentar-2">' in page  # the summary leads to the field
    if text.strip():
        assert html.escape(text.strip()[:50]).replace("&#x27;", "'") in page  # what was typed is still there
    assert threads(versioned) == ()


def test_line_breaks_from_a_browser_count_once(app, versioned):
    mette, token = user(app, "mette")
    text = ("x" * 99 + "\r\n") * (TEXT_MAX // 100)  # TEXT_MAX characters with one-character line breaks
    assert comment(mette, token, text).status_code == 302
    assert len(threads(versioned)[0].first.text) == TEXT_MAX - 1  # the last line break is trimmed


def test_a_comment_on_no_passage_is_refused(app, versioned):
    mette, token = user(app, "mette")
    for block in ("99", "x", ""):
        response = mette.post(f"/m/{SLUG}/kommentarer", data={"csrf_token": token, "block": block, "text": "Hej"})
        assert response.status_code == 400 and "Vælg et afsnit af teksten." in response.get_data(as_text=True)
    assert threads(versioned) == ()


def test_a_comment_from_a_page_opened_before_an_edit_lands_where_it_was_written(app, versioned):
    mette, token = user(app, "mette")
    seen = versioned.latest_revision(SLUG)
    text = versioned.read(SLUG).replace("## Forskning\n", "Nyt første afsnit.\n\n## Forskning\n")
    versioned.save(SLUG, text, FACILITATOR, "Nyt afsnit", seen)
    assert comment(mette, token, "Hvilken godkendelse?", revision=seen).status_code == 302
    page = mette.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    (thread,) = threads(versioned)
    block = page[page.index('id="blok-3"'):page.index('id="blok-4"')]  # the paragraph is one further down now
    assert "Ansøg om godkendelse." in block and f'id="traad-{thread.id}"' in block


def test_a_thread_whose_passage_is_deleted_is_shown_as_outdated_with_its_quote(app, versioned):
    mette, token = user(app, "mette")
    comment(mette, token, "Hvilken godkendelse?")
    text = versioned.read(SLUG).replace("Ansøg om godkendelse.[^1]\n\n", "")
    versioned.save(SLUG, text, FACILITATOR, "Afsnit fjernet", versioned.latest_revision(SLUG))
    page = mette.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    outdated = page[page.index('<section class="outdated-threads"'):]
    assert "Forældede kommentarer" in outdated and "Hvilken godkendelse?" in outdated
    assert '<blockquote class="quoted-passage">' in outdated and "Ansøg om godkendelse." in outdated
    assert "Under overskriften »Forskning«" in outdated


# -- who may --------------------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in_and_refused_when_they_post(app, versioned):
    anonymous = app.test_client()
    response = anonymous.get(f"/m/{SLUG}/kommentarer")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    page = anonymous.get("/log-ind").get_data(as_text=True)
    assert comment(anonymous, token_of(page), "Anonym.").status_code == 403
    assert threads(versioned) == ()
    material = anonymous.get(f"/m/{SLUG}/").get_data(as_text=True)
    assert "/kommentarer" not in material


def test_an_unknown_thread_or_material_is_not_found(app, versioned):
    mette, token = user(app, "mette")
    for path in (f"/m/{SLUG}/kommentarer/t00000000", f"/m/{SLUG}/kommentarer/..%2Fx"):
        assert mette.post(path, data={"csrf_token": token, "action": "reply", "text": "Hej"}).status_code == 404
    assert mette.get("/m/findes-ikke/kommentarer").status_code == 404


# -- the status page -------------------------------------------------------------------------------------------

def test_the_status_page_lists_open_threads_and_approving_past_them_needs_a_confirmation(app, versioned):
    to_review(versioned)
    mette, token = user(app, "mette")
    comment(mette, token, "Hvilken godkendelse?")
    comment(mette, token, "Er tabellen komplet?", block=3)
    first, second = threads(versioned)
    frida, frida_token = user(app, "frida")
    frida.post(f"/m/{SLUG}/kommentarer/{second.id}", data={"csrf_token": frida_token, "action": "resolve"})

    page = frida.get(f"/m/{SLUG}/status").get_data(as_text=True)
    listed = page[page.index('<section class="open-threads"'):page.index("</section>")]
    assert "1 åben kommentar" in listed and "Hvilken godkendelse?" in listed and "Er tabellen" not in listed
    assert f"/m/{SLUG}/kommentarer#traad-{first.id}" in listed
    assert 'name="confirm_open" value="1"' in page

    asked = frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                  "csrf_token": frida_token, "action": "approve",
                                                   "note": "Fint arbejde"})
    assert asked.status_code == 400
    again = asked.get_data(as_text=True)
    assert "Der er 1 åben kommentar." in again and 'id="confirm-open-error"' in again
    assert 'id="action-approve" name="action" value="approve" checked' in again and "Fint arbejde" in again
    assert versioned.library().get(SLUG).status == "review"

    approved = frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                     "csrf_token": frida_token, "action": "approve",
                                                      "confirm_open": "1"})
    assert approved.status_code == 302
    assert versioned.library().get(SLUG).status == "approved"


def test_a_thread_opened_after_the_status_page_was_read_is_asked_about_again(app, versioned):
    to_review(versioned)
    mette, token = user(app, "mette")
    comment(mette, token, "Første.")
    frida, frida_token = user(app, "frida")
    comment(mette, token, "Anden, skrevet mens frida læste.")  # frida's box said 1
    response = frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                     "csrf_token": frida_token, "action": "approve",
                                                      "confirm_open": "1"})
    assert response.status_code == 400
    assert "Der er kommet nye kommentarer" in response.get_data(as_text=True)
    assert versioned.library().get(SLUG).status == "review"


def test_publishing_past_open_threads_needs_the_confirmation_too(app, versioned):
    to_review(versioned)
    mette, token = user(app, "mette")
    comment(mette, token, "Første.")
    frida, frida_token = user(app, "frida")
    data = {"csrf_token": frida_token, "action": "publish", "bump": "minor", "note": "Ny udgave",
            "revision": seen_revision(frida, SLUG)}
    assert frida.post(f"/m/{SLUG}/status", data=data).status_code == 400
    assert versioned.library().get(SLUG).status == "review"
    assert frida.post(f"/m/{SLUG}/status", data=data | {"confirm_open": "1"}).status_code == 302
    assert versioned.library().get(SLUG).status == "published"


def test_without_open_threads_approving_asks_nothing(app, versioned):
    to_review(versioned)
    frida, frida_token = user(app, "frida")
    page = frida.get(f"/m/{SLUG}/status").get_data(as_text=True)
    assert "Ingen åbne kommentarer." in page and "confirm_open" not in page
    assert frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                 "csrf_token": frida_token, "action": "approve"}).status_code == 302
    assert versioned.library().get(SLUG).status == "approved"


def test_the_review_view_in_english(app):
    mette, _token = user(app, "mette")
    mette.get("/sprog/en")
    page = mette.get(f"/m/{SLUG}/kommentarer").get_data(as_text=True)
    assert "Kommentér" not in page and "Gem kommentar" not in page


def test_a_refused_publish_keeps_the_tick_and_shows_every_error_at_once(app, versioned):
    to_review(versioned)
    versioned.set_status(SLUG, "approved", FACILITATOR)
    mette, token = user(app, "mette")
    comment(mette, token, "Første.")
    frida, frida_token = user(app, "frida")
    data = {"csrf_token": frida_token, "action": "publish", "bump": "minor", "note": "",
            "revision": seen_revision(frida, SLUG)}
    ticked = frida.post(f"/m/{SLUG}/status", data=data | {"confirm_open": "1"})
    page = ticked.get_data(as_text=True)
    assert ticked.status_code == 400 and 'id="note-error"' in page
    assert re.search(r'name="confirm_open" value="1" checked', page)  # the tick is kept …
    assert 'id="confirm-open-error"' not in page
    resubmitted = frida.post(f"/m/{SLUG}/status", data={**data, "note": "Ny udgave",  # … and sent again
                                                          "confirm_open": re.search(
                                                              r'name="confirm_open" value="(\d+)" checked',
                                                              page).group(1)})
    assert resubmitted.status_code == 302 and versioned.library().get(SLUG).status == "published"


def test_without_the_tick_and_without_a_note_both_errors_are_shown(app, versioned):
    to_review(versioned)
    mette, token = user(app, "mette")
    comment(mette, token, "Første.")
    frida, frida_token = user(app, "frida")
    refused = frida.post(f"/m/{SLUG}/status", data={"revision": seen_revision(frida, SLUG),
                                                    "csrf_token": frida_token, "action": "publish", "bump": "minor",
                                                     "note": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="confirm-open-error"' in page and 'id="note-error"' in page
    assert "Der er 1 åben kommentar." in page and "ændringsloggen for den nye udgave" in page
    assert 'value="1" checked' not in page and versioned.library().get(SLUG).status == "review"


def test_the_status_page_says_why_it_offers_nothing(app, versioned):
    to_review(versioned)
    mette, _token = user(app, "mette")
    ole, _token = user(app, "ole")
    asked = html.unescape(mette.get(f"/m/{SLUG}/status").get_data(as_text=True))
    assert "Materialet er til review; en facilitator godkender det eller sender det tilbage til kladde." in asked
    other = html.unescape(ole.get(f"/m/{SLUG}/status").get_data(as_text=True))
    assert "Du kan redigere materialer fra dine egne arbejdsgrupper" in other
    assert "Materialet er til review" not in other
    for page in (asked, other):
        assert "kant ikke" not in page and "Du kan ikke ændre status for dette materiale lige nu." not in page
