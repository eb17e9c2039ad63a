"""`portal content import|export`: exit codes and what the user reads."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.cases.models import Case
from portal.extensions import db
from tests.helpers.content import GOOD_FRONT, database_state, write_case


def test_import_prints_counts_and_exits_zero(runner, content_dir):
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "案例：新增 20，更新 0，未变 0" in result.output
    again = runner.invoke(args=["content", "import", str(content_dir)])
    assert "案例：新增 0，更新 0，未变 20" in again.output


def test_import_defaults_to_the_configured_content_dir(app, runner, content_dir):
    app.config["CONTENT_DIR"] = str(content_dir)
    result = runner.invoke(args=["content", "import"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 20


def test_bad_file_exits_non_zero_with_one_line_per_problem(app, runner, imported):
    write_case(imported, "bad.md", GOOD_FRONT.replace("区域统筹", "平台统畴") + "year: 二〇二〇\n")
    with app.app_context():
        before = database_state()
    result = runner.invoke(args=["content", "import", str(imported)])
    assert result.exit_code == 1
    bad = f"{imported.as_posix()}/cases/bad.md"
    assert f"{bad}:3: 未知的统筹领域 '平台统畴'，是否指 '平台统筹'？\n" in result.stderr
    assert f"{bad}:7: 字段 'year' 应为整数年份" in result.stderr
    assert "发现 2 个问题，未导入任何内容" in result.stderr
    with app.app_context():
        assert database_state() == before


def test_dry_run_says_so_and_writes_nothing(app, runner, content_dir):
    result = runner.invoke(args=["content", "import", str(content_dir), "--dry-run"])
    assert result.exit_code == 0
    assert "试运行" in result.output and "案例：新增 20" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_missing_directory_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["content", "import", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "内容目录不存在" in result.stderr


def test_export_writes_files_and_says_how_many(runner, content_dir, tmp_path):
    runner.invoke(args=["content", "import", str(content_dir)])
    result = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "已导出 20 个案例" in result.output
    assert len(list((tmp_path / "out" / "cases").glob("*.md"))) == 20
    assert (tmp_path / "out" / "taxonomy.yml").is_file()


def test_a_bulk_import_leaves_indexing_to_the_pollers_and_says_so(runner, content_dir, monkeypatch):
    """Indexing and recomputing related cases inline after a 10k import took longer than the import."""
    from portal.content import pipeline

    monkeypatch.setattr(pipeline, "BULK_CASES", 5)
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0  # a live, empty index
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "搜索索引与相关案例由运行中的实例在后台更新" in result.output
    synced = runner.invoke(args=["search", "sync"])
    assert "已应用 20 条待同步记录；索引中共 20 个案例" in synced.output


def test_a_small_import_is_searchable_at_once(runner, content_dir):
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert "后台更新" not in result.output
    assert "已应用 0 条待同步记录；索引中共 20 个案例" in runner.invoke(args=["search", "sync"]).output


def test_reindex_after_a_bulk_import_computes_every_related_list(runner, content_dir, monkeypatch):
    """Related lists are scored in bulk (portal.search.similarity): reindex computes them all, and
    `portal search related` only fills lists still missing."""
    from portal.content import pipeline

    monkeypatch.setattr(pipeline, "BULK_CASES", 5)
    assert runner.invoke(args=["content", "import", str(content_dir)]).exit_code == 0
    with runner.app.app_context():
        assert related_list_count() == 0
    reindexed = runner.invoke(args=["search", "reindex", "--quiet"])
    assert "已索引 20 个已发布案例" in reindexed.output
    assert "已为 20 个案例计算相关案例" in reindexed.output
    with runner.app.app_context():
        assert related_list_count() == 20
    assert "已为 0 个案例计算相关案例" in runner.invoke(args=["search", "related", "--quiet"]).output


def related_list_count() -> int:
    from portal.cases.models import RelatedCase

    return db.session.scalar(select(func.count(func.distinct(RelatedCase.case_id))))
