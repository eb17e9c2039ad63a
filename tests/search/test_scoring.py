"""Scores kept per index generation, and the threshold algorithm finding the top of a ranking."""

from __future__ import annotations

import random

from portal.search import scoring
from portal.search.scoring import ScoreList, threshold_top
from tests.helpers.search import search

DENSE = ["网格", "矛盾纠纷 化解", "群众 服务", "村 网格", "基层治理", "服务群众 丽水", "平台 整合 数据"]


def brute_force(concepts, weak, candidates, count):
    ranked = sorted(((doc, scoring.total(concepts, weak, doc)) for doc in candidates),
                    key=lambda item: (item[1], -item[0]), reverse=True)
    return ranked[:count]


def test_the_threshold_algorithm_finds_what_scoring_every_candidate_finds():
    rng = random.Random(5)
    for _ in range(300):
        docs = range(rng.randint(1, 80))
        values = [rng.choice([0.5, 1.0, 1.5]) if rng.random() < 0.5 else rng.random() * 3 for _ in range(5)]
        lists = [ScoreList.of({doc: rng.choice(values) for doc in docs if rng.random() < 0.8}) for _ in range(3)]
        concepts, weak = lists[:rng.randint(1, 3)], lists[3:] or [ScoreList.of({})]
        candidates = {doc for doc in docs if rng.random() < 0.7 and concepts[0].score(doc)}
        count = rng.randint(1, 12)
        expected = brute_force(concepts, weak, candidates, count)
        assert threshold_top(concepts, weak, candidates, count) == expected


def hits(q: str, page: int) -> list[tuple[str, float, bool]]:
    return [(hit.slug, hit.score, hit.full) for hit in search(q, page=page, per_page=4).hits]


def test_pages_are_the_same_whether_the_top_is_found_by_threshold_or_by_scoring_everything(seeded_app, monkeypatch):
    with seeded_app.app_context():
        fast = {(q, page): hits(q, page) for q in DENSE for page in (1, 2)}
        monkeypatch.setattr(scoring, "top", lambda *args: None)
        assert fast == {(q, page): hits(q, page) for q in DENSE for page in (1, 2)}
        assert any(fast.values())


def test_a_dense_query_takes_the_threshold_algorithm_and_scores_each_concept_once_per_generation(
        seeded_app, monkeypatch):
    taken, computed = [], []
    real_top, real_scores = scoring.threshold_top, scoring.concept_scores
    monkeypatch.setattr(scoring, "threshold_top", lambda *args: taken.append(1) or real_top(*args))
    monkeypatch.setattr(scoring, "concept_scores", lambda *args: computed.append(1) or real_scores(*args))
    with seeded_app.app_context():
        first = hits("网格 群众", 1)
        assert taken and len(computed) == 2
        assert hits("网格 群众", 1) == first and len(computed) == 2
