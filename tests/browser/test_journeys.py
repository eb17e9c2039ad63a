"""What a reader does in a real browser: search, browse the matrix, teach from a collection, take a handout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISPUTE_QUERY = "村里矛盾纠纷怎么化解"
PROJECTOR = {"width": 1920, "height": 1080}


def test_search_from_the_header_then_open_the_first_case(page, screenshot):
    page.goto("/")
    box = header_search_box(page)
    box.fill(DISPUTE_QUERY)
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q="))
    # The results page has one search box, its own (it keeps the filters), holding the query.
    expect(page.get_by_role("main").get_by_role("combobox", name="用自己的话描述要解决的问题")).to_have_value(
        DISPUTE_QUERY)
    first = first_result_link(page)
    title = " ".join(first.inner_text().split())
    screenshot(page, "search-results")
    first.click()

    expect(page).to_have_url(re.compile(r"/cases/[^/?#]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # The query is about village disputes; whatever ranks first must actually be about them.
    expect(page.locator("main")).to_contain_text(re.compile("纠纷|矛盾"))


def header_search_box(page):
    """Return the search box in the site header (the home page has a second one).

    With JavaScript it is a combobox offering suggestions (portal/static/suggest.js).
    """
    return page.get_by_role("banner").get_by_role("combobox", name="搜索案例")


def first_result_link(page):
    """Return the link of the top search hit: the heading link of the first item in the results list."""
    results = page.locator("main ol li h2 a[href*='/cases/']")
    expect(results.first).to_be_visible()
    return results.first


def test_a_matrix_cell_opens_a_list_with_exactly_its_count(page):
    page.goto("/matrix")
    cells = page.locator("main td.matrix-cell a")
    expect(cells.first).to_be_visible()
    counts = [cell_count(link) for link in cells.all()]
    assert 0 in counts, "the matrix should show the empty area × region combinations too"
    cell = cells.nth(counts.index(max(counts)))
    area = cell.locator("xpath=ancestor::tr/th").inner_text().strip()
    cell.click()

    expect(page).to_have_url(re.compile(r"/cases\?"))
    expect(page.get_by_role("status").filter(has_text="共")).to_have_text(re.compile(rf"共\s*{max(counts)}\s*个案例"))
    cards = page.locator("main .case-cards > li")
    expect(cards).to_have_count(max(counts))
    for card in cards.all():
        expect(card.locator(".chip-area")).to_have_text(area)


def cell_count(link) -> int:
    """Read the number of cases a matrix cell shows (an empty cell reads 暂无)."""
    number = link.locator(".cell-count")
    return int(number.inner_text()) if number.count() else 0


def test_training_mode_follows_the_arrow_keys_and_escape(page, site, screenshot):
    slug, titles = site["collection_slug"], site["collection_case_titles"]
    assert len(titles) >= 2, "the first collection needs at least two published cases to step through"
    page.set_viewport_size(PROJECTOR)
    page.goto(f"/collections/{slug}")
    page.get_by_role("link", name=re.compile("培训模式")).first.click()
    expect(page).to_have_url(re.compile(rf"/collections/{slug}/present"))
    heading, progress = page.get_by_role("heading", level=1), page.locator(".present-progress")
    expect(heading).to_have_text(site["collection_title"])

    for key, position in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
        page.wait_for_load_state()  # present.js listens for keys once the screen has loaded
        page.keyboard.press(key)
        expect(page).to_have_url(re.compile(rf"/collections/{slug}/present/{position}$"))
        expect(heading).to_have_text(titles[0])  # a case runs over several slides: 背景, 做法, 成效, 讨论
        expect(progress).to_have_text(re.compile(rf"(^|\D){position}\s*/\s*\d+\s*$"))
    screenshot(page, "training-mode-projector", full_page=False)

    page.wait_for_load_state()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(rf"/collections/{slug}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(site["collection_title"])


def test_the_collection_handout_downloads_as_a_real_pdf(page, site):
    slug = site["collection_slug"]
    page.goto(f"/collections/{slug}")
    link = page.locator(f"a[href$='/collections/{slug}/handout.pdf']").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    data = Path(download.path()).read_bytes()

    assert download.suggested_filename == f"{site['collection_title']}.pdf"
    assert data.startswith(b"%PDF-")
    assert len(data) > 20_000, f"a handout of several cases should not be {len(data)} bytes"
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/pdf")
    assert squeeze(site["collection_title"]) in squeeze(pdf_text(data))


def pdf_text(data: bytes) -> str:
    """Extract the text of a PDF's first pages."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    return "".join(page.extract_text() or "" for page in reader.pages[:3])


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
