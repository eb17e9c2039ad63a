"""Suggest as you type: the search box is a WAI-ARIA combobox that works by keyboard alone."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_suggestions(page, text: str, box_id: str = "site-q"):
    box = page.locator(f"#{box_id}")
    box.focus()
    page.keyboard.type(text)
    listbox = page.get_by_role("listbox", name="搜索建议")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    return box, listbox


def test_pinyin_typed_by_keyboard_alone_picks_a_practice_and_searches_it(page):
    page.goto("/")
    box, listbox = open_suggestions(page, "yangguang")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("阳光票决制")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    assert page.evaluate("document.activeElement.id") == "site-q"  # focus stays in the box

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert "q=阳光票决制" in unquote(page.url)


def test_arrow_keys_wrap_and_enter_on_a_case_title_opens_the_case(page):
    page.goto("/search")  # the search page's own box (the header has none there)
    box, listbox = open_suggestions(page, "庆元", "search-q")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    page.keyboard.press("ArrowUp")  # from the box, up goes to the last option
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(1)).to_contain_text("十台合一")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/qingyuan-shitai-heyi$"))


def test_enter_without_choosing_a_suggestion_searches_what_was_typed(page):
    page.goto("/")
    open_suggestions(page, "平安")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert "q=平安" in unquote(page.url)


def test_the_open_suggestion_list_passes_axe(audit_context, assert_accessible, screenshot):
    page = audit_context.new_page()
    page.goto("/")
    open_suggestions(page, "ping")
    page.keyboard.press("ArrowDown")
    screenshot(page, "suggest-open", full_page=False)
    assert_accessible(page)
    page.close()


def test_without_javascript_the_box_stays_a_plain_search_form(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    box = page.locator("#site-q")
    assert box.get_attribute("role") is None and box.get_attribute("aria-expanded") is None
    box.fill("yangguang")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=yangguang"))
    expect(page.get_by_role("listbox")).to_have_count(0)
    context.close()
