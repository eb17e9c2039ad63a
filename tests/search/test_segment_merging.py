"""A publish is written as a small new segment without merging; the poller merges the small segments
once the index has been quiet for a moment, and searches find the same cases before and after."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from portal.search import engine, postings_store, service, state, sync
from tests.factories import make_case
from tests.helpers.search import indexed_versions, slugs


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


def merge_now() -> bool:
    applier = state.current().applier
    service.merge_when_quiet()  # the poller sees the newest generation first
    return applier.merge_when_quiet(current_app.config["SEARCH_INDEX_DIR"], service.open_or_rebuild,
                                    now=float("inf"))


def segment_ids() -> set[str]:
    ix = state.current().open_index()
    with ix.searcher() as searcher:
        return {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()}


def test_a_later_merge_leaves_a_larger_merged_segment_as_it_is(taxonomy):
    with taxonomy.app_context():
        publish(2 * engine.MERGE_WHEN_QUIET)
        assert merge_now() and segment_sizes() == [2 * engine.MERGE_WHEN_QUIET]
        first_merge = segment_ids()
        publish(engine.MERGE_WHEN_QUIET, first=2 * engine.MERGE_WHEN_QUIET)
        assert merge_now()
        # The newest small segments were merged together; the larger, older one was not rewritten.
        assert segment_sizes() == [engine.MERGE_WHEN_QUIET, 2 * engine.MERGE_WHEN_QUIET]
        assert first_merge < segment_ids()
        assert sorted(indexed_versions()) == sorted(f"titian-{n}" for n in range(3 * engine.MERGE_WHEN_QUIET))
        assert stores_missing() == []


class Sized:
    """A stand-in for a Whoosh segment: only its sizes matter to the merge policy."""

    def __init__(self, docs: int):
        self.docs = docs

    def doc_count(self) -> int:
        return self.docs

    doc_count_all = doc_count


def merged_sizes(sizes: list[int], limit: int) -> list[int]:
    return [segment.docs for segment in engine.segments_to_merge([Sized(size) for size in sizes], limit)]


def test_merges_take_the_newest_small_segments_while_the_older_are_no_larger():
    assert merged_sizes([5000, 20, 1, 1, 1, 1], limit=4) == [1, 1, 1, 1]
    assert merged_sizes([5000, 20, 4, 1, 1, 1, 1], limit=4) == [4, 1, 1, 1, 1]
    assert merged_sizes([5000, 20, 16, 8, 4, 1, 1, 1, 1], limit=4) == [20, 16, 8, 4, 1, 1, 1, 1]
    assert merged_sizes([20, 1, 1, 1], limit=4) == []  # not enough to merge yet


def test_too_many_small_segments_are_all_merged_whatever_their_sizes(monkeypatch):
    monkeypatch.setattr(engine, "MAX_SMALL_SEGMENTS", 5)
    assert merged_sizes([5000, 100, 50, 25, 12, 6], limit=4) == [100, 50, 25, 12, 6]


def test_the_machines_poller_merges_what_another_process_committed_once_quiet(taxonomy):
    with taxonomy.app_context():
        publish(engine.MERGE_WHEN_QUIET)  # applied by this process's own applier, as an editor's worker does
        poller_of_another_worker = sync.Applier()
        index_dir = current_app.config["SEARCH_INDEX_DIR"]
        assert not poller_of_another_worker.merge_when_quiet(index_dir, service.open_or_rebuild, now=100.0)
        assert not poller_of_another_worker.merge_when_quiet(index_dir, service.open_or_rebuild, now=100.5)
        assert poller_of_another_worker.merge_when_quiet(index_dir, service.open_or_rebuild, now=101.5)
        assert segment_sizes() == [engine.MERGE_WHEN_QUIET]
        assert len(slugs("梯田议事")) == engine.MERGE_WHEN_QUIET
