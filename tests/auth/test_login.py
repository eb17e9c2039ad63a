"""Logging in and out: redirects, generic failures, disabled accounts, sessions and cookies."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from tests.helpers import csrf_token, login, logout

GENERIC_FAILURE = "用户名或密码错误"


def test_login_page_has_labelled_fields_and_a_csrf_token(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="username">用户名</label>' in html
    assert '<label for="password">密码</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrf_token"' in html


def test_correct_password_logs_in_and_shows_the_user(client, make_user):
    make_user("wangfang", "editor", display_name="王芳")
    response = login(client, "wangfang")
    assert response.headers["Location"] == "/editor/"  # staff land on 编辑台
    assert "退出（王芳）" in client.get("/").get_data(as_text=True)


def test_username_is_matched_without_case_or_spaces(client, make_user):
    make_user("LiMing", "editor")
    assert login(client, "  liming ", check=False).status_code == 302


@pytest.mark.parametrize("username, password", [
    ("wangfang", "wrong password!"),     # real user, wrong password
    ("nobody", "correct horse battery"),  # no such user
])
def test_failed_login_shows_one_generic_message(client, make_user, username, password):
    make_user("wangfang", "editor")
    response = login(client, username, password, check=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GENERIC_FAILURE in html
    assert 'role="alert"' in html
    assert "退出" not in html


def test_unknown_user_and_wrong_password_answer_identically(client, make_user):
    make_user("wangfang", "editor")
    unknown = login(client, "nobody", "wrong password!", check=False)
    wrong = login(client, "wangfang", "wrong password!", check=False)
    assert unknown.status_code == wrong.status_code
    assert login_error(unknown) == login_error(wrong) != ""


def login_error(response) -> str:
    match = re.search(r'id="login-error">([^<]*)<', response.get_data(as_text=True))
    return match.group(1) if match else ""


def test_unknown_user_still_costs_a_password_hash_check(client, monkeypatch):
    from portal.auth import passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    login(client, "nobody", "whatever password", check=False)
    assert len(calls) == 1
    assert calls[0].startswith("scrypt:")


def test_disabled_account_cannot_log_in_even_with_the_right_password(client, make_user):
    make_user("zhaolei", "reviewer", active=False)
    response = login(client, "zhaolei", check=False)
    assert response.status_code == 200
    assert GENERIC_FAILURE in response.get_data(as_text=True)
    assert client.get("/account/password").status_code == 302


@pytest.mark.parametrize("target", ["/admin/audit", "/cases?area=quyu", "/account/password"])
def test_next_sends_the_user_back_to_a_page_on_this_site(client, make_user, target):
    make_user("admin1", "admin")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "admin1", "password": "correct horse battery",
                                           "csrf_token": token, "next": target})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example/", "http:evil.example", "/\\evil.example",
    "\\\\evil.example", "javascript:alert(1)", "/\t/evil.example", " //evil.example",
    "evil.example", "///evil.example", "/\n/evil.example", "/\x00/evil.example",
])
def test_next_to_another_site_is_ignored(client, make_user, target):
    make_user("admin1", "admin")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "admin1", "password": "correct horse battery",
                                           "csrf_token": token, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/"


def test_login_form_carries_next_from_the_query_string(client):
    html = client.get("/login?next=/admin/users").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/admin/users"' in html


def test_protected_page_redirects_anonymous_users_to_login_with_next(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account/password"
    assert "请先登录" in client.get("/login").get_data(as_text=True)


def test_api_routes_answer_json_401_instead_of_a_redirect(database_url, tmp_path):
    from flask_login import login_required

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path)})
    app.add_url_rule("/api/v1/_private", "private_probe", login_required(lambda: "secret"))
    response = app.test_client().get("/api/v1/_private")
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": 401, "message": "需要登录。"}}


def test_logged_in_user_is_sent_away_from_the_login_page(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    assert client.get("/login?next=/account/password").headers["Location"] == "/account/password"


def test_logout_is_post_only_and_ends_the_session(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    assert client.get("/logout").status_code == 405
    assert client.get("/account/password").status_code == 200
    response = logout(client)
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 302


def test_logout_without_csrf_token_is_refused(client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/account/password").status_code == 200


def test_hand_made_session_with_a_bare_user_id_is_not_accepted(client, make_user):
    user = make_user("wangfang", "admin")
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert client.get("/admin/users").status_code == 302


def test_production_session_cookie_is_secure_httponly_and_samesite(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "production-test-secret-" + "x" * 16)
    app = create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path)})
    response = app.test_client().get("/login", base_url="https://portal.example")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "secure" in flags
    assert "httponly" in flags
    assert flags["samesite"] == "SameSite=Lax"


def test_development_session_cookie_is_httponly_and_samesite_but_not_secure(client):
    cookie = next(v for v in client.get("/login").headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
