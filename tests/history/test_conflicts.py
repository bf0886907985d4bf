"""After a conflict (toolkit.history.conflicts): both sides marked in the body, markers found, the other
writer's dropped lines named — on a real three-way merge by git."""

from __future__ import annotations

from toolkit.history.conflicts import MINE_MARK, THEIRS_MARK, dropped_lines, marked_body, unresolved
from toolkit.history.gitstore import GitStore
from toolkit.history.merging import merge3

FRONT = "---\ntitle: {title}\nkind: guide\n---\n"


def merged(tmp_path, base: str, theirs: str, mine: str) -> str:
    (tmp_path / "repo").mkdir(exist_ok=True)
    store = GitStore(tmp_path / "repo")
    store.init()
    return merge3(store, base, theirs, mine).text


def test_both_versions_are_marked_in_the_body_without_the_common_ancestor(tmp_path):
    base = FRONT.format(title="T") + "Intro.\n\nLinje A.\n\nSlut.\n"
    theirs = base.replace("Linje A.", "Deres linje.")
    mine = base.replace("Linje A.", "Min linje.")
    body = marked_body(merged(tmp_path, base, theirs, mine))
    assert body is not None and "title:" not in body
    assert body.index(MINE_MARK) < body.index("Min linje.") < body.index("=======") < body.index("Deres linje.") \
        < body.index(THEIRS_MARK)
    assert "Linje A." not in body  # the ancestor is not offered as a third version
    assert unresolved(body) == [body.splitlines().index(MINE_MARK) + 1, body.splitlines().index(THEIRS_MARK) + 1]


def test_a_conflict_in_the_front_matter_is_left_to_the_form_fields(tmp_path):
    base = FRONT.format(title="Titel") + "Tekst.\n"
    body = marked_body(merged(tmp_path, base, base.replace("Titel", "Deres titel"), base.replace("Titel", "Min titel")))
    assert body is None


def test_a_heading_underline_is_not_a_marker_and_dropped_lines_are_the_other_writers_additions():
    assert unresolved("Overskrift\n=======\n\nTekst.\n") == []
    original, theirs = "a\nb\n", "a\nb\nderes nye linje\n"
    assert dropped_lines(original, theirs, "a\nb\nmin linje\n") == ["deres nye linje"]
    assert dropped_lines(original, theirs, "a\nderes nye linje\nb\n") == []
    assert dropped_lines(original, "a\n", "a\n") == []  # they only removed: nothing of theirs to lose
    # Both versions merged into one line keep the other writer's words.
    assert dropped_lines(original, theirs, "a\nmin linje og deres nye linje\nb\n") == []
