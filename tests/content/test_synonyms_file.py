"""content/synonyms.yml: imported with the rest (all or nothing, path:line errors) and exported back."""

from __future__ import annotations

from portal.content.export import export_content_dir
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from portal.search.models import SynonymGroup
from tests.helpers.content import CONTENT_DIR


def groups() -> dict[str, list[str]]:
    return {group.term: list(group.variants) for group in db.session.scalars(db.select(SynonymGroup))}


def test_the_seed_synonyms_are_imported_with_the_cases(app):
    with app.app_context():
        report = import_content_dir(CONTENT_DIR, progress=False)
        assert report.ok
        assert report.counts["synonyms"].created >= 10
        assert groups()["陈尸陈案"] == ["陈尸案件"]
        assert any(line.startswith("同义词组：") for line in report.summary_lines())


def test_export_writes_the_file_back_and_a_second_import_changes_nothing(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        before = groups()
        export_content_dir(tmp_path / "out")
        text = (tmp_path / "out" / "synonyms.yml").read_text(encoding="utf-8")
        assert "- term: 陈尸陈案\n  variants: [陈尸案件]\n" in text
        report = import_content_dir(tmp_path / "out", progress=False)
        assert report.ok and report.counts["synonyms"].unchanged == len(before)
        assert report.counts["synonyms"].created == report.counts["synonyms"].updated == 0
        assert groups() == before


def test_a_changed_group_is_updated_and_groups_only_in_the_database_are_kept(app, content_dir):
    with app.app_context():
        db.session.add(SynonymGroup(term="调解组织", variants=["老娘舅"]))
        db.session.commit()
        path = content_dir / "synonyms.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("[陈尸案件]", "[陈尸案件, 陈年尸案]"),
                        encoding="utf-8")
        report = import_content_dir(content_dir, progress=False)
        assert report.ok
        assert groups()["陈尸陈案"] == ["陈尸案件", "陈年尸案"]
        assert groups()["调解组织"] == ["老娘舅"]


def test_a_bad_synonyms_file_stops_the_whole_import_with_path_and_line(reject, imported):
    (imported / "synonyms.yml").write_text(
        "- term: 网格员\n"
        "  variants: [网格干部]\n"
        "- term: 专职网格员\n"
        "  variants: [网格干部]\n"          # 网格干部 already belongs to the first group
        "- term: 防疫\n"
        "  variants: []\n"                  # no variant
        "- term: 票决\n"
        "  variants: [投票 表决]\n"         # a space inside a term
        "- term: 平台整合\n"
        "  varients: [平台融合]\n",         # misspelt key
        encoding="utf-8")
    reject(("synonyms.yml", 3, "“网格干部”已在“网格员”一组中"),
           ("synonyms.yml", 5, "至少要有一个同义词"),
           ("synonyms.yml", 7, "中间不能有空格"),
           ("synonyms.yml", 10, "未知的字段 'varients'"))


def test_a_synonyms_file_that_is_not_a_list_is_rejected(reject, imported):
    (imported / "synonyms.yml").write_text("网格员: 网格干部\n", encoding="utf-8")
    reject(("synonyms.yml", 1, "同义词文件应为列表"))


def test_a_term_clashing_with_an_editors_group_is_rejected(app, reject, imported):
    with app.app_context():
        db.session.add(SynonymGroup(term="调解组织", variants=["老娘舅"]))
        db.session.commit()
    with (imported / "synonyms.yml").open("a", encoding="utf-8") as file:
        file.write("- term: 调解员\n  variants: [老娘舅]\n")
    lines = (imported / "synonyms.yml").read_text(encoding="utf-8").count("\n")
    reject(("synonyms.yml", lines - 1, "“老娘舅”已在“调解组织”一组中"))
