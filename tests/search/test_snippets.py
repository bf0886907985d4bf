"""Snippets: the window with the most different query stems, earliest on a tie, matches marked."""

from toolkit.search.snippets import snippet, stem_pattern


def test_the_window_with_most_different_stems_wins():
    filler = "ord " * 80
    text = f"Samtykke står først. {filler} Her står samtykke og journal sammen. {filler} Journal til sidst."
    html = snippet(text, stem_pattern(["samtyk", "journal"]), width=80)
    assert "<mark>samtykke</mark> og <mark>journal</mark>" in html
    assert html.startswith("… ")


def test_the_earliest_window_wins_a_tie_and_long_texts_stop_early():
    text = "Data i starten. " + "fyld " * 5000 + "Data igen."
    html = snippet(text, stem_pattern(["data"]), width=60)
    assert html.startswith("<mark>Data</mark> i starten")
    assert html.endswith(" …")


def test_matches_are_escaped_and_no_match_gives_nothing():
    assert snippet("<b>data</b> & mere", stem_pattern(["data"])) == "&lt;b&gt;<mark>data</mark>&lt;/b&gt; &amp; mere"
    assert snippet("intet her", stem_pattern(["data"])) == ""
    assert snippet("data", None) == ""
