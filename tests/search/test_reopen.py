"""Reopening a searcher on a new generation keeps the readers of unchanged segments, and reads
exactly what a searcher opened afresh reads: after an added segment, deletions and a merge."""

from __future__ import annotations

from portal.search import engine, ranking
from tests.search.test_ranking import WORDS, documents


def commit(ix, add=(), delete=(), merge=False) -> None:
    writer = ix.writer()
    engine.delete_documents(writer, delete)
    engine.index_documents(writer, add)
    writer.commit(mergetype=engine.merging_when(1) if merge else None, merge=merge)


def view(searcher) -> tuple:
    """Everything a search reads of a generation: documents, deletions, postings and statistics."""
    reader = searcher.reader()
    return (reader.doc_count_all(), reader.doc_count(),
            [(reader.is_deleted(n), reader.stored_fields(n)["id"]) for n in range(reader.doc_count_all())],
            {word: (ranking.term_postings(searcher, word), searcher.idf(engine.TEXT, word)) for word in WORDS},
            searcher.avg_field_length(engine.TEXT, 1.0))


def leaf_readers(searcher) -> dict:
    return {reader.segment().segment_id(): reader for reader, _ in searcher.reader().leaf_readers()}


def reopened_equals_fresh(ix, previous):
    reopened = engine.open_searcher(ix, previous=previous)
    with ix.searcher() as fresh:
        assert view(reopened) == view(fresh)
    return reopened


def test_a_reopened_searcher_reads_what_a_fresh_one_reads(tmp_path):
    ix = engine.create_index(tmp_path)
    docs = documents(120)
    commit(ix, add=docs[:100])
    searcher = engine.open_searcher(ix)
    first = leaf_readers(searcher)

    searcher = reopened_equals_fresh(ix, searcher)  # nothing changed
    commit(ix, add=docs[100:110])  # a publish: one new segment
    searcher = reopened_equals_fresh(ix, searcher)
    assert [leaf_readers(searcher)[key] for key in first] == list(first.values())  # kept, not reopened
    added = {key: reader for key, reader in leaf_readers(searcher).items() if key not in first}

    commit(ix, delete=[3, 50, 105])  # deletions in both segments: neither reader is kept
    searcher = reopened_equals_fresh(ix, searcher)
    assert not set(leaf_readers(searcher).values()) & {*first.values(), *added.values()}
    assert all(reader.is_closed for reader in [*first.values(), *added.values()])

    commit(ix, add=docs[110:], merge=True)  # a merge replaces segments
    searcher = reopened_equals_fresh(ix, searcher)
    assert searcher.reader().doc_count() == 117
    searcher.close()
