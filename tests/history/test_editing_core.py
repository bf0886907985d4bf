"""An edit form ↔ a material file: only changed fields are rewritten, every other line stays as written."""

from __future__ import annotations

from toolkit.library.editing import compose, split
from toolkit.library.frontmatter import drop_fields, parse

TEXT = """---
title: Samtykke
kind: guide
summary: >-
  Et foldet resumé over
  to linjer.
topics: [consent, law]
audience: [researchers]
working_group: dataadgang
related: [a, b]
---

Brødtekst.
"""


def test_unchanged_fields_give_back_the_same_text():
    _front, body = split(TEXT)
    fields = {"title": "Samtykke", "summary": "Et foldet resumé over to linjer.", "kind": "guide",
              "topics": ["law", "consent"], "audience": ["researchers"], "working_group": "dataadgang"}
    assert compose(TEXT, fields, body) == TEXT and body.startswith("\n")


def test_changed_fields_are_quoted_and_lists_keep_their_order():
    _front, body = split(TEXT)
    text = compose(TEXT, {"title": 'Nyt: "samtykke" #1', "topics": ["ethics", "law", "consent"],
                          "working_group": ""}, body + "Mere.\n")
    data = parse(text).data
    assert data["title"] == 'Nyt: "samtykke" #1' and data["topics"] == ["consent", "law", "ethics"]
    assert "working_group" not in data and data["related"] == ["a", "b"]
    assert "summary: >-\n  Et foldet resumé over\n  to linjer.\n" in text and text.endswith("Brødtekst.\nMere.\n")


def test_drop_fields_takes_continuation_lines_with_it():
    text = drop_fields(TEXT, {"summary", "related"})
    assert "resumé" not in text and "related" not in text and "topics: [consent, law]" in text


def test_questions_are_a_block_list_whose_order_counts():
    _front, body = split(TEXT)
    text = compose(TEXT, {"questions": ["hvem melder fejlen", "  ", "må vi: ja # nej", "42"]}, body)
    data = parse(text).data
    assert data["questions"] == ["hvem melder fejlen", "må vi: ja # nej", "42"]  # typed text stays text
    assert "questions:\n  - hvem melder fejlen\n" in text
    assert compose(text, {"questions": ["hvem melder fejlen", "må vi: ja # nej", "42"]}, body) == text
    swapped = compose(text, {"questions": ["42", "hvem melder fejlen", "må vi: ja # nej"]}, body)
    assert parse(swapped).data["questions"] == ["42", "hvem melder fejlen", "må vi: ja # nej"]  # a new order saves
    assert "questions" not in parse(compose(text, {"questions": []}, body)).data  # emptied: the field goes
