"""On a phone-sized screen the main pages fit the width: nothing makes the reader scroll sideways."""

from __future__ import annotations

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
