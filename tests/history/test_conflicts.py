"""After a conflict (toolkit.history.conflicts): both sides marked in the body, markers found, the other
writer's dropped lines named — on a real three-way merge by git."""

from __future__ import annotations

from toolkit.history.conflicts import (
    MINE_MARK,
    THEIRS_MARK,
    body_places,
    dropped_lines,
    field_places,
    marked_body,
    marked_places,
    unresolved,
)
from toolkit.history.gitstore import GitStore
from toolkit.history.merging import merge3
from toolkit.library.editing import split

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


def test_marked_places_count_lines_in_the_body_as_the_refusal_does(tmp_path):
    base = FRONT.format(title="T") + "Intro.\n\nLinje A.\n\nMidte.\n\nLinje B.\n"
    theirs = base.replace("Linje A.", "Deres A.").replace("Linje B.", "Deres B.")
    mine = base.replace("Linje A.", "Min A.").replace("Linje B.", "Min B.")
    body = marked_body(merged(tmp_path, base, theirs, mine))
    places = marked_places(body)
    assert [(p.mine, p.theirs) for p in places] == [("Min A.", "Deres A."), ("Min B.", "Deres B.")]
    assert [n for p in places for n in (p.first, p.last)] == unresolved(body)  # one numbering: the editor's
    assert body.splitlines()[places[0].first - 1] == MINE_MARK


def test_a_field_both_changed_is_named_with_both_values_and_body_lines_are_the_editors(tmp_path):
    base = FRONT.format(title="Titel") + "Intro.\n\nLinje A.\n"
    theirs = base.replace("Titel", "Deres titel").replace("Linje A.", "Deres A.")
    mine = base.replace("Titel", "Min titel").replace("Linje A.", "Min A.")
    result = merge3_parts(tmp_path, base, theirs, mine)
    [field] = field_places(base, theirs, mine)
    assert (field.field, field.mine, field.theirs) == ("title", "Min titel", "Deres titel")
    assert field_places(base, theirs.replace("Deres titel", "Titel"), mine) == []  # only one of them changed it
    [place] = body_places(mine, result)
    assert split(mine)[1].splitlines()[place.first - 1] == "Min A." and place.first == place.last


def merge3_parts(tmp_path, base: str, theirs: str, mine: str) -> tuple:
    (tmp_path / "repo").mkdir(exist_ok=True)
    store = GitStore(tmp_path / "repo")
    store.init()
    return merge3(store, base, theirs, mine).conflicts
