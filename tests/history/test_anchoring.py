"""Where a comment belongs in a text that keeps changing: blocks of a body (toolkit.library.blocks) and anchors
found again after edits, moves and deletions (toolkit.history.anchoring), on real Markdown through the real
parser."""

from __future__ import annotations

from toolkit.history.anchoring import CONTEXT_MAX, QUOTE_MAX, anchor_for, locate
from toolkit.library.blocks import BlockParser, text_fingerprint
from toolkit.library.render import LinkTargets, Renderer

BODY = """\
Denne vejledning beskriver adgang til data. Se også [[samtykke]].

## Forskning

Ansøg om godkendelse hos den videnskabsetiske komité, før data udleveres.

Projektet skal have en dataansvarlig og en skriftlig aftale med regionen.

| Rute | Godkender |
| :--- | ---: |
| Forskning | Komité |

## Drift

- Afklar hjemmel
- Lav aftale

Kvalitetsarbejde i drift kræver en ledelsesbeslutning og en databehandleraftale.
"""

PARSER = BlockParser()


def blocks(body: str = BODY):
    return PARSER.blocks(body)


def index_of(found, text: str) -> int:
    return next(b.index for b in found if b.text.startswith(text))


def anchor_on(text: str, body: str = BODY):
    found = blocks(body)
    return anchor_for(found, index_of(found, text), "abc1234")


# -- blocks ----------------------------------------------------------------------------------------------------

def test_a_body_is_split_into_its_top_level_blocks_with_sections_and_heading_ids():
    found = blocks()
    assert [b.kind for b in found] == ["paragraph", "heading", "paragraph", "paragraph", "table", "heading", "list",
                                      "paragraph"]
    assert [b.index for b in found] == list(range(8))
    heading = found[1]
    assert (heading.text, heading.heading_id, heading.level, heading.section) == ("Forskning", "forskning", 2,
                                                                                 "Forskning")
    assert found[0].section == "" and found[3].section == "Forskning" and found[7].section == "Drift"
    assert found[0].text == "Denne vejledning beskriver adgang til data. Se også samtykke."  # no Markdown marks
    assert found[4].text == "Rute Godkender Forskning Komité"
    assert found[6].text == "Afklar hjemmel Lav aftale"


def test_the_blocks_html_joined_is_the_readers_page():
    body = BODY + "\nEn fodnote.[^1]\n\n---\n\n[^1]: Sundhedsloven § 46.\n\n<script>alert(1)</script>\n"
    targets = LinkTargets({"samtykke": "Samtykke"})
    parts = PARSER.render(body, targets)
    assert "".join(html for _block, html in parts) == Renderer().render(body, targets).html
    assert '<h2 id="forskning">' in parts[1][1]
    assert "<script>" not in "".join(html for _block, html in parts)
    kinds = [block.kind for block, _html in parts]
    assert "rule" in kinds and "footnotes" in kinds
    rule = next(block for block, _html in parts if block.kind == "rule")
    assert not rule.commentable  # a thematic break is shown, never commented on


def test_a_fingerprint_is_blind_to_case_and_spacing_only():
    assert text_fingerprint("Ansøg  om\nGodkendelse") == text_fingerprint("ansøg om godkendelse")
    assert text_fingerprint("Ansøg om godkendelse") != text_fingerprint("Ansøg om godkendelse.")


# -- anchors ---------------------------------------------------------------------------------------------------

def test_an_anchor_keeps_the_passage_its_section_and_its_neighbours():
    anchor = anchor_on("Projektet skal")
    assert anchor.kind == "paragraph" and anchor.section == "Forskning" and anchor.revision == "abc1234"
    assert anchor.text.startswith("Projektet skal") and anchor.before.startswith("Ansøg om")
    assert anchor.after == "Rute Godkender Forskning Komité"
    heading = anchor_on("Drift")
    assert heading.kind == "heading" and heading.heading == "drift"


