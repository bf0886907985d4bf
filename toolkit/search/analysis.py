"""Danish (and English) text analysis for search: tokenise, lowercase, drop stop words, fold æ/ø/å to
ae/oe/aa, split compound words into known parts (index only), stem.

Folding happens before stemming on both the indexed text and the query, so `CE-mærkning`, `CE mærkning`
and `ce-maerkning` become the same terms. Compound parts are emitted at the position of the whole word, so
phrases still match and a highlight covers the whole word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from toolkit.yamlfile import safe_load

FOLDING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "è": "e", "ü": "u", "ö": "oe", "ä": "ae"})
LINKING_LETTERS = ("s", "e")
MIN_PART = 3
# English function words that are not Danish words: readers ask in English ("legal basis for research on health
# data in Denmark") and the library's few English words (quotes, "in-house") made "on" and "in" rank documents.
# Not "to" (Danish: two) nor "it" (IT).
# Dropped like the Danish stop words, in the index and the query alike (phrases keep their other words).
ENGLISH_FUNCTION_WORDS = frozenset({
    "about", "an", "and", "are", "as", "can", "do", "does", "how", "in", "into", "is", "its", "my",
    "of", "on", "or", "our", "should", "that", "the", "this", "we", "what", "when", "which", "who", "why",
    "with", "you", "your"})
SYNONYMS_FILE = "synonyms.yaml"
COMPOUNDS_FILE = "compound-parts.yaml"


def fold(text: str) -> str:
    """Lowercase and write æ, ø, å (and a few accents) the ASCII way."""
    return text.lower().translate(FOLDING)


@dataclass(frozen=True)
class Lexicon:
    """The search vocabulary kept as data in the library: synonym groups and compound parts (both folded)."""

    synonyms: tuple[tuple[str, ...], ...] = ()
    parts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, library_dir: Path) -> Lexicon:
        def read(name: str) -> list:
            path = library_dir / name
            if not path.is_file():
                return []
            data = safe_load(path.read_text(encoding="utf-8")) or []
            return data if isinstance(data, list) else []

        groups = [tuple(fold(str(term)).strip() for term in group) for group in read(SYNONYMS_FILE)
                  if isinstance(group, list) and len(group) > 1]
        groups += _label_pairs(library_dir / "taxonomy.yaml")
        parts = frozenset(fold(str(part)).strip() for part in read(COMPOUNDS_FILE) if len(str(part)) >= MIN_PART)
        return cls(tuple(groups), parts)

    @functools.cached_property
    def synonym_map(self) -> dict[str, tuple[str, ...]]:
        """Each folded term or phrase → the other members of its group."""
        result: dict[str, dict[str, None]] = {}
        for group in self.synonyms:  # a term in several groups gets the others of all of them
            for term in group:
                result.setdefault(term, {}).update(dict.fromkeys(other for other in group if other != term))
        return {term: tuple(others) for term, others in result.items()}


def _label_pairs(taxonomy_file: Path) -> list[tuple[str, ...]]:
    """The taxonomy's Danish and English labels as synonym pairs (Dataadgang ↔ data access …)."""
    try:
        data = safe_load(taxonomy_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    pairs = []
    for vocabulary in ("topics", "kinds", "audiences"):
        for labels in (data.get(vocabulary) or {}).values():
            if isinstance(labels, dict) and isinstance(labels.get("da"), str) and isinstance(labels.get("en"), str):
                da, en = fold(labels["da"]).strip(), fold(labels["en"]).strip()
                if da != en:
                    pairs.append((da, en))
    return pairs


class CompoundFilter(Filter):
    """At index time, also emit the known parts of a compound word (and adjacent parts joined)."""

    def __init__(self, parts: frozenset[str], stem: callable):
        self.parts = parts
        self.stem = stem
        self.stemmed_parts = frozenset(stem(part) for part in parts)
        self.by_stem = {stem(part): part for part in parts}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompoundFilter) and other.parts == self.parts

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            yield token
            if token.mode != "index" or len(token.text) < 2 * MIN_PART:
                continue
            pieces = self.split(token.text)
            if len(pieces) < 2:
                continue
            whole = token.text
            emitted = set()
            for start in range(len(pieces)):
                for end in range(start + 1, len(pieces) + 1):
                    if (start, end) == (0, len(pieces)):
                        continue
                    text = "".join(pieces[start:end])
                    if end - start == 1:
                        text = self.canonical(pieces[start])
                    if text not in emitted and text != whole:
                        emitted.add(text)
                        part = token.copy()
                        part.text = text
                        yield part

    def canonical(self, piece: str) -> str:
        """A piece as its lexicon part: 'sundheds' → 'sundhed', 'klassen' → 'klasse'."""
        if piece in self.parts:
            return piece
        if _unlink(piece) in self.parts:
            return _unlink(piece)
        return self.by_stem.get(self.stem(piece), piece)

    def split(self, word: str) -> list[str]:
        return list(_split(word, self.parts, self.stemmed_parts, self.stem))


def _unlink(piece: str) -> str:
    return piece[:-1] if piece[-1:] in LINKING_LETTERS else piece


