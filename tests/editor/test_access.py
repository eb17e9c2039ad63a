"""Role checks on the editor routes, and CSRF on every form they accept."""

from __future__ import annotations

import pytest

from portal.cases.models import Case
from portal.editor.models import ReviewEvent
from portal.extensions import db
from tests.helpers.editor import case_data

SLUG = "qingtian-wangge"
REVIEWER_ACTIONS = ("return", "publish", "unpublish", "archive", "reopen")


def editor_post_urls(app) -> list[str]:
    """Every POST route of the editor blueprint, filled in for the test case."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("editor.") and "POST" in rule.methods:
                values = {"slug": SLUG, "number": 1}
                urls.append(rule.build({k: v for k, v in values.items() if k in rule.arguments})[1])
    return urls


def status_of(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.status).where(Case.slug == SLUG))


@pytest.fixture
def submitted(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    return author


def test_editors_cannot_take_reviewer_steps(app, submitted):
    for action in REVIEWER_ACTIONS:
        response = submitted.post(f"/editor/cases/{SLUG}/{action}", {"comment": "越权"})
        assert response.status_code == 403, action
    assert status_of(app) == "in_review"
    page = submitted.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
    assert "审核通过并发布" not in page and "退回修改" not in page


def test_anonymous_visitors_are_sent_to_log_in(app, client, taxonomy):
    for url in ("/editor/", "/editor/cases", "/editor/cases/new", "/editor/uploads",
                f"/editor/cases/{SLUG}/history", f"/editor/cases/{SLUG}/diff"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_anonymous_posts_change_nothing(app, client, submitted):
    for url in editor_post_urls(app):
        response = client.post(url, data={"comment": "匿名"})
        assert response.status_code in (302, 400, 401, 403), url
    assert status_of(app) == "in_review"


def test_every_editor_form_needs_a_csrf_token(app, staff, submitted):
    admin = staff("boss", "admin")
    urls = editor_post_urls(app)
    assert len(urls) >= 10
    for url in urls:
        response = admin.client.post(url, data={"comment": "没有令牌", **case_data()})
        assert response.status_code == 400, url
        assert "CSRF" in response.get_data(as_text=True), url
    assert status_of(app) == "in_review"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ReviewEvent.id))) == 1


def test_a_token_from_another_session_is_refused(app, staff, submitted):
    reviewer = staff("li", "reviewer")
    foreign_token = submitted.token()
    response = reviewer.client.post(f"/editor/cases/{SLUG}/publish", data={"csrf_token": foreign_token})
    assert response.status_code == 400 and status_of(app) == "in_review"


def test_the_case_list_shows_drafts_and_filters_by_status(app, staff, submitted):
    staff_page = submitted.get("/editor/cases?status=in_review").get_data(as_text=True)
    assert "青田县网格治理服务华侨" in staff_page
    assert "青田县网格治理服务华侨" not in submitted.get("/editor/cases?status=draft").get_data(as_text=True)
    assert submitted.get("/editor/cases?status=bogus").status_code == 400
