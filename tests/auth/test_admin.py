"""The admin area: the user pages and the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from portal.timeutil import utcnow
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, login
from tests.wording import raw_names_in, visible_text


def admin_client(client, make_user, username="boss"):
    admin = make_user(username, "admin", display_name="管理员甲")
    login(client, username)
    return admin


def post(client, url, data=None, form_url="/admin/users"):
    return client.post(url, data={"csrf_token": csrf_token(client, form_url), **(data or {})})


def reload(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def last_audit(app):
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        return (entry.actor.username if entry.actor else None, entry.action, entry.target, entry.detail)


def test_editors_and_reviewers_get_the_chinese_403_page(client, make_user):
    make_user("wangfang", "reviewer")
    login(client, "wangfang")
    for url in ("/admin/users", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 403
        assert "没有权限访问此页面" in response.get_data(as_text=True)


def test_user_list_shows_every_account(client, make_user):
    admin_client(client, make_user)
    make_user("wangfang", "editor", display_name="王芳", active=False)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "王芳" in html and "已停用" in html and "管理员" in html
    assert client.get("/admin/").headers["Location"].endswith("/admin/users")


def test_admin_creates_a_user_who_can_then_log_in(app, client, make_user):
    admin_client(client, make_user)
    response = post(client, "/admin/users", {"username": "lina", "display_name": "李娜", "role": "reviewer",
                                              "new_password": "lina's long password",
                                              "confirm_password": "lina's long password"})
    assert response.status_code == 302
    assert last_audit(app) == ("boss", "user.create", "lina", {"role": "reviewer"})
    assert login(app.test_client(), "lina", "lina's long password", check=False).status_code == 302


def test_creating_a_duplicate_user_shows_the_error_on_the_field(client, make_user):
    admin_client(client, make_user)
    response = post(client, "/admin/users", {"username": "BOSS", "role": "editor",
                                              "new_password": "0123456789a", "confirm_password": "0123456789a"})
    assert response.status_code == 400
    assert 'id="username-error" role="alert">用户名 BOSS 已存在。' in response.get_data(as_text=True)


def test_admin_changes_a_role_and_it_is_audited(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    response = post(client, f"/admin/users/{user.id}/role", {"role": "reviewer"})
    assert response.status_code == 303
    assert reload(app, user.id).role == "reviewer"
    assert last_audit(app) == ("boss", "user.set_role", "wangfang", {"old": "editor", "new": "reviewer"})
    assert "已更新 wangfang" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_unknown_role_is_refused(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    response = post(client, f"/admin/users/{user.id}/role", {"role": "root"})
    assert response.status_code == 400
    assert reload(app, user.id).role == "editor"


def test_admin_disables_and_re_enables_a_user(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    other = app.test_client()
    login(other, "wangfang")
    post(client, f"/admin/users/{user.id}/disable")
    assert reload(app, user.id).active is False
    assert other.get("/account/password").status_code == 302
    post(client, f"/admin/users/{user.id}/enable")
    assert reload(app, user.id).active is True
    assert last_audit(app)[:3] == ("boss", "user.enable", "wangfang")


def test_admin_resets_a_password(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    response = post(client, f"/admin/users/{user.id}/password",
                    {"new_password": "reset by the admin", "confirm_password": "reset by the admin"})
    assert response.status_code == 303
    assert login(app.test_client(), "wangfang", "reset by the admin", check=False).status_code == 302
    assert last_audit(app)[:3] == ("boss", "user.reset_password", "wangfang")


def test_a_weak_reset_password_is_refused_on_the_page(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    response = post(client, f"/admin/users/{user.id}/password",
                    {"new_password": "short", "confirm_password": "short"})
    assert response.status_code == 400
    assert "密码至少需要 10 个字符" in response.get_data(as_text=True)


def test_the_last_admin_cannot_demote_or_disable_themself(app, client, make_user):
    admin = admin_client(client, make_user)
    for url, data in ((f"/admin/users/{admin.id}/role", {"role": "editor"}),
                      (f"/admin/users/{admin.id}/disable", {})):
        response = post(client, url, data)
        assert "最后一位有效的管理员" in client.get(response.headers["Location"]).get_data(as_text=True)
    user = reload(app, admin.id)
    assert (user.role, user.active) == ("admin", True)


def test_an_admin_who_demotes_themself_leaves_the_admin_area(app, client, make_user):
    admin = admin_client(client, make_user)
    make_user("deputy", "admin")
    response = post(client, f"/admin/users/{admin.id}/role", {"role": "reviewer"})
    assert response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 403


def test_admin_resetting_their_own_password_stays_logged_in(app, client, make_user):
    admin = admin_client(client, make_user)
    post(client, f"/admin/users/{admin.id}/password",
         {"new_password": "my own new password", "confirm_password": "my own new password"})
    assert client.get("/admin/users").status_code == 200


def test_unknown_user_id_is_404(client, make_user):
    admin_client(client, make_user)
    assert client.get("/admin/users/987654").status_code == 404
    assert post(client, "/admin/users/987654/disable").status_code == 404


def add_audit(app, count, action="case.publish"):
    start = utcnow() - timedelta(days=1)
    with app.app_context():
        for number in range(count):
            db.session.add(AuditEntry(action=action, target=f"case-{number:03d}", detail={"n": number},
                                      created_at=start + timedelta(minutes=number)))
        db.session.commit()


def test_audit_log_lists_newest_first_in_pages(app, client, make_user):
    admin_client(client, make_user)
    add_audit(app, 60)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert first.index("case-059") < first.index("case-058")
    assert "case-009" not in first
    assert "第 1 / 2 页" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "case-009" in second and "case-059" not in second
    assert "发布案例" in second and "命令行" in second


def test_audit_log_filters_by_action_and_survives_bad_page_numbers(app, client, make_user):
    admin_client(client, make_user)
    add_audit(app, 3, "case.publish")
    add_audit(app, 2, "case.unpublish")
    html = client.get("/admin/audit?action=case.unpublish").get_data(as_text=True)
    assert html.count("撤回发布</td>") == 2
    assert client.get("/admin/audit?page=abc").status_code == 200
    assert client.get("/admin/audit?page=-4").status_code == 200
    assert "没有审计记录" in client.get("/admin/audit?page=999").get_data(as_text=True)


def test_role_changes_made_on_the_web_show_in_the_audit_log(client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    post(client, f"/admin/users/{user.id}/role", {"role": "admin"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "修改角色" in html and "管理员甲" in html and "wangfang" in html


def test_audit_details_name_states_and_roles_in_chinese(app, client, make_user):
    admin_client(client, make_user)
    user = make_user("wangfang", "editor")
    post(client, f"/admin/users/{user.id}/role", {"role": "reviewer"})
    with app.app_context():
        db.session.add(AuditEntry(action="case.publish", target="jingning",
                                  detail={"title": "景宁", "from": "in_review", "to": "published", "comment": ""}))
        db.session.commit()
    text = visible_text(client.get("/admin/audit").get_data(as_text=True))
    assert "原状态：待审核" in text and "新状态：已发布" in text and "原角色：编辑" in text and "新角色：审核人" in text
    assert raw_names_in(text, ("in_review", "published", "editor", "reviewer", "from", "to")) == []


def test_only_admins_see_the_admin_link_and_everyone_signed_in_sees_change_password(app, client, make_user):
    admin_client(client, make_user)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/admin/users">管理</a>' in home
    assert 'href="/account/password">修改密码</a>' in home
    make_user("wangfang", "editor")
    editor = app.test_client()
    login(editor, "wangfang")
    editor_home = editor.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in editor_home
    assert 'href="/account/password">修改密码</a>' in editor_home
    assert 'href="/account/password"' not in app.test_client().get("/").get_data(as_text=True)


def test_case_entries_link_to_the_case(app, client, make_user):
    admin_client(client, make_user)
    add_audit(app, 1, "case.unpublish")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<a href="/cases/case-000">case-000</a>' in html
    assert "撤回发布" in html


def test_publishing_and_unpublishing_from_the_editor_show_in_the_audit_log(app, client, make_user):
    if "editor.publish" not in app.view_functions:
        pytest.skip("the editor's publish route is not registered")
    with app.app_context():
        make_taxonomy()
        make_case("待发布的案例", slug="to-publish", status="in_review")
    make_user("shenhe", "reviewer", display_name="审核人乙")
    reviewer = app.test_client()
    login(reviewer, "shenhe")
    token = csrf_token(reviewer, "/account/password")
    assert reviewer.post("/editor/cases/to-publish/publish", data={"csrf_token": token}).status_code < 400
    assert reviewer.post("/editor/cases/to-publish/unpublish", data={"csrf_token": token}).status_code < 400
    admin_client(client, make_user)
    table = client.get("/admin/audit").get_data(as_text=True).split('<table class="audit-table">')[1]
    assert table.index("撤回发布") < table.index("发布案例"), "newest first"
    assert table.count("审核人乙") == 2 and "to-publish" in table


def test_the_account_page_has_no_duplicate_ids(client, make_user):
    admin = admin_client(client, make_user)
    html = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_admin_creates_a_trainer_from_the_role_list(app, client, make_user):
    admin_client(client, make_user)
    page = client.get("/admin/users").get_data(as_text=True)
    assert '<option value="trainer">培训师</option>' in page
    response = post(client, "/admin/users", {"username": "zhaojiao", "role": "trainer",
                                              "new_password": "a trainer's long password",
                                              "confirm_password": "a trainer's long password"})
    assert response.status_code == 302
    assert last_audit(app) == ("boss", "user.create", "zhaojiao", {"role": "trainer"})


def test_trainers_see_their_collections_link_instead_of_the_editor_desk(app, client, make_user):
    make_user("zhaojiao", "trainer")
    login(client, "zhaojiao")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/editor/collections">我的合集</a>' in home
    assert 'href="/editor/"' not in home
    assert client.get("/editor/").status_code == 403
    assert client.get("/editor/cases/new").status_code == 403
