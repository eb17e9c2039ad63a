"""Printing a case from the browser gives the write-up alone: no header, navigation, search box or footer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.config import PROJECT_ROOT

pytestmark = pytest.mark.browser


def test_a_printed_case_page_is_just_the_write_up(page, site, screenshot):
    page.goto(f"/cases/{site['case_slug']}")
    page.emulate_media(media="print")

    for chrome in (page.get_by_role("banner"), page.get_by_role("contentinfo"),
                   page.get_by_role("navigation", name="主导航"), page.locator("#site-q")):
        expect(chrome).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(site["case_title"])
    expect(page.locator("main")).to_contain_text("做法")
    screenshot(page, "case-page-print")
    # The same page as the browser would put it on A4, for a person to look at.
    page.pdf(path=str(PROJECT_ROOT / "test-output" / "screenshots" / "case-page-print.pdf"), format="A4")
