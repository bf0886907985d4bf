"""The static site's search index (`search-index.json`), which the browser searches without a server.

Search runs in the browser (`static/sitesearch.js`) over `search-index.json`: terms made by the same Danish
analysis as the live search (stop words, æ/ø/å folding, compound parts, Snowball stems), each with a small
integer weight per document (title above summary above body, times the term's rarity), the body terms capped
per document, and the library's synonyms. The script stems the query with a port of the same stemmer, expands
the synonyms, and treats the last word as a prefix while it is being typed.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass

from toolkit.search.analysis import DanishTokenizer, Lexicon, fold
from toolkit.search.documents import DOCTYPE_WANTED, DOCTYPE_WEIGHTS

INDEX_FILE = "search-index.json"
BODY_TERMS_PER_DOC = 48  # the body terms kept per document (the best by weight); title and summary terms all
COMMON_SHARE = 0.5  # a term in more than this share of documents is kept only for titles and summaries
MAX_WEIGHT = 255
_WORD = re.compile(r"\w+(?:\.?\w+)*")  # a word, as DanishTokenizer finds them


@dataclass(frozen=True)
class IndexDoc:
    """One search result of the static site: what is shown, and the text its terms come from."""

    title: str
    url: str  # relative to the site root
    summary: str
    kind: str  # the label shown
    text: str
    doctype: str = "material"


def search_index(docs: list[IndexDoc], lexicon: Lexicon | None = None, *,
                 body_terms: int = BODY_TERMS_PER_DOC) -> dict:
    """The compact index sitesearch.js reads.

    {"v": 1, "stop": [stop words], "kinds": [labels], "docs": [[title, url, summary, kind number]],
     "terms": {term: [doc gap, weight, doc gap, weight, …]}, "syn": {query words: [[terms], …]}, "synMax": n,
     "wanted": [[words, factor, [doc numbers]]]}

    Documents are numbered in order; each posting list is sorted by document and stores the gap to the one
    before; weights are 1–255: (3 in the title + 1.5 in the summary + BM25-saturated body frequency) × the
    term's rarity × the document type's weight (templates a little lower, as in the live search, unless the
    query names the type: `wanted`). Synonyms (the library's list and the taxonomy's Danish/English labels)
    are keyed by a phrase as the script analyses a query, with the other phrases of the group in that form.
    """
    lexicon = lexicon or Lexicon()
    tokenizer = DanishTokenizer(lexicon.parts)
    analysed = [(tokenizer.positions(d.title), tokenizer.positions(d.summary), tokenizer.positions(d.text))
                for d in docs]
    count = len(docs)
    frequency = Counter(term for fields in analysed for term in {*fields[0], *fields[1], *fields[2]})
    lengths = [sum(len(p) for p in body.values()) for _t, _s, body in analysed]
    average = (sum(lengths) / count) if count else 1.0
    postings: dict[str, list[tuple[int, int]]] = {}
    for number, ((title, summary, body), length, doc) in enumerate(zip(analysed, lengths, docs, strict=True)):
        norm = 1.2 * (0.25 + 0.75 * length / (average or 1.0))
        boost = DOCTYPE_WEIGHTS.get(doc.doctype, 1.0)
        weights: dict[str, float] = {}
        body_only: list[tuple[float, str]] = []
        for term in {*title, *summary, *body}:
            df = frequency[term]
            rarity = math.log(1 + (count - df + 0.5) / (df + 0.5))
            tf = len(body.get(term, ()))
            score = (3.0 * (term in title) + 1.5 * (term in summary) + tf / (tf + norm)) * rarity * boost
            if term in title or term in summary:
                weights[term] = score
            elif df <= COMMON_SHARE * count and not term.isdigit():
                body_only.append((score, term))
        body_only.sort(reverse=True)
        weights.update((term, score) for score, term in body_only[:body_terms])
        for term, score in weights.items():
            postings.setdefault(term, []).append((number, max(1, min(MAX_WEIGHT, round(score * 20)))))
    kinds = sorted({d.kind for d in docs})
    terms = {}
    for term in sorted(postings):
        flat, previous = [], 0
        for number, weight in postings[term]:
            flat += [number - previous, weight]
            previous = number
        terms[term] = flat
    synonyms = _synonyms(lexicon, tokenizer, sorted(terms))
    wanted = [[sorted({fold(name) for name in names}), round(factor / DOCTYPE_WEIGHTS.get(doctype, 1.0), 3),
               [n for n, d in enumerate(docs) if d.doctype == doctype]]
              for doctype, (factor, names) in DOCTYPE_WANTED.items() if any(d.doctype == doctype for d in docs)]
    return {"v": 1, "stop": sorted(tokenizer.stopwords), "kinds": kinds,
            "docs": [[d.title, d.url, d.summary, kinds.index(d.kind)] for d in docs], "terms": terms,
            "syn": synonyms, "synMax": max((len(key.split()) for key in synonyms), default=1), "wanted": wanted}


def _query_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """A text's words as sitesearch.js analyses a query: lowercased, no stop words or single letters, folded."""
    return [fold(word) for word in _WORD.findall(text.lower()) if len(word) >= 2 and word not in stopwords]


def _synonyms(lexicon: Lexicon, tokenizer: DanishTokenizer, terms: list[str]) -> dict[str, list[list[str]]]:
    """Each synonym (as query words) → its alternatives (as query words): those whose stems are all terms."""
    known = set(terms)
    result = {}
    for phrase, others in lexicon.synonym_map.items():
        key = " ".join(_query_words(phrase, tokenizer.stopwords))
        alternatives = []
        for other in others:
            words = _query_words(other, tokenizer.stopwords)
            stems = [token.text for word in words for token in tokenizer(word)]
            if words and known.issuperset(stems) and words not in alternatives:
                alternatives.append(words)
        if key and alternatives:
            result[key] = alternatives
    return dict(sorted(result.items()))


def index_sizes(index: dict) -> tuple[int, int]:
    """Bytes of the index as written, raw and gzip-compressed."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    return len(data), len(gzip.compress(data, 9))
