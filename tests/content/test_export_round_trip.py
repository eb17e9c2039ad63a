"""Export writes the import format back out: import → export → import changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Case
from portal.content.export import export_content_dir
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from tests.factories import area, make_case
from tests.helpers.content import CONTENT_DIR, SAMPLE_SLUG, database_state


def files_of(root) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(root.rglob("*")) if path.is_file()}


def delete_everything() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_import_export_import_reports_no_changes(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        assert export_content_dir(tmp_path / "out") == 20
        before = database_state()
        report = import_content_dir(tmp_path / "out", progress=False)
        assert report.ok
        assert report.total.created == report.total.updated == 0
        assert report.counts["cases"].unchanged == 20
        assert database_state() == before


def test_export_into_an_empty_database_and_out_again_is_identical(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        export_content_dir(tmp_path / "first")
        delete_everything()
        assert import_content_dir(tmp_path / "first", progress=False).counts["cases"].created == 20
        export_content_dir(tmp_path / "second")
    first = files_of(tmp_path / "first")
    assert first == files_of(tmp_path / "second")
    assert "taxonomy.yml" in first and len([name for name in first if name.startswith("cases/")]) == 20


def test_exported_case_file_has_stable_keys_and_no_status_when_published(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        export_content_dir(tmp_path)
    text = (tmp_path / "cases" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    keys = [line.split(":")[0] for line in front.splitlines()]
    assert keys == ["title", "summary", "area", "secondary_areas", "region", "place", "level", "tags", "source"]
    assert "area: 区域统筹\nsecondary_areas: [力量统筹]\nregion: 莲都区\nplace: 黄泥墩村\nlevel: 村级\n" in front
    assert text.split("---\n", 2)[2].startswith("\n## 背景\n")


def test_cases_edited_on_the_web_export_and_round_trip(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        web = make_case("网页上写的草稿", slug="web-draft", status="draft", area_slug="fuwu", region_code="331121",
                        level="县级", body="## 背景\r\n\r\n网页编辑器提交的正文。  \r\n\r\n", summary="")
        web.secondary_areas = [area("fuwu")]
        make_case("留有空格的案例", slug="web-spaces", summary=" 前后有空格的摘要 ", place=" 某村 ")
        db.session.commit()
        export_content_dir(tmp_path)
        text = (tmp_path / "cases" / "web-draft.md").read_text(encoding="utf-8")
        assert text == ("---\ntitle: 网页上写的草稿\narea: 服务统筹\nregion: 青田县\nlevel: 县级\nstatus: draft\n"
                        "---\n\n## 背景\n\n网页编辑器提交的正文。\n")
        report = import_content_dir(tmp_path, progress=False)
        assert report.total.updated == 0 and report.counts["cases"].unchanged == 22
        assert db.session.scalar(select(Case.status).where(Case.slug == "web-draft")) == "draft"


def test_export_writes_the_taxonomy_tree(app, tmp_path):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        export_content_dir(tmp_path)
    taxonomy = (tmp_path / "taxonomy.yml").read_text(encoding="utf-8")
    assert "- slug: pingtai\n  name: 平台统筹\n" in taxonomy
    assert "- {code: '331102', name: 莲都区, kind: county}" in taxonomy
