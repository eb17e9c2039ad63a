"""Training mode on a projector: every slide fits the screen with its navigation bar; the presenter
view steps the projector window (and the projector the presenter) from the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import TIMEOUT_MS, run_cli

pytestmark = pytest.mark.browser

SCREENS = {"1080p": {"width": 1920, "height": 1080}, "768p": {"width": 1366, "height": 768},
           "xga": {"width": 1024, "height": 768}}
TRAINER, TRAINER_PASSWORD = "projector-trainer", "projector-trainer-passphrase"
# How the slide and the bars sit in the window, measured after present.js has fitted the slide.
MEASURE_JS = """() => {
  const screen = document.getElementById('screen'), nav = document.querySelector('.present-nav');
  const box = nav.getBoundingClientRect();
  return {overflowY: screen.scrollHeight - screen.clientHeight, overflowX: screen.scrollWidth - screen.clientWidth,
          pageScroll: document.documentElement.scrollHeight - innerHeight,
          navTop: box.top, navBottom: box.bottom, height: innerHeight,
          fit: Number(getComputedStyle(document.documentElement).getPropertyValue('--fit') || 1)};
}"""


def slide_count(page, slug: str) -> int:
    page.goto(f"/collections/{slug}/present")
    return int(page.locator("body").get_attribute("data-last"))


@pytest.mark.parametrize("size", SCREENS, ids=list(SCREENS))
def test_every_slide_fits_the_projector_with_its_navigation_visible(page, site, screenshot, size):
    page.set_viewport_size(SCREENS[size])
    slug = site["collection_slug"]
    problems, smallest = [], 1.0
    for n in range(slide_count(page, slug) + 1):
        page.goto(f"/collections/{slug}/present/{n}")
        page.wait_for_load_state("load")
        found = page.evaluate(MEASURE_JS)
        smallest = min(smallest, found["fit"])
        if found["overflowY"] > 1 or found["overflowX"] > 1 or found["pageScroll"] > 0:
            problems.append(f"slide {n} overflows: {found}")
        if not (found["navTop"] >= 0 and found["navBottom"] <= found["height"]):
            problems.append(f"slide {n}: the navigation bar is off screen: {found}")
        if n in (0, 1, 3):
            screenshot(page, f"projector-{size}-{n}", full_page=False)
    assert problems == [], "\n".join(problems)
    # Pagination does the work; the script's shrinking is only a safety net, never unreadably small.
    assert smallest >= 0.75, f"a slide had to shrink to {smallest:.0%} at {size}"


def test_a_long_case_is_split_over_several_slides_not_cut(page, site):
    page.goto(f"/collections/{site['collection_slug']}/present/1")
    title = page.locator("#slide-title").inner_text()
    headings = []
    page.set_viewport_size(SCREENS["xga"])
    while page.locator("#slide-title").inner_text() == title:
        headings.append(page.locator(".slide-h2").first.inner_text())
        page.locator("#present-next").click()
        page.wait_for_load_state("load")
    assert headings[0] == "背景" and "做法" in headings and "成效" in headings and headings[-1] == "讨论题"


@pytest.fixture(scope="module")
def trainer_context(browser, live_app, live_server):
    """A browser context signed in as a trainer, as on the trainer's laptop."""
    run_cli(live_app, "users", "create", TRAINER, "--role", "trainer", "--password-stdin",
            stdin=TRAINER_PASSWORD + "\n")
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=SCREENS["768p"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill(TRAINER)
    page.get_by_label("密码").fill(TRAINER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.close()
    yield context
    context.close()


def test_the_presenter_view_drives_the_projector_and_the_projector_drives_it(trainer_context, site, screenshot):
    base = f"/collections/{site['collection_slug']}/present"
    presenter = trainer_context.new_page()
    presenter.goto(f"{base}/1/presenter")
    projector = trainer_context.new_page()
    projector.set_viewport_size(SCREENS["1080p"])
    projector.goto(f"{base}/1")

    expect(presenter.get_by_role("heading", name="培训者导读")).to_be_visible()
    expect(presenter.locator(".presenter-notes")).not_to_be_empty()
    expect(presenter.locator("#presenter-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    screenshot(presenter, "presenter-view", full_page=False)

    presenter.bring_to_front()
    presenter.keyboard.press("ArrowRight")
    presenter.wait_for_url(re.compile(rf"{base}/2/presenter$"))
    projector.wait_for_url(re.compile(rf"{base}/2$"))

    projector.bring_to_front()
    projector.wait_for_load_state("load")
    presenter.wait_for_load_state("load")
    projector.keyboard.press("ArrowRight")
    projector.wait_for_url(re.compile(rf"{base}/3$"))
    presenter.wait_for_url(re.compile(rf"{base}/3/presenter$"))

    presenter.wait_for_load_state("load")
    projector.wait_for_load_state("load")
    presenter.keyboard.press("ArrowLeft")
    presenter.wait_for_url(re.compile(rf"{base}/2/presenter$"))
    projector.wait_for_url(re.compile(rf"{base}/2$"))
    # The room never sees the notes.
    assert "培训者导读" not in projector.content()


def test_both_views_work_without_javascript(browser, live_server, site, trainer_context):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, viewport=SCREENS["xga"])
    page = context.new_page()
    page.goto(f"/collections/{site['collection_slug']}/present/1")
    page.locator("#present-next").click()
    assert page.url.endswith("/present/2")
    context.close()
    page = trainer_context.new_page()
    page.goto(f"/collections/{site['collection_slug']}/present/1/presenter")
    page.locator("#present-next").click()
    assert page.url.endswith("/present/2/presenter")
