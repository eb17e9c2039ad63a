"""In Chromium: a reviewer edits a published case, readers keep the published text, a second reviewer publishes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Area, Case, Region, Revision
from portal.extensions import db
from tests.helpers.browser import DESKTOP, TIMEOUT_MS, log_in, reader_main_text

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
SLUG = "browser-working-copy"
ADDED = "审核人补充：驿站每月汇总一次侨胞诉求。"


@pytest.fixture(scope="module")
def published_case(live_app) -> str:
    """A published case of its own (other tests' cases stay untouched) and two reviewers."""
    with live_app.app_context():
        for name, shown in (("wc-first", "第一审核人"), ("wc-second", "第二审核人")):
            db.session.add(User(username=name, role="reviewer", display_name=shown,
                                password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1")))
        area = db.session.scalar(db.select(Area).order_by(Area.position).limit(1))
        region = db.session.scalar(db.select(Region).where(Region.parent_id.is_(None)).limit(1))
        case = Case(slug=SLUG, title="浏览器测试：已发布案例", summary="已发布。", area=area, region=region,
                    level="市级", status="published")
        case.set_body("## 背景\n\n已发布的第一段。\n\n## 做法\n\n已发布的做法。")
        db.session.add(case)
        db.session.flush()
        Revision.record(case, None, "导入")
        db.session.commit()
    return SLUG


def reader_page_text(browser, live_server: str) -> str:
    return reader_main_text(browser, live_server, f"/cases/{SLUG}")


def test_a_published_case_changes_only_when_a_second_reviewer_publishes(page, browser, live_server, published_case,
                                                                        screenshot):
    log_in(page, "wc-first", PASSWORD)
    page.goto(f"/editor/cases/{SLUG}/edit")
    expect(page.get_by_text("保存的修改先成为修改稿")).to_be_visible()
    body = page.get_by_label("正文", exact=True)
    body.fill(body.input_value() + "\n\n" + ADDED)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存修改稿")).to_be_visible()
    expect(page.get_by_role("heading", name="有尚未发布的修改")).to_be_visible()
    screenshot(page, "working-copy-edit")
    assert ADDED not in reader_page_text(browser, live_server)

    page.get_by_role("link", name="查看修改稿与已发布版本的差异").click()
    expect(page.get_by_text("你修改过这份修改稿，不能自己发布")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过并发布修改")).to_have_count(0)
    screenshot(page, "working-copy-changes")

    second = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP)
    second.set_default_timeout(TIMEOUT_MS)
    other = second.new_page()
    log_in(other, "wc-second", PASSWORD)
    other.goto("/editor/")
    other.get_by_role("link", name="浏览器测试：已发布案例").first.click()
    screenshot(other, "working-copy-second-reviewer")
    other.get_by_role("button", name="审核通过并发布修改").click()
    expect(other.get_by_text("修改已发布")).to_be_visible()
    second.close()
    assert ADDED in reader_page_text(browser, live_server)
