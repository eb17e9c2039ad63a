"""The index follows the database: publish, edit, unpublish, delete, rollback, gaps, rebuilds."""

from __future__ import annotations

import fcntl
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, select

from portal.cases.models import Case
from portal.extensions import db
from portal.search import engine, index_status, service, state, sync
from portal.search.models import SearchOutbox
from tests.factories import make_case
from tests.helpers.search import indexed_versions, search, slugs


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


def test_a_published_case_is_searchable_right_after_commit(taxonomy):
    with taxonomy.app_context():
        make_case("山区共享法庭", slug="gongxiang-fating", body="村里设立共享法庭。")
        assert slugs("共享法庭") == ["gongxiang-fating"]
        assert outbox_count() == 1


def test_an_edit_is_found_by_its_new_words_and_not_by_the_old_ones(taxonomy):
    with taxonomy.app_context():
        case = make_case("老名字的做法", slug="renamed", body="原来的说法是蓝色档案。")
        case.title = "新名字的做法"
        case.body_md = "现在改叫红色台账。"
        db.session.commit()
        assert slugs("红色台账") == ["renamed"]
        assert slugs("蓝色档案") == []
        assert indexed_versions()["renamed"] == case.version == 2


def test_changing_only_the_tags_reaches_the_index(taxonomy):
    from portal.cases.models import Tag

    with taxonomy.app_context():
        case = make_case("标签测试", slug="tagged", tags=("旧标签",))
        case.tags = [Tag.get_or_create("新标签")]
        db.session.commit()
        assert slugs(tag="新标签") == ["tagged"]
        assert slugs(tag="旧标签") == []


def test_unpublishing_and_deleting_remove_cases_from_the_index(taxonomy):
    with taxonomy.app_context():
        first = make_case("第一个茶园案例", slug="first", body="茶园管理。")
        second = make_case("第二个茶园案例", slug="second", body="茶园管理。")
        assert sorted(slugs("茶园")) == ["first", "second"]
        assert search("").total == 2
        first.status = "draft"
        db.session.commit()
        assert slugs("茶园") == ["second"]
        browse = search("")  # no words: every live document, with facet counts
        assert [hit.slug for hit in browse.hits] == ["second"]
        assert browse.facets["area"] == [{"slug": "quyu", "name": "区域统筹", "count": 1}]
        db.session.delete(second)
        db.session.commit()
        assert slugs("茶园") == []
        assert indexed_versions() == {}


def test_a_rolled_back_change_leaves_nothing_in_the_outbox_or_the_index(taxonomy):
    with taxonomy.app_context():
        make_case("回滚测试", slug="rolled-back", body="竹林议事。", commit=False)
        db.session.flush()
        assert outbox_count() == 1  # written in the same transaction...
        db.session.rollback()
        assert outbox_count() == 0  # ...and gone with it
        assert slugs("竹林议事") == []
        assert indexed_versions() == {}


def test_an_autoflushed_change_is_not_missed(taxonomy):
    with taxonomy.app_context():
        make_case("自动刷新", slug="autoflushed", body="山歌调解。", commit=False)
        db.session.scalar(select(func.count()).select_from(Case))  # triggers autoflush
        db.session.commit()
        assert outbox_count() == 1
        assert slugs("山歌调解") == ["autoflushed"]


def test_an_entry_committed_late_below_the_position_is_still_applied(taxonomy):
    """With PostgreSQL an earlier outbox id can become visible after a later one: gaps are re-checked."""
    with taxonomy.app_context():
        service.open_or_rebuild()
        early = make_case("迟到的案例", slug="late", body="晚到的调解。", commit=False)
        later = make_case("先到的案例", slug="early", body="先到的调解。", commit=False)
        db.session.flush()
        # Write the cases without going through the outbox, then add the entries by hand, out of order.
        db.session.execute(SearchOutbox.__table__.delete())
        db.session.info.pop("search_outbox_written", None)
        db.session.commit()
        table = SearchOutbox.__table__
        now = later.created_at
        db.session.execute(insert(table).values(id=11, case_id=later.id, slug="early", op="upsert", created_at=now))
        db.session.commit()
        service.apply_now()
        state = engine.read_state(current_app.config["SEARCH_INDEX_DIR"])
        assert state["last_id"] == 11 and "10" in state["gaps"]
        assert slugs("调解") == ["early"]
        db.session.execute(insert(table).values(id=10, case_id=early.id, slug="late", op="upsert", created_at=now))
        db.session.commit()
        assert index_status()["pending_outbox"] == 1
        service.apply_now()
        assert sorted(slugs("调解")) == ["early", "late"]
        assert "10" not in engine.read_state(current_app.config["SEARCH_INDEX_DIR"])["gaps"]


