"""Relevance on the judged query set: a member's real queries must find the right material."""

from collections import Counter

import pytest
import yaml

from bench.relevance import JUDGED, Judged, bundled_docs, evaluate, summary
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


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> list[Judged]:
    index = SearchIndex(tmp_path_factory.mktemp("relevance") / "index", Lexicon.load(BUNDLED_LIBRARY))
    index.sync(bundled_docs())
    return evaluate(index)


def test_recall_at_3_and_mrr(judged: list[Judged]):
    recall, mrr = summary(judged)
    misses = [f"{j.query!r} → {list(j.found[:3])}" for j in judged if j.recall_at_3 < 1]
    # 339 queries: 0.798 / 0.786 before any tuning on them; 0.894 / 0.845 after a first round (title bonus,
    # synonym groups as one concept, unknown compounds by their parts, English function words, vocabulary);
    # 0.919 / 0.869 after a second (k1 1.6, a long typo searched with its correction, vocabulary; README "Ranking");
    # 0.923 / 0.899 with the questions each material and template answers (`questions`, form.yaml `asked`), written
    # from the materials and templates alone, never looking at this set.
    assert recall >= 0.91, misses
    assert mrr >= 0.88, misses


def test_the_held_out_half_holds_what_the_tuned_half_gained(judged: list[Judged]):
    """Ranking was tuned looking at each group's odd-numbered queries; the even-numbered ones must do as well
    within a small margin (a change fitted to the queries looked at would not carry over)."""
    tuned = summary([j for j in judged if not j.held_out])
    held_out = summary([j for j in judged if j.held_out])
    # 0.793 / 0.781 before tuning, 0.913 / 0.866 after it, 0.925 / 0.901 with the questions
    assert held_out[0] >= 0.90 and held_out[1] >= 0.87, held_out
    assert tuned[0] - held_out[0] < 0.03 and tuned[1] - held_out[1] < 0.03, (tuned, held_out)
