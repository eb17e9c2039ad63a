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
