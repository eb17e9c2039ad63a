"""Every editing, review and admin route refuses anonymous users and users whose role is too low."""

from __future__ import annotations

import pytest

from portal.auth.decorators import role_required
from portal.auth.models import ROLES
from tests.helpers import csrf_token, login
from tests.security import routewalk


@pytest.fixture
def clients(app, make_user):
    """One logged-in client per role, plus an anonymous one, each with its CSRF token."""
    anonymous = app.test_client()
    result = {"anonymous": (anonymous, csrf_token(anonymous, "/login"))}
    for role in ROLES:
        make_user(f"walk-{role}", role)
        client = app.test_client()
        login(client, f"walk-{role}")
        result[role] = (client, csrf_token(client, "/account/password"))
    return result


def test_every_route_under_editor_and_admin_declares_a_role(app):
    assert routewalk.unguarded_rules(app) == [], (
        "these routes lack @role_required (portal/auth/decorators.py); every /editor and /admin "
        "route must declare the role it needs")


def test_every_guarded_route_refuses_anonymous_users_and_lower_roles(app, clients):
    guarded = routewalk.guarded_rules(app)
    assert {"/admin/users", "/admin/audit"} <= {item.rule.rule for item in guarded}
    problems = [problem for item in guarded for problem in routewalk.probe(app, item, clients)]
    assert problems == [], "\n".join(problems)


def test_the_walk_notices_a_route_that_forgot_its_guard(app):
    app.add_url_rule("/editor/_forgotten", "forgotten", lambda: "open to all")
    assert "/editor/_forgotten" in routewalk.unguarded_rules(app)


def test_the_walk_notices_a_guard_that_does_not_enforce_anything(app, request):
    def fake(number):
        return "open to all"

    fake.required_role = "reviewer"  # claims a role but never checks it
    app.add_url_rule("/editor/_fake/<int:number>", "fake", fake, methods=["GET", "POST"])
    clients = request.getfixturevalue("clients")  # logging in serves requests, so add rules first
    item = next(item for item in routewalk.guarded_rules(app) if item.rule.endpoint == "fake")
    problems = routewalk.probe(app, item, clients)
    assert any("as anonymous: must redirect" in problem for problem in problems)
    assert any(p == "GET /editor/_fake/987654 as editor: must answer 403, got 200" for p in problems)
    assert any(p.startswith("POST /editor/_fake/987654 as editor") for p in problems)


def test_the_walk_passes_a_properly_guarded_route(app, request):
    @role_required("reviewer")
    def guarded(slug):
        return f"review {slug}"

    app.add_url_rule("/editor/_guarded/<slug>", "guarded_probe", guarded, methods=["GET", "POST"])
    clients = request.getfixturevalue("clients")
    item = next(item for item in routewalk.guarded_rules(app) if item.rule.endpoint == "guarded_probe")
    assert item.lower_roles == ("contributor", "trainer", "editor")
    assert routewalk.probe(app, item, clients) == []


def test_api_routes_with_a_role_answer_json_401_to_anonymous_users(app):
    @role_required("editor")
    def private():
        return {"ok": True}

    app.add_url_rule("/api/v1/_private", "private_api_probe", private)
    response = app.test_client().get("/api/v1/_private")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == 401
