"""The diff behind the history pages: true to both texts whatever their size, and fast on huge ones (finding M4).

The attack was a material saved as 900 KB and then as 900 KB of other text: difflib's SequenceMatcher took
more than a minute to compare them (word marks on huge replaced stretches, repeated lines and spaces that
make it cubic), on every view of the diff page.
"""

from __future__ import annotations

import difflib
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.history.diffing import (
    WORD_MARK_LINE_MAX,
    Budget,
    Diff,
    compare,
    opcodes,
    unified_diff,
    word_diff,
)

WORDS = [f"ord{n}" for n in range(3000)] + ["og", "at", "den", "til", "data", "samtykke"]


def prose(rng: random.Random, characters: int) -> str:
    words: list[str] = []
    length = 0
    while length < characters:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    return " ".join(words)


def assert_true_to_both(diff: Diff, old: str, new: str) -> None:
    """The rows give back both texts line for line; equal rows are equal and unmarked; every other row is
    marked, and a replaced line pair really differs."""
    left = [(row.left_no, "".join(s.text for s in row.left)) for row in diff.rows if row.left_no is not None]
    right = [(row.right_no, "".join(s.text for s in row.right)) for row in diff.rows if row.right_no is not None]
    assert left == list(enumerate(old.splitlines(), 1))
    assert right == list(enumerate(new.splitlines(), 1))
    for row in diff.rows:
        segments = row.left + row.right
        if row.kind == "equal":
            assert row.left == row.right and not any(s.changed for s in segments)
        else:
            assert any(s.changed for s in segments)
        if row.kind == "replace":
            assert row.left != row.right


def assert_opcodes_true(a: list, b: list, codes: list) -> None:
    i = j = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (i, j) and tag in ("equal", "replace", "delete", "insert")
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


# -- correctness on small texts ---------------------------------------------------------------------------

def test_a_changed_word_is_marked_and_the_rest_of_the_line_is_not():
    left, right = word_diff("Ansøg om godkendelse.[^1]", "Ansøg om etisk godkendelse.[^1]")
    assert [(s.text, s.changed) for s in left] == [("Ansøg om godkendelse.[^1]", False)]
    assert [(s.text, s.changed) for s in right] == [("Ansøg om ", False), ("etisk ", True),
                                                    ("godkendelse.[^1]", False)]


def test_a_small_edit_gives_the_same_unified_diff_and_rows_as_difflib():
    old = "# Titel\n\nFørste afsnit.\n\nAndet afsnit om data.\n\nTredje afsnit.\n\nFjerde.\n"
    new = "# Titel\n\nFørste afsnit.\n\nAndet afsnit om samtykke.\n\nEt nyt afsnit.\n\nTredje afsnit.\n\nFjerde.\n"
    diff = compare(old, new, "a", "b")
    expected = "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), "a", "b", n=3, lineterm=""))
    assert diff.unified == expected
    assert [row.kind for row in diff.rows if row.kind != "equal"] == ["replace", "insert", "insert"]
    assert diff.added == 3 and diff.removed == 1
    assert_true_to_both(diff, old, new)


def test_no_difference():
    diff = compare("a\nb\n", "a\nb\n")
    assert not diff.changed and diff.unified == "" and [row.kind for row in diff.rows] == ["equal", "equal"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=25), st.lists(st.sampled_from("abcde"), max_size=25))
def test_the_unified_writer_is_difflibs_for_the_same_opcodes(a, b):
    codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for context in (0, 1, 3):
        assert unified_diff(a, b, codes, "x", "y", context) == "\n".join(
            difflib.unified_diff(a, b, "x", "y", n=context, lineterm=""))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=40), st.lists(st.sampled_from("abcde"), max_size=40),
       st.sampled_from([0, 30, 10**9]), st.booleans())
def test_opcodes_are_true_whatever_the_budget(a, b, budget, pair_rest):
    assert_opcodes_true(a, b, opcodes(a, b, Budget(budget), pair_rest))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["", "Et afsnit.", "Et andet afsnit.", "## Overskrift", "- punkt", "Ny tekst her."]),
                max_size=30),
       st.lists(st.sampled_from(["", "Et afsnit.", "Et ændret afsnit.", "## Overskrift", "- punkt", "Mere."]),
                max_size=30))
