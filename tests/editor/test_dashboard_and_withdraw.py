"""The dashboard lists each case once; editors can take back a submission; reviewers see what changed since."""

from __future__ import annotations

import re

from portal.audit.models import AuditEntry
from portal.cases.models import Case
from portal.extensions import db
from tests.helpers import login
from tests.helpers.editor import case_data, edit_data

SLUG = case_data()["slug"]
TITLE = case_data()["title"]


def status(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.status).where(Case.slug == SLUG))


def test_a_returned_case_is_listed_once_with_its_state(app, staff):
    author, reviewer = staff("zhang"), staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": "请补充来源。"})
    dashboard = author.get("/editor/").get_data(as_text=True)
    assert dashboard.count(f">{TITLE}</a>") == 1
    assert "被退回修改" in dashboard and "请补充来源。" in dashboard


def test_a_reviewers_own_submission_is_not_listed_twice(app, staff):
    reviewer = staff("li", "reviewer")
    reviewer.post("/editor/cases/new", case_data())
    reviewer.post(f"/editor/cases/{SLUG}/submit")
    assert reviewer.get("/editor/").get_data(as_text=True).count(f">{TITLE}</a>") == 1


def test_staff_land_on_the_dashboard_after_login(app, client, make_user):
    make_user("wangfang", "editor")
    assert login(client, "wangfang").headers["Location"] == "/editor/"


def test_trainers_land_on_their_collections_after_login(app, client, make_user):
    make_user("zhaojiao", "trainer")
    assert "培训师" in app.test_client().get("/login").get_data(as_text=True)  # the page invites them
    assert login(client, "zhaojiao").headers["Location"] == "/editor/collections"


def test_an_editor_withdraws_a_submission_and_it_is_audited(app, staff):
    author, other = staff("zhang"), staff("wang")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    assert "撤回审核申请" in author.get("/editor/").get_data(as_text=True)
    assert other.post(f"/editor/cases/{SLUG}/withdraw").status_code == 403
    assert status(app) == "in_review"
    response = author.post(f"/editor/cases/{SLUG}/withdraw")
    assert response.status_code == 302 and status(app) == "draft"
    assert "已撤回审核申请" in author.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.withdraw"))
        assert entry.target == SLUG and entry.detail["from"] == "in_review" and entry.detail["to"] == "draft"
    assert author.post(f"/editor/cases/{SLUG}/withdraw").status_code == 409  # nothing left to withdraw


def test_a_reviewer_sees_the_diff_since_the_revision_they_last_reviewed(app, staff):
    author, reviewer = staff("zhang"), staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": "请补充来源。"})
    for line in ("补充：资料来自丽水市汇报。", "再补充一句。"):
        data = edit_data(author, SLUG)
        author.post(f"/editor/cases/{SLUG}/edit", {**data, "body": data["body"] + "\n" + line})
    author.post(f"/editor/cases/{SLUG}/submit")
    page = reviewer.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">查看自你上次审核（第 1 版）以来的改动', page)
    assert link, "the reviewer is offered the changes since their review"
    diff = reviewer.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "补充：资料来自丽水市汇报。" in diff and "再补充一句。" in diff
    assert "上次审核" not in author.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
