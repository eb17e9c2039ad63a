"""Cases like a given case, scored against the whole index at once: the engine of related lists.

A case's related cases are the indexed cases best matching "its tags (boosted) or its key terms":
the key terms are Whoosh's Bo1 key terms of its title, tags and summary, and the match is scored
with BM25 over the searchable text, exactly as `Or([Term("tags", …, boost=3), Term("text", …), …])`
would score it. Whoosh's more-like-this query scored every posting through its matcher tree (a
quarter of a second per case at 1k cases, growing with the library); here each term's BM25
contributions are read once per index generation into arrays, and a case's scores are a few
vector additions (numpy, loaded only by the processes that compute lists). tests/search/
test_related.py holds the lists equal to Whoosh's own query.
"""

from __future__ import annotations

import math
from collections import Counter

from portal.search import ranking
from portal.search.analysis import index_tokens
from portal.search.engine import TEXT
from portal.search.state import per_segment

TAGS = "tags"
TAG_BOOST = 3.0
KEY_TERMS = 12
# A term in more than this share of the cases (a common tag, 治理 …) keeps its scores as one array
# over every document: adding it is one pass over contiguous memory instead of a scatter through
# its docnums. At most DENSE_COLUMNS of them (8 bytes per document each: 20 MB at 10k cases).
DENSE_SHARE = 0.25
DENSE_COLUMNS = 256


class Similarity:
    """Scores cases against one searcher's documents; reuse it for many cases of one generation."""

    def __init__(self, searcher):
        import numpy

        self.numpy = numpy
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.case_ids, self.docnums = self._read_ids()
        self.norms = {TEXT: numpy.asarray(ranking.length_norms(searcher, TEXT), dtype=numpy.float64)}
        self.frequencies: dict[str, float] = {}
        self.columns: dict[tuple[str, str], tuple] = {}
        self.dense_columns = 0
        self.scores = numpy.zeros(self.size)

    def _read_ids(self):
        """Return the case id of every docnum (-1: deleted) and the docnum of every case id."""
        case_ids = self.numpy.full(self.size, -1, dtype=self.numpy.int64)
        docnums = {}
        for segment_reader, offset in self.reader.leaf_readers():
            deleted = set(segment_reader.segment().deleted_docs()) if segment_reader.has_deletions() else set()
            segment_ids = per_segment("case_ids", segment_reader, lambda reader=segment_reader: segment_case_ids(reader))
            for docnum, case_id in enumerate(segment_ids):
                if case_id is not None and docnum not in deleted:
                    case_ids[offset + docnum], docnums[case_id] = case_id, offset + docnum
        return case_ids, docnums

    def key_terms(self, text: str, count: int = KEY_TERMS) -> list[str]:
        """Return the `count` words of `text` most telling against the index (Whoosh's Bo1 key terms)."""
        weights = Counter(word for word, _offset in index_tokens(text))
        scored = [(-self._bo1(weight, frequency), word) for word, weight in weights.items()
                  if (frequency := self._frequency(word))]
        return [word for _score, word in sorted(scored)[:count]]

    def _bo1(self, weight: float, frequency: float) -> float:
        mean = frequency / self.size
        return weight * math.log((1.0 + mean) / mean, 2) + math.log(1.0 + mean, 2)

    def _frequency(self, word: str) -> float:
        found = self.frequencies.get(word)
        if found is None:
            found = self.frequencies[word] = self.reader.frequency(TEXT, word) if (TEXT, word) in self.reader else 0.0
        return found

    def column(self, field: str, word: str) -> tuple:
        """Return (docnums, BM25 scores) of a term in a field, computed once per scorer; docnums None:
        the scores of every document (0.0 where the term is absent, which adds nothing to a sum)."""
        found = self.columns.get((field, word))
        if found is None:
            found = self.columns[(field, word)] = self._densified(*self._bm25_column(field, word))
        return found

    def _densified(self, docnums, contributions) -> tuple:
        if len(docnums) <= DENSE_SHARE * self.size or self.dense_columns >= DENSE_COLUMNS:
            return docnums, contributions
        self.dense_columns += 1
        dense = self.numpy.zeros(self.size)
        dense[docnums] = contributions
        return None, dense

    def _bm25_column(self, field: str, word: str) -> tuple:
        postings = ranking.live_postings(self.searcher, word, field)
        docnums, weights = postings.docs, postings.weights
        if not len(docnums) or not self.searcher.schema[field].scorable:
            return docnums, weights  # Whoosh scores an unscorable field (tags: no lengths) by frequency alone
        idf = self.searcher.idf(field, word)
        return docnums, idf * weights * (ranking.K1 + 1) / (weights + self.norms[field][docnums])

    def similar(self, case_id: int, title: str, tags: list[str], summary: str, limit: int) -> list[int]:
        """Return the ids of up to `limit` indexed cases most like the given one, best first."""
        text = " ".join([title or "", " ".join(tags), summary or ""])
        clauses = [(TAGS, tag, TAG_BOOST) for tag in tags] + [(TEXT, word, 1.0) for word in self.key_terms(text)]
        scores = self.scores
        scores.fill(0.0)
        for field, word, boost in clauses:
            docnums, contributions = self.column(field, word)
            contributions = contributions * boost if boost != 1.0 else contributions
            if docnums is None:
                scores += contributions
            else:
                scores[docnums] += contributions
        if case_id in self.docnums:
            scores[self.docnums[case_id]] = 0.0
        return [int(self.case_ids[docnum]) for docnum in self._best(limit)]

    def _best(self, limit: int) -> list[int]:
        """Return the docnums of the `limit` best positive scores, ties broken by docnum (as Whoosh does)."""
        np, scores = self.numpy, self.scores
        positive = np.flatnonzero(scores > 0.0)
        if len(positive) > limit:
            cut = np.partition(scores[positive], len(positive) - limit)[len(positive) - limit]
            positive = positive[scores[positive] >= cut]
        order = np.lexsort((positive, -scores[positive]))
        return positive[order][:limit].tolist()


def segment_case_ids(segment_reader) -> list[int | None]:
    """Return the case id of each document of a segment (None: deleted when read), once per segment:
    after a publish only the new segment's stored fields are read."""
    return [None if segment_reader.is_deleted(docnum) else int(segment_reader.stored_fields(docnum)["id"])
            for docnum in range(segment_reader.doc_count_all())]
