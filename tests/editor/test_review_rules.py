"""Review is never bypassed: changes during review, restoring old versions, and what a save changed."""

from __future__ import annotations

import pytest

from portal.audit.models import AuditEntry
from portal.cases.models import Case, Revision
from portal.extensions import db
from tests.helpers.editor import BODY, case_data, edit_data

SLUG = "qingtian-wangge"
URL = f"/editor/cases/{SLUG}"


def status_of(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.status).where(Case.slug == SLUG))


@pytest.fixture
def in_review(app, staff):
    """An editor's case, submitted for review; two reviewers."""
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    author.post(f"{URL}/submit")
    assert status_of(app) == "in_review"
    return author, staff("li", "reviewer"), staff("zhao", "reviewer")


def test_a_reviewer_who_rewrote_the_case_in_review_cannot_publish_it(app, in_review):
    _, reviewer, other = in_review
    reviewer.post(f"{URL}/edit", edit_data(reviewer, SLUG, body=BODY + "审核人自己加的一段。\n"), token_url=f"{URL}/edit")
    refused = reviewer.post(f"{URL}/publish")
    assert refused.status_code == 403 and "审核期间修改过" in refused.get_data(as_text=True)
    assert status_of(app) == "in_review"
    assert "审核通过并发布" not in reviewer.get(f"{URL}/edit").get_data(as_text=True)
    assert other.post(f"{URL}/publish").status_code == 302
    assert status_of(app) == "published"


def test_an_admin_who_rewrote_the_case_in_review_cannot_publish_it_either(app, in_review, staff):
    admin = staff("root", "admin")
    admin.post(f"{URL}/edit", edit_data(admin, SLUG, title="管理员改过的标题"), token_url=f"{URL}/edit")
    assert admin.post(f"{URL}/publish").status_code == 403


def test_a_reviewer_who_only_read_it_publishes_as_before(app, in_review):
    _, reviewer, _ = in_review
    assert reviewer.post(f"{URL}/publish").status_code == 302


@pytest.fixture
def published_twice(app, in_review):
    """The case published, then revised and published again (revisions 1 and 2)."""
    author, reviewer, other = in_review
    reviewer.post(f"{URL}/publish")
    reviewer.post(f"{URL}/unpublish")
    author.post(f"{URL}/edit", edit_data(author, SLUG, title="第二版标题"), token_url=f"{URL}/edit")
    author.post(f"{URL}/submit")
    reviewer.post(f"{URL}/publish")
    assert status_of(app) == "published"
    return author, reviewer, other


def test_restoring_asks_for_a_reason(app, published_twice):
    _, reviewer, _ = published_twice
    response = reviewer.post(f"{URL}/revisions/1/restore", {"comment": "  "}, token_url=f"{URL}/history")
    assert response.status_code == 400 and "请写明原因" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2
    assert "恢复原因（必填）" in reviewer.get(f"{URL}/history").get_data(as_text=True)


def test_restoring_a_published_case_goes_through_review_and_is_audited(app, client, published_twice):
    _, reviewer, other = published_twice
    response = reviewer.post(f"{URL}/revisions/1/restore", {"comment": "第二版标题不准确"}, token_url=f"{URL}/history")
    assert response.status_code == 302
    assert status_of(app) == "published"
    page = client.get(f"/cases/{SLUG}").get_data(as_text=True)
    assert "第二版标题" in page, "readers keep the published text until another reviewer publishes the restore"
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.restore_revision"))
        assert entry.actor.username == "li" and entry.target == SLUG
        assert entry.detail["comment"] == "第二版标题不准确" and entry.detail["revision"] == 1
    assert reviewer.post(f"{URL}/changes/publish", token_url=f"{URL}/edit").status_code == 403  # the restorer
    assert other.post(f"{URL}/changes/publish", token_url=f"{URL}/edit").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Case.title).where(Case.slug == SLUG)) == "青田县网格治理服务华侨"


def test_saving_says_which_fields_changed(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    response = author.post(f"{URL}/edit", edit_data(author, SLUG, title="新标题", tags="网格治理"),
                           token_url=f"{URL}/edit", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已保存（第 2 版），改动：标题、标签。" in html


def test_submitting_from_the_form_saves_the_typed_text_first(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    data = edit_data(author, SLUG, body=BODY + "刚输入的一段。\n", submit_comment="请审核")
    data.pop("save")
    data["submit_review"] = "提交审核"
    response = author.post(f"{URL}/edit", data, token_url=f"{URL}/edit", follow_redirects=True)
    assert "改动：正文。已提交审核。" in response.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.status == "in_review" and "刚输入的一段。" in case.body_md
