"""The writing page in Debian's Chromium: live preview, one-click suggestions, image insertion, accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.models import Case
from portal.editor.casedata import set_body
from portal.editor.models import ReviewEvent, Revision
from portal.extensions import db
from tests.browser import conftest as browser_suite
from tests.editor.test_uploads import png_bytes

# The live portal, Chromium and the axe helpers are the browser suite's own fixtures, reused here.
live_app, live_server, browser = browser_suite.live_app, browser_suite.live_server, browser_suite.browser
page, screenshot = browser_suite.page, browser_suite.screenshot
axe_violations, assert_accessible = browser_suite.axe_violations, browser_suite.assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
WRITTEN: dict[str, str] = {}
BODY = "## 做法\n\n景宁畲族自治县推行域外网格，景宁把在外乡贤组织起来，域外网格服务流动人口。"


@pytest.fixture(scope="module")
def writer(live_app) -> str:
    """An editor account on the live portal, with a draft saved twice and returned by a reviewer."""
    with live_app.app_context():
        user = User(username="browser-writer", role="editor", display_name="浏览器编辑",
                    password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
        db.session.add(user)
        case = db.session.scalar(db.select(Case).where(Case.status == "published").limit(1))
        case.status, case.author = "draft", user
        Revision.record(case, user, "第一次修改")
        set_body(case, case.body_md.replace("。", "；", 1) + "\n\n补充一段。")
        db.session.flush()
        Revision.record(case, user, "补充一段")
        db.session.add(ReviewEvent(case=case, actor=user, action="return", comment="请核对第一段的表述。"))
        db.session.commit()
        WRITTEN["slug"] = case.slug
    return "browser-writer"


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name=re.compile("退出"))).to_be_visible()


def test_live_preview_suggestions_and_image_insertion(page, writer, tmp_path, screenshot):
    log_in(page, writer)
    page.goto("/editor/cases/new")
    page.get_by_label("标题", exact=True).fill("景宁域外网格")
    page.get_by_label("正文（Markdown）").fill(BODY)

    preview = page.locator("[data-preview]")
    expect(preview.locator("h2")).to_have_text("做法")  # updated without a page load
    region_button = page.locator('button.suggestion[data-field="region"]')
    expect(region_button).to_have_text("景宁畲族自治县")
    region_button.click()
    expect(page.get_by_label("地区")).to_have_value("331127")
    page.locator('button.suggestion[data-field="tags"]', has_text="域外网格").click()
    expect(page.get_by_label("标签")).to_have_value(re.compile("域外网格"))
    assert page.url.endswith("/editor/cases/new")  # accepting a suggestion did not submit the form

    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes())
    body = page.get_by_label("正文（Markdown）")
    body.press("End")
    page.get_by_label("图片（PNG、JPEG、GIF 或 WebP）").set_input_files(str(image))
    page.get_by_role("button", name="上传图片").click()
    expect(page.locator("[data-upload-status]")).to_contain_text("已上传并插入正文")
    expect(body).to_have_value(re.compile(r"。\n\n!\[说明\]\(/uploads/[0-9a-f]{32}\.png\)\n"))
    expect(preview.locator("img[src^='/uploads/']")).to_have_count(1)
    screenshot(page, "editor-writing")

    page.get_by_label("网址标识（slug）").fill("jingning-yuwai-browser")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/editor/cases/jingning-yuwai-browser/edit$"))
    expect(page.get_by_role("status")).to_contain_text("已保存为草稿")


def test_the_editor_pages_are_accessible(browser, live_server, writer, assert_accessible, screenshot):
    context = browser.new_context(base_url=live_server, locale="zh-CN", bypass_csp=True)
    audit = context.new_page()
    slug = WRITTEN["slug"]
    pages = {"editor-dashboard": "/editor/", "editor-new": "/editor/cases/new", "editor-uploads": "/editor/uploads",
             "editor-edit": f"/editor/cases/{slug}/edit", "editor-history": f"/editor/cases/{slug}/history",
             "editor-diff": f"/editor/cases/{slug}/diff", "editor-all-cases": "/editor/cases"}
    try:
        log_in(audit, writer)
        for name, path in pages.items():
            assert audit.goto(path).status == 200, path
            screenshot(audit, name)
            assert_accessible(audit)
    finally:
        context.close()
