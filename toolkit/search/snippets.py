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

from toolkit.search.analysis import fold, folded_regex

MAX_MATCHES = 60


@dataclass(frozen=True)
class StemPattern:
    regex: re.Pattern[str]
    stems: tuple[str, ...]  # longest first, as in the regex
    enough: int = 0         # this many different stems in one window is the best to hope for (0: all)

    def stem_of(self, word: str) -> str:
        folded = fold(word)
        return next((stem for stem in self.stems if stem in folded), folded)


def stem_pattern(stems: Iterable[str], enough: int = 0) -> StemPattern | None:
    """One pattern for all stems: long stems anywhere in a word, short ones only as a word's start.

    `enough`: the number of words the reader typed; synonyms and compound parts add stems that seldom all
    meet, so a window with as many different stems as typed words is as good as it gets."""
    ordered = tuple(sorted({s for s in stems if s}, key=len, reverse=True))
    if not ordered:
        return None
    pieces = [rf"\w*{folded_regex(s)}\w*" if len(s) >= 4 else rf"\b{folded_regex(s)}\w{{0,3}}\b" for s in ordered]
    regex = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in pieces) + r")(?!\w)", re.IGNORECASE)
    return StemPattern(regex, ordered, enough)


def snippet(text: str, pattern: StemPattern | None, width: int = 240) -> str:
    """HTML: about `width` characters around the matches of the most different stems, matches in <mark>."""
    if pattern is None:
        return ""
    best_start = _best_window(text, pattern, width)
    if best_start is None:
        return ""
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
    for match in pattern.regex.finditer(text, begin, end):
        out.append(html.escape(text[cursor:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        cursor = match.end()
    out.append(html.escape(text[cursor:end]))
    out.append(" …" if end < len(text) else "")
    return " ".join("".join(out).split())


def _best_window(text: str, pattern: StemPattern, width: int) -> int | None:
    """Start of the earliest match whose window of `width` characters holds the most different stems.

    One pass with two pointers over the matches, read lazily: it stops as soon as a window holds every
    stem, so a common word costs one match, not every occurrence in a long text; and it looks at no more
    than MAX_MATCHES matches (stems that never meet would otherwise cost a scan of the whole text).
    """
    found = pattern.regex.finditer(text, 0, 200_000)
    matches: list[tuple[int, str]] = []
    counts: dict[str, int] = {}
    want = min(pattern.enough, len(pattern.stems)) if pattern.enough else len(pattern.stems)
    best_start, best_score = None, 0
    ahead = 0  # matches[:ahead] are counted in the current window

    def fetch() -> bool:
        if len(matches) >= MAX_MATCHES:
            return False
        match = next(found, None)
        if match is None:
            return False
        matches.append((match.start(), pattern.stem_of(match.group(0))))
        return True

    first = 0
    while first < len(matches) or fetch():
        start = matches[first][0]
        while ahead < len(matches) or fetch():
            if matches[ahead][0] >= start + width:
                break
            stem = matches[ahead][1]
            counts[stem] = counts.get(stem, 0) + 1
            ahead += 1
        if len(counts) > best_score:
            best_start, best_score = start, len(counts)
            if best_score >= want:
                break
        stem = matches[first][1]
        counts[stem] -= 1
        if not counts[stem]:
            del counts[stem]
        first += 1
    return best_start
