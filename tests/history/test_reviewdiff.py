"""The reviewer's diff (toolkit.history.reviewdiff, rendereddiff): changed front-matter fields as a table, the
body as hunks with 3 lines of context and folded gaps, and the rendered view with insertions and deletions marked
and everything still sanitised. On real texts and a real instance (git repository)."""

from __future__ import annotations

import time

from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.history.rendereddiff import blocks_of, rendered_diff
from toolkit.history.reviewdiff import CONTEXT, Gap, Hunk, review
from toolkit.library.render import LinkTargets, Renderer

FRONT = """\
---
title: {title}
kind: guide
summary: En vejledning til test.
topics: [{topics}]
audience: [researchers]
language: da
authors: [Testgruppen]
status: draft
version: 1.0.0
updated: 2026-01-01
---
"""
ANNA = Author("anna", "anna@example.dk")


def material(body_lines: list[str], title: str = "Samtykke", topics: str = "consent") -> str:
    return FRONT.format(title=title, topics=topics) + "\n".join(body_lines) + "\n"


def numbered(count: int) -> list[str]:
    return [f"Linje nummer {n} i teksten." for n in range(1, count + 1)]


def changed_words(segments) -> list[str]:
    return [s.text for s in segments if s.changed]


def test_changed_fields_form_a_table_of_old_and_new_values_with_the_changed_words_marked():
    old = material(numbered(3), title="Samtykke i AI-projekter", topics="consent, law")
    new = material(numbered(3), title="Bredt samtykke i AI-projekter", topics="consent, data-access")
    new = new.replace("updated: 2026-01-01\n", "updated: 2026-02-01\nworking_group: dataadgang\n")
    diff = review(old, new)
    fields = {change.name: change for change in diff.fields}
    assert list(fields) == ["title", "topics", "updated", "working_group"]  # only what changed, in file order
    assert changed_words(fields["title"].new) == ["Bredt samtykke"] and changed_words(fields["title"].old) == [
        "Samtykke"]
    assert "".join(s.text for s in fields["title"].old) == "Samtykke i AI-projekter"
    topics = fields["topics"]
    assert topics.listed and changed_words(topics.old) == ["law"] and changed_words(topics.new) == ["data-access"]
    assert [s.text for s in topics.new if not s.changed] == ["consent"]  # kept items are not marked
    assert "".join(s.text for s in fields["updated"].new) == "2026-02-01"
    assert fields["working_group"].added and not fields["working_group"].removed
    assert not diff.body.changed and diff.parts == ()  # the body is the same: no hunks at all


def test_a_removed_field_is_listed_with_nothing_on_the_new_side():
    old = material(["Tekst."]).replace("language: da\n", "language: da\nreplaced_by: ny-vejledning\n")
    diff = review(old, material(["Tekst."]))
    (change,) = diff.fields
    assert change.name == "replaced_by" and change.removed and change.new == ()


def test_one_changed_line_is_one_hunk_with_three_lines_of_context_and_the_rest_folded():
    lines = numbered(100)
    changed = list(lines)
    changed[49] = "Linje nummer 50 er skrevet om."
    diff = review(material(lines), material(changed))
    assert CONTEXT == 3
    before, hunk, after = diff.parts
    assert isinstance(before, Gap) and isinstance(hunk, Hunk) and isinstance(after, Gap)
    assert before.size == 46 and after.size == 47  # "… 46 uændrede linjer", "… 47 uændrede linjer"
    assert [row.right_no for row in hunk.rows] == [47, 48, 49, 50, 51, 52, 53]
    assert [row.kind for row in hunk.rows] == ["equal"] * 3 + ["replace"] + ["equal"] * 3
    assert hunk.new_lines == (47, 53) and hunk.old_lines == (47, 53)
    assert changed_words(hunk.rows[3].right) == ["er", "skrevet om"]
    assert diff.added == 1 and diff.removed == 1 and diff.number_width == 3
    assert sum(len(part.rows) for part in diff.parts) == 100  # folded, never dropped


def test_changes_close_together_share_a_hunk_and_far_apart_ones_do_not():
    lines = numbered(60)
    close = list(lines)
    close[19], close[25] = "Ny linje 20.", "Ny linje 26."  # 5 unchanged lines between: shown, not folded
    parts = review(material(lines), material(close)).parts
    assert [type(part).__name__ for part in parts] == ["Gap", "Hunk", "Gap"]
    assert [row.right_no for row in parts[1].rows] == list(range(17, 30))
    far = list(lines)
    far[9], far[39] = "Ny linje 10.", "Ny linje 40."
    parts = review(material(lines), material(far)).parts
    assert [type(part).__name__ for part in parts] == ["Gap", "Hunk", "Gap", "Hunk", "Gap"]
    assert parts[2].size == 23  # lines 14..36 between the two hunks' context


def test_a_change_at_the_start_has_no_gap_before_it_and_a_short_tail_is_not_folded():
    lines = numbered(7)
    changed = ["Første linje er ny.", *lines[1:]]
    parts = review(material(lines), material(changed)).parts
    assert len(parts) == 1 and isinstance(parts[0], Hunk)  # 3 context lines + 3 more: folding saves nothing
    lines = numbered(20)
    parts = review(material(lines), material(["Første linje er ny.", *lines[1:]])).parts
    assert isinstance(parts[0], Hunk) and isinstance(parts[1], Gap) and parts[1].size == 16


