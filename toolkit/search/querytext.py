"""The query text before parsing: clean it, take out filters, tame wildcards, expand synonyms."""

from __future__ import annotations

import functools
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
    pattern = _synonym_pattern(lexicon)

    def expand(match: re.Match[str]) -> str:
        return "(" + " OR ".join(_quoted(w) for w in _alternatives(match, lexicon)) + ")"

    pieces = re.split(r'("[^"]*")', text)
    return "".join(piece if piece.startswith('"') else pattern.sub(expand, piece) for piece in pieces)


def synonym_groups(text: str, lexicon: Lexicon) -> list[str | list[str]] | None:
    """The query text as plain pieces and synonym groups (each a list of query strings: the words typed, then
    their synonyms), for scoring a group as one concept (toolkit/search/scoring.py); None when the text has
    quotes, parentheses or operators, which expand_synonyms keeps as typed."""
    if re.search(r'["()]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b', text):
        return None
    if not lexicon.synonyms:
        return [text]
    out: list[str | list[str]] = []
    position = 0
    for match in _synonym_pattern(lexicon).finditer(text):
        out += [text[position:match.start()], [_quoted(w) for w in _alternatives(match, lexicon)]]
        position = match.end()
    return [*out, text[position:]]


def _alternatives(match: re.Match[str], lexicon: Lexicon) -> list[str]:
    return [match[0], *lexicon.synonym_map.get(fold(match[1]), ())]


def _quoted(word: str) -> str:
    return f'"{word}"' if " " in word or "-" in word else word


def _synonym_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    return _compiled_pattern(tuple(sorted(lexicon.synonym_map, key=len, reverse=True)))


@functools.lru_cache(maxsize=8)
def _compiled_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(folded_regex(t) for t in terms) + r")(?![\w-])", re.IGNORECASE)
