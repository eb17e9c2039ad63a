"""The case page: visibility, preview for staff, breadcrumbs, contents, metadata, collections, related."""

from __future__ import annotations

import pytest

from portal.cases.models import Area, Case, RelatedCase
from portal.collections.models import Collection, CollectionItem
from portal.extensions import db
from portal.search import analysis
from portal.search.state import SearchState
from tests.factories import make_case
from tests.helpers import login

LONG_BODY = "\n\n".join(f"## 第{n}部分\n\n" + "这一部分写做法和成效。" * 40 for n in range(1, 5))


def page(client, slug: str):
    return client.get(f"/cases/{slug}")


def test_published_case_page_shows_title_body_and_one_h1(client, library):
    response = page(client, "liandu-grid")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "莲都区网格融合" in html
    assert "正文。" in html
    assert html.count("<h1") == 1


def test_drafts_are_404_for_anonymous_readers(client, library):
    response = page(client, "draft-case")
    assert response.status_code == 404
    assert "草稿：景宁未发布案例" not in response.get_data(as_text=True)


def test_unknown_slug_is_a_chinese_404(client, library):
    response = page(client, "no-such-case")
    assert response.status_code == 404
    assert "没有找到这个案例" in response.get_data(as_text=True)


def test_editor_previews_a_draft_with_a_banner(client, library, make_user):
    make_user("editor1", "editor")
    login(client, "editor1")
    response = page(client, "draft-case")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "草稿：景宁未发布案例" in html
    assert "预览：此案例当前状态为“草稿”" in html


def test_breadcrumbs_follow_area_and_region_chain(client, library):
    html = page(client, "zijin-mediation").get_data(as_text=True)
    trail = html[html.index('aria-label="面包屑"'):html.index("</nav>", html.index('aria-label="面包屑"'))]
    positions = [trail.index(text) for text in ("首页", "平台统筹", "丽水市", "莲都区", "紫金街道", "紫金街道调解室")]
    assert positions == sorted(positions)
    assert 'href="/regions/331102"' in trail
    assert 'aria-current="page"' in trail


def test_metadata_panel_lists_the_facts(app, client, library):
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "zijin-mediation"))
        case.secondary_areas = [db.session.scalar(db.select(Area).where(Area.slug == "fuwu"))]
        case.year, case.source = 2020, "丽水市工作汇报"
        db.session.commit()
    html = page(client, "zijin-mediation").get_data(as_text=True)
    for text in ("统筹领域", "平台统筹", "兼及领域", "服务统筹", "地点", "紫金街道", "乡镇级", "2020年",
                 "丽水市工作汇报", "实践年份", 'href="/tags/%E7%BD%91%E6%A0%BC"'):
        assert text in html


def test_long_write_up_gets_a_table_of_contents(app, client, library):
    with app.app_context():
        make_case("长篇案例", slug="long-case", body=LONG_BODY)
    html = page(client, "long-case").get_data(as_text=True)
    assert 'aria-labelledby="toc-title"' in html
    assert 'href="#user-content-第1部分"' in html


def test_short_write_up_has_no_table_of_contents(client, library):
    assert 'aria-labelledby="toc-title"' not in page(client, "liandu-grid").get_data(as_text=True)


def test_page_lists_published_collections_containing_the_case(app, client, library):
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "liandu-grid"))
        shown = Collection(slug="grid-course", title="网格治理培训", published=True)
        hidden = Collection(slug="hidden-course", title="未发布的合集", published=False)
        shown.items.append(CollectionItem(case=case, position=0))
        hidden.items.append(CollectionItem(case=case, position=0))
        db.session.add_all([shown, hidden])
        db.session.commit()
    html = page(client, "liandu-grid").get_data(as_text=True)
    assert "网格治理培训" in html
    assert 'href="/collections/grid-course"' in html
    assert "未发布的合集" not in html


def store_related(slug: str, related_slugs: list[str]) -> None:
    """Replace a case's stored related list (as search would compute it)."""
    def case_id(value: str) -> int:
        return db.session.scalar(db.select(Case.id).where(Case.slug == value))

    db.session.execute(db.delete(RelatedCase).where(RelatedCase.case_id == case_id(slug)))
    db.session.add_all(RelatedCase(case_id=case_id(slug), rank=rank, related_id=case_id(other))
                       for rank, other in enumerate(related_slugs))
    db.session.commit()


def test_related_falls_back_to_same_area_published_cases(app, client, library):
    with app.app_context():
        store_related("liandu-grid", [])
    html = page(client, "liandu-grid").get_data(as_text=True)
    related = html[html.index('id="related-title"'):]
    assert "庆元十台合一" in related and "紫金街道调解室" in related
    assert "市级平安报表" not in related  # another area
    assert "莲都区网格融合" not in related  # the case itself


def test_related_shows_the_stored_list_but_never_drafts(app, client, library):
    with app.app_context():
        store_related("liandu-grid", ["city-report", "draft-case"])
    related = page(client, "liandu-grid").get_data(as_text=True).split('id="related-title"')[1]
    assert "市级平安报表" in related
    assert "草稿：景宁未发布案例" not in related


def test_the_case_page_never_touches_the_search_index(app, client, library, monkeypatch):
    def untouchable(*args, **kwargs):
        raise AssertionError("a case page must not search or tokenize")

    with app.app_context():
        store_related("liandu-grid", ["city-report"])
    monkeypatch.setattr(SearchState, "open_index", untouchable)
    monkeypatch.setattr(SearchState, "snapshot", untouchable)
    monkeypatch.setattr(analysis, "segment", untouchable)
    response = page(client, "liandu-grid")
    assert response.status_code == 200
    assert "市级平安报表" in response.get_data(as_text=True).split('id="related-title"')[1]


def test_case_body_html_is_sanitized_on_the_page(app, client, library):
    with app.app_context():
        make_case("带脚本的案例", slug="xss", body='<script>alert(1)</script>\n\n<a href="javascript:x">链接</a>',
                  summary="<b>摘要</b>")
    html = page(client, "xss").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "javascript:x" not in html
    assert "&lt;b&gt;摘要&lt;/b&gt;" in html


@pytest.mark.parametrize("status", ["in_review", "archived"])
def test_unpublished_statuses_are_hidden_from_readers_everywhere(app, client, library, status):
    with app.app_context():
        make_case("不公开的案例", slug="hidden-status", status=status, tags=("只在隐藏案例",))
    assert page(client, "hidden-status").status_code == 404
    assert client.get("/api/v1/cases/hidden-status").status_code == 404
    for url in ("/cases", "/", "/feed.atom", "/sitemap.xml", "/areas/quyu"):
        assert "hidden-status" not in client.get(url).get_data(as_text=True), url
    assert client.get("/tags/只在隐藏案例").status_code == 404


def test_reviewer_may_preview_too(client, library, make_user):
    make_user("reviewer1", "reviewer")
    login(client, "reviewer1")
    assert page(client, "draft-case").status_code == 200