def test_the_inline_view_puts_a_runs_old_lines_before_its_new_lines():
    lines = numbered(10)
    changed = [*lines[:4], "Ny A.", "Ny B.", *lines[6:], "Helt ny sidste linje."]
    (hunk,) = review(material(lines), material(changed)).hunks
    rows = hunk.inline()
    kinds = [(row.kind, row.old_no, row.new_no) for row in rows]
    assert kinds[:4] == [("equal", 1, 1), ("equal", 2, 2), ("equal", 3, 3), ("equal", 4, 4)]
    assert kinds[4:8] == [("delete", 5, None), ("delete", 6, None), ("insert", None, 5), ("insert", None, 6)]
    assert kinds[-1] == ("insert", None, 11)
    assert "".join(s.text for s in rows[6].segments) == "Ny A."


def test_an_unreadable_front_matter_compares_the_whole_files():
    old = material(["Tekst."])
    broken = old.replace("title: Samtykke", "title: [uafsluttet")
    diff = review(old, broken)
    assert not diff.front_matter_read and diff.fields == ()
    assert any(row.kind == "replace" and row.left_no == 2 for row in diff.body.rows)


def test_hunks_of_a_long_text_are_found_fast():
    lines = numbered(40_000)
    changed = list(lines)
    changed[20_000] = "Midt i teksten."
    started = time.perf_counter()
    diff = review(material(lines), material(changed))
    assert time.perf_counter() - started < 5
    assert [part.size for part in diff.parts if isinstance(part, Gap)] == [19_997, 19_996]
    assert diff.number_width == 5


def rendered(old_body: str, new_body: str):
    return rendered_diff(old_body, new_body, Renderer(), LinkTargets({"samtykke": "Samtykke"}))


def test_the_rendered_view_marks_inserted_and_deleted_words_in_the_blocks_as_the_reader_sees_them():
    old = "# Titel\n\nDet første afsnit.\n\nSamtykke er **frivilligt** for alle.\n\nEt afsnit der fjernes.\n"
    new = "# Titel\n\nDet første afsnit.\n\nSamtykke er **altid frivilligt** for deltagerne.\n\n## Nyt afsnit\n"
    diff = rendered(old, new)
    blocks = [block for part in diff.parts for block in part.blocks]
    kinds = {block.kind for block in blocks}
    assert diff.changed and {"changed", "delete", "insert"} <= kinds
    changed = next(block.html for block in blocks if block.kind == "changed")
    assert "<strong>" in changed and "<ins>altid</ins>" in changed.replace("<ins>altid </ins>", "<ins>altid</ins>")
    assert "<del>alle</del>" in changed and "<ins>deltagerne</ins>" in changed
    assert next(block.html for block in blocks if block.kind == "delete") == "<p>Et afsnit der fjernes.</p>"
    assert "<h2>Nyt afsnit</h2>" in next(block.html for block in blocks if block.kind == "insert")
    assert not any('id="' in block.html for block in blocks)  # the page has its own ids; none repeated


def test_the_rendered_view_stays_sanitised_when_a_changed_line_holds_a_script():
    old = "Et afsnit.\n\nSidste afsnit.\n"
    new = ("Et afsnit <script>alert('x')</script> med mere.\n\n<img src=x onerror=alert(1)>\n\n"
           "[klik](javascript:alert(1)) og [[samtykke]].\n\nSidste afsnit.\n")
    diff = rendered(old, new)
    html = "".join(block.html for part in diff.parts for block in part.blocks)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, as on the reader's page
    assert 'href="/m/samtykke/"' in html  # a [[link]] resolves as it does for the reader
    assert "<ins> &lt;script&gt;alert('x')&lt;/script&gt; med mere</ins>" in html


def test_unchanged_blocks_far_from_a_change_are_folded():
    body = "\n\n".join(f"Afsnit {n}." for n in range(1, 21)) + "\n"
    diff = rendered(body, body.replace("Afsnit 10.", "Afsnit ti."))
    sizes = [(part.collapsed, len(part.blocks)) for part in diff.parts]
    assert sizes == [(True, 8), (False, 3), (True, 9)]
    assert blocks_of("<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n<hr>\n") == ["<p>a</p>", "<ul>\n<li>b</li>\n</ul>", "<hr>"]


def test_revisions_review_compares_two_saved_revisions_and_a_restore_keeps_the_workflow_fields(
        instance: Instance):
    slug = "samtykke-playbook"
    first = instance.latest_revision(slug)
    text = instance.read(slug)
    changed = text.replace("title: ", "title: Ny ", 1) + "\nEt nyt sidste afsnit.\n"
    instance.save(slug, changed, ANNA, "Nyt afsnit", first)
    diff = instance.revisions.review(slug)
    names = [change.name for change in diff.fields]
    assert "title" in names and diff.body.changed
    assert diff.old_label == f"{slug}@{first[:10]}"
    inserted = [row for hunk in diff.hunks for row in hunk.rows if row.kind == "insert"]
    assert any("Et nyt sidste afsnit." in row.right[0].text for row in inserted)
    restore = instance.revisions.review_restore(slug, first, instance.latest_revision(slug))
    restored_names = [change.name for change in restore.fields]
    assert "title" in restored_names and "status" not in restored_names  # a restore never changes the status
    assert restore.removed >= 1 and restore.added == 0
