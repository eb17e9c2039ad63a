"""借鉴与推广 in Chromium: the /adoption diagram on screen and on paper, and a case page's lineage."""

from __future__ import annotations

import io
import unicodedata

import pytest
from playwright.sync_api import expect

from portal.config import PROJECT_ROOT

pytestmark = pytest.mark.browser


def test_the_adoption_diagram_is_drawn_by_the_server(page, screenshot):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/adoption")
    diagram = page.get_by_role("group", name="做法在丽水市及所辖")
    expect(diagram).to_be_visible()
    expect(page.get_by_role("link", name="庆元县：暂无引入记录，查看推广到该地的做法")).to_be_visible()
    assert page.locator(".spread-node").count() == 10
    expect(page.locator(".spread-citywide-label")).to_have_text("全市推行：3 项做法")
    expect(page.locator(".adoption-table tbody tr")).to_have_count(3)
    assert all(url.startswith(page.url.split("/adoption")[0]) for url in requests), "fetched from elsewhere"
    screenshot(page, "adoption")


def test_the_adoption_page_prints_the_diagram_and_the_table(page, screenshot):
    from pypdf import PdfReader

    page.goto("/adoption")
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    box = page.locator(".spread-map").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300, box
    expect(page.locator(".adoption-table")).to_be_visible()
    screenshot(page, "adoption-print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    (PROJECT_ROOT / "test-output" / "screenshots" / "adoption-print.pdf").write_bytes(data)
    # NFKC: the PDF's text layer spells some characters with Kangxi radicals (⼴ for 广).
    text = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "全市推行" in text and "莲都" in text


def test_a_case_page_shows_where_its_practice_spread(page, screenshot):
    page.goto("/cases/minqing-ditu-wangge-qunzhong")
    lineage = page.get_by_role("region", name="借鉴与推广")
    expect(lineage).to_contain_text("已推广到")
    expect(lineage).to_contain_text("丽水市（全市）")
    expect(page.locator("#case-meta")).to_contain_text("最近核实")
    lineage.scroll_into_view_if_needed()
    screenshot(page, "case-lineage", full_page=False)
