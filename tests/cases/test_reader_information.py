"""Readers see reader information only: meaningful dates, no staff notes, one search box, a favicon."""

from __future__ import annotations

import io
from datetime import timedelta

from portal.cases.models import Case
from portal.extensions import db
from tests.wording import visible_text


def case_page(client, slug: str = "zijin-mediation") -> str:
    response = client.get(f"/cases/{slug}")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_a_case_in_no_collection_says_nothing_about_collections(client, library):
    text = case_page(client)
    assert "尚未收入任何培训合集" not in text and "培训合集" not in text.split("案例信息", 1)[1]


def test_an_imported_case_shows_no_import_time(app, client, library):
    text = case_page(client)
    assert "更新时间" not in text and "发布于" not in text


def test_a_case_published_after_writing_shows_its_publishing_date_and_practice_year(app, client, library):
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "zijin-mediation"))
        case.published_at = case.created_at + timedelta(days=3)
        case.year = 2019
        shown = case.published_at
        db.session.commit()
    text = case_page(client)
    assert f"发布于 {shown.year}年{shown.month}月" in text and "实践年份 2019年" in text


def test_the_home_page_has_one_search_box_and_every_page_a_favicon(client, library):
    html = client.get("/").get_data(as_text=True)
    assert html.count('role="search"') == 1
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/static/favicon.svg").status_code == 200


def test_the_search_page_has_one_search_box_that_keeps_the_query(client, library):
    html = client.get("/search?q=%E5%BB%8A%E6%A1%A5").get_data(as_text=True)
    assert html.count('role="search"') == 1 and html.count('type="search"') == 1
    assert 'value="廊桥"' in html


def test_favicon_ico_answers_with_a_cacheable_icon_for_readers_and_staff(app, client, make_user):
    from PIL import Image

    from tests.helpers import login

    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert Image.open(io.BytesIO(response.data)).format == "ICO"
    assert "max-age=86400" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    again = client.get("/favicon.ico", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    make_user("editor1", "editor")
    staff = app.test_client()
    login(staff, "editor1")
    signed_in = staff.get("/favicon.ico")
    assert signed_in.status_code == 200 and "no-store" not in signed_in.headers["Cache-Control"]
