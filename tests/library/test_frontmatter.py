import pytest

from toolkit.library.frontmatter import FrontMatterError, parse


def test_fields_body_and_lines():
    text = "---\ntitle: Hej\ntopics:\n  - a\n  - b\nrelated: [x, y]\n---\nBrødtekst\n"
    matter = parse(text)
    assert matter.data == {"title": "Hej", "topics": ["a", "b"], "related": ["x", "y"]}
    assert matter.body == "Brødtekst\n"
    assert matter.body_line == 8
    assert matter.line_of("title") == 2
    assert matter.line_of("topics", 1) == 5
    assert matter.line_of("related", 1) == 6


def test_crlf_and_byte_order_mark_are_accepted():
    matter = parse("\ufeff---\r\ntitle: Hej\r\n---\r\nTekst\r\n")
    assert matter.data["title"] == "Hej"
    assert matter.body == "Tekst\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: Hej\n", 1, "no front matter"),
    ("---\ntitle: Hej\nTekst uden afslutning\n", 1, "not closed"),
    ("---\ntitle: Hej\nsummary: [a, b\nkind: guide\n---\n", 4, "broken YAML"),
    ("---\ntitle: Hej\n  kind: guide\n---\n", 3, "broken YAML"),
    ("---\n- a\n- b\n---\n", 2, "not a list"),
])
def test_unreadable_front_matter_names_the_line(text, line, words):
    with pytest.raises(FrontMatterError) as info:
        parse(text)
    assert info.value.line == line
    assert words in info.value.message


def test_duplicate_keys_are_reported_not_silently_merged():
    matter = parse("---\ntitle: A\nkind: guide\ntitle: B\n---\n")
    assert matter.duplicate_keys == [("title", 4)]
