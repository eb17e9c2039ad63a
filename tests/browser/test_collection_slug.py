"""Building a collection: the 网址名 is spelled from the title as the trainer types, and checked live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_slug_follows_the_title_until_the_trainer_types_one(staff_audit_context, screenshot):
    page = staff_audit_context.new_page()
    page.goto("/editor/collections/new")
    page.get_by_label("标题").fill("域外网格培训")
    slug = page.get_by_label("网址名")
    expect(slug).to_have_value(re.compile(r"^yuwai-wangge"))
    expect(page.locator(".slug-status")).to_contain_text("按标题拼音生成")
    slug.fill("中文")
    expect(page.locator(".slug-status")).to_contain_text("小写")
    screenshot(page, "editor-new-collection-slug", full_page=False)
    page.close()
