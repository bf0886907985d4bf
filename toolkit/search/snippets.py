"""Search snippets without re-analysing whole documents: find the query's stems in the stored plain text
with one regular expression, pick the window that holds the most different stems of the words the reader typed,
then of all (synonyms add stems; earliest on a tie), start it at its sentence or line, and mark the matches.

Whoosh's own highlighter re-tokenises each stored body (the largest cost of a query at 10,000 documents);
a stem is the start of every inflected form, and often sits inside a compound, so a regex finds them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.search.analysis import fold

MAX_MATCHES = 60
MAX_TEXT = 200_000  # characters of a text looked at


@dataclass(frozen=True)
class StemPattern:
    regex: re.Pattern[str]
    stems: tuple[str, ...]  # longest first, as in the regex
    enough: int = 0         # this many different stems in one window is the best to hope for (0: all)
    typed: frozenset[str] = frozenset()  # the stems inside the words the reader typed (not synonyms); empty: all
    whole: frozenset[str] = frozenset()  # of those, each typed word's own (longest) stem, not a compound part
    whole_regex: re.Pattern[str] | None = None  # the whole words alone: found past MAX_MATCHES common matches

    def wanted(self) -> int:
        """The number of the reader's whole words a window can hope to hold."""
        whole = self.whole or self.typed or self.stems
        return min(self.enough, len(whole)) if self.enough else len(whole)

    def stems_in(self, word: str) -> tuple[str, ...]:
        """Every stem a matched word holds: "dataadgang" holds the reader's "data" and "adgang" as well."""
        folded = fold(word)
        return tuple(stem for stem in self.stems if stem in folded) or (folded,)


def stem_pattern(stems: Iterable[str], enough: int = 0, words: Iterable[str] = ()) -> StemPattern | None:
    """One pattern for all stems: long stems anywhere in a word, short ones only as a word's start.

    `enough`: the number of words the reader typed; synonyms and compound parts add stems that seldom all
    meet, so a window with as many different stems as typed words is as good as it gets. `words`: the words
    typed; a stem inside one of them is the reader's own, and a window with the reader's own word beats one
    with only a synonym of it (for `RKKP`, a snippet about "kliniske kvalitetsdatabaser" without RKKP), and
    one with the whole word beats one with a part of it ("patientdata" over "sundhedsdata")."""
    ordered = tuple(sorted({s for s in stems if s}, key=len, reverse=True))
    if not ordered:
        return None
    folded = [fold(word) for word in words]
    typed = frozenset(stem for stem in ordered if any(stem in word for word in folded))
    whole = frozenset(filter(None, (next((stem for stem in ordered if stem in word), None) for word in folded)))
    return StemPattern(_regex(ordered), ordered, enough, typed, whole,
                       _regex(tuple(stem for stem in ordered if stem in whole)) if whole else None)


def _regex(stems: tuple[str, ...]) -> re.Pattern[str]:
    pieces = [rf"\w*{_unfolded(s)}\w*" if len(s) >= 4 else rf"\b{_unfolded(s)}\w{{0,3}}\b" for s in stems]
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in pieces) + r")(?!\w)", re.IGNORECASE)


# What a folded letter (pair) may have been in the text: fold() writes æ, ø, å and a few accents the ASCII way.
_UNFOLD = {"ae": "(?:ae|æ|ä)", "oe": "(?:oe|ø|ö)", "aa": "(?:aa|å)", "e": "[eéè]", "u": "[uü]"}
_UNFOLD_RE = re.compile("ae|oe|aa|e|u|.", re.DOTALL)


def _unfolded(folded: str) -> str:
    """Regex source matching a folded stem in the text as written ('komite' matches 'komitéen')."""
    return "".join(_UNFOLD.get(piece) or re.escape(piece) for piece in _UNFOLD_RE.findall(folded))


