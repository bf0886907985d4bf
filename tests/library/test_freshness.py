"""Freshness (toolkit.library.freshness): reviews due by `review_by`, missing review months, and "tjekket <måned> <år>"
markers older than six months — on real library folders, with a fixed `today`."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import VALID_FRONT
from toolkit.config import BUNDLED_LIBRARY
from toolkit.library.folder import Library
from toolkit.library.freshness import check_warnings, due, markers_in, review_of, stale_markers

TODAY = dt.date(2026, 8, 15)


@pytest.fixture
def write(write_material):
    """A material with these review months (None leaves the field out)."""

    def write_(slug: str, reviewed: str | None = "2026-01", review_by: str | None = "2027-01", body: str = "Tekst.\n",
               status: str = "published"):
        review = "".join(f"{name}: {value}\n" for name, value in (("reviewed", reviewed), ("review_by", review_by))
                         if value is not None)
        front = (VALID_FRONT.format(title=f"Titel {slug}").replace("status: published", f"status: {status}")
                 .replace("updated: 2026-01-01\n", "updated: 2026-01-01\n" + review))
        return write_material(slug, body, front=front)

    return write_


def load(library_path) -> Library:
    library = Library.load(library_path)
    assert library.problems == [], library.problems
    return library


def reviewed_only(library: Library, *slugs: str) -> list:
    return [m for m in library.materials() if m.slug in slugs]


# -- reviews --------------------------------------------------------------------------------------------------

def test_a_passed_review_by_is_overdue_on_the_list_the_page_and_the_warnings(write, library_path):
    write("gammel", "2025-06", "2026-06")
    library = load(library_path)
    material = library.get("gammel")
    [item] = due(reviewed_only(library, "gammel"), TODAY)
    assert (item.state, item.reviewed, item.review_by, item.missing) == ("overdue", "2025-06", "2026-06", ())
    review = review_of(material, TODAY)
    assert review is not None and review.overdue and review.review_by == "2026-06"
    warnings = [str(w) for w in check_warnings(reviewed_only(library, "gammel"), TODAY)]
    assert warnings == [f"library/gammel.md:{material.line_of('review_by')}: review_by: the review was due 2026-06; "
                        "have the content reviewed by an expert, then set reviewed to that month and review_by to "
                        "the next"]


def test_a_review_due_this_month_or_next_is_listed_but_not_overdue(write, library_path):
    write("denne-maaned", review_by="2026-08")
    write("naeste-maaned", review_by="2026-09")
    write("senere", review_by="2026-10")
    library = load(library_path)
    chosen = reviewed_only(library, "denne-maaned", "naeste-maaned", "senere")
    assert [(d.material.slug, d.state) for d in due(chosen, TODAY)] == [("denne-maaned", "due"),
                                                                         ("naeste-maaned", "due")]
    assert not review_of(library.get("denne-maaned"), TODAY).overdue  # due in its own month, overdue after it
    assert review_of(library.get("denne-maaned"), dt.date(2026, 9, 1)).overdue
    assert check_warnings(chosen, TODAY) == []


def test_the_list_puts_the_longest_overdue_first(write, library_path):
    write("b-nyere", "2025-01", "2026-07")
    write("a-aeldre", "2024-01", "2025-01")
    write("c-snart", review_by="2026-09")
    write("d-uden", None, None)
    library = load(library_path)
    chosen = reviewed_only(library, "a-aeldre", "b-nyere", "c-snart", "d-uden")
    assert [(d.material.slug, d.state) for d in due(chosen, TODAY)] == [
        ("a-aeldre", "overdue"), ("b-nyere", "overdue"), ("c-snart", "due"), ("d-uden", "unscheduled")]


def test_missing_review_months_are_unscheduled_and_warned(write, library_path):
    write("uden", None, None)
    write("kun-gennemgaaet", "2026-01", None)
    write("kun-frist", None, "2027-01")
    library = load(library_path)
    chosen = reviewed_only(library, "uden", "kun-gennemgaaet", "kun-frist")
    listed = {d.material.slug: (d.state, d.missing) for d in due(chosen, TODAY)}
    assert listed == {"uden": ("unscheduled", ("reviewed", "review_by")),
                      "kun-gennemgaaet": ("unscheduled", ("review_by",))}  # kun-frist is not due
    assert review_of(library.get("uden"), TODAY) is None  # nothing to show on the page
    assert review_of(library.get("kun-frist"), TODAY).reviewed is None
    closing = library.get("uden").body_line - 1  # the closing --- of the front matter: where to add them
    warnings = [str(w) for w in check_warnings(chosen, TODAY)]
    assert f"library/uden.md:{closing}: reviewed: no reviewed or review_by; add reviewed (the month of the last " \
           "expert review, YYYY-MM) and review_by (when the next is due)" in warnings
    assert any(w.startswith("library/kun-gennemgaaet.md:") and "review_by: no review_by;" in w for w in warnings)
    assert any(w.startswith("library/kun-frist.md:") and "reviewed: no reviewed;" in w for w in warnings)
    assert len(warnings) == 3


def test_a_retired_material_is_never_due(write, library_path):
    write("udgaaet", "2020-01", "2021-01", status="retired")
    library = load(library_path)
    chosen = reviewed_only(library, "udgaaet")
    assert due(chosen, TODAY) == [] and check_warnings(chosen, TODAY) == []
    assert review_of(library.get("udgaaet"), TODAY).overdue is False


def test_a_library_can_be_given_whole(write, library_path):
    write("gammel", "2025-06", "2026-06")
    library = load(library_path)
    assert [d.material.slug for d in due(library, TODAY) if d.state == "overdue"] == ["gammel"]


def test_every_bundled_material_carries_its_review_months():
    library = Library.load(BUNDLED_LIBRARY)
    assert [d.material.slug for d in due(library, dt.date(2026, 12, 1)) if d.state == "unscheduled"] == []


# -- "tjekket" markers -------------------------------------------------------------------------------------------

MARKED = """\
Indledning.

