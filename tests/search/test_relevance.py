"""Relevance on the judged query set: a member's real queries must find the right material."""

from collections import Counter
from pathlib import Path

import yaml

from bench.relevance import JUDGED, bundled_docs, evaluate, summary
from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES
from toolkit.documents.packages import TemplateCatalogue
from toolkit.library.folder import Library
from toolkit.search.analysis import Lexicon
from toolkit.search.index import SearchIndex


def test_judged_set_is_broad_enough():
    entries = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    assert len(entries) >= 40
    kinds = {entry["kind"] for entry in entries}
    assert {"question", "typo", "compound", "synonym", "english", "template"} <= kinds
    slugs = {m.slug for m in Library.load(BUNDLED_LIBRARY).materials()}
    slugs |= set(TemplateCatalogue(BUNDLED_TEMPLATES).names())
    assert {slug for entry in entries for slug in entry["expect"]} <= slugs


def test_every_user_group_has_thirty_judged_queries():
    entries = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    groups = Counter(entry["group"] for entry in entries if "group" in entry)
    assert set(groups) >= {"projektejer", "projektleder", "datascientist", "kliniker", "dataejer", "jura-etik",
                           "forsker-virksomhed", "issue"}
    assert all(count >= 30 for group, count in groups.items() if group != "issue"), groups


def test_recall_at_3_and_mrr(tmp_path: Path):
    index = SearchIndex(tmp_path / "index", Lexicon.load(BUNDLED_LIBRARY))
    index.sync(bundled_docs())
    judged = evaluate(index)
    recall, mrr = summary(judged)
    misses = [f"{j.query!r} → {list(j.found[:3])}" for j in judged if j.recall_at_3 < 1]
    # The floor measured when the set grew to 339 queries, before any tuning on it (recall@3 0.798, MRR 0.786).
    assert recall >= 0.79, misses
    assert mrr >= 0.78, misses
