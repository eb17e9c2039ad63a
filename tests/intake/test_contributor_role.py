"""The contributor role: created from the CLI, lands on 我的报送, and reaches no staff page."""

from __future__ import annotations

from tests.helpers import login

PASSWORD = "a long enough secret"


def test_users_create_knows_the_contributor_role(app, runner, client):
    result = runner.invoke(args=["users", "create", "lishui-county", "--role", "contributor", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "已创建用户 lishui-county（报送人）" in result.output
    response = login(client, "lishui-county", PASSWORD)
    assert response.headers["Location"] == "/my/submissions"


def test_the_header_offers_my_submissions_and_no_staff_links(app, make_user, client):
    make_user("county", "contributor")
    login(client, "county")
    page = client.get("/my/submissions").get_data(as_text=True)
    header = page.split("</header>", 1)[0]
    assert "我的报送" in header
    assert "编辑台" not in header and "我的合集" not in header and "管理" not in header
    assert "管理合集" not in client.get("/collections").get_data(as_text=True)


def test_contributors_are_refused_every_staff_page(app, make_user, client):
    make_user("county", "contributor")
    login(client, "county")
    for url in ("/editor/", "/editor/intake", "/editor/cases/new", "/editor/collections", "/admin/users"):
        assert client.get(url).status_code == 403, url


def test_staff_do_not_get_the_contributor_link(app, make_user, client):
    make_user("trainer", "trainer")
    login(client, "trainer")
    header = client.get("/").get_data(as_text=True).split("</header>", 1)[0]
    assert "我的合集" in header and "我的报送" not in header
