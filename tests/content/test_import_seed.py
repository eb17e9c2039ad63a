"""Importing the real content/ directory: 20 published cases filed correctly, idempotent, with history."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.cases.models import Area, Case, Region, Revision
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from tests.helpers.content import CONTENT_DIR, SAMPLE_SLUG, database_state, write_case


def case(slug: str) -> Case:
    return db.session.scalar(select(Case).where(Case.slug == slug))


def test_real_content_gives_twenty_published_cases(app):
    with app.app_context():
        report = import_content_dir(CONTENT_DIR, progress=False)
        assert report.ok
        assert report.counts["cases"].created == 20
        statuses = db.session.scalars(select(Case.status)).all()
        assert statuses == ["published"] * 20
        assert all(c.published_at is not None for c in db.session.scalars(select(Case)).unique())


def test_real_content_files_cases_under_the_right_area_and_region(app):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        sample = case(SAMPLE_SLUG)
        assert (sample.region.name, sample.level, sample.place) == ("莲都区", "村级", "黄泥墩村")
        assert sample.area.name == "区域统筹"
        assert [area.name for area in sample.secondary_areas] == ["力量统筹"]
        assert "阳光票决制" in sample.title and "村务决策" in sample.tag_names
        assert case("qingyuan-shitai-heyi").region.name == "庆元县"
        per_area = dict(db.session.execute(
            select(Area.name, func.count(Case.id)).join(Case, Case.area_id == Area.id).group_by(Area.name)).all())
        assert per_area == {"平台统筹": 4, "区域统筹": 5, "服务统筹": 3, "力量统筹": 4, "责任统筹": 4}


def test_taxonomy_builds_the_region_tree(app):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        city = db.session.scalar(select(Region).where(Region.code == "331100"))
        assert city.name == "丽水市" and city.parent is None
        assert [child.name for child in city.children][:2] == ["莲都区", "青田县"]
        assert len(city.children) == 9
        assert db.session.scalar(select(Area.description).where(Area.slug == "pingtai")).startswith("以党建铸魂")


def test_body_is_rendered_with_a_table_of_contents(app):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        sample = case(SAMPLE_SLUG)
        assert '<h2 id="user-content-背景">背景</h2>' in sample.body_html
        assert 'href="#user-content-做法"' in sample.toc_html
        assert "<table>" in sample.body_html


def test_second_run_changes_nothing(app):
    with app.app_context():
        import_content_dir(CONTENT_DIR, progress=False)
        before = database_state()
        report = import_content_dir(CONTENT_DIR, progress=False)
        assert (report.counts["cases"].created, report.counts["cases"].updated) == (0, 0)
        assert report.counts["cases"].unchanged == 20
        assert report.counts["taxonomy"].created == report.counts["taxonomy"].updated == 0
        assert database_state() == before


def test_import_records_one_revision_per_change(app, content_dir):
    with app.app_context():
        import_content_dir(content_dir, progress=False)
        revision = db.session.scalar(select(Revision).join(Case).where(Case.slug == SAMPLE_SLUG))
        assert revision.number == 1
        assert revision.comment == f"从 {content_dir.as_posix()}/cases/{SAMPLE_SLUG}.md 导入"
        assert revision.snapshot["region"] == "331102"


def test_changed_file_updates_the_case_and_bumps_its_version(app, content_dir):
    with app.app_context():
        import_content_dir(content_dir, progress=False)
        version = case(SAMPLE_SLUG).version
        path = content_dir / "cases" / f"{SAMPLE_SLUG}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("tags: [村务决策,", "tags: [村民自治,"),
                        encoding="utf-8")
        report = import_content_dir(content_dir, progress=False)
        assert (report.counts["cases"].updated, report.counts["cases"].unchanged) == (1, 19)
        db.session.expire_all()
        assert "村民自治" in case(SAMPLE_SLUG).tag_names
        assert case(SAMPLE_SLUG).version == version + 1
        numbers = db.session.scalars(select(Revision.number).join(Case).where(Case.slug == SAMPLE_SLUG)).all()
        assert sorted(numbers) == [1, 2]


def test_dry_run_reports_but_writes_nothing(app, content_dir):
    with app.app_context():
        before = database_state()
        report = import_content_dir(content_dir, dry_run=True, progress=False)
        assert report.ok and report.dry_run
        assert report.counts["cases"].created == 20
        assert database_state() == before


def test_dry_run_of_an_edit_keeps_the_old_row(app, imported):
    with app.app_context():
        before = database_state()
        report = import_content_dir(imported, dry_run=True, progress=False)
        assert (report.counts["cases"].created, report.counts["cases"].updated) == (1, 1)
        assert database_state() == before


def test_draft_status_is_kept_and_publishing_sets_the_date(app, content_dir):
    with app.app_context():
        path = write_case(content_dir, "draft-case.md", "title: 草稿案例\narea: 服务统筹\nregion: 331123\n"
                                                        "status: draft\n")
        import_content_dir(content_dir, progress=False)
        draft = case("draft-case")
        assert (draft.status, draft.published_at, draft.level) == ("draft", None, "县级")
        assert draft.region.name == "遂昌县"
        path.write_text(path.read_text(encoding="utf-8").replace("status: draft\n", ""), encoding="utf-8")
        import_content_dir(content_dir, progress=False)
        db.session.expire_all()
        assert case("draft-case").status == "published"
        assert case("draft-case").published_at is not None


def test_bom_crlf_slug_and_codes_are_accepted(app, content_dir):
    text = "---\ntitle: 视窗文件\nslug: windows-file\narea: zeren\nregion: '331181'\n---\n\n## 背景\n\n正文。\n"
    (content_dir / "cases" / "Windows File.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    with app.app_context():
        assert import_content_dir(content_dir, progress=False).ok
        imported = case("windows-file")
        assert (imported.title, imported.area.name, imported.region.name) == ("视窗文件", "责任统筹", "龙泉市")
        assert imported.body_md == "## 背景\n\n正文。"


def test_dotfiles_and_readme_are_ignored(app, content_dir):
    (content_dir / "cases" / ".DS_Store").write_bytes(b"\x00\x01binary")
    (content_dir / "cases" / "README.md").write_text("# 说明\n\n这里放案例。\n", encoding="utf-8")
    with app.app_context():
        report = import_content_dir(content_dir, progress=False)
        assert report.ok and report.counts["cases"].created == 20


def test_many_files_show_a_progress_bar_on_stderr(app, content_dir, capsys):
    for number in range(40):
        write_case(content_dir, f"extra-{number}.md")
    with app.app_context():
        import_content_dir(content_dir)
    assert "导入案例" in capsys.readouterr().err


def test_few_files_show_no_progress_bar(app, content_dir, capsys):
    with app.app_context():
        import_content_dir(content_dir)
    assert capsys.readouterr().err == ""
