"""Adoption on the reading pages: a case's lineage both ways, /adoption (table and SVG), region pages, matrix."""

from __future__ import annotations

import re

import pytest

from portal.cases import fields
from portal.cases.models import Case
from portal.extensions import db
from tests.helpers.library import build_library


def record(slug: str, **values) -> None:
    """Set a case's adoption fields through the one writer, as an import or the form would."""
    case = db.session.scalar(db.select(Case).where(Case.slug == slug))
    fields.write_case(case, values, keys=tuple(values))
    db.session.commit()


@pytest.fixture
def spread(app):
    """庆元's platform learned from the city's report; 莲都's grid spread to 庆元, to 紫金街道 and city-wide."""
    build_library(app)
    with app.app_context():
        record("qingyuan-platform", learned_from=[{"case": "city-report"}, {"place": "诸暨市枫桥镇", "year": 1963}])
        record("liandu-grid", adopted_in=[
            {"region": "331126", "place": "某某村", "year": 2021, "note": "全县推开", "source": "县委文件"},
            {"region": "331102001", "note": "街道试点"}, {"region": "331100", "note": "全市推行"}])
        record("draft-case", learned_from=[{"case": "city-report"}], adopted_in=[{"region": "331181"}])


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_case_page_shows_what_it_learned_from(client, spread):
    page = client.get("/cases/qingyuan-platform").get_data(as_text=True)
    assert "借鉴与推广" in page and "本做法借鉴自" in page
    assert '<a href="/cases/city-report">市级平安报表</a>' in page
    assert "诸暨市枫桥镇（1963年）" in page


def test_case_page_shows_who_learned_from_it_but_not_drafts(client, spread):
    page = client.get("/cases/city-report").get_data(as_text=True)
    assert "借鉴本做法的案例" in page
    assert '<a href="/cases/qingyuan-platform">庆元十台合一</a>' in page
    assert "draft-case" not in page and "草稿：景宁未发布案例" not in page


def test_case_page_lists_where_it_spread(client, spread):
    text = text_of(client.get("/cases/liandu-grid").get_data(as_text=True))
    assert "已推广到" in text
    assert "庆元县 某某村（2021年）：全县推开 （来源：县委文件）" in text
    assert "丽水市（全市） ：全市推行" in text


def test_a_case_without_lineage_has_no_empty_section(client, spread):
    assert "借鉴与推广" not in client.get("/cases/zijin-mediation").get_data(as_text=True)


def test_adoption_page_has_the_table_and_a_server_drawn_diagram(client, spread):
    response = client.get("/adoption")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    svg = re.search(r"<svg class=\"spread-map\".*?</svg>", page, re.S).group(0)
    assert 'role="group"' in svg and "<title" in svg
    assert svg.count('class="spread-node') == 10  # the city and its nine counties
    # Two arrows: 莲都 → 庆元 (adopted_in) and 丽水市 → 庆元 (learned_from); 紫金街道 stays inside 莲都.
    assert svg.count('<g class="spread-flow">') == 2
    assert "莲都区 → 庆元县：莲都区网格融合" in svg and "丽水市 → 庆元县：市级平安报表" in svg
    assert "全市推行：1 项做法" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere
    table = text_of(page.split('id="adoption-table-title"')[1])
    assert table.count("莲都区网格融合") >= 3
    assert "草稿：景宁未发布案例" not in page  # the draft's learning and adoption stay hidden


def test_adoption_page_filters_by_area_and_region(client, spread):
    page = text_of(client.get("/adoption?region=331126").get_data(as_text=True))
    assert "全县推开" in page and "街道试点" not in page
    assert client.get("/adoption?region=999").status_code == 404


def test_region_page_lists_practices_adopted_there(client, spread):
    county = text_of(client.get("/regions/331102").get_data(as_text=True))
    assert "在莲都区推广的做法" in county and "街道试点" in county
    empty = text_of(client.get("/regions/331181").get_data(as_text=True))
    assert "暂无推广到龙泉市的记录" in empty  # the draft's adoption is not shown


def test_matrix_switches_to_count_adoptions(client, spread):
    cases = client.get("/matrix").get_data(as_text=True)
    adoptions = client.get("/matrix?count=adoptions").get_data(as_text=True)
    assert "已发布案例数" in cases and '<a href="/matrix?count=adoptions">推广次数</a>' in cases
    assert "推广次数：行为统筹领域" in adoptions and "共 3 次" in adoptions
    assert "次推广：平台统筹 · 庆元县" in adoptions and "全市推行" in adoptions
    assert 'href="/adoption?area=pingtai&amp;region=331126"' in adoptions
    refused = client.get("/matrix?count=bogus")
    assert refused.status_code == 400 and "矩阵只能按案例数或推广次数统计" in refused.get_data(as_text=True)
