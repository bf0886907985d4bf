"""The query text before parsing: clean it, take out filters, tame wildcards, expand synonyms."""

from __future__ import annotations

import re
import unicodedata

from toolkit.search.analysis import Lexicon, fold, folded_regex

MAX_QUERY = 500
FILTER_NAMES = {"kind": "kind", "type": "kind", "topic": "topics", "audience": "audience", "status": "status",
                "language": "language", "doctype": "doctype"}
_FILTER_RE = re.compile(r"(?<!\S)(\w+):(\S+)")


def clean_query(text: str) -> str:
    """Drop control characters, collapse whitespace, cap the length."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text)[: MAX_QUERY * 4])
    return " ".join(text.split())[:MAX_QUERY]


def split_filters(text: str) -> tuple[str, dict[str, str]]:
    """Take `kind:guide`-style filters out of the query; unknown names stay as words."""
    filters: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        name = FILTER_NAMES.get(match[1].lower())
        if name is None:
            return f"{match[1]} {match[2]}"
        filters[name] = match[2].lower().strip("\"'")
        return " "

    words = _FILTER_RE.sub(take, text)
    return " ".join(words.split()), filters


def tame_wildcards(text: str) -> str:
    """Allow only trailing `*` after two or more letters (samtyk*); other wildcards become spaces."""
    text = text.replace("?", " ")
    return re.sub(r"(?<![\w*])\*+|(?<=\W\w)\*+|^\w\*+|\*(?=\w)", " ", text).replace("**", "*")


def expand_synonyms(text: str, lexicon: Lexicon) -> str:
    """Each known term or phrase becomes (term OR "synonym" …); quoted phrases and operators are kept."""
    if not lexicon.synonyms:
        return text
    terms = sorted(lexicon.synonym_map, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(folded_regex(t) for t in terms) + r")(?![\w-])", re.IGNORECASE)

    def expand(match: re.Match[str]) -> str:
        alternatives = lexicon.synonym_map.get(fold(match[1]), ())
        words = [match[0], *alternatives]
        return "(" + " OR ".join(f'"{w}"' if " " in w or "-" in w else w for w in words) + ")"

    pieces = re.split(r'("[^"]*")', text)
    return "".join(piece if piece.startswith('"') else pattern.sub(expand, piece) for piece in pieces)
