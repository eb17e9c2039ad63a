"""Relevance on the judged query set: the portal beside SQLite FTS5 (same jieba tokens) and a LIKE scan.

Each engine answers a query with its top slugs and whether it claims a full match (every query
word found); `evaluate` turns the answers into MRR@10, P@3, S@3, nDCG@5, the zero-result rate and
the negatives answered as full matches, overall and per kind of query. Shared by `make
bench-relevance` (bench/relevance.py) and tests/search/test_relevance_judged.py.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from tests.search.judged_queries import KINDS, Judged

TOP = 10
FTS_WEIGHTS = "6.0, 3.0, 2.0, 1.0, 2.0"
_NOT_TEXT = re.compile(r"[\s\"'“”‘’「」、，,。.:：;；!！?？()（）-]+")


@dataclass
class Answer:
    """What one engine returned for one query."""

    slugs: list[str]
    full_match: bool

    @property
    def found(self) -> bool:
        return bool(self.slugs)


# --- engines ------------------------------------------------------------------------------------

def portal_answer(query: str) -> Answer:
    """Search as a reader would (needs an application context with the index built)."""
    from portal.search import service
    from portal.search.searching import SearchRequest

    result = service.search(SearchRequest(q=query, per_page=TOP))
    match = getattr(result, "match", None)
    full = match == "all" if match is not None else bool(result.total) and not result.relaxed
    return Answer([hit.slug for hit in result.hits], full)


def case_rows() -> list[dict]:
    """The published cases' searchable texts, read from the database (needs an application context)."""
    from sqlalchemy import select

    from portal.cases.models import Case
    from portal.extensions import db
    from portal.search.documents import case_document

    cases = db.session.scalars(select(Case).where(Case.status == "published").order_by(Case.slug)).unique()
    rows = []
    for case in cases:
        document = case_document(case)
        rows.append({"slug": case.slug, "title": document["title"], "tags": document["tags_text"],
                     "summary": document["summary"], "body": document["body"], "place": document["place"]})
    return rows


FIELDS = ("title", "tags", "summary", "body", "place")


class Fts5Engine:
    """SQLite FTS5 over the very tokens the portal indexes (jieba words plus their sub-words)."""

    def __init__(self, rows: list[dict]):
        from portal.search.analysis import index_tokens

        self.slugs = [row["slug"] for row in rows]
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute(f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(FIELDS)}, tokenize='unicode61')")
        self.connection.executemany(
            f"INSERT INTO docs (rowid, {', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?)",
            [(number, *(" ".join(word for word, _ in index_tokens(row[name])) for name in FIELDS))
             for number, row in enumerate(rows)])

    def answer(self, query: str) -> Answer:
        """All words (AND) ranked by BM25 with the portal's field weights; else any word (OR)."""
        from portal.search.analysis import normalize, segment

        words = list(dict.fromkeys(word for word, _ in segment(normalize(query.replace('"', " ")))))
        if not words:
            return Answer([], False)
        for joiner in (" AND ", " OR "):
            match = joiner.join('"' + word.replace('"', "") + '"' for word in words)
            rows = self.connection.execute(
                f"SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, {FTS_WEIGHTS}) LIMIT {TOP}",
                (match,)).fetchall()
            if rows:
                return Answer([self.slugs[rowid] for (rowid,) in rows], joiner == " AND ")
        return Answer([], False)


class LikeEngine:
    """The naive baseline: SQL LIKE '%xy%' for every 2-character window of the query."""

    def __init__(self, rows: list[dict]):
        from portal.search.analysis import normalize

        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("CREATE TABLE cases (slug TEXT, title TEXT, haystack TEXT)")
        self.connection.executemany("INSERT INTO cases VALUES (?, ?, ?)", [
            (row["slug"], normalize(row["title"]), normalize(" ".join(row[name] for name in FIELDS)))
            for row in rows])

    def answer(self, query: str) -> Answer:
        """Rank by the number of windows found (title hits break ties); full match: every window found."""
        from portal.search.analysis import normalize

        text = _NOT_TEXT.sub("", normalize(query))
        windows = list(dict.fromkeys(text[i:i + 2] for i in range(max(1, len(text) - 1)))) if text else []
        scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for window in windows:
            pattern = "%" + window.replace("%", "").replace("_", "") + "%"
            for slug, in_title in self.connection.execute(
                    "SELECT slug, title LIKE ?1 FROM cases WHERE haystack LIKE ?1", (pattern,)):
                scores[slug][0] += 1
                scores[slug][1] += in_title
        ranked = sorted(scores, key=lambda slug: (-scores[slug][0], -scores[slug][1], slug))[:TOP]
        full = bool(windows) and any(score[0] == len(windows) for score in scores.values())
        return Answer(ranked, full)


# --- metrics ------------------------------------------------------------------------------------

def reciprocal_rank(item: Judged, answer: Answer) -> float:
    relevant = item.relevant()
    return next((1.0 / rank for rank, slug in enumerate(answer.slugs[:TOP], 1) if slug in relevant), 0.0)


def precision_at_3(item: Judged, answer: Answer) -> float:
    relevant = item.relevant()
    return sum(slug in relevant for slug in answer.slugs[:3]) / 3


def success_at_3(item: Judged, answer: Answer) -> float:
    return float(bool(item.relevant() & set(answer.slugs[:3])))


def ndcg_at_5(item: Judged, answer: Answer) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2 ** grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades[:5], 1))

    ideal = dcg(sorted(item.grades.values(), reverse=True))
    return dcg([item.grades.get(slug, 0) for slug in answer.slugs]) / ideal if ideal else 0.0


METRICS = {"MRR@10": reciprocal_rank, "P@3": precision_at_3, "S@3": success_at_3, "nDCG@5": ndcg_at_5}


def summarize(pairs: list[tuple[Judged, Answer]]) -> dict[str, float]:
    """The figures for one group of queries (answerable metrics over answerable queries only)."""
    answerable = [(item, answer) for item, answer in pairs if item.answerable]
    negatives = [answer for item, answer in pairs if not item.answerable]
    figures: dict[str, float] = {"queries": len(pairs)}
    for name, metric in METRICS.items():
        figures[name] = (sum(metric(item, answer) for item, answer in answerable) / len(answerable)
                         if answerable else float("nan"))
    figures["zero"] = sum(not answer.found for _, answer in answerable) / len(answerable) if answerable else float("nan")
    figures["neg_full"] = sum(answer.full_match for answer in negatives)
    return figures


def evaluate(judged: list[Judged], answer_of) -> dict[str, dict[str, float]]:
    """Return {"all": figures, kind: figures, ...} for the engine `answer_of(query) -> Answer`."""
    pairs = [(item, answer_of(item.query)) for item in judged]
    report = {"all": summarize(pairs)}
    for kind in KINDS:
        group = [(item, answer) for item, answer in pairs if item.kind == kind]
        if group:
            report[kind] = summarize(group)
    report["_answers"] = {item.query: answer for item, answer in pairs}  # type: ignore[assignment]
    return report
