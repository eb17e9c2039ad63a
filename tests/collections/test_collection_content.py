"""content/collections/: the seed collections import; bad files are precise errors and write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem
from portal.config import PROJECT_ROOT
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from tests.helpers.collections import (
    GRID,
    RESPONSIBILITY,
    TOWNSHIP,
    TOWNSHIP_CASES,
    TOWNSHIP_TITLE,
)

GOOD_ITEM = "  - case: yingcun-minshi-cunliao\n    note: 导读。\n    questions:\n      - 问题一？\n"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the real content/ directory."""
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target


def row_counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Case, Collection, CollectionItem))


def items_of(slug: str) -> list[CollectionItem]:
    return db.session.scalar(select(Collection).where(Collection.slug == slug)).items


def test_the_three_seed_collections_import_with_notes_and_questions(seeded_app):
    with seeded_app.app_context():
        collections = {c.slug: c for c in db.session.scalars(select(Collection))}
        assert set(collections) == {TOWNSHIP, GRID, RESPONSIBILITY}
        township = collections[TOWNSHIP]
        assert township.title == TOWNSHIP_TITLE
        assert township.featured and collections[GRID].featured and not collections[RESPONSIBILITY].featured
        assert [item.case.slug for item in township.items] == TOWNSHIP_CASES
        assert "<ol>" in township.intro_html
        for collection in collections.values():
            assert len(collection.items) >= 6
            for item in collection.items:
                assert 2 <= item.note_md.count("。") <= 4, (collection.slug, item.case.slug)
                assert 2 <= len(item.questions) <= 3


def test_a_second_import_changes_nothing(seeded_app):
    with seeded_app.app_context():
        report = import_content_dir(PROJECT_ROOT / "content", progress=False)
    assert report.ok
    assert (report.counts["collections"].created, report.counts["collections"].updated,
            report.counts["collections"].unchanged) == (0, 0, 3)
    assert "培训合集：新增 0，更新 0，未变 3" in report.summary_lines()