def test_compare_is_true_to_both_texts(old_lines, new_lines):
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    assert_true_to_both(compare(old, new), old, new)


def test_blank_lines_between_rewritten_paragraphs_stay_equal():
    rng = random.Random(3)
    old = "\n\n".join(f"Gammelt {n}: " + prose(rng, 80) for n in range(2000))
    new = "\n\n".join(f"Nyt {n}: " + prose(rng, 80) for n in range(2000))
    diff = compare(old, new)
    assert diff.added == diff.removed == 2000
    assert sum(1 for row in diff.rows if row.kind == "equal") == 1999
    assert_true_to_both(diff, old, new)


def test_a_very_long_line_keeps_its_common_start_and_end_unmarked():
    rng = random.Random(4)
    line = prose(rng, WORD_MARK_LINE_MAX * 3)
    space = line.index(" ", WORD_MARK_LINE_MAX)
    left, right = word_diff(line, line[:space] + " ÆNDRET" + line[space:])
    assert [(s.text, s.changed) for s in right[1:]] == [("ÆNDRET ", True), (line[space + 1:], False)]
    assert [s.changed for s in left] == [False]


def test_after_the_budget_only_the_common_ends_are_matched():
    left, right = word_diff("a b c d e f", "a x c y e f", Budget(0))
    assert [(s.text, s.changed) for s in left] == [("a ", False), ("b c d", True), (" e f", False)]
    assert [(s.text, s.changed) for s in right] == [("a ", False), ("x c y", True), (" e f", False)]


# -- the attack: huge texts (each bound is generous; difflib took minutes on most of them) ------------------

def _big_cases() -> dict[str, tuple[str, str]]:
    rng = random.Random(1)
    lines = [prose(rng, 88) for _ in range(10_000)]
    common = [f"Fast linje {n}" for n in range(5_000)]
    spaced = [" ".join(f"w{rng.randrange(10**9)}" for _ in range(1_200)) for _ in range(200)]
    return {
        "10,000 lines, every one changed": ("\n".join(lines), "\n".join(prose(rng, 88) for _ in range(10_000))),
        "5,000 paragraphs between blank lines, every one changed": (
            "\n\n".join(lines[:5_000]), "\n\n".join(lines[5_000:])),
        "changed lines between unique equal ones": (
            "\n".join(x for pair in zip(lines[:5_000], common, strict=True) for x in pair),
            "\n".join(x for pair in zip(lines[5_000:], common, strict=True) for x in pair)),
        "10,000 lines, one word inserted in each": (
            "\n".join(lines), "\n".join(line.replace(" ", " ændret ", 1) for line in lines)),
        "one line of 900 KB against another": (prose(rng, 900_000), prose(rng, 900_000)),
        "three lines of 300 KB": ("\n".join(prose(rng, 300_000) for _ in range(3)),
                                  "\n".join(prose(rng, 300_000) for _ in range(3))),
        "lines of 9 KB, every word changed, spaces equal": (
            "\n".join(spaced[:100]), "\n".join(spaced[100:])),
        "the same lines in another order": ("\n".join(["x"] * 5_000 + ["y"] * 5_000), "\n".join(["y", "x"] * 5_000)),
    }


BIG_CASES = _big_cases()


@pytest.mark.parametrize("case", list(BIG_CASES))
def test_huge_texts_compare_fast_and_true(case):
    old, new = BIG_CASES[case]
    assert len(old) > 18_000 and len(new) > 18_000
    started = time.perf_counter()
    diff = compare(old, new)
    assert time.perf_counter() - started < 5  # about half a second here; difflib took from 10 s to hours
    assert diff.changed
    assert_true_to_both(diff, old, new)


def test_word_marks_of_a_huge_rewrite_still_show_the_one_changed_word():
    old, new = BIG_CASES["10,000 lines, one word inserted in each"]
    rows = compare(old, new).rows
    assert all([s.text for s in row.right if s.changed] == ["ændret "] for row in rows)
