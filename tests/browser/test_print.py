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


def test_the_matrix_prints_in_colour_on_one_a4_landscape_page(page, screenshot, tmp_path):
    import io

    from pypdf import PdfReader

    page.goto("/matrix")
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
      const cell = document.querySelector('.matrix .heat-4, .matrix .heat-3, .matrix .heat-2, .matrix .heat-1');
      const total = [...document.querySelectorAll('.matrix thead th')].find(th => th.textContent.trim() === '合计');
      const line = parseFloat(getComputedStyle(total).lineHeight) || 16;
      return {adjust: getComputedStyle(cell).printColorAdjust, background: getComputedStyle(cell).backgroundColor,
              totalLines: total.getBoundingClientRect().height / line};
    }""")
    assert styles["adjust"] == "exact"
    assert styles["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), "the heat-map colour is dropped"
    assert styles["totalLines"] < 2.5, f"合计 wraps over {styles['totalLines']:.1f} lines"
    screenshot(page, "matrix-print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    (PROJECT_ROOT / "test-output" / "screenshots" / "matrix-print.pdf").write_bytes(data)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1, f"the matrix prints on {len(pages)} pages"
    box = pages[0].mediabox
    assert float(box.width) > float(box.height), "the matrix page is not landscape"


def test_a_printed_collection_page_has_cases_and_questions_without_chrome(page, site, screenshot):
    page.goto(f"/collections/{site['collection_slug']}")
    page.emulate_media(media="print")
    for chrome in (page.get_by_role("banner"), page.get_by_role("contentinfo"), page.locator(".collection-actions")):
        expect(chrome).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(site["collection_title"])
    expect(page.locator(".collection-items")).to_contain_text(site["collection_case_titles"][0])
    assert page.locator(".trainer-note").count() == 0
    screenshot(page, "collection-page-print")
    page.pdf(path=str(PROJECT_ROOT / "test-output" / "screenshots" / "collection-page-print.pdf"), format="A4")
