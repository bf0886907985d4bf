"""Pages that once let one saved text tie up a worker: many equal headings (M3) and a diff of two huge
revisions (M4). Each test makes the attack the way it was made, through real HTTP, and bounds the answer
time generously (the old code took 10 s and more than a minute)."""

from __future__ import annotations

import random
import re
import time

from tests.helpers.web import app_with_users, sign_in
from toolkit.history.gitstore import Author
from toolkit.library.render import HEADINGS_MAX
from webui import create_app

SLUG = "mange-overskrifter"


def test_a_material_with_eight_thousand_equal_headings_answers_quickly(settings, write_material):
    write_material(SLUG, "Indledning.\n\n" + "## A\n\nTekst.\n\n" * 8000)  # on disk, as if saved before the cap
    app = create_app(settings, {"TESTING": True})
    client = app.test_client()
    started = time.perf_counter()
    response = client.get(f"/m/{SLUG}/")
    assert time.perf_counter() - started < 4  # 10 s with the anchors plugin's slug loop (0.8 s now)
    problems = [p for p in app.extensions["netkit.source"].library().problems if SLUG in str(p.path)]
    assert [p.field for p in problems] == ["body"] and "8000 headings" in problems[0].message  # a save is refused
    assert response.status_code == 200  # while the file already on disk is still served
    page = response.get_data(as_text=True)
    ids = re.findall(r'<h2 id="(a(?:-\d+)?)">A</h2>', page)
    assert ids[:2] == ["a", "a-1"] and len(ids) == len(set(ids)) == HEADINGS_MAX
    assert page.count("<h2>A</h2>") == 8000 - HEADINGS_MAX  # the rest are headings without an anchor


def _paragraphs(rng: random.Random, count: int) -> str:
    """Markdown as it is written: paragraphs between blank lines (the blank lines made difflib cubic)."""
    words = [f"ord{n}" for n in range(2000)] + ["og", "at", "data", "samtykke"]
    return "\n\n".join(" ".join(rng.choice(words) for _ in range(28)) for _ in range(count))


def test_the_diff_of_two_huge_revisions_answers_quickly(isolated_home):
    app = app_with_users(isolated_home, ("ane", "member"))
    instance = app.extensions["netkit.source"]
    slug = "samtykkemodeller"
    front = instance.read(slug).split("\n---\n", 1)[0] + "\n---\n"
    rng = random.Random(7)
    author = Author("Ane Eksempel", "ane@example.dk")
    for message in ("Stor tekst", "En helt anden stor tekst"):
        body = _paragraphs(rng, 5_000)
        assert len(body) > 900_000
        instance.save(slug, front + body + "\n", author, message, instance.latest_revision(slug))
    client, _token = sign_in(app, "ane", "ane-kodeord-1")
    started = time.perf_counter()
    response = client.get(f"/m/{slug}/forskel")
    assert time.perf_counter() - started < 10  # more than a minute with difflib's word marks
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('<tr class="diff-replace">') == 5_000 and page.count('<tr class="diff-equal">') >= 4_999
    assert "<ins>" in page and "<del>" in page
