"""Friendly Chinese error pages, including for a crash inside a view."""

from __future__ import annotations

import pytest

from portal.cases import views


@pytest.fixture
def crashing_home(app, monkeypatch):
    """Make the home page's query blow up, as a lost database connection would."""
    def explode():
        raise RuntimeError("database went away")

    monkeypatch.setattr(views.queries, "published_count", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_crash_in_a_view_renders_the_chinese_500_page(crashing_home, library):
    response = crashing_home.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "服务器内部错误" in html
    assert '<html lang="zh-CN">' in html
    assert "database went away" not in html


def test_404_page_offers_a_way_back(client):
    html = client.get("/cases/nothing-here").get_data(as_text=True)
    assert 'href="/"' in html
    assert html.count("<h1") == 1


def test_failed_sql_still_renders_the_chinese_500_page_for_a_logged_in_editor(app, library, make_user,
                                                                               monkeypatch):
    from sqlalchemy import text

    from portal.extensions import db
    from tests.helpers import login

    def broken_query():
        return db.session.execute(text("SELECT no_such_column FROM no_such_table")).scalar()

    monkeypatch.setattr(views.queries, "published_count", broken_query)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    make_user("editor2", "editor")
    login(client, "editor2")
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "服务器内部错误" in html
    assert "退出" in html  # the header still knows who is logged in
