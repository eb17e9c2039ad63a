"""The whole editorial journey: write, preview, submit, return, fix, resubmit, publish, read."""

from __future__ import annotations

from portal.audit.models import AuditEntry
from portal.cases.models import Case, Revision
from portal.editor.models import ReviewEvent
from portal.extensions import db
from tests.helpers.editor import BODY, case_data, edit_data, preview_box

SLUG = "qingtian-wangge"
RETURN_COMMENT = "请在“成效”部分注明资料来源，不要写汇报中没有的数字。"
ADDED_LINE = "成效部分依据丽水市工作汇报整理，汇报未给出具体数字。"


def events(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(db.select(ReviewEvent).order_by(ReviewEvent.id)).all()
        return [(row.action, row.comment) for row in rows]


def status(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.status).where(Case.slug == SLUG))


def test_editor_writes_reviewer_returns_then_publishes(app, client, staff):
    author = staff("zhang", "editor", "张编辑")
    reviewer = staff("li", "reviewer", "李审核")

    # Preview without JavaScript: the page re-renders with sanitized HTML and saves nothing.
    unsafe = BODY + "\n<script>alert(1)</script>\n\n[点我](javascript:alert(2))\n"
    preview = author.post("/editor/cases/new", {**case_data(body=unsafe, save=None), "preview": "预览"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    rendered = preview_box(html)
    assert '<h2 id="user-content-背景">背景</h2>' in rendered and "点我</a>" in rendered
    assert "<script" not in rendered and "javascript:" not in rendered and "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # kept in the textarea, as text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 0

    saved = author.post("/editor/cases/new", case_data())
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/editor/cases/{SLUG}/edit")
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert (case.status, case.author.username, case.area.slug, case.region.code) == (
            "draft", "zhang", "fuwu", "331121")
        assert case.tag_names == ["网格治理", "服务群众"]  # the order the editor typed
    assert client.get(f"/cases/{SLUG}").status_code == 404  # readers cannot see drafts

    assert author.post(f"/editor/cases/{SLUG}/submit", {"comment": "请审核"}).status_code == 302
    assert status(app) == "in_review"
    assert "青田县网格治理服务华侨" in reviewer.get("/editor/").get_data(as_text=True)

    returned = reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": RETURN_COMMENT})
    assert returned.status_code == 302 and status(app) == "draft"

    # The author sees the reviewer's comment on the dashboard and on the edit page.
    dashboard = author.get("/editor/").get_data(as_text=True)
    assert "被退回给我的案例" in dashboard and "请在“成效”部分注明资料来源" in dashboard
    edit_page = author.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
    assert "审核人退回了这个案例" in edit_page and "李审核" in edit_page and "注明资料来源" in edit_page

    fixed = author.post(f"/editor/cases/{SLUG}/edit",
                        edit_data(author, SLUG, body=BODY + "\n## 成效\n\n" + ADDED_LINE + "\n", comment="补充来源"),
                        token_url=f"/editor/cases/{SLUG}/edit")
    assert fixed.status_code == 302
    assert author.post(f"/editor/cases/{SLUG}/submit").status_code == 302

    published = reviewer.post(f"/editor/cases/{SLUG}/publish", {"comment": "可以发布"})
    assert published.status_code == 302 and status(app) == "published"

    page = client.get(f"/cases/{SLUG}")
    assert page.status_code == 200 and ADDED_LINE in page.get_data(as_text=True)
    assert "青田县网格治理服务华侨" in client.get("/areas/fuwu").get_data(as_text=True)
    assert "青田县网格治理服务华侨" in client.get("/regions/331121").get_data(as_text=True)

    assert events(app) == [("submit", "请审核"), ("return", RETURN_COMMENT), ("submit", ""), ("publish", "可以发布")]
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.published_at is not None
        revisions = db.session.scalars(db.select(Revision).order_by(Revision.number)).all()
        assert [(r.number, r.comment, r.author.username) for r in revisions] == [
            (1, "初稿", "zhang"), (2, "补充来源", "zhang")]
        audit = db.session.scalars(db.select(AuditEntry)).all()
        assert [(a.action, a.target, a.actor.username) for a in audit] == [("case.publish", SLUG, "li")]

    history = author.get(f"/editor/cases/{SLUG}/history").get_data(as_text=True)
    for step in ("第 1 版", "初稿", "第 2 版", "补充来源", "提交审核", "退回修改", RETURN_COMMENT[:8],
                 "审核通过并发布", "张编辑", "李审核"):
        assert step in history


def test_unpublish_archive_and_back_to_draft(app, client, staff):
    author = staff("zhang", "editor")
    reviewer = staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    reviewer.post(f"/editor/cases/{SLUG}/publish")
    with app.app_context():
        first_published = db.session.scalar(db.select(Case.published_at).where(Case.slug == SLUG))
    assert client.get(f"/cases/{SLUG}").status_code == 200

    assert reviewer.post(f"/editor/cases/{SLUG}/unpublish", {"comment": "数据待核实"}).status_code == 302
    assert status(app) == "draft" and client.get(f"/cases/{SLUG}").status_code == 404

    author.post(f"/editor/cases/{SLUG}/submit")
    reviewer.post(f"/editor/cases/{SLUG}/publish")
    assert reviewer.post(f"/editor/cases/{SLUG}/archive").status_code == 302
    assert status(app) == "archived" and client.get(f"/cases/{SLUG}").status_code == 404
    assert reviewer.post(f"/editor/cases/{SLUG}/reopen").status_code == 302
    assert status(app) == "draft"

    with app.app_context():
        assert db.session.scalar(db.select(Case.published_at).where(Case.slug == SLUG)) == first_published
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["case.publish", "case.unpublish", "case.publish", "case.archive"]
    assert [action for action, _ in events(app)] == [
        "submit", "publish", "unpublish", "submit", "publish", "archive", "restore_draft"]


def test_return_requires_a_comment(app, staff):
    author = staff("zhang", "editor")
    reviewer = staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    response = reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": "   "})
    assert response.status_code == 400
    assert "退回时请写明意见" in response.get_data(as_text=True)
    assert status(app) == "in_review"


def test_steps_out_of_order_are_refused(app, staff):
    author = staff("zhang", "editor")
    reviewer = staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    response = reviewer.post(f"/editor/cases/{SLUG}/publish")  # a draft skips review: no
    assert response.status_code == 409 and "不能执行" in response.get_data(as_text=True)
    assert reviewer.post(f"/editor/cases/{SLUG}/unpublish").status_code == 409
    assert status(app) == "draft"


def test_reviewer_cannot_publish_own_case_but_another_reviewer_or_admin_can(app, staff):
    writer = staff("wang", "reviewer")
    other = staff("zhao", "reviewer")
    writer.post("/editor/cases/new", case_data())
    writer.post(f"/editor/cases/{SLUG}/submit")
    refused = writer.post(f"/editor/cases/{SLUG}/publish")
    assert refused.status_code == 403 and "不能发布自己" in refused.get_data(as_text=True)
    own_page = writer.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
    assert "审核通过并发布" not in own_page and "需由另一位审核人审核发布" in own_page
    assert other.post(f"/editor/cases/{SLUG}/publish").status_code == 302
    assert status(app) == "published"

    admin = staff("boss", "admin")
    admin.post("/editor/cases/new", case_data(slug="admin-case", title="管理员自己写的案例"))
    admin.post("/editor/cases/admin-case/submit")
    assert admin.post("/editor/cases/admin-case/publish").status_code == 302


def test_dashboard_sections(app, staff):
    author = staff("zhang", "editor")
    reviewer = staff("li", "reviewer")
    author.post("/editor/cases/new", case_data(slug="my-draft", title="还在写的草稿"))
    author.post("/editor/cases/new", case_data(slug="sent", title="已提交的案例"))
    author.post("/editor/cases/sent/submit")
    mine = author.get("/editor/").get_data(as_text=True)
    assert "还在写的草稿" in mine and "已提交的案例" in mine
    assert "等待我审核的" not in mine  # editors have nothing to review
    theirs = reviewer.get("/editor/").get_data(as_text=True)
    assert "等待我审核的（1）" in theirs and "已提交的案例" in theirs
    assert "还在写的草稿" not in theirs  # someone else's draft is not on my dashboard
    reviewer.post("/editor/cases/sent/publish")
    assert "已提交的案例" in reviewer.get("/editor/").get_data(as_text=True).split("最近发布")[1]
