"""In Chromium: an editor changes a published collection, readers keep the published version, and a second
reviewer finds the change on the 编辑台, reads the differences and publishes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem
from portal.extensions import db
from tests.helpers.browser import DESKTOP, TIMEOUT_MS, log_in, reader_main_text, run_cli

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
SLUG = "browser-collection-working-copy"
TITLE, NEW_TITLE = "浏览器测试：已发布合集", "浏览器测试：改过标题的合集"
NEW_NOTE = "编辑补充的导读：先讲网格员怎样上门。"


@pytest.fixture(scope="module")
def published_collection(live_app) -> int:
    """A published collection of its own (other tests' collections stay untouched), an editor and a reviewer."""
    with live_app.app_context():
        for name, role, shown in (("cwc-editor", "editor", "合集编辑"), ("cwc-reviewer", "reviewer", "合集审核人")):
            db.session.add(User(username=name, role=role, display_name=shown,
                                password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1")))
        cases = db.session.scalars(db.select(Case).where(Case.status == "published").order_by(Case.slug).limit(2))
        collection = Collection(slug=SLUG, title=TITLE, audience="测试学员", published=True)
        collection.set_intro("已发布的导言。")
        collection.items = [CollectionItem(case=case, position=n, questions=[]) for n, case in enumerate(cases)]
        db.session.add(collection)
        db.session.commit()
        return collection.id


def reader_page_text(browser, live_server: str) -> str:
    return reader_main_text(browser, live_server, f"/collections/{SLUG}")


def test_a_published_collection_changes_only_when_a_second_reviewer_publishes(
        page, browser, live_server, published_collection, screenshot):
    log_in(page, "cwc-editor", PASSWORD)
    page.goto(f"/editor/collections/{published_collection}")
    expect(page.get_by_text("保存的修改会先存为修改稿")).to_be_visible()
    page.get_by_label("标题", exact=True).fill(NEW_TITLE)
    page.get_by_label("培训者导读").first.fill(NEW_NOTE)
    page.get_by_role("button", name="保存合集（基本信息与全部导读、讨论题）").click()
    expect(page.get_by_text("有尚未发布的修改。")).to_be_visible()
    screenshot(page, "collection-working-copy-edit")
    assert NEW_TITLE not in reader_page_text(browser, live_server)

    second = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP)
    second.set_default_timeout(TIMEOUT_MS)
    other = second.new_page()
    log_in(other, "cwc-reviewer", PASSWORD)
    other.goto("/editor/")
    other.get_by_role("link", name=TITLE).first.click()
    expect(other.get_by_role("cell", name=NEW_NOTE)).to_be_visible()
    screenshot(other, "collection-working-copy-changes")
    other.get_by_role("button", name="审核通过并发布修改").click()
    expect(other.get_by_text("修改已发布")).to_be_visible()
    second.close()
    assert NEW_TITLE in reader_page_text(browser, live_server)


def test_an_import_under_a_pending_change_is_shown_before_publishing(page, browser, live_app, live_server,
                                                                     published_collection, screenshot, tmp_path):
    log_in(page, "cwc-editor", PASSWORD)
    page.goto(f"/editor/collections/{published_collection}")
    page.get_by_label("标题", exact=True).fill("浏览器测试：导入前改的标题")
    page.get_by_role("button", name="保存合集（基本信息与全部导读、讨论题）").click()
    expect(page.get_by_text("有尚未发布的修改。")).to_be_visible()
    folder = tmp_path / "content"
    run_cli(live_app, "content", "export", str(folder))
    collection_file = folder / "collections" / f"{SLUG}.md"
    collection_file.write_text(collection_file.read_text(encoding="utf-8").replace("测试学员", "导入改的学员"),
                               encoding="utf-8")
    assert "有尚未发布的修改稿" in run_cli(live_app, "content", "import", str(folder))

    page.goto(f"/editor/collections/{published_collection}/changes")
    expect(page.get_by_role("heading", name="修改稿开始后，导入改动了已发布版本")).to_be_visible()
    screenshot(page, "collection-working-copy-imported")
    page.get_by_role("button", name="已核对，修改稿已包含需要保留的导入内容").click()
    expect(page.get_by_text("已确认核对导入带来的变化")).to_be_visible()
