"""A publish is written as a small new segment without merging; the poller merges the small segments
once the index has been quiet for a moment, and searches find the same cases before and after."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from portal.search import engine, postings_store, service, state
from tests.factories import make_case
from tests.helpers.search import slugs


def segment_sizes() -> list[int]:
    ix = state.current().open_index()
    with ix.searcher() as searcher:
        return sorted(reader.doc_count_all() for reader, _ in searcher.reader().leaf_readers())


def stores_missing() -> list[str]:
    ix = state.current().open_index()
    folder = Path(ix.storage.folder)
    with ix.searcher() as searcher:
        names = [postings_store.store_name(reader.segment()) for reader, _ in searcher.reader().leaf_readers()]
    return [name for name in names if not (folder / name).exists()]


def publish(count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        make_case(f"第{number}个梯田议事", slug=f"titian-{number}", body="梯田议事会。")


def test_publishes_add_small_segments_and_merge_nothing(taxonomy):
    with taxonomy.app_context():
        publish(engine.MERGE_WHEN_QUIET + 2)
        assert segment_sizes().count(1) == engine.MERGE_WHEN_QUIET + 2
        assert len(slugs("梯田议事")) == engine.MERGE_WHEN_QUIET + 2


def test_the_poller_merges_them_once_quiet_and_searches_find_the_same(taxonomy):
    with taxonomy.app_context():
        publish(engine.MERGE_WHEN_QUIET)
        found = sorted(slugs("梯田议事"))
        applier = state.current().applier
        index_dir = current_app.config["SEARCH_INDEX_DIR"]
        assert not service.merge_when_quiet()  # just committed: not quiet yet
        merged = applier.merge_when_quiet(index_dir, service.open_or_rebuild,
                                          now=float("inf"))  # as if a long while later
        assert merged and len(segment_sizes()) == 1
        assert sorted(slugs("梯田议事")) == found
        assert stores_missing() == []  # the merged segment's postings store is written too


def test_a_commit_merges_once_small_segments_pile_up_without_a_poller(taxonomy, monkeypatch):
    monkeypatch.setattr(engine, "MERGE_IN_COMMIT", 3)
    with taxonomy.app_context():
        publish(3)
        before = segment_sizes()
        publish(1, first=3)
        assert len(segment_sizes()) < len(before)
        assert len(slugs("梯田议事")) == 4
