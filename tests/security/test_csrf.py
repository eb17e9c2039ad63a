"""A missing or wrong CSRF token is refused with 400 and a friendly Chinese page, on every POST route."""

from __future__ import annotations

import pytest

from portal.auth.models import User
from portal.extensions import db
from tests.helpers import csrf_token, login
from tests.security import routewalk
from tests.security.inert import check_html

FRIENDLY = "表单已过期或缺少安全令牌（CSRF），请返回上一页刷新后重试。"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def assert_friendly_400(response):
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert FRIENDLY in html
    assert "<h1>请求有误</h1>" in html


@pytest.mark.parametrize("token", [None, "", "not-a-token", "IjAxYjI.YWJj.ZGVm"])
def test_login_without_a_valid_token_gets_the_friendly_400(client, make_user, token):
    make_user("wangfang", "editor")
    client.get("/login")
    data = {"username": "wangfang", "password": "correct horse battery"}
    if token is not None:
        data["csrf_token"] = token
    assert_friendly_400(client.post("/login", data=data))
    assert client.get("/account/password").status_code == 302


def test_a_token_from_another_browser_is_refused(app, client, make_user):
    make_user("wangfang", "editor")
    foreign = csrf_token(app.test_client(), "/login")
    client.get("/login")
    response = client.post("/login", data={"username": "wangfang", "password": "correct horse battery",
                                           "csrf_token": foreign})
    assert_friendly_400(response)


def test_password_change_without_a_token_changes_nothing(app, client, make_user):
    user = make_user("wangfang", "editor")
    login(client, "wangfang")
    response = client.post("/account/password", data={
        "current_password": "correct horse battery", "new_password": "attacker's password",
        "confirm_password": "attacker's password"})
    assert_friendly_400(response)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def test_admin_role_change_with_a_wrong_token_changes_nothing(app, client, make_user):
    make_user("boss", "admin")
    target = make_user("wangfang", "editor")
    login(client, "boss")
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "admin", "csrf_token": "forged"})
    assert_friendly_400(response)
    with app.app_context():
        assert db.session.get(User, target.id).role == "editor"


def test_every_state_changing_route_refuses_a_request_without_a_token(app, make_user):
    make_user("boss", "admin")
    client = app.test_client()
    login(client, "boss")
    rules = [rule for rule in app.url_map.iter_rules() if set(UNSAFE_METHODS) & rule.methods]
    assert {"/login", "/logout", "/admin/users"} <= {rule.rule for rule in rules}
    problems = []
    for rule in rules:
        for method in (m for m in UNSAFE_METHODS if m in rule.methods):
            url = routewalk.sample_url(app, rule, method)
            response = client.open(url, method=method, data={"anything": "x"})
            if response.status_code != 400 or (not url.startswith("/api/") and FRIENDLY not in response.get_data(
                    as_text=True)):
                problems.append(f"{method} {url}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_api_requests_without_a_token_get_a_json_400(app):
    app.add_url_rule("/api/v1/_echo", "echo_probe", lambda: {"ok": True}, methods=["POST"])
    response = app.test_client().post("/api/v1/_echo", json={"x": 1})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


def test_the_form_check_flags_a_post_form_without_a_token():
    html = ('<form method="post" action="/a"><input name="csrf_token" value="t"></form>'
            '<form method="post" action="/b"><input name="title"></form>'
            '<form method="get" action="/c"></form>')
    assert check_html(html).unprotected_forms == ["/b"]