> Materialet er vejledning. Status er tjekket i
> januar 2026; kontrollér den aktuelle status.

Regel A (tjekket november 2025). Regel B, Tjekket i december 2025: noget.
Regel C (tjekket februar 2026) og regel D (TJEKKET MARTS 2026).
Da vi tjekkede i november 2025, var det ikke vedtaget.
Tjekket skal indgå i tidsplanen. Det blev tjekket 2025. Vi har tjekket juli.
"""


def test_markers_are_found_with_their_line_month_and_age(write, library_path):
    path = write("markeret", body=MARKED)
    library = load(library_path)
    material = library.get("markeret")
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [(m.line, m.text, m.month, m.age_months) for m in markers_in(material, TODAY)]
    first = material.body_line
    assert found == [
        (first + 2, "tjekket i januar 2026", "2026-01", 7),  # wrapped across a block quote's lines
        (first + 5, "tjekket november 2025", "2025-11", 9),
        (first + 5, "Tjekket i december 2025", "2025-12", 8),
        (first + 6, "tjekket februar 2026", "2026-02", 6),
        (first + 6, "TJEKKET MARTS 2026", "2026-03", 5),
        (first + 7, "tjekkede i november 2025", "2025-11", 9),
    ]
    assert "tjekket i" in lines[first + 2 - 1]  # the reported line is the file's line of the marker
    quoted = markers_in(material, TODAY)[0].context
    assert quoted.startswith("Materialet er vejledning.") and "tjekket i januar 2026; kontrollér" in quoted
    assert ">" not in quoted


def test_only_markers_older_than_six_months_are_stale(write, library_path):
    write("markeret", body=MARKED)
    library = load(library_path)
    stale = [(m.text, m.age_months) for m in stale_markers(library, TODAY)]
    assert stale == [("tjekket i januar 2026", 7), ("tjekket november 2025", 9), ("Tjekket i december 2025", 8),
                     ("tjekkede i november 2025", 9)]  # februar 2026 is exactly six months old: not yet
    assert [m.text for m in stale_markers(library, TODAY, months=8)] == ["tjekket november 2025",
                                                                         "tjekkede i november 2025"]


def test_stale_markers_are_warned_with_file_line_and_marker(write, library_path):
    write("markeret", "2026-06", "2027-06", body=MARKED)
    library = load(library_path)
    line = library.get("markeret").body_line + 5
    warnings = [str(w) for w in check_warnings(reviewed_only(library, "markeret"), TODAY)]
    assert f"library/markeret.md:{line}: tjekket: 'tjekket november 2025' is 9 months old (more than 6); " \
           "check the statement again and update the month" in warnings
    assert len(warnings) == 4  # the four stale markers; the review months are fine


def test_a_long_line_is_cut_around_the_marker(write, library_path):
    body = "| Rute | " + "meget lang celle " * 30 + "(tjekket januar 2026) | " + "mere tekst " * 30 + "|\n"
    write("tabel", body=body)
    [marker] = markers_in(load(library_path).get("tabel"), TODAY)
    assert marker.context.startswith("…") and marker.context.endswith("…")
    assert "(tjekket januar 2026)" in marker.context and len(marker.context) < 200
