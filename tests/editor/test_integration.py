"""Web-edited cases reach search through the outbox and round-trip through `portal content export`."""

from __future__ import annotations

from portal.cases.models import Case, Revision
from portal.content.export import export_content_dir
from portal.content.pipeline import import_content_dir
from portal.editor.models import ReviewEvent
from portal.extensions import db
from tests.factories import make_case
from tests.helpers.editor import case_data, edit_data

SLUG = "qingtian-jingqiao-yizhan"
TITLE = "青田县警侨驿站服务海外侨胞"
BODY = ("## 背景\n\n青田是著名侨乡，在外侨胞众多。\r\n\r\n## 做法\r\n\r\n设立警侨驿站，"
        "为侨胞代办证照、调解纠纷。\r\n\r\n| 项目 | 说明 |\r\n| --- | --- |\r\n| 驿站 | 警侨驿站 |\r\n\r\n")


def found(client, query: str, slug: str) -> bool:
    """True if a reader's search for `query` lists the case (titles may be highlighted, so by link)."""
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return f'href="/cases/{slug}"' in response.get_data(as_text=True)


def write_and_publish(staff, **overrides):
    author = staff("zhang")
    reviewer = staff("li", "reviewer")
    data = case_data(slug=SLUG, title=TITLE, body=BODY, tags="警侨驿站、华人华侨", place="仁庄镇",
                     year="2020", level="县级", **overrides)
    assert author.post("/editor/cases/new", {**data, "secondary_areas": ["liliang", "pingtai"]}).status_code == 302
    assert author.post(f"/editor/cases/{SLUG}/submit").status_code == 302
    assert reviewer.post(f"/editor/cases/{SLUG}/publish").status_code == 302
    return author, reviewer


def test_publishing_and_unpublishing_reach_search(app, client, staff):
    author = staff("wang")
    with app.app_context():
        make_case("丽水市平安报表管理法", slug="pingan-baobiao", tags=("平安建设",))
    assert found(client, "平安报表", "pingan-baobiao")
    author.post("/editor/cases/new", case_data(slug=SLUG, title=TITLE, body=BODY))
    assert not found(client, "警侨驿站", SLUG)  # drafts are not searchable

    author.post(f"/editor/cases/{SLUG}/archive")  # editors cannot; stays a draft
    reviewer = staff("li", "reviewer")
    author.post(f"/editor/cases/{SLUG}/submit")
    reviewer.post(f"/editor/cases/{SLUG}/publish")
    assert found(client, "警侨驿站", SLUG)

    reviewer.post(f"/editor/cases/{SLUG}/unpublish")
    assert not found(client, "警侨驿站", SLUG)


def test_a_web_edited_case_round_trips_through_export(app, staff, tmp_path, runner):
    author, publisher = write_and_publish(staff)
    url = f"/editor/cases/{SLUG}/edit"
    # A reviewer-side edit of the published case, like a typo fix, must export cleanly too.
    reviewer = staff("zhao", "reviewer")
    reviewer.post(url, edit_data(reviewer, SLUG, summary="  侨乡青田为侨胞就近办事。  "), token_url=url)
    assert publisher.post(f"/editor/cases/{SLUG}/changes/publish", token_url=url).status_code == 302

    result = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    exported = (tmp_path / "out" / "cases" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "\r" not in exported
    assert "title: 青田县警侨驿站服务海外侨胞" in exported and "secondary_areas: [平台统筹, 力量统筹]" in exported
    assert "region: 青田县" in exported and "place: 仁庄镇" in exported and "year: 2020" in exported
    assert "summary: 侨乡青田为侨胞就近办事。" in exported

    with app.app_context():
        before = db.session.scalar(db.select(Case).where(Case.slug == SLUG)).snapshot()
        report = import_content_dir(tmp_path / "out", progress=False)
        assert report.ok and report.counts["cases"].unchanged == 1
        assert report.total.created == report.total.updated == 0

        # And into an empty library: the same case comes back, field for field.
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        # SQLite does not cascade foreign keys, so the case's history goes first, by hand.
        db.session.execute(db.delete(Revision).where(Revision.case_id == case.id))
        db.session.execute(db.delete(ReviewEvent).where(ReviewEvent.case_id == case.id))
        db.session.delete(case)
        db.session.commit()
        assert import_content_dir(tmp_path / "out", progress=False).counts["cases"].created == 1
        after = db.session.scalar(db.select(Case).where(Case.slug == SLUG)).snapshot()
        assert after == before
        export_content_dir(tmp_path / "again")
    assert (tmp_path / "again" / "cases" / f"{SLUG}.md").read_text(encoding="utf-8") == exported


def test_a_draft_exports_with_its_status(app, staff, tmp_path):
    author = staff("wang")
    author.post("/editor/cases/new", case_data(slug=SLUG, title=TITLE, body=BODY))
    with app.app_context():
        export_content_dir(tmp_path)
    assert "status: draft" in (tmp_path / "cases" / f"{SLUG}.md").read_text(encoding="utf-8")
