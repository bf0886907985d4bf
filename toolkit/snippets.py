"""Search snippets without re-analysing whole documents: find the query's stems in the stored plain text
with one regular expression, pick the window with the most different matches, mark them.

Whoosh's own highlighter re-tokenises each stored body (the largest cost of a query at 10,000 documents);
a stem is the start of every inflected form, and often sits inside a compound, so a regex finds them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from toolkit.analysis import folded_regex


def stem_pattern(stems: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all stems: long stems anywhere in a word, short ones only as a word's start."""
    pieces = []
    for stem in sorted({s for s in stems if s}, key=len, reverse=True):
        body = folded_regex(stem)
        pieces.append(rf"\w*{body}\w*" if len(stem) >= 4 else rf"\b{body}\w{{0,3}}\b")
    if not pieces:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in pieces) + r")(?!\w)", re.IGNORECASE)


def snippet(text: str, pattern: re.Pattern[str] | None, width: int = 240) -> str:
    """HTML: about `width` characters around the densest cluster of matches, matches in <mark>."""
    if pattern is None:
        return ""
    matches = [(m.start(), m.end(), m.group(0).lower()) for m in pattern.finditer(text, 0, 200_000)]
    if not matches:
        return ""
    best_start, best_score = matches[0][0], 0
    for i, (start, _, _) in enumerate(matches):
        words = {word for s, _, word in matches[i:] if s < start + width}
        if len(words) > best_score:
            best_start, best_score = start, len(words)
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