def test_gaps_are_given_up_after_a_while():
    state = sync.advance({"last_id": 0, "gaps": {}}, [1, 2, 5], now=1000.0)
    assert state["last_id"] == 5 and set(state["gaps"]) == {"3", "4"}
    state = sync.advance(state, [6, 3], now=1000.0 + 10)
    assert set(state["gaps"]) == {"4"}
    state = sync.advance(state, [7], now=1000.0 + sync.GAP_SECONDS + 1)
    assert state == {"last_id": 7, "gaps": {}}


def test_a_missing_index_is_rebuilt_on_first_use(taxonomy):
    with taxonomy.app_context():
        make_case("梯田保护", slug="titian", body="梯田。")
        index = Path(current_app.config["SEARCH_INDEX_DIR"])
        real = engine.live_dir(index)
        index.unlink() if index.is_symlink() else None
        import shutil

        shutil.rmtree(real)
        assert slugs("梯田") == ["titian"]


def test_a_corrupt_index_is_rebuilt_not_a_crash(taxonomy, client):
    with taxonomy.app_context():
        make_case("古村落保护", slug="gucunluo", body="古村落。")
        real = engine.live_dir(current_app.config["SEARCH_INDEX_DIR"])
        for toc in real.glob("_MAIN_*.toc"):
            toc.write_bytes(b"not an index at all")
        for segment in real.glob("*.seg"):
            segment.write_bytes(b"garbage")
        state.current().forget_indexes()  # as in a freshly started process
    response = client.get("/search?q=古村落")
    assert response.status_code == 200
    assert 'href="/cases/gucunluo"' in response.get_data(as_text=True)


def test_while_another_process_rebuilds_search_says_so(taxonomy, client):
    with taxonomy.app_context():
        make_case("重建提示", slug="rebuilding", body="重建。")
        index = current_app.config["SEARCH_INDEX_DIR"]
        Path(index).unlink()
        state.current().forget_indexes()
        with open(f"{index}.rebuild.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            page = client.get("/search?q=重建")
            api = client.get("/api/v1/search?q=重建")
            status = index_status()
    assert page.status_code == 200 and "正在重建" in page.get_data(as_text=True)
    assert api.status_code == 200 and api.get_json()["total"] == 0
    assert status["rebuilding"] is True


def test_index_status_reports_what_healthz_needs(taxonomy):
    with taxonomy.app_context():
        make_case("状态", slug="status", body="状态。")
        status = index_status()
    assert status["documents"] == 1
    assert status["pending_outbox"] == 0
    assert status["last_applied_id"] == 1
    assert status["rebuilding"] is False
    assert status["generation"] >= 1


def test_reindex_swaps_in_a_fresh_directory_while_readers_keep_working(taxonomy, runner):
    with taxonomy.app_context():
        for number in range(3):
            make_case(f"换索引案例{number}", body="换索引。")
        index = Path(current_app.config["SEARCH_INDEX_DIR"])
        old_searcher = state.current().snapshot().searcher
        before = engine.live_dir(index)
    result = runner.invoke(args=["search", "reindex", "--quiet", "--procs", "2"])
    assert result.exit_code == 0, result.output
    assert "已索引 3 个" in result.output
    with taxonomy.app_context():
        assert index.is_symlink() and engine.live_dir(index) != before
        assert old_searcher.doc_count() == 3  # an open searcher still reads the old files
        assert len(slugs("换索引")) == 3
        make_case("换索引之后", body="换索引。")
        assert len(slugs("换索引")) == 4


def test_verify_reports_drift_and_repair_fixes_it(taxonomy, runner):
    with taxonomy.app_context():
        kept = make_case("保持", slug="kept", body="一致。")
        make_case("丢失", slug="lost", body="一致。")
        ix = engine.open_index(current_app.config["SEARCH_INDEX_DIR"])
        writer = ix.writer()
        writer.delete_by_term("id", str(db.session.scalar(select(Case.id).where(Case.slug == "lost"))))
        writer.update_document(id="999", slug="ghost", title="幽灵")
        writer.commit()
        # A change the index never heard of (written behind the ORM's back) makes "kept" stale.
        db.session.execute(Case.__table__.update().where(Case.id == kept.id).values(title="改过的标题"))
        db.session.commit()
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 1
    assert "缺失：1（lost）" in result.output and "过期：1（kept）" in result.output
    assert "多余：1（999）" in result.output
    repaired = runner.invoke(args=["search", "verify", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert runner.invoke(args=["search", "verify"]).exit_code == 0
    with taxonomy.app_context():
        assert slugs("改过的标题") == ["kept"]


def test_publish_to_searchable_is_immediate_for_the_writer(taxonomy):
    with taxonomy.app_context():
        started = time.perf_counter()
        make_case("即时可查", slug="instant", body="即时。")
        found = slugs("即时可查")
    assert found == ["instant"]
    assert time.perf_counter() - started < 30  # sanity only; speed is measured in bench/search.py
