"""bench/search.py phases for the baselines: SQL LIKE substring scans and SQLite FTS5 over jieba tokens."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

from bench.search_corpus import DENSE_QUERIES, QUERIES, dir_size_mb, read_corpus
from bench.search_portal import timed_queries

FIELDS = ("title", "tags", "summary", "body")
FTS_WEIGHTS = "6.0, 3.0, 2.0, 1.0"


def query_words(q: str) -> list[str]:
    """The query's words, analysed exactly as the portal analyses them."""
    from portal.search.analysis import normalize, segment

    return list(dict.fromkeys(word for word, _ in segment(normalize(q.replace('"', " ")))))


def like_build(work: Path) -> dict:
    """Store the corpus in a plain table (LIKE needs no index)."""
    path = work / "like.sqlite3"
    started = time.perf_counter()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, tags TEXT, "
                           "summary TEXT, body TEXT, area TEXT)")
        connection.executemany(
            "INSERT INTO cases (slug, title, tags, summary, body, area) VALUES (?, ?, ?, ?, ?, ?)",
            [(c["slug"], c["title"], " ".join(c["tags"]), c["summary"], c["body"], c["area"])
             for c in read_corpus(work / "corpus.jsonl")])
    return {"seconds": time.perf_counter() - started, "size_mb": dir_size_mb(path)}


def like_query(work: Path, queries: list[str] = QUERIES) -> dict:
    """Substring-scan for every query word (AND, else OR), count, facet by area, snippet a page."""
    from portal.search.snippets import snippet

    connection = sqlite3.connect(work / "like.sqlite3")
    haystack = "(title || ' ' || tags || ' ' || summary || ' ' || body)"

    def run(q: str) -> int:
        words = query_words(q) or [q]
        for joiner in (" AND ", " OR "):
            where = joiner.join(f"{haystack} LIKE ?" for _ in words)
            params = [f"%{word}%" for word in words]
            total = connection.execute(f"SELECT count(*) FROM cases WHERE {where}", params).fetchone()[0]
            if total:
                break
        connection.execute(f"SELECT area, count(*) FROM cases WHERE {where} GROUP BY area", params).fetchall()
        rows = connection.execute(f"SELECT title, summary, body FROM cases WHERE {where} LIMIT 10", params)
        for _title, summary, body in rows:
            snippet([body, summary], words)
        return total

    return timed_queries(run, queries)


def tokenized_row(case: dict) -> tuple:
    from portal.search.analysis import index_tokens

    def tokens(text: str) -> str:
        return " ".join(word for word, _ in index_tokens(text))

    return (tokens(case["title"]), tokens(" ".join(case["tags"])), tokens(case["summary"]),
            tokens(case["body"]), case["area"])


def fts5_build(work: Path) -> dict:
    """Tokenize with jieba on both cores (as the portal does), then load an FTS5 table."""
    from portal.search import analysis

    path = work / "fts5.sqlite3"
    corpus = read_corpus(work / "corpus.jsonl")
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2, initializer=analysis.segmenter) as pool:
        rows = pool.map(tokenized_row, corpus, chunksize=32)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, tags, summary, body, "
                           "tokenize = 'unicode61')")
        connection.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, area TEXT)")
        connection.executemany("INSERT INTO docs (rowid, title, tags, summary, body) VALUES (?, ?, ?, ?, ?)",
                               [(number + 1, *row[:4]) for number, row in enumerate(rows)])
        connection.executemany("INSERT INTO meta (rowid, area) VALUES (?, ?)",
                               [(number + 1, row[4]) for number, row in enumerate(rows)])
        connection.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    return {"seconds": time.perf_counter() - started, "size_mb": dir_size_mb(path)}


def fts5_query(work: Path, queries: list[str] = QUERIES) -> dict:
    """MATCH all words (else any), rank by bm25 with field weights, facet by area, snippet a page."""
    from portal.search import analysis

    analysis.segmenter()
    connection = sqlite3.connect(work / "fts5.sqlite3")

    def run(q: str) -> int:
        words = query_words(q)
        if not words:
            return 0
        for joiner in (" AND ", " OR "):
            match = joiner.join('"' + word.replace('"', "") + '"' for word in words)
            total = connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
            if total:
                break
        connection.execute("SELECT meta.area, count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid "
                           "WHERE docs MATCH ? GROUP BY meta.area", (match,)).fetchall()
        connection.execute(f"SELECT rowid, snippet(docs, 3, '<mark>', '</mark>', '…', 40) FROM docs "
                           f"WHERE docs MATCH ? ORDER BY bm25(docs, {FTS_WEIGHTS}) LIMIT 10", (match,)).fetchall()
        return total

    return timed_queries(run, queries)


def fts5_dense(work: Path) -> dict:
    """FTS5 on the dense queries (words in most cases)."""
    return fts5_query(work, DENSE_QUERIES)
