"""Staff pages and drafts are never stored by browsers or proxies: Cache-Control: no-store."""

from __future__ import annotations

import pytest

from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import login


@pytest.fixture
def staff_client(app, client, make_user):
    make_user("root", "admin")
    with app.app_context():
        make_taxonomy()
        make_case("草稿案例", slug="a-draft", status="draft")
        make_case("已发布案例", slug="live")
        db.session.add(Collection(slug="hidden", title="未发布合集", published=False))
        db.session.commit()
    login(client, "root")
    return client


@pytest.mark.parametrize("url", ["/editor/", "/editor/cases", "/editor/cases/a-draft/edit",
                                 "/editor/cases/a-draft/history", "/editor/collections", "/admin/users",
                                 "/admin/audit", "/account/password", "/cases/a-draft", "/collections/hidden",
                                 "/cases/live"])
def test_staff_views_send_no_store(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200, url
    assert "no-store" in response.headers.get("Cache-Control", "")
    assert "public" not in response.headers["Cache-Control"] and "max-age" not in response.headers["Cache-Control"]


def test_staff_error_pages_and_redirects_send_no_store_too(client):
    assert "no-store" in client.get("/editor/").headers.get("Cache-Control", "")  # redirect to the login page
    assert "no-store" in client.get("/admin/users/999").headers.get("Cache-Control", "")


def test_public_pages_for_readers_are_left_to_the_public_caching_rules(app, client):
    with app.app_context():
        make_taxonomy()
        make_case("已发布案例", slug="live")
    assert "no-store" not in client.get("/cases/live").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/collections/present.js").headers.get("Cache-Control", "")