@functools.lru_cache(maxsize=100_000)
def _split(word: str, parts: frozenset[str], stemmed: frozenset[str], stem: callable) -> tuple[str, ...]:
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, rest = word[:cut], word[cut:]
        if head not in parts and not (head[-1] in LINKING_LETTERS and head[:-1] in parts):
            continue
        if rest in parts or stem(rest) in stemmed:
            return (head, rest)
        tail = _split(rest, parts, stemmed, stem)
        if tail:
            return (head, *tail)
    return ()


class DanishTokenizer(Tokenizer):
    """The whole Danish chain in one pass: tokenise, lowercase, stop words, fold, compound parts, stem.

    Equivalent to RegexTokenizer | LowercaseFilter | StopFilter | FoldFilter | CompoundFilter | StemFilter,
    but one generator instead of six: indexing 10,000 long materials spends its time here.
    """

    def __init__(self, parts: frozenset[str] = frozenset()):
        self.parts = parts
        self.pattern = re.compile(r"\w+(?:\.?\w+)*")
        self.stopwords = frozenset(stopwords_for_language("da")) | ENGLISH_FUNCTION_WORDS
        self._stemmer = stemmer_for_language("da")
        self._compounds = CompoundFilter(parts, self._stemmer) if parts else None
        self._stems: dict[str, str] = {}
        self._splits: dict[str, tuple[str, ...]] = {}
        self._words: dict[str, tuple[str, ...]] = {}  # a lowercased word → its stem and parts (one lookup)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DanishTokenizer) and other.parts == self.parts

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_stems", "_splits", "_words")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _stems={}, _splits={}, _words={})

    def _stem(self, word: str) -> str:
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = self._stemmer(word)
            if len(self._stems) < 200_000:
                self._stems[word] = stemmed
        return stemmed

    @property
    def compounds(self) -> CompoundFilter | None:
        """The compound splitter (None without a parts list): the query side splits a word as the index did."""
        return self._compounds

    def parts_of(self, word: str) -> tuple[str, ...]:
        """The stems the index holds for a compound word's parts (and joined neighbours); () for a plain word."""
        return self._parts(word)

    def _parts(self, word: str) -> tuple[str, ...]:
        cached = self._splits.get(word)
        if cached is None:
            cached = ()
            if self._compounds is not None and len(word) >= 2 * MIN_PART:
                token = Token(mode="index")
                token.text = word
                cached = tuple(self._stem(t.text) for t in list(self._compounds([token]))[1:])
            if len(self._splits) < 200_000:
                self._splits[word] = cached
        return cached

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        index_mode = mode == "index"
        pos = start_pos
        words = self._words if removestops else {}
        for match in self.pattern.finditer(value):
            word = match.group(0).lower()
            texts = words.get(word)
            if texts is None:
                texts = self._texts(word, removestops)
                if removestops and len(words) < 300_000:
                    words[word] = texts
            if not texts:
                continue
            token.text = texts[0]
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = match.group(0)
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token
            if index_mode:
                for part in texts[1:]:
                    token.text = part
                    yield token
            pos += 1

    def positions(self, value: str) -> dict[str, list[int]]:
        """Index mode in one pass without Token objects: each indexed text → the positions it occurs at.

        What Whoosh's Positions format would collect from __call__(value, mode="index", positions=True),
        computed without a generator step and a Token per word (the largest cost of indexing).
        """
        words = self._words
        found: dict[str, list[int]] = {}
        pos = 0
        for word in self.pattern.findall(value.lower()):
            texts = words.get(word)
            if texts is None:
                texts = self._texts(word, True)
                if len(words) < 300_000:
                    words[word] = texts
            if not texts:
                continue
            for text in texts:
                seen = found.get(text)
                if seen is None:
                    found[text] = [pos]
                else:
                    seen.append(pos)
            pos += 1
        return found

    def _texts(self, word: str, removestops: bool) -> tuple[str, ...]:
        """What one lowercased word becomes: () when dropped, else its stem and its compound parts' stems."""
        if len(word) < 2 or (removestops and word in self.stopwords):
            return ()
        folded = word.translate(FOLDING)
        return (self._stem(folded), *self._parts(folded))


def danish_analyzer(lexicon: Lexicon) -> DanishTokenizer:
    """Index and query analyzer for Danish text (compound parts only at index time)."""
    return DanishTokenizer(lexicon.parts)


def english_analyzer():
    return RegexTokenizer() | LowercaseFilter() | StopFilter(lang="en", minsize=2) | StemFilter(lang="en")


_ASCII_PAIRS = {"ae": "(?:ae|æ)", "oe": "(?:oe|ø)", "aa": "(?:aa|å)"}
_ASCII_PAIRS_RE = re.compile("|".join(_ASCII_PAIRS))


def folded_regex(folded: str) -> str:
    """Regex source matching a folded word in unfolded text too ('maerkning' matches 'mærkning')."""
    return _ASCII_PAIRS_RE.sub(lambda m: _ASCII_PAIRS[m[0]], re.escape(folded))
