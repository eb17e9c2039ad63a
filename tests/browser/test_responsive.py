"""On a phone-sized screen the main pages fit the width: nothing makes the reader scroll sideways."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = [
    ("home", lambda site: "/"),
    ("case-list", lambda site: "/cases"),
    ("case-page", lambda site: f"/cases/{site['case_slug']}"),
    ("matrix", lambda site: "/matrix"),
    ("search-results", lambda site: "/search?q=%E7%BD%91%E6%A0%BC"),
    ("collection", lambda site: f"/collections/{site['collection_slug']}"),
    ("training-case", lambda site: f"/collections/{site['collection_slug']}/present/1"),
]
# Elements wider than the screen, named so a failure says which one breaks the layout.
OVERFLOW_JS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


@pytest.mark.parametrize(("name", "path_of"), PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_a_phone_screen(page, site, screenshot, name, path_of):
    page.set_viewport_size(PHONE)
    page.goto(path_of(site))
    screenshot(page, f"phone-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen; " \
                                    f"too wide: {page.evaluate(OVERFLOW_JS)}"


def test_on_a_phone_search_results_start_on_the_first_screen_with_filters_behind_a_button(page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/search?q=%E7%BD%91%E6%A0%BC")
    first_hit = page.locator(".search-hit").first
    assert first_hit.bounding_box()["y"] < PHONE["height"] - 80, "the first result starts below the first screen"
    facet = page.locator(".facet-list a").first
    assert not facet.is_visible()
    button = page.get_by_text(re.compile("^筛选：领域"))
    button.click()
    assert facet.is_visible()
    screenshot(page, "phone-search-filters-open", full_page=False)


def test_on_a_desktop_the_filters_stay_open_beside_the_results(page):
    page.goto("/search?q=%E7%BD%91%E6%A0%BC")
    assert page.locator(".facet-list a").first.is_visible()
    assert not page.get_by_text(re.compile("^筛选：领域")).is_visible()
