"""The inbox in Debian's Chromium: a reviewer returns a case, the author sees the count and the comment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Area, Case, Region, Revision
from portal.editor.models import ReviewEvent
from portal.extensions import db
from tests.helpers.browser import log_in

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
SLUG = "browser-inbox-case"
COMMENT = "请核对“做法”一节的表述，并注明资料来源。"


@pytest.fixture(scope="module")
def accounts(live_app) -> tuple[str, str]:
    """An editor whose case is under review, and a reviewer to return it."""
    with live_app.app_context():
        author, reviewer = (User(username=name, role=role, display_name=shown,
                                 password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
                            for name, role, shown in (("inbox-author", "editor", "收件编辑"),
                                                      ("inbox-reviewer", "reviewer", "收件审核")))
        area = db.session.scalar(db.select(Area).order_by(Area.position).limit(1))
        region = db.session.scalar(db.select(Region).where(Region.parent_id.is_(None)).limit(1))
        case = Case(slug=SLUG, title="消息测试案例", summary="等待审核。", area=area, region=region,
                    level="市级", status="in_review", author=author)
        case.set_body("## 做法\n\n第一段。")
        db.session.add_all([author, reviewer, case])
        db.session.flush()
        Revision.record(case, author, "初稿")
        db.session.add(ReviewEvent(case=case, actor=author, action="submit", comment="请审核"))
        db.session.commit()
    return "inbox-author", "inbox-reviewer"



def test_a_returned_case_shows_in_the_authors_inbox(browser, live_server, accounts, screenshot):
    author, reviewer = accounts
    reviewing = browser.new_context(base_url=live_server, locale="zh-CN")
    page = reviewing.new_page()
    log_in(page, reviewer, PASSWORD)
    page.goto(f"/editor/cases/{SLUG}/edit")
    page.get_by_label("退回意见（必填，作者会看到）").fill(COMMENT)
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回作者修改。")).to_be_visible()
    reviewing.close()

    writing = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = writing.new_page()
    log_in(page, author, PASSWORD)
    inbox_link = page.get_by_role("link", name=re.compile(r"^消息\s*（1 条未读）$"))
    expect(inbox_link).to_be_visible()
    screenshot(page, "inbox-header-count", full_page=False)
    inbox_link.click()
    expect(page.get_by_role("heading", name=re.compile(r"^消息\s*（1 条未读）$"))).to_be_visible()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    screenshot(page, "inbox-list")
    page.get_by_role("link", name="《消息测试案例》被退回修改").click()
    expect(page).to_have_url(f"{live_server}/editor/cases/{SLUG}/edit")
    expect(page.get_by_role("link", name="消息", exact=True)).to_be_visible()
    writing.close()
