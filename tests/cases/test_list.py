"""The case list: filters (with region sub-trees), chips, pagination and bad parameters."""

from __future__ import annotations

import re

import pytest

from portal.cases.params import PARAMETER_LABELS
from portal.extensions import db
from tests.factories import make_case

CASE_LINK = re.compile(r'href="/cases/([\w-]+)"')


def listed_slugs(response) -> list[str]:
    """Return the case slugs linked from the list, in order."""
    return CASE_LINK.findall(response.get_data(as_text=True))


def test_list_shows_published_cases_newest_first_and_hides_drafts(client, library):
    response = client.get("/cases")
    assert response.status_code == 200
    assert listed_slugs(response) == ["qingyuan-platform", "zijin-mediation", "liandu-grid", "city-report"]
    assert "草稿：景宁未发布案例" not in response.get_data(as_text=True)
    assert "共 4 个案例" in response.get_data(as_text=True)


def test_city_filter_includes_counties_and_their_townships(client, library):
    slugs = listed_slugs(client.get("/cases?region=331100"))
    assert sorted(slugs) == ["city-report", "liandu-grid", "qingyuan-platform", "zijin-mediation"]


def test_county_filter_includes_its_township(client, library):
    assert sorted(listed_slugs(client.get("/cases?region=331102"))) == ["liandu-grid", "zijin-mediation"]


def test_scope_self_keeps_only_the_regions_own_cases(client, library):
    assert listed_slugs(client.get("/cases?region=331100&scope=self")) == ["city-report"]


@pytest.mark.parametrize(("query", "expected"), [
    ("area=pingtai", ["qingyuan-platform", "zijin-mediation", "liandu-grid"]),
    ("tag=网格", ["zijin-mediation", "liandu-grid"]),
    ("level=县级", ["qingyuan-platform", "liandu-grid"]),
    ("area=pingtai&region=331102&level=乡镇级", ["zijin-mediation"]),
    ("area=liliang", []),
])
def test_filters_combine(client, library, query, expected):
    assert listed_slugs(client.get(f"/cases?{query}")) == expected


def test_year_filter(app, client, library):
    with app.app_context():
        make_case("二〇二〇年的做法", slug="year-2020", commit=False).year = 2020
        db.session.commit()
    assert listed_slugs(client.get("/cases?year=2020")) == ["year-2020"]


def test_active_filters_show_as_chips_with_remove_links(client, library):
    html = client.get("/cases?area=pingtai&region=331102").get_data(as_text=True)
    assert "领域：平台统筹" in html
    assert "地区：莲都区（含下辖地区）" in html
    assert 'href="/cases?region=331102"' in html  # removing the area keeps the region
    assert 'href="/cases?area=pingtai"' in html  # removing the region keeps the area
    assert "移除筛选条件：领域：平台统筹" in html


def test_empty_filter_result_says_so(client, library):
    html = client.get("/cases?area=liliang").get_data(as_text=True)
    assert "没有符合条件的已发布案例" in html
    assert "清除筛选条件" in html


def test_pagination_splits_and_links_pages(client, library):
    first = client.get("/cases?per_page=3")
    assert listed_slugs(first) == ["qingyuan-platform", "zijin-mediation", "liandu-grid"]
    html = first.get_data(as_text=True)
    assert 'href="/cases?per_page=3&amp;page=2"' in html or 'href="/cases?page=2&amp;per_page=3"' in html
    second = client.get("/cases?per_page=3&page=2")
    assert listed_slugs(second) == ["city-report"]
    assert 'rel="prev"' in second.get_data(as_text=True)
    assert 'rel="next"' not in second.get_data(as_text=True)


def test_page_links_keep_the_filters(client, library):
    html = client.get("/cases?area=pingtai&per_page=2").get_data(as_text=True)
    assert re.search(r'href="/cases\?[^"]*area=pingtai[^"]*page=2', html)


def test_page_past_the_end_is_a_404_naming_the_last_page(client, library):
    response = client.get("/cases?per_page=3&page=3")
    assert response.status_code == 404
    assert "共 2 页" in response.get_data(as_text=True)


def test_exact_page_boundary(client, library):
    assert len(listed_slugs(client.get("/cases?per_page=2&page=2"))) == 2
    assert client.get("/cases?per_page=2&page=3").status_code == 404
    assert client.get("/cases?per_page=100").status_code == 200


@pytest.mark.parametrize(("query", "name"), [
    ("page=0", "page"), ("page=abc", "page"), ("page=-1", "page"), ("page=1.5", "page"),
    ("per_page=0", "per_page"), ("per_page=101", "per_page"), ("per_page=x", "per_page"),
    ("year=abc", "year"), ("year=99999", "year"), ("level=省级", "level"), ("scope=all&region=331100", "scope"),
    ("scope=self", "scope"), ("area=%00", "area"), ("page=%EF%BC%91", "page"),
])
def test_bad_parameters_are_a_chinese_400_naming_the_thing_not_the_parameter(client, library, query, name):
    response = client.get(f"/cases?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert PARAMETER_LABELS[name] in html
    assert "参数" not in html and f" {name} " not in html
    assert '<html lang="zh-CN">' in html


@pytest.mark.parametrize(("query", "message"), [
    ("area=nowhere", "没有找到统筹领域“nowhere”"),
    ("region=999999", "没有找到地区“999999”"),
    ("tag=不存在的标签", "没有找到标签“不存在的标签”"),
])
def test_unknown_filter_values_are_a_404_with_a_message(client, library, query, message):
    response = client.get(f"/cases?{query}")
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_facet_links_mark_the_active_filter(client, library):
    html = client.get("/cases?level=村级").get_data(as_text=True)
    assert re.search(r'href="/cases\?level=%E6%9D%91%E7%BA%A7" aria-current="true"', html)


def test_page_title_names_the_filters_and_page(client, library):
    html = client.get("/cases?area=pingtai&per_page=2&page=2").get_data(as_text=True)
    assert "<title>领域：平台统筹 · 全部案例（第 2 页） · 丽水市域社会治理</title>" in html
