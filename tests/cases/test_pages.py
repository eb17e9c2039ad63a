"""Home, area, region and tag pages."""

from __future__ import annotations

import re

from portal.collections.models import Collection
from portal.extensions import db


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_counts_published_cases_by_area_and_region(client, library):
    html = text(client, "/")
    assert "目前共收录已发布案例 <strong>4</strong> 个" in html
    assert 'href="/areas/pingtai">平台统筹</a><span class="count">3 个</span>' in html
    assert 'href="/areas/liliang">力量统筹</a><span class="count">0 个</span>' in html  # the draft is not counted
    assert re.search(r'href="/regions/331102">莲都区</a>\s*<span class="count">2 个</span>', html)
    assert re.search(r'scope=self">丽水市本级</a>\s*<span class="count">1 个</span>', html)


def test_home_lists_latest_cases_the_search_box_and_featured_collections(app, client, library):
    with app.app_context():
        db.session.add_all([Collection(slug="featured", title="推荐合集", featured=True, published=True),
                            Collection(slug="plain", title="普通合集", featured=False, published=True),
                            Collection(slug="secret", title="未发布推荐合集", featured=True, published=False)])
        db.session.commit()
    html = text(client, "/")
    assert html.index("庆元十台合一") < html.index("市级平安报表")
    assert 'action="/search"' in html and 'name="q"' in html
    assert 'href="/collections/featured"' in html
    assert "普通合集" not in html and "未发布推荐合集" not in html
    assert "草稿：景宁未发布案例" not in html


def test_home_works_on_an_empty_database(client):
    assert "还没有已发布的案例" in text(client, "/")


def test_area_page_shows_description_and_its_cases(client, library):
    html = text(client, "/areas/pingtai")
    assert "平台统筹的说明" in html
    assert "共 3 个案例" in html
    assert "市级平安报表" not in html


def test_area_page_hides_drafts(client, library):
    html = text(client, "/areas/liliang")
    assert "草稿：景宁未发布案例" not in html
    assert "没有符合条件的已发布案例" in html


def test_region_page_lists_sub_regions_and_the_whole_subtree(client, library):
    html = text(client, "/regions/331102")
    assert 'href="/regions/331102001"' in html  # its township
    assert "莲都区网格融合" in html and "紫金街道调解室" in html
    assert "庆元十台合一" not in html


def test_city_page_links_every_county(client, library):
    html = text(client, "/regions/331100")
    assert html.count('class="chip" href="/regions/3311') == 9
    assert "共 4 个案例" in html


def test_tag_page_lists_tagged_cases(client, library):
    html = text(client, "/tags/网格")
    assert "莲都区网格融合" in html and "紫金街道调解室" in html
    assert "庆元十台合一" not in html


def test_tag_used_only_by_drafts_is_a_404(client, library):
    response = client.get("/tags/秘密标签")
    assert response.status_code == 404
    assert "草稿" not in response.get_data(as_text=True)


def test_unknown_facets_are_chinese_404s(client, library):
    for url, message in (("/areas/nowhere", "没有找到统筹领域"), ("/regions/000000", "没有找到地区代码"),
                         ("/tags/nothing", "没有找到标签")):
        response = client.get(url)
        assert response.status_code == 404, url
        assert message in response.get_data(as_text=True)


def test_facet_pages_paginate_and_reject_bad_paging(client, library):
    assert "第 1/2 页" in text(client, "/areas/pingtai?per_page=2")
    assert "第 2/2 页" in text(client, "/areas/pingtai?per_page=2&page=2")
    assert client.get("/areas/pingtai?per_page=2&page=3").status_code == 404
    assert client.get("/regions/331100?page=zero").status_code == 400
