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

import numpy

from portal.search import ranking
from portal.search.matching import Concept, Coverage, alternatives, concept_scores, postings_of
from portal.search.parsing import ParsedQuery
from portal.search.state import memo

# Documents' scores kept per index generation, counted over all cached lists (24 bytes each with
# the rank: ~7 MB).
CACHED_SCORES = 300_000
# The threshold algorithm pays off when the documents wanted are a good share of the lists it walks;
# for a narrow filter, adding up the few candidates' scores is cheaper.
MIN_CANDIDATE_SHARE = 0.25


class ScoreList:
    """One concept's (or single character's) score in every document holding it: docnums ascending
    and their scores as arrays (16 bytes a document, a dict took some 100), best first on demand."""

    def __init__(self, docs: numpy.ndarray, values: numpy.ndarray):
        self.docs, self.values = docs, values
        self._rank: numpy.ndarray | None = None

    @classmethod
    def of(cls, scores: dict[int, float]) -> ScoreList:
        docs = ranking.docnums(scores)
        values = numpy.fromiter(scores.values(), dtype=numpy.float64, count=len(scores))
        ascending = numpy.argsort(docs, kind="stable")
        return cls(docs[ascending], values[ascending])

    def __len__(self) -> int:
        return len(self.docs)

    def score(self, doc: int) -> float:
        """Return the document's score (0.0 if it does not hold the concept)."""
        at = int(numpy.searchsorted(self.docs, doc))
        return float(self.values[at]) if at < len(self.docs) and self.docs[at] == doc else 0.0

    def scores_of(self, docs: numpy.ndarray) -> numpy.ndarray:
        """Return the scores of `docs` (0.0 for those not holding the concept)."""
        if not len(self.docs):
            return numpy.zeros(len(docs))
        at = numpy.minimum(numpy.searchsorted(self.docs, docs), len(self.docs) - 1)
        return numpy.where(self.docs[at] == docs, self.values[at], 0.0)

    def best_first(self, start: int, end: int) -> tuple[list[int], list[float]]:
        """Return the docnums and scores ranked start…end, best first (ties by docnum)."""
        if self._rank is None:
            self._rank = numpy.argsort(-self.values, kind="stable")
        ranked = self._rank[start:end]
        return self.docs[ranked].tolist(), self.values[ranked].tolist()


def cache_of(searcher) -> ranking.BoundedCache:
    return memo(searcher, "score_lists", lambda: ranking.BoundedCache(CACHED_SCORES))


def concept_list(searcher, concept: Concept) -> ScoreList:
    """Return the concept's score in every document holding it (once per index generation)."""
    return cache_of(searcher).get(("concept", *alternatives(concept)), lambda: ScoreList.of(concept_scores(
        searcher, concept, concept.docs | concept.loose_docs)))


def weak_list(searcher, word: str) -> ScoreList:
    """Return a single character's BM25 in every document holding it (once per index generation)."""
    def compute():
        postings = postings_of(searcher, word)
        return ScoreList.of(ranking.bm25_scores(searcher, {word: postings}, set(postings)))

    return cache_of(searcher).get(("weak", word), compute)


def score_lists(searcher, coverage: Coverage, parsed: ParsedQuery) -> tuple[list[ScoreList], list[ScoreList]]:
    return ([concept_list(searcher, concept) for concept in coverage.concepts],
            [weak_list(searcher, word) for word in parsed.weak])


def total(concepts: list[ScoreList], weak: list[ScoreList], doc: int) -> float:
    """A document's score: its concepts' scores, then its single characters' (added as ranking adds them)."""
    value = 0.0
    for found in concepts:
        value += found.score(doc)
    characters = 0.0
    for found in weak:
        characters += found.score(doc)
    return value + characters


def totals(concepts: list[ScoreList], weak: list[ScoreList], docs) -> list[float]:
    """Return total() of each of `docs` (the same sums, over arrays)."""
    wanted = numpy.asarray(docs, dtype=numpy.int64)
    value, characters = numpy.zeros(len(wanted)), numpy.zeros(len(wanted))
    for found in concepts:
        value += found.scores_of(wanted)
    for found in weak:
        characters += found.scores_of(wanted)
    return (value + characters).tolist()


def scores(searcher, coverage: Coverage, parsed: ParsedQuery, docs: set[int]) -> dict[int, float]:
    """Return each document's score: per concept, its best alternative's BM25; single characters add
    theirs (totals(), added in the order total() adds them)."""
    concepts, weak = score_lists(searcher, coverage, parsed)
    wanted = ranking.docnums(docs)
    return dict(zip(wanted.tolist(), totals(concepts, weak, wanted), strict=True))


def top(searcher, coverage: Coverage, parsed: ParsedQuery, candidates: set[int],
        count: int) -> list[tuple[int, float]] | None:
    """Return the `count` best candidates by (score, lower docnum), or None where the threshold
    algorithm does not apply (bigram-only matches rank apart; a narrow filter is cheaper summed)."""
    if any(concept.gram_only & candidates for concept in coverage.concepts) or not coverage.concepts:
        return None
    concepts, weak = score_lists(searcher, coverage, parsed)
    if len(candidates) < MIN_CANDIDATE_SHARE * min(len(found) for found in concepts):
        return None
    return threshold_top(concepts, weak, candidates, count)


def threshold_top(concepts: list[ScoreList], weak: list[ScoreList], candidates: set[int],
                  count: int) -> list[tuple[int, float]]:
    """Fagin's threshold algorithm: walk every list best first, score each document met in full, and
    stop once the page's last hit beats what any unseen document could still reach. The lists are
    read a stretch at a time (the walk mostly stops within the first few dozen ranks)."""
    lists = concepts + weak
    best: list[tuple[float, int]] = []  # min-heap of (score, -docnum)
    seen: set[int] = set()
    longest, start, stretch = max(len(found) for found in lists), 0, 64
    while start < longest:
        end = min(longest, start + stretch)
        heads = [found.best_first(start, end) for found in lists]
        met = [doc for depth in range(end - start) for docs, _values in heads if depth < len(docs)
               for doc in (docs[depth],) if doc not in seen and doc in candidates]
        met_totals = dict(zip(met, totals(concepts, weak, met), strict=True))
        for depth in range(end - start):
            threshold = 0.0
            for docs, values in heads:
                if depth >= len(docs):
                    continue
                doc = docs[depth]
                threshold += values[depth]
                if doc in seen or doc not in candidates:
                    continue
                seen.add(doc)
                entry = (met_totals[doc], -doc)
                if len(best) < count:
                    heapq.heappush(best, entry)
                elif entry > best[0]:
                    heapq.heapreplace(best, entry)
            if len(best) == count and best[0][0] > threshold:
                return [(-doc, score) for score, doc in sorted(best, reverse=True)]
        start, stretch = end, stretch * 4
    return [(-doc, score) for score, doc in sorted(best, reverse=True)]
