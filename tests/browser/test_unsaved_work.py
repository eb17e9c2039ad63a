"""Nothing typed is lost: 提交审核 submits the typed text, leaving warns, and the browser keeps a copy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Area, Case, Region, Revision
from portal.editor.models import ReviewEvent
from portal.extensions import db

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def add_draft(live_app, slug: str, username: str) -> None:
    """A one-revision draft by its own editor account."""
    with live_app.app_context():
        user = User(username=username, role="editor", display_name="未保存测试",
                    password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
        area = db.session.scalar(db.select(Area).order_by(Area.position).limit(1))
        region = db.session.scalar(db.select(Region).where(Region.parent_id.is_(None)).limit(1))
        case = Case(slug=slug, title="未保存输入测试", summary="摘要。", area=area, region=region, level="市级",
                    status="draft", author=user)
        case.set_body("## 背景\n\n保存过的正文。")
        db.session.add_all([user, case])
        db.session.flush()
        Revision.record(case, user, "初稿")
        db.session.commit()


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name=re.compile("退出"))).to_be_visible()


def test_submitting_for_review_submits_the_text_just_typed(page, live_app, screenshot):
    add_draft(live_app, "unsaved-submit", "unsaved-writer")
    log_in(page, "unsaved-writer")
    page.goto("/editor/cases/unsaved-submit/edit")
    body = page.get_by_label("正文", exact=True)
    body.fill("## 背景\n\n保存过的正文。\n\n刚刚输入、还没保存的一段。")
    expect(page.locator("[data-unsaved-note]")).to_contain_text("正文")
    screenshot(page, "editor-unsaved-note")
    page.get_by_role("button", name=re.compile("提交审核")).click()
    expect(page.get_by_text(re.compile("已提交审核。")).first).to_be_visible()
    with live_app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "unsaved-submit"))
        latest = db.session.scalar(db.select(Revision).where(Revision.case_id == case.id)
                                   .order_by(Revision.number.desc()).limit(1))
        submitted = db.session.scalar(db.select(ReviewEvent).where(ReviewEvent.case_id == case.id,
                                                                   ReviewEvent.action == "submit"))
        assert case.status == "in_review" and submitted is not None
        assert "刚刚输入、还没保存的一段。" in latest.snapshot["body"]
        assert latest.created_at <= submitted.created_at
    # Under review, the author's form is read-only and says so.
    page.goto("/editor/cases/unsaved-submit/edit")
    expect(page.get_by_label("正文", exact=True)).to_be_disabled()
    expect(page.get_by_text("只读：")).to_be_visible()
    screenshot(page, "editor-read-only-in-review")


def test_leaving_with_unsaved_typing_asks_first_and_the_text_can_be_restored(page, live_app, screenshot):
    add_draft(live_app, "unsaved-leave", "unsaved-leaver")
    log_in(page, "unsaved-leaver")
    page.goto("/editor/cases/unsaved-leave/edit")
    page.get_by_label("正文", exact=True).fill("## 背景\n\n这段文字没有保存。")
    page.wait_for_timeout(1200)  # the copy is kept after a short pause in typing
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto("/editor/")
    assert dialogs == ["beforeunload"]
    page.goto("/editor/cases/unsaved-leave/edit")
    banner = page.locator("[data-draft-recovery]")
    expect(banner).to_be_visible()
    screenshot(page, "editor-draft-recovery")
    page.get_by_role("button", name="恢复未保存的输入").click()
    expect(page.get_by_label("正文", exact=True)).to_have_value("## 背景\n\n这段文字没有保存。")
    expect(page.locator("[data-unsaved-note]")).to_contain_text("正文")