def test_an_anchor_keeps_bounded_texts():
    long = "Ord " * 2000
    body = f"{long}\n\n## Midt\n\n{long}x\n"
    anchor = anchor_on("Midt", body)
    assert len(anchor.before) == CONTEXT_MAX and len(anchor.after) == CONTEXT_MAX
    assert len(anchor_for(blocks(body), 0).text) == QUOTE_MAX


def test_there_is_no_anchor_on_a_block_that_is_not_there_or_a_rule():
    found = blocks("Et afsnit.\n\n---\n\nEt andet.\n")
    for index in (1, 3, -1, 99):
        try:
            anchor_for(found, index)
        except ValueError:
            continue
        raise AssertionError(f"block {index} was accepted")


def test_the_unchanged_text_finds_every_anchor_where_it_was():
    found = blocks()
    for block in found:
        assert locate(anchor_for(found, block.index), found).index == block.index


def test_an_edited_paragraph_keeps_its_comment():
    anchor = anchor_on("Ansøg om")
    edited = BODY.replace("før data udleveres", "inden nogen data udleveres til projektet")
    found = locate(anchor, blocks(edited))
    assert found is not None and found.text.startswith("Ansøg om godkendelse")


def test_a_moved_paragraph_keeps_its_comment():
    anchor = anchor_on("Projektet skal")
    paragraph = "Projektet skal have en dataansvarlig og en skriftlig aftale med regionen.\n\n"
    moved = BODY.replace(paragraph, "") + "\n" + paragraph
    found = locate(anchor, blocks(moved))
    assert found is not None and found.text.startswith("Projektet skal") and found.section == "Drift"


def test_a_moved_and_slightly_edited_paragraph_is_found_by_its_text():
    anchor = anchor_on("Projektet skal")
    paragraph = "Projektet skal have en dataansvarlig og en skriftlig aftale med regionen.\n\n"
    moved = BODY.replace(paragraph, "") + "\nProjektet skal have en dataansvarlig og en skriftlig aftale med region.\n"
    found = locate(anchor, blocks(moved))
    assert found is not None and found.text.startswith("Projektet skal")


def test_a_deleted_paragraph_makes_its_comment_outdated():
    anchor = anchor_on("Projektet skal")
    deleted = BODY.replace("Projektet skal have en dataansvarlig og en skriftlig aftale med regionen.\n\n", "")
    assert locate(anchor, blocks(deleted)) is None


def test_a_paragraph_rewritten_beyond_recognition_is_outdated():
    anchor = anchor_on("Kvalitetsarbejde")
    rewritten = BODY.replace("Kvalitetsarbejde i drift kræver en ledelsesbeslutning og en databehandleraftale.",
                             "Spørg sekretariatet om hjælp.")
    assert locate(anchor, blocks(rewritten)) is None


def test_a_renamed_heading_is_found_among_headings_only():
    anchor = anchor_on("Forskning")
    renamed = BODY.replace("## Forskning", "## Forskningen")
    found = locate(anchor, blocks(renamed))
    assert found is not None and found.kind == "heading" and found.text == "Forskningen"
    gone = BODY.replace("## Forskning\n\n", "")
    assert locate(anchor, blocks(gone)) is None  # the table row "Forskning" is no heading


def test_of_two_equal_paragraphs_the_one_in_the_old_company_is_chosen():
    body = "## A\n\nSe bilaget.\n\nMere om A.\n\n## B\n\nSe bilaget.\n\nMere om B.\n"
    found = blocks(body)
    anchor = anchor_for(found, 4)  # "Se bilaget." under B
    assert locate(anchor, found).index == 4
    shifted = blocks("Indledning.\n\n" + body)
    assert locate(anchor, shifted).section == "B"


def test_an_empty_text_has_no_place_for_any_anchor():
    assert locate(anchor_on("Ansøg om"), blocks("")) is None
