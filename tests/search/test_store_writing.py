"""A publish never makes the editor wait for the postings store of a large segment (an index built
before stores existed): the poller writes it when idle, one process of the machine at a time."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from portal.extensions import db
from portal.search import postings_store, rebuild, service, state, sync
from tests.factories import make_case
from tests.helpers.search import slugs


def segments_without_store() -> dict[str, int]:
    """Return {store file name: documents} of the live segments that have no store."""
    ix = state.current().open_index()
    folder = Path(ix.storage.folder)
    with ix.reader() as reader:
        return {postings_store.store_name(leaf.segment()): leaf.doc_count_all()
                for leaf in postings_store.leaves(reader)
                if not (folder / postings_store.store_name(leaf.segment())).exists()}


def index_from_before_stores() -> None:
    """Rebuild three cases into one segment, then remove its store as an older index would lack it."""
    for number in range(3):
        make_case(f"第{number}个梯田议事", slug=f"titian-{number}", body="梯田议事会。")
    rebuild.rebuild(db.engine, current_app.config["SEARCH_INDEX_DIR"])
    folder = Path(state.current().open_index().storage.folder)
    for path in folder.glob("*" + postings_store.SUFFIX):
        path.unlink()


def test_a_publish_leaves_a_large_segments_missing_store_to_the_poller(taxonomy, monkeypatch):
    monkeypatch.setattr(sync, "STORE_IN_COMMIT_DOCS", 2)
    with taxonomy.app_context():
        index_from_before_stores()
        make_case("山区共享法庭", slug="gongxiang-fating", body="村里设立共享法庭。")
        assert list(segments_without_store().values()) == [3]  # the publish's own segment has its store
        assert slugs("梯田议事") and slugs("共享法庭") == ["gongxiang-fating"]
        assert len(service.write_stores_when_idle()) == 1
        assert segments_without_store() == {}
        assert service.write_stores_when_idle() == []  # nothing left: not looked at again


def test_only_one_process_writes_missing_stores_at_a_time(taxonomy):
    with taxonomy.app_context():
        index_from_before_stores()
        folder = state.current().open_index().storage.folder
        with postings_store.writing_lock(folder) as allowed:  # as another worker of the machine would
            assert allowed
            assert service.write_stores_when_idle() == []
            assert len(segments_without_store()) == 1
        assert len(service.write_stores_when_idle()) == 1
        assert sorted(slugs("梯田议事")) == ["titian-0", "titian-1", "titian-2"]
