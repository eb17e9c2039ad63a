"""The coverage matrix: counts roll up to counties, cells link to the matching list, gaps are labelled."""

from __future__ import annotations

import re
from html import unescape

import pytest

from portal.cases.matrix import heat_bucket


def cells(html: str) -> dict[str, tuple[str, str, str]]:
    """Map each cell's link to (heat class, visible text, accessible label)."""
    found = {}
    for heat, href, inner in re.findall(r'<td class="matrix-cell (heat-\d)">\s*<a href="([^"]+)">(.*?)</a>', html, re.S):
        visible = re.sub(r'<span class="visually-hidden">.*?</span>', "", inner)
        found[unescape(href)] = (heat, re.sub(r"<[^>]+>", "", visible), re.sub(r"<[^>]+>", "", inner))
    return found


@pytest.fixture
def matrix_html(client, library) -> str:
    response = client.get("/matrix")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_matrix_has_five_rows_and_ten_region_columns(matrix_html):
    assert len(cells(matrix_html)) == 50
    assert matrix_html.count('<th scope="row">') == 6  # five areas and the totals row
    header = matrix_html[matrix_html.index("<thead>"):matrix_html.index("</thead>")]
    assert header.count('<th scope="col"') == 12  # corner, ten regions, total
    assert "丽水市本级" in header and "景宁畲族自治县" in header
    assert "<caption" in matrix_html


def test_county_count_includes_its_townships(matrix_html):
    heat, visible, label = cells(matrix_html)["/cases?area=pingtai&region=331102"]
    assert visible == "2"
    assert heat == "heat-2"
    assert "个案例：平台统筹 · 莲都区" in label


def test_city_column_counts_only_city_level_cases_and_links_to_that_list(client, matrix_html):
    heat, visible, _ = cells(matrix_html)["/cases?area=quyu&region=331100&scope=self"]
    assert (heat, visible) == ("heat-1", "1")
    listed = client.get("/cases?area=quyu&region=331100&scope=self").get_data(as_text=True)
    assert "市级平安报表" in listed and "共 1 个案例" in listed


def test_drafts_are_not_counted_and_empty_cells_are_labelled(matrix_html):
    heat, visible, label = cells(matrix_html)["/cases?area=liliang&region=331127"]
    assert (heat, visible) == ("heat-0", "暂无")
    assert "力量统筹 · 景宁畲族自治县" in label
    assert "47 个空白格" in matrix_html  # 50 cells, three of them filled


def test_every_cell_count_matches_its_linked_list(client, matrix_html):
    for href, (_, visible, _) in cells(matrix_html).items():
        expected = 0 if visible == "暂无" else int(visible)
        listed = client.get(href).get_data(as_text=True)
        if expected:
            assert f"共 {expected} 个案例" in listed, href
        else:
            assert "没有符合条件的已发布案例" in listed, href


def test_totals(matrix_html):
    assert '<a href="/cases?area=pingtai&amp;region=331100">3<span class="visually-hidden">' in matrix_html
    assert "（共 4 个）" in matrix_html


@pytest.mark.parametrize(("count", "bucket"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (40, 4)])
def test_heat_buckets(count, bucket):
    assert heat_bucket(count) == bucket


def test_matrix_uses_classes_not_inline_styles(matrix_html):
    assert "style=" not in matrix_html
