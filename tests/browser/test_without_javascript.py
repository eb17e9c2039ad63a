"""With JavaScript switched off the reader can still search, browse and step through training mode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def plain_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_search_and_training_mode_work_without_javascript(plain_page, site):
    page = plain_page
    page.goto("/")
    box = page.get_by_role("banner").get_by_role("searchbox")
    box.fill("网格")
    page.get_by_role("banner").get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.locator("main ol li h2 a").first).to_be_visible()

    slug, titles = site["collection_slug"], site["collection_case_titles"]
    page.goto(f"/collections/{slug}/present")
    page.get_by_role("link", name=re.compile("下一页")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[0])
    for _ in range(12):  # step through the first case's slides (背景 / 做法 / 成效 / 讨论) to the second case
        page.get_by_role("link", name=re.compile("下一页")).click()
        if page.get_by_role("heading", level=1).inner_text() == titles[1]:
            break
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[1])
    page.get_by_role("link", name=re.compile("上一页")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[0])
    page.get_by_role("link", name="退出培训模式").click()
    expect(page).to_have_url(re.compile(rf"/collections/{slug}$"))
