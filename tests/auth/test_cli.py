"""`portal users ...`: create, set-role, disable/enable, reset-password, list."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from tests.helpers import login

PASSWORD = "a long enough secret"


def users(runner, *args, input=None):
    return runner.invoke(args=["users", *args], input=input)


def create(runner, username="wangfang", role="editor", password=PASSWORD, *extra):
    return users(runner, "create", username, "--role", role, "--password-stdin", *extra, input=password + "\n")


def stored(app, username):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


def audit_rows(app):
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(row.actor_id, row.action, row.target, row.detail) for row in rows]


def test_create_knows_the_trainer_role(app, runner):
    result = create(runner, "zhaojiao", "trainer")
    assert result.exit_code == 0, result.output
    assert "已创建用户 zhaojiao（培训师）" in result.output
    assert stored(app, "zhaojiao").role == "trainer"
    assert "trainer" in users(runner, "create", "--help").output


def test_create_from_stdin_makes_an_account_that_can_log_in(app, runner, client):
    result = create(runner, "wangfang", "reviewer", PASSWORD, "--display-name", "王芳")
    assert result.exit_code == 0, result.output
    assert "已创建用户 wangfang（审核人）" in result.output
    user = stored(app, "wangfang")
    assert (user.role, user.display_name, user.active) == ("reviewer", "王芳", True)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert login(client, "wangfang", PASSWORD, check=False).status_code == 302


def test_create_from_the_hidden_prompt_asks_twice(app, runner):
    result = users(runner, "create", "lina", "--role", "editor", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "再次输入密码" in result.output
    assert PASSWORD not in result.output
    assert stored(app, "lina") is not None


def test_create_refuses_a_prompt_confirmation_that_differs(app, runner):
    result = users(runner, "create", "lina", "--role", "editor",
                   input=f"{PASSWORD}\nsomething else!\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert stored(app, "lina") is not None


def test_create_refuses_a_weak_password(app, runner):
    result = create(runner, "wangfang", "editor", "short")
    assert result.exit_code != 0
    assert "密码至少需要 10 个字符" in result.output
    assert stored(app, "wangfang") is None


def test_create_refuses_a_duplicate_username_in_any_case(app, runner):
    assert create(runner, "wangfang").exit_code == 0
    result = create(runner, "WangFang")
    assert result.exit_code != 0
    assert "已存在" in result.output


def test_create_refuses_an_unknown_role(app, runner):
    result = create(runner, "wangfang", "superuser")
    assert result.exit_code != 0
    assert stored(app, "wangfang") is None


def test_create_refuses_a_username_with_spaces(app, runner):
    result = create(runner, "wang fang")
    assert result.exit_code != 0
    assert "不能含空格" in result.output


def test_set_role_changes_the_role_and_writes_the_audit_log(app, runner, make_user):
    make_user("wangfang", "editor")
    result = users(runner, "set-role", "wangfang", "reviewer")
    assert result.exit_code == 0, result.output
    assert stored(app, "wangfang").role == "reviewer"
    assert audit_rows(app) == [(None, "user.set_role", "wangfang", {"old": "editor", "new": "reviewer"})]


def test_unknown_user_is_a_clear_error(runner):
    for command in (["set-role", "ghost", "admin"], ["disable", "ghost"], ["enable", "ghost"],
                    ["reset-password", "ghost", "--password-stdin"]):
        result = users(runner, *command, input=PASSWORD + "\n")
        assert result.exit_code != 0, command
        assert "没有名为 ghost 的用户" in result.output


def test_disable_stops_logins_and_enable_restores_them(app, runner, client, make_user):
    make_user("wangfang", "editor")
    assert users(runner, "disable", "wangfang").exit_code == 0
    assert login(client, "wangfang", check=False).status_code == 200
    assert users(runner, "enable", "wangfang").exit_code == 0
    assert login(client, "wangfang", check=False).status_code == 302
    assert [row[1] for row in audit_rows(app)] == ["user.disable", "user.enable"]


def test_disabling_ends_an_open_session(app, runner, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    users(runner, "disable", "wangfang")
    assert client.get("/account/password").status_code == 302


def test_last_active_admin_cannot_be_disabled_or_demoted(app, runner, make_user):
    make_user("boss", "admin")
    for command in (["disable", "boss"], ["set-role", "boss", "editor"]):
        result = users(runner, *command)
        assert result.exit_code != 0
        assert "最后一位有效的管理员" in result.output
    assert stored(app, "boss").role == "admin"
    make_user("deputy", "admin")
    assert users(runner, "set-role", "boss", "editor").exit_code == 0


def test_reset_password_replaces_the_old_one_and_ends_sessions(app, runner, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    result = users(runner, "reset-password", "wangfang", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert client.get("/account/password").status_code == 302
    assert login(app.test_client(), "wangfang", check=False).status_code == 200
    assert login(app.test_client(), "wangfang", PASSWORD, check=False).status_code == 302
    assert audit_rows(app)[-1][:3] == (None, "user.reset_password", "wangfang")


def test_reset_password_refuses_a_weak_password(app, runner, make_user):
    make_user("wangfang", "editor")
    before = stored(app, "wangfang").password_hash
    result = users(runner, "reset-password", "wangfang", "--password-stdin", input="123\n")
    assert result.exit_code != 0
    assert stored(app, "wangfang").password_hash == before


def test_list_shows_every_account_with_role_and_status(runner, make_user):
    make_user("wangfang", "editor", display_name="王芳")
    make_user("zhaolei", "admin", active=False)
    lines = users(runner, "list").output.splitlines()
    assert lines == ["wangfang\teditor\t有效\t王芳", "zhaolei\tadmin\t已停用\t"]


def test_list_on_an_empty_database_says_how_to_start(runner):
    assert "portal users create" in users(runner, "list").output
