"""The audit log speaks Chinese, names cases by title, filters by date range, user and action, exports CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from portal.timeutil import CHINA
from tests.helpers import login


@pytest.fixture
def admin(app, client, make_user):
    make_user("root", "admin", display_name="管理员甲")
    make_user("li", "reviewer", display_name="李审核")
    with app.app_context():
        li = db.session.scalar(db.select(User).where(User.username == "li"))
        for day, action, target, detail in (
                (3, "case.publish", "qingtian-wangge", {"title": "青田县网格治理", "from": "in_review", "to": "published"}),
                (10, "case.unpublish", "qingtian-wangge", {"title": "青田县网格治理", "from": "published", "to": "draft"}),
                (20, "user.set_role", "wang", {"old": "editor", "new": "reviewer"})):
            db.session.add(AuditEntry(actor=li if action.startswith("case") else None, action=action, target=target,
                                      detail=detail, created_at=datetime(2026, 11, day, 9, 0, tzinfo=CHINA)))
        db.session.commit()
    login(client, "root")
    return client


def test_entries_read_in_chinese_with_case_titles(admin):
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert "发布案例" in html and "青田县网格治理（qingtian-wangge）" in html
    assert "原状态：待审核" in html and "新状态：已发布" in html and "新角色：审核人" in html
    for raw in ("in_review", "from：", "case.publish", ">reviewer<"):
        assert raw not in html.split("<table")[1]


def test_filters_by_date_range_user_and_action(admin):
    def shown(query):
        return admin.get(f"/admin/audit?{query}").get_data(as_text=True).split("<tbody>")[-1]
    assert "撤回发布" in shown("start=2026-11-05&end=2026-11-15") and "发布案例" not in shown("start=2026-11-05&end=2026-11-15")
    assert "修改角色" not in shown("user=li") and "撤回发布" in shown("user=li")
    assert "修改角色" in shown("user=-")
    assert "撤回发布" not in shown("action=case.publish") and "发布案例" in shown("action=case.publish")


def test_a_bad_date_gets_a_chinese_error(admin):
    response = admin.get("/admin/audit?start=2026-13-01")
    assert response.status_code == 400 and "开始日期应写成" in response.get_data(as_text=True)


def test_the_selection_exports_as_csv(admin):
    response = admin.get("/admin/audit.csv?user=li")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["时间", "操作人", "操作", "对象", "详情"]
    assert [row[2] for row in rows[1:]] == ["撤回发布", "发布案例"]
    assert rows[1][1] == "李审核" and rows[1][3] == "青田县网格治理（qingtian-wangge）"
    assert "原状态：已发布" in rows[1][4]
    assert 'href="/admin/audit.csv?user=li"' in admin.get("/admin/audit?user=li").get_data(as_text=True)


def test_only_admins_read_the_audit_log(app, make_user):
    make_user("li2", "reviewer")
    client = app.test_client()
    login(client, "li2")
    assert client.get("/admin/audit.csv").status_code == 403
