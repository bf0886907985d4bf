"""Search snippets without re-analysing whole documents: find the query's stems in the stored plain text
with one regular expression, pick the window that holds the most different stems (earliest on a tie), and
mark the matches.

Whoosh's own highlighter re-tokenises each stored body (the largest cost of a query at 10,000 documents);
a stem is the start of every inflected form, and often sits inside a compound, so a regex finds them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.analysis import fold, folded_regex


@dataclass(frozen=True)
class StemPattern:
    regex: re.Pattern[str]
    stems: tuple[str, ...]  # longest first, as in the regex

    def stem_of(self, word: str) -> str:
        folded = fold(word)
        return next((stem for stem in self.stems if stem in folded), folded)


def stem_pattern(stems: Iterable[str]) -> StemPattern | None:
    """One pattern for all stems: long stems anywhere in a word, short ones only as a word's start."""
    ordered = tuple(sorted({s for s in stems if s}, key=len, reverse=True))
    if not ordered:
        return None
    pieces = [rf"\w*{folded_regex(s)}\w*" if len(s) >= 4 else rf"\b{folded_regex(s)}\w{{0,3}}\b" for s in ordered]
    regex = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in pieces) + r")(?!\w)", re.IGNORECASE)
    return StemPattern(regex, ordered)


def snippet(text: str, pattern: StemPattern | None, width: int = 240) -> str:
    """HTML: about `width` characters around the matches of the most different stems, matches in <mark>."""
    if pattern is None:
        return ""
    matches = [(m.start(), m.end(), pattern.stem_of(m.group(0))) for m in pattern.regex.finditer(text, 0, 200_000)]
    if not matches:
        return ""
    best_start, best_score = matches[0][0], 0
    for i, (start, _, _) in enumerate(matches):
        score = len({stem for s, _, stem in matches[i:] if s < start + width})
        if score > best_score:
            best_start, best_score = start, score
    begin = max(0, best_start - width // 4)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < best_start else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    out = ["… " if begin else ""]
    cursor = begin
    for start, stop, _ in matches:
        if start < begin or stop > end:
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
        cursor = stop
    out.append(html.escape(text[cursor:end]))
    out.append(" …" if end < len(text) else "")
    return " ".join("".join(out).split())
