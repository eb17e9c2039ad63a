"""Scores of a query's concepts, kept per index generation, and the top of a ranking without scoring it all.

A concept's score in a document (its best alternative's BM25, see portal.search.matching) depends
only on the concept and the index generation, so it is computed once per generation and kept in a
bounded cache: a dense word (网格 in most cases) then costs its postings' decoding and BM25 once,
not on every search. The top of the full matches is found with Fagin's threshold algorithm over the
concepts' score lists, best first: it stops as soon as no unseen document can beat the page's last
hit, instead of adding up every document's score.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy

from portal.search import ranking
from portal.search.matching import Concept, Coverage, alternatives, concept_scores, postings_of
from portal.search.parsing import ParsedQuery
from portal.search.state import memo

# Documents' scores kept per index generation, counted over all cached lists (about 70 bytes each:
# ~20 MB, some 30 concepts in most cases at 10k cases).
CACHED_SCORES = 300_000
# The threshold algorithm pays off when the documents wanted are a good share of the lists it walks;
# for a narrow filter, adding up the few candidates' scores is cheaper.
MIN_CANDIDATE_SHARE = 0.25


@dataclass
class ScoreList:
    """One concept's (or single character's) score in every document holding it, best first on demand."""

    scores: dict[int, float]
    _order: list[int] | None = None

    def __post_init__(self):
        self.docs = ranking.docnums(self.scores)
        self.values = numpy.fromiter(self.scores.values(), dtype=numpy.float64, count=len(self.scores))

    def __len__(self) -> int:
        return len(self.scores)

    @property
    def order(self) -> list[int]:
        if self._order is None:  # best first, ties in the scores' order (as a stable sort keeps them)
            self._order = self.docs[numpy.argsort(-self.values, kind="stable")].tolist()
        return self._order


def cache_of(searcher) -> ranking.BoundedCache:
    return memo(searcher, "score_lists", lambda: ranking.BoundedCache(CACHED_SCORES))


def concept_list(searcher, concept: Concept) -> ScoreList:
    """Return the concept's score in every document holding it (once per index generation)."""
    return cache_of(searcher).get(("concept", *alternatives(concept)), lambda: ScoreList(concept_scores(
        searcher, concept, concept.docs | concept.loose_docs)))


def weak_list(searcher, word: str) -> ScoreList:
    """Return a single character's BM25 in every document holding it (once per index generation)."""
    def compute():
        postings = postings_of(searcher, word)
        return ScoreList(ranking.bm25_scores(searcher, {word: postings}, set(postings)))

    return cache_of(searcher).get(("weak", word), compute)


def score_lists(searcher, coverage: Coverage, parsed: ParsedQuery) -> tuple[list[ScoreList], list[ScoreList]]:
    return ([concept_list(searcher, concept) for concept in coverage.concepts],
            [weak_list(searcher, word) for word in parsed.weak])


def total(concepts: list[ScoreList], weak: list[ScoreList], doc: int) -> float:
    """A document's score: its concepts' scores, then its single characters' (added as ranking adds them)."""
    value = 0.0
    for found in concepts:
        value += found.scores.get(doc, 0.0)
    characters = 0.0
    for found in weak:
        characters += found.scores.get(doc, 0.0)
    return value + characters


def scores(searcher, coverage: Coverage, parsed: ParsedQuery, docs: set[int]) -> dict[int, float]:
    """Return each document's score: per concept, its best alternative's BM25; single characters add
    theirs (over arrays, added in the order total() adds them)."""
    concepts, weak = score_lists(searcher, coverage, parsed)
    size = searcher.reader().doc_count_all()
    value, characters = numpy.zeros(size), numpy.zeros(size)
    for found in concepts:
        value[found.docs] += found.values
    for found in weak:
        characters[found.docs] += found.values
    wanted = ranking.docnums(docs)
    return dict(zip(wanted.tolist(), (value[wanted] + characters[wanted]).tolist(), strict=True))


def top(searcher, coverage: Coverage, parsed: ParsedQuery, candidates: set[int],
        count: int) -> list[tuple[int, float]] | None:
    """Return the `count` best candidates by (score, lower docnum), or None where the threshold
    algorithm does not apply (bigram-only matches rank apart; a narrow filter is cheaper summed)."""
    if any(concept.gram_only & candidates for concept in coverage.concepts) or not coverage.concepts:
        return None
    concepts, weak = score_lists(searcher, coverage, parsed)
    if len(candidates) < MIN_CANDIDATE_SHARE * min(len(found.scores) for found in concepts):
        return None
    return threshold_top(concepts, weak, candidates, count)


def threshold_top(concepts: list[ScoreList], weak: list[ScoreList], candidates: set[int],
                  count: int) -> list[tuple[int, float]]:
    """Fagin's threshold algorithm: walk every list best first, score each document met in full, and
    stop once the page's last hit beats what any unseen document could still reach."""
    lists = concepts + weak
    best: list[tuple[float, int]] = []  # min-heap of (score, -docnum)
    seen: set[int] = set()
    for depth in range(max(len(found.scores) for found in lists)):
        threshold = 0.0
        for found in lists:
            if depth >= len(found.scores):
                continue
            doc = found.order[depth]
            threshold += found.scores[doc]
            if doc in seen or doc not in candidates:
                continue
            seen.add(doc)
            entry = (total(concepts, weak, doc), -doc)
            if len(best) < count:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)
        if len(best) == count and best[0][0] > threshold:
            break
    return [(-doc, score) for score, doc in sorted(best, reverse=True)]
