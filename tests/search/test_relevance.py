"""Relevance: realistic reader queries must put the right seed case in the top three."""

from __future__ import annotations

from tests.helpers.search import search
from tests.search.relevance_queries import QUERIES


def test_the_relevance_set_is_large_and_covers_every_kind_of_query():
    assert len(QUERIES) >= 30
    assert any(any("\u4e00" <= c <= "\u9fff" and c in "陽決鄉專團糾紛" for c in q) for q, _ in QUERIES)
    assert any(q.startswith('"') for q, _ in QUERIES)


def test_every_query_finds_its_case_in_the_top_three(seeded_app):
    failures = []
    with seeded_app.app_context():
        for query, wanted in QUERIES:
            top = [hit.slug for hit in search(query).hits[:3]]
            if not any(slug in top for slug in wanted):
                failures.append(f"{query!r}: wanted one of {wanted}, got {top}")
    assert not failures, "\n".join(failures)


def test_title_matches_outrank_passing_mentions(seeded_app):
    # 民事村了 is named in several write-ups as a related practice, but only one case is about it.
    with seeded_app.app_context():
        hits = search("民事村了").hits
    assert hits[0].slug == "yingcun-minshi-cunliao"
    assert len(hits) > 1