def test_an_unknown_case_slug_is_reported_at_its_line_and_nothing_is_written(app, runner, content_dir):
    bad = content_dir / "collections" / "bad.md"
    bad.write_text("---\ntitle: 有错的合集\nitems:\n" + GOOD_ITEM + "  - case: fenlei-guikou-jiaoba\n"
                   "---\n\n导言。\n", encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code != 0
    expected = (f"{content_dir.as_posix()}/collections/bad.md:8: "
                "未知的案例 'fenlei-guikou-jiaoba'，是否指 'fenlei-guikou-jiaoban'？")
    assert expected in result.output
    with app.app_context():
        assert row_counts() == (0, 0, 0)


def test_a_yml_collection_reports_the_line_of_the_unknown_case(app, content_dir):
    (content_dir / "collections" / "bad.yml").write_text(
        "title: 有错的合集\nintroduction: 导言\nitems:\n" + GOOD_ITEM + "  - case: no-such-case-at-all\n",
        encoding="utf-8")
    with app.app_context():
        report = import_content_dir(content_dir, progress=False)
        assert row_counts() == (0, 0, 0)
    assert [str(p) for p in report.problems] == [
        f"{content_dir.as_posix()}/collections/bad.yml:8: 未知的案例 'no-such-case-at-all'"]


@pytest.mark.parametrize(("name", "text", "line", "message"), [
    ("types.yml", "title: 合集\nfeatured: 是\nitems:\n" + GOOD_ITEM, 2, "字段 'featured' 应为 true 或 false"),
    ("questions.yml", "title: 合集\nitems:\n  - case: baoxiang-zoucun\n    questions: 一道题\n", 4,
     "字段 'questions' 应为讨论题列表"),
    ("twice.yml", "title: 合集\nitems:\n" + GOOD_ITEM + GOOD_ITEM, 7,
     "案例 'yingcun-minshi-cunliao' 在本合集中重复出现（第 3 行已列出）"),
    ("typo.yml", "title: 合集\naudiense: 干部\nitems:\n" + GOOD_ITEM, 2, "未知的字段 'audiense'，是否指 'audience'？"),
    ("notitle.md", "---\nitems:\n" + GOOD_ITEM + "---\n", 1, "缺少必填字段 'title'"),
    ("empty.yml", "title: 合集\nitems: []\n", 2, "字段 'items' 应为非空列表"),
    ("Bad Slug.yml", "title: 合集\nitems:\n" + GOOD_ITEM, 1, "网址名 'Bad Slug' 只能包含小写字母、数字和连字符"),
    ("notes.txt", "随手记", 1, "不是合集文件"),
    ("broken.yml", "title: 合集\nitems: [\n", 3, "YAML 语法错误"),
])
def test_bad_collection_files_are_precise_errors(app, content_dir, name, text, line, message):
    (content_dir / "collections" / name).write_text(text, encoding="utf-8")
    with app.app_context():
        report = import_content_dir(content_dir, progress=False)
        assert row_counts() == (0, 0, 0)
    prefix = f"{content_dir.as_posix()}/collections/{name}:{line}: "
    assert any(str(p).startswith(prefix) and message in str(p) for p in report.problems), report.problems


def test_two_files_claiming_one_slug_are_refused(app, content_dir):
    (content_dir / "collections" / "copy.yml").write_text(
        f"title: 合集副本\nslug: {GRID}\nitems:\n" + GOOD_ITEM, encoding="utf-8")
    with app.app_context():
        report = import_content_dir(content_dir, progress=False)
        assert row_counts() == (0, 0, 0)
    assert any(str(p).startswith(f"{content_dir.as_posix()}/collections/") and f"网址名 '{GRID}' 重复" in str(p)
               for p in report.problems)


def test_export_then_import_round_trips_and_file_edits_update_in_place(app, runner, content_dir, tmp_path):
    with app.app_context():
        assert import_content_dir(content_dir, progress=False).ok
        first_ids = [item.id for item in items_of(TOWNSHIP)]
    out = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(out)]).exit_code == 0
    exported = out / "collections" / f"{TOWNSHIP}.md"
    assert sorted(p.name for p in (out / "collections").iterdir()) == sorted(
        f"{slug}.md" for slug in (TOWNSHIP, GRID, RESPONSIBILITY))
    with app.app_context():
        report = import_content_dir(out, progress=False)
        assert report.ok and report.counts["collections"].unchanged == 3

        # Swap the first two cases and drop the last one, then import the edited export.
        text = exported.read_text(encoding="utf-8")
        text = text.replace("case: yingcun-minshi-cunliao", "case: @@").replace(
            "case: huangnidun-yangguang-piaojue", "case: yingcun-minshi-cunliao").replace(
            "case: @@", "case: huangnidun-yangguang-piaojue")
        exported.write_text(text.split("- case: jinengxing-xiangzhen-zhengfu")[0] + "---\n\n新导言。\n",
                            encoding="utf-8")
        report = import_content_dir(out, progress=False)
        assert report.ok, report.problems
        assert report.counts["collections"].updated == 1
        items = items_of(TOWNSHIP)
        assert [item.case.slug for item in items][:2] == ["huangnidun-yangguang-piaojue", "yingcun-minshi-cunliao"]
        assert len(items) == 6
        # Item rows are reused, not re-created, and take the note written beside them in the file.
        assert {item.id for item in items} <= set(first_ids)
        assert items[0].note_md.startswith("从“民事村了”开场")
        assert items[1].note_md.startswith("不少村级矛盾源于村务决策不公开")
        assert db.session.scalar(select(Collection).where(Collection.slug == TOWNSHIP)).intro_md == "新导言。"


def test_imported_collection_text_gets_chinese_punctuation(app, content_dir):
    (content_dir / "collections" / "quotes.yml").write_text(
        'title: 学习"民事村了"(应村)\naudience: 新任"网格员"\nintroduction: 先读"背景"。\nitems:\n'
        '  - case: yingcun-minshi-cunliao\n    note: 注意"不出村"的做法。\n    questions:\n'
        '      - 什么是"民事村了"？\n', encoding="utf-8")
    with app.app_context():
        assert import_content_dir(content_dir, progress=False).ok
        collection = db.session.scalar(select(Collection).where(Collection.slug == "quotes"))
        assert (collection.title, collection.audience, collection.intro_md) == (
            "学习“民事村了”（应村）", "新任“网格员”", "先读“背景”。")
        item = collection.items[0]
        assert (item.note_md, item.questions) == ("注意“不出村”的做法。", ["什么是“民事村了”？"])
        assert import_content_dir(content_dir, progress=False).counts["collections"].unchanged == 4