def snippet(text: str, pattern: StemPattern | None, width: int = 240) -> str:
    """HTML: about `width` characters around the matches of the most different stems, matches in <mark>,
    starting where the sentence or line of the first match starts when that is near (a table row, read as
    "label: cell; cell.", then starts at its label) and ending at a sentence's end when one is near."""
    if pattern is None:
        return ""
    window, score, scanned = _best_window(text, pattern, width)
    if scanned is not None and pattern.whole_regex is not None and score[0] < pattern.wanted():
        # The first MAX_MATCHES matches (a common word, a compound part) lacked a whole word the reader typed:
        # look for one further on, and take its window if it holds more.
        later = pattern.whole_regex.search(text, scanned, MAX_TEXT)
        if later is not None:
            again, more, _ = _best_window(text, pattern, width, later.start())
            window = again if more > score else window
    if window is None:
        return ""
    begin = _begin(text, *window, width)
    limit = min(len(text), begin + width)
    marks = [match for match in pattern.regex.finditer(text, begin, limit) if match.end() < limit]
    end = _end(text, begin, limit, max([begin + 2 * width // 3] + [match.end() for match in marks]))
    out = ["… " if begin else ""]
    cursor = begin
    for match in marks:
        if match.end() > end:
            break
        out.append(html.escape(text[cursor:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        cursor = match.end()
    out.append(html.escape(text[cursor:end]))
    out.append(" …" if end < len(text) else "")
    return " ".join("".join(out).split())


# A sentence ends at . ! ? or … before a capital (not "art. 5" or "stk. 2"), and a line at its newline.
_BREAK = re.compile(r"[.!?…](?=\s+[\"'«(\[]?[A-ZÆØÅ])|\n")


def _begin(text: str, first: int, last: int, width: int) -> int:
    """The snippet's start, so that the window's matches (`first` to `last`) fit: after the last sentence or
    line break at most width/2 before the first match, else the text's start when that is as near; for a wide
    window without room before it, the first sentence inside it; else a word's start before the match."""
    lowest = max(0, last - width)  # any earlier, and the window's last match is cut off
    floor = max(lowest, first - width // 2)
    before = [m.end() for m in _BREAK.finditer(text, floor, min(len(text), first + 2)) if m.end() <= first]
    if before:
        return _past_space(text, before[-1])
    if floor == 0:
        return 0
    if floor == lowest:
        inside = next((m.end() for m in _BREAK.finditer(text, first, last) if m.end() < last), None)
        if inside is not None:
            return _past_space(text, inside)
    begin = max(lowest, first - width // 4)
    space = text.find(" ", begin)
    return space + 1 if 0 <= space < first else begin


def _past_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _end(text: str, begin: int, limit: int, after: int) -> int:
    """The snippet's end: the last sentence's end between `after` (the last match, or two thirds of the way)
    and `limit`, else the last word boundary before `limit`."""
    if limit == len(text):
        return limit
    breaks = [m.end() for m in _BREAK.finditer(text, after, min(len(text), limit + 2)) if m.end() <= limit]
    if breaks:
        return breaks[-1]
    space = text.rfind(" ", begin, limit)
    return space if space > begin else limit


def _best_window(text: str, pattern: StemPattern, width: int, offset: int = 0
                 ) -> tuple[tuple[int, int] | None, tuple[int, int, int], int | None]:
    """Where the reader's whole words in the best window start and end: the earliest window of `width`
    characters with the most of the reader's whole words, then the most different stems of the reader's words,
    then of all; its score; and, when the scan stopped at MAX_MATCHES, where it stopped.

    One pass with two pointers over the matches, read lazily: it stops as soon as a window holds as many of
    the reader's whole words as can be hoped for, so a common word costs one match, not every occurrence in a
    long text; and it looks at no more than MAX_MATCHES matches (stems that never meet would otherwise cost a
    scan of the whole text).
    """
    found = pattern.regex.finditer(text, offset, MAX_TEXT)
    matches: list[tuple[int, int, tuple[str, ...]]] = []
    counts: dict[str, int] = {}
    typed = pattern.typed or frozenset(pattern.stems)
    whole = pattern.whole or typed
    want = pattern.wanted()
    best, best_score = None, (0, 0, 0)
    words = own = 0  # different whole typed words, and different stems of typed words, in the current window
    ahead = 0  # matches[:ahead] are counted in the current window

    def fetch() -> bool:
        if len(matches) >= MAX_MATCHES:
            return False
        match = next(found, None)
        if match is None:
            return False
        matches.append((match.start(), match.end(), pattern.stems_in(match.group(0))))
        return True

    first = 0
    while first < len(matches) or fetch():
        start = matches[first][0]
        while ahead < len(matches) or fetch():
            if matches[ahead][0] >= start + width:
                break
            for stem in matches[ahead][2]:
                counts[stem] = counts.get(stem, 0) + 1
                if counts[stem] == 1:
                    own += stem in typed
                    words += stem in whole
            ahead += 1
        if (words, own, len(counts)) > best_score:
            best, best_score = _span(matches[first:ahead], whole), (words, own, len(counts))
            if words >= want:
                break
        for stem in matches[first][2]:
            counts[stem] -= 1
            if not counts[stem]:
                del counts[stem]
                own -= stem in typed
                words -= stem in whole
        first += 1
    capped = len(matches) >= MAX_MATCHES and best_score[0] < want
    return best, best_score, matches[-1][1] if capped else None


def _span(window: list[tuple[int, int, tuple[str, ...]]], whole: frozenset[str]) -> tuple[int, int]:
    """What the snippet must show of a window: from its first match of a whole word the reader typed to the
    match by which it has shown each of the window's whole words once (all of it when it has none)."""
    chosen = [match for match in window if whole.intersection(match[2])]
    if not chosen:
        return window[0][0], window[-1][1]
    wanted = {stem for match in chosen for stem in match[2] if stem in whole}
    seen: set[str] = set()
    for match in chosen:
        seen.update(whole.intersection(match[2]))
        if seen >= wanted:
            return chosen[0][0], match[1]
    return chosen[0][0], chosen[-1][1]
