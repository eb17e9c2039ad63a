"""The public collection pages: list, collection page with ordered cases, notes and questions."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.cases.models import Case
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import login
from tests.helpers.collections import (
    GRID_TITLE,
    RESPONSIBILITY_TITLE,
    TOWNSHIP,
    TOWNSHIP_CASES,
    TOWNSHIP_TITLE,
    make_collection,
)


def case_titles(app, slugs) -> list[str]:
    with app.app_context():
        by_slug = {case.slug: case.title for case in db.session.scalars(select(Case))}
    return [by_slug[slug] for slug in slugs]


def escaped(text: str) -> str:
    return text.replace('"', "&#34;")


def test_the_list_shows_every_published_collection_with_its_links(seeded_client):
    html = seeded_client.get("/collections").get_data(as_text=True)
    for title in (TOWNSHIP_TITLE, GRID_TITLE, RESPONSIBILITY_TITLE):
        assert title in html
    assert f'href="/collections/{TOWNSHIP}"' in html
    assert f'href="/collections/{TOWNSHIP}/handout.pdf"' in html
    assert f'href="/collections/{TOWNSHIP}/present"' in html
    assert "共 7 个案例" in html
    assert html.count('class="badge">推荐') == 2


def test_every_page_links_the_collections_from_the_main_navigation(seeded_client):
    html = seeded_client.get("/").get_data(as_text=True)
    assert '<a href="/collections">培训合集</a>' in html


def test_the_collection_page_lists_cases_in_order_with_questions_and_links(seeded_app, seeded_client):
    html = seeded_client.get(f"/collections/{TOWNSHIP}").get_data(as_text=True)
    headings = re.findall(r'<h3><span class="item-number">(\d+)\.</span> <a href="/cases/([^"]+)">([^<]+)</a>', html)
    assert headings == [(str(n), slug, escaped(title)) for n, (slug, title) in
                        enumerate(zip(TOWNSHIP_CASES, case_titles(seeded_app, TOWNSHIP_CASES), strict=True), 1)]
    assert "从“民事村了”开场" not in html  # the teaching note is for trainers only
    assert "如果把“矛盾不出村”写成考核指标，可能带来哪些副作用？应当怎样评价村级调解的实效？" in html
    assert html.count("<h4>讨论题</h4>") == 7
    assert f'href="/collections/{TOWNSHIP}/handout.pdf"' in html
    assert f'href="/collections/{TOWNSHIP}/present"' in html
    assert f'href="/collections/{TOWNSHIP}/present/1"' in html  # case 1 starts on slide 1
    assert "<strong>村里怎么调：</strong>" in html  # the introduction is rendered Markdown


def test_cases_that_are_not_published_stay_out_of_the_public_collection(app, client):
    with app.app_context():
        make_taxonomy()
        shown = make_case("公开的案例", slug="shown")
        hidden = make_case("尚在草稿的案例", slug="hidden", status="draft")
        make_collection([hidden, shown], notes={"hidden": "草稿的导读"})
    html = client.get("/collections/demo").get_data(as_text=True)
    assert "公开的案例" in html
    assert "尚在草稿的案例" not in html and "草稿的导读" not in html
    assert "共 1 个案例" in html


def test_an_unpublished_collection_is_hidden_from_readers_but_previewed_by_editors(app, client, make_user):
    with app.app_context():
        make_taxonomy()
        make_collection([make_case("案例甲", slug="a")], slug="secret", title="内部合集", published=False)
    assert "内部合集" not in client.get("/collections").get_data(as_text=True)
    for url in ("/collections/secret", "/collections/secret/present/1", "/collections/secret/handout.pdf"):
        assert client.get(url).status_code == 404
    make_user("editor1", "editor")
    login(client, "editor1")
    html = client.get("/collections/secret").get_data(as_text=True)
    assert "内部合集" in html and "此合集尚未发布" in html


def test_an_unknown_collection_is_a_chinese_404(client):
    response = client.get("/collections/no-such-collection")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_pages_use_no_inline_scripts_or_styles(seeded_client):
    for url in ("/collections", f"/collections/{TOWNSHIP}"):
        html = seeded_client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " style=" not in html
