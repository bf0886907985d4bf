"""'Mente du …?': a vocabulary of the words in the indexed public texts and a small edit-distance corrector.

Which texts count is the search index's decision (toolkit/search/index.py adds only documents that readers who
are not signed in can find, so a suggestion never reveals a word that only a draft holds).

Kept beside the index as JSON rather than as a Whoosh spelling field: indexing every word a second time
cost about a fifth of a full build; counting words with one regular expression costs a few percent.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import Counter
from pathlib import Path

from toolkit.search.analysis import fold

WORD_RE = re.compile(r"[^\W\d_]{3,}")
MAX_DISTANCE = 2

log = logging.getLogger(__name__)


def count_words(raw: Counter[str], text: str) -> None:
    """Count a text's words into `raw` (unfolded: folding happens once per distinct word in add_counts)."""
    raw.update(WORD_RE.findall(text.lower()))


class Vocabulary:
    def __init__(self, counts: Counter[str] | None = None):
        self.counts: Counter[str] = counts or Counter()
        self._by_first: dict[str, list[str]] | None = None

    def add(self, *texts: str) -> None:
        """Count the words of these texts (folding each distinct word once, not every occurrence)."""
        raw: Counter[str] = Counter()
        for text in texts:
            count_words(raw, text)
        self.add_counts(raw)

    def add_counts(self, raw: Counter[str]) -> None:
        """Add word counts gathered with count_words."""
        for word, count in raw.items():
            self.counts[fold(word)] += count
        self._by_first = None

    def known(self, word: str) -> bool:
        return fold(word) in self.counts

    def suggest(self, word: str) -> str | None:
        """The most frequent known word within two edits (same first letter), or None."""
        word = fold(word)
        if word in self.counts or len(word) < 3:
            return None
        if self._by_first is None:
            self._by_first = {}
            for known in self.counts:
                self._by_first.setdefault(known[0], []).append(known)
        best: tuple[int, int, str] | None = None
        for candidate in self._by_first.get(word[0], ()):
            if abs(len(candidate) - len(word)) > MAX_DISTANCE:
                continue
            distance = edit_distance(word, candidate, MAX_DISTANCE)
            if distance <= MAX_DISTANCE:
                key = (distance, -self.counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def save(self, path: Path) -> None:
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(self.counts, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """The saved vocabulary; an empty one (no suggestions until the next save) when the file is missing,
        unreadable or not an object of word counts."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("vocabulary %s is unreadable (%s); no suggestions until the index is saved again", path, exc)
            return cls()
        if not isinstance(data, dict) or not all(
                isinstance(word, str) and word and type(count) is int and count > 0 for word, count in data.items()):
            log.warning("vocabulary %s is not an object of word counts; no suggestions until the index is saved "
                        "again", path)
            return cls()
        return cls(Counter(data))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count once), giving up early past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
