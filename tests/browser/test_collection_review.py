"""In Chromium: a trainer submits a collection, a reviewer finds it on the 编辑台 and returns it with a comment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem
from portal.extensions import db
from tests.helpers.browser import DESKTOP, TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
TITLE = "浏览器测试：待审核的培训合集"
COMMENT = "请为每个案例补上讨论题后再提交。"


@pytest.fixture(scope="module")
def trainers_collection(live_app) -> int:
    """A trainer's unpublished collection holding one published case, and a reviewer."""
    with live_app.app_context():
        trainer = User(username="cr-trainer", role="trainer", display_name="王培训",
                       password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
        reviewer = User(username="cr-reviewer", role="reviewer", display_name="李审核",
                        password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
        case = db.session.scalar(db.select(Case).where(Case.status == "published").order_by(Case.id).limit(1))
        collection = Collection(slug="browser-review-request", title=TITLE, audience="新任干部", intro_md="导言。",
                                published=False, featured=False, author=trainer)
        collection.items = [CollectionItem(case=case, position=0, questions=[])]
        db.session.add_all([trainer, reviewer, collection])
        db.session.commit()
        return collection.id


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def test_a_trainer_submits_and_reads_the_reviewers_comment(browser, live_server, trainers_collection, screenshot):
    url = f"/editor/collections/{trainers_collection}"
    trainer_context, trainer = new_page(browser, live_server)
    log_in(trainer, "cr-trainer", PASSWORD)
    trainer.goto(url)
    trainer.get_by_label("给审核人的说明（可选）").fill("下周一培训要用")
    trainer.get_by_role("button", name="提交审核").click()
    expect(trainer.get_by_text("已提交审核，审核人会在待审核合集中看到它")).to_be_visible()

    reviewer_context, reviewer = new_page(browser, live_server)
    log_in(reviewer, "cr-reviewer", PASSWORD)
    reviewer.goto("/editor/")
    queue = reviewer.locator("section", has=reviewer.get_by_role("heading", name="等待审核的培训合集（1）"))
    expect(queue.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(reviewer, "dashboard-collection-queue")
    reviewer.goto("/editor/collections/review")
    expect(reviewer.get_by_role("cell", name="下周一培训要用")).to_be_visible()
    screenshot(reviewer, "collection-review-queue")
    reviewer.get_by_role("link", name=TITLE).click()
    reviewer.get_by_label("退回意见（必填，合集作者会看到）").fill(COMMENT)
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.get_by_text("已退回，合集作者会看到你的意见")).to_be_visible()
    reviewer_context.close()

    trainer.goto("/editor/collections")
    expect(trainer.get_by_text(COMMENT)).to_be_visible()
    trainer.goto(url)
    expect(trainer.get_by_role("alert").filter(has_text=COMMENT)).to_be_visible()
    screenshot(trainer, "collection-returned-to-trainer")
    trainer_context.close()
