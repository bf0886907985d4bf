"""'Mente du …?': a vocabulary of the words in the indexed public texts and a small edit-distance corrector,
and the words it must never rewrite (known English/technical terms; the synonym table's words).

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

# Letters glued to digits ("2025/0359(COD)", "ISO13485") are part of a code, not a word of the library.
WORD_RE = re.compile(r"(?<!\w)(?<!\d[(/\[])[^\W\d_]{3,}(?!\w)")
MAX_DISTANCE = 2
MIN_CANDIDATE = 4  # shorter library words are abbreviations and small words: never a correction
# Terms readers type that the library may not use; correcting them would only find unrelated words
# ("cloud" was once shown as "cod"). Folded, lowercase.
KNOWN_TERMS = frozenset({
    "ai", "api", "apis", "app", "apps", "aws", "azure", "bert", "chatbot", "chatgpt", "claude", "cloud", "copilot",
    "cpu", "csv", "dicom", "docker", "ehr", "emr", "epic", "excel", "fhir", "gemini", "github", "google", "gpt",
    "gpu", "hl7", "json", "kubernetes", "llama", "llm", "llms", "microsoft", "mistral", "ml", "nlp", "ocr",
    "openai", "python", "pytorch", "saas", "sandbox", "snomed", "sql", "tensorflow", "transformer", "xml",
})

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
        """The closest, then most frequent, known word (see candidates), or None."""
        found = self.candidates(word)
        return found[0][1] if found else None

    def candidates(self, word: str, limit: int = 10) -> list[tuple[int, str]]:
        """(edit distance, known word) for the known words close to an unknown `word`: same first letter, of at
        least MIN_CANDIDATE letters, within max_distance; closest first, then the most frequent."""
        word = fold(word)
        if word in self.counts or len(word) < 3:
            return []
        if self._by_first is None:
            self._by_first = {}
            for known in self.counts:
                if len(known) >= MIN_CANDIDATE:
                    self._by_first.setdefault(known[0], []).append(known)
        allowed = max_distance(word)
        found = []
        for candidate in self._by_first.get(word[0], ()):
            if abs(len(candidate) - len(word)) > allowed:
                continue
            distance = edit_distance(word, candidate, allowed)
            if distance <= allowed:
                found.append((distance, -self.counts[candidate], candidate))
        return [(distance, candidate) for distance, _, candidate in sorted(found)[:limit]]

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


def max_distance(word: str) -> int:
    """How many edits a correction of `word` may make: one up to seven letters (two edits turn "cloud" into
    "cod", "azure" into "andre", the name "Hansen" into "hensyn"), two from eight letters on."""
    return 1 if len(word) < 8 else MAX_DISTANCE


def protected(word: str, synonym_words: frozenset[str]) -> bool:
    """A folded word never to rewrite: a known English/technical term or a word of the synonym table."""
    return word in KNOWN_TERMS or word in synonym_words


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
