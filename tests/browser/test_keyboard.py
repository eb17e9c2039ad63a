"""Keyboard-only use: the skip link comes first, the search box is reachable, focus can always be seen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# How the focused element is drawn, so a test can tell a visible focus ring from none at all.
FOCUS_STYLE_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {id: el.id, text: el.textContent.trim(), outlineStyle: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth) || 0, boxShadow: style.boxShadow,
          inViewport: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
                      && box.bottom <= innerHeight && box.right <= innerWidth};
}"""
MAX_TABS_TO_SEARCH = 15


def focused(page) -> dict:
    return page.evaluate(FOCUS_STYLE_JS)


def assert_focus_visible(state: dict) -> None:
    ring = state["outlineStyle"] != "none" and state["outlineWidth"] >= 2
    assert ring or state["boxShadow"] != "none", f"focus is invisible on {state}"
    assert state["inViewport"], f"the focused element is off screen: {state}"


def test_first_tab_lands_on_a_visible_skip_link_that_jumps_to_the_content(page):
    page.goto("/cases")
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["text"] == "跳到正文"
    assert_focus_visible(state)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"


def test_tab_reaches_the_header_search_box_and_enter_searches(page):
    page.goto("/")
    for _ in range(MAX_TABS_TO_SEARCH):
        page.keyboard.press("Tab")
        state = focused(page)
        assert_focus_visible(state)
        if state["id"] == "site-q":
            break
    else:
        pytest.fail(f"{MAX_TABS_TO_SEARCH} presses of Tab never reached the header search box")

    page.keyboard.type("网格")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=%E7%BD%91%E6%A0%BC"))


def test_every_link_on_the_case_list_shows_focus(page):
    page.goto("/cases")
    page.locator("#main").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        assert_focus_visible(focused(page))
