"""Changing one's own password at /account/password."""

from __future__ import annotations

from tests.helpers import csrf_token, login

NEW = "a brand new passphrase"


def change(client, current, new, confirm=None):
    return client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": current,
        "new_password": new, "confirm_password": confirm if confirm is not None else new})


def test_form_has_three_labelled_password_fields(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    html = client.get("/account/password").get_data(as_text=True)
    for label in ("当前密码", "新密码", "再次输入新密码"):
        assert f">{label}</label>" in html
    assert 'aria-describedby="new_password-hint"' in html


def test_password_change_lets_the_user_log_in_with_the_new_password_only(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    response = change(client, "correct horse battery", NEW)
    assert response.status_code == 303
    assert "密码已修改" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/account/password").status_code == 200, "the changing browser stays logged in"
    fresh = app.test_client()
    assert login(fresh, "wangfang", "correct horse battery", check=False).status_code == 200
    assert login(fresh, "wangfang", NEW, check=False).status_code == 302


def test_password_change_ends_the_users_other_sessions(app, client, make_user):
    make_user("wangfang", "editor")
    other = app.test_client()
    login(other, "wangfang")
    login(client, "wangfang")
    change(client, "correct horse battery", NEW)
    assert other.get("/account/password").status_code == 302


def test_wrong_current_password_is_refused_and_announced(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    response = change(client, "not my password", NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="field-error" id="current_password-error" role="alert">当前密码不正确。</p>' in html
    assert 'aria-describedby="current_password-error"' in html
    assert 'aria-invalid="true"' in html


def test_wrong_current_password_is_throttled(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        change(client, "not my password", NEW)
    response = change(client, "correct horse battery", NEW)
    assert "尝试次数过多" in response.get_data(as_text=True)
    assert login(app.test_client(), "wangfang", NEW, check=False).status_code != 302


def test_short_new_password_is_refused(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    response = change(client, "correct horse battery", "short")
    assert response.status_code == 400
    assert "密码至少需要 10 个字符" in response.get_data(as_text=True)


def test_mismatched_confirmation_is_refused(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    response = change(client, "correct horse battery", NEW, NEW + "x")
    assert response.status_code == 400
    assert "两次输入的新密码不一致" in response.get_data(as_text=True)
