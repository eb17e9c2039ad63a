"""The writing page in Debian's Chromium: live preview, one-click suggestions, image insertion, accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.cases.house_template import PROMPTS
from portal.cases.models import Area, Case, Region, Revision
from portal.editor.models import ReviewEvent, Upload
from portal.extensions import db
from tests.editor.test_uploads import png_bytes

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
HISTORY_SLUG = "browser-history-draft"
BODY = "## 做法\n\n景宁畲族自治县推行域外网格，景宁把在外乡贤组织起来，域外网格服务流动人口。"


@pytest.fixture(scope="module")
def writer(live_app) -> str:
    """An editor account on the live portal, with its own draft saved twice and returned by a reviewer."""
    with live_app.app_context():
        user = User(username="browser-writer", role="editor", display_name="浏览器编辑",
                    password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
        area = db.session.scalar(db.select(Area).order_by(Area.position).limit(1))
        region = db.session.scalar(db.select(Region).where(Region.parent_id.is_(None)).limit(1))
        case = Case(slug=HISTORY_SLUG, title="浏览器测试草稿", summary="只在编辑台可见。", area=area,
                    region=region, level="市级", status="draft", author=user)
        case.set_body("## 背景\n\n第一段。\n\n## 做法\n\n第二段。")
        db.session.add_all([user, case])
        db.session.flush()
        Revision.record(case, user, "初稿")
        case.set_body(case.body_md.replace("第二段。", "第二段，补充了做法。") + "\n\n补充一段。")
        db.session.flush()
        Revision.record(case, user, "补充一段")
        db.session.add(ReviewEvent(case=case, actor=user, action="return", comment="请核对第一段的表述。"))
        db.session.commit()
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
    page.get_by_label("正文", exact=True).fill(BODY)

    preview = page.locator("[data-preview]")
    expect(preview.locator("h2")).to_have_text(["做法"])  # updated without a page load
    region_button = page.locator('button.suggestion[data-field="region"]')
    expect(region_button).to_have_text("景宁畲族自治县")
    region_button.click()
    expect(page.get_by_label("地区", exact=True)).to_have_value("331127")
    page.locator('button.suggestion[data-field="tags"]', has_text="流动人口").click()  # a library tag
    expect(page.get_by_label("标签")).to_have_value(re.compile("流动人口"))
    assert page.url.endswith("/editor/cases/new")  # accepting a suggestion did not submit the form

    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes())
    body = page.get_by_label("正文", exact=True)
    body.press("End")
    page.get_by_label("图片（PNG、JPEG、GIF 或 WebP）").set_input_files(str(image))
    page.get_by_role("button", name="上传图片").click()
    expect(page.locator("[data-upload-status]")).to_contain_text("已上传并插入正文")
    expect(body).to_have_value(re.compile(r"。\n\n!\[说明\]\(/uploads/[0-9a-f]{32}\.png\)\n"))
    expect(preview.locator("img[src^='/uploads/']")).to_have_count(1)
    screenshot(page, "editor-writing")

    page.get_by_label("网址名").fill("jingning-yuwai-browser")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/editor/cases/jingning-yuwai-browser/edit$"))
    expect(page.locator(".flashes")).to_contain_text("已保存为草稿")


PASTE_IMAGE = """([bytes, caret]) => {
  const body = document.querySelector('textarea[name="body"]');
  body.focus();
  body.setSelectionRange(caret, caret);
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
  body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


def test_new_case_template_prompts_toolbar_and_pasted_image(page, writer, live_app, screenshot):
    log_in(page, writer)
    page.goto("/editor/cases/new")
    page.get_by_label("标题", exact=True).fill("景宁域外网格服务在外乡贤")
    expect(page.get_by_label("网址名")).to_have_value("jingning-yuwai-wangge-fuwu-zaiwai-xiangxian")
    body = page.get_by_label("正文", exact=True)
    expect(body).to_have_value(re.compile("## 背景\n\n" + re.escape(PROMPTS[0])))
    # Typing on a prompt line replaces the prompt.
    body.evaluate("(b, prompt) => { const at = b.value.indexOf(prompt); b.focus(); b.setSelectionRange(at + 3, at + 3); }",
                  PROMPTS[0])
    page.keyboard.type("景宁县在外人员多。")
    expect(body).not_to_have_value(re.compile(re.escape(PROMPTS[0])))
    expect(body).to_have_value(re.compile("## 背景\n\n景宁县在外人员多。\n"))
    # The toolbar starts a list on the caret's line.
    page.get_by_role("toolbar", name="正文格式").get_by_role("button", name="列表", exact=True).click()
    expect(body).to_have_value(re.compile("人员多。\n\n- 列表项"))
    caret = body.evaluate("b => b.value.indexOf('## 做法')")
    page.evaluate(PASTE_IMAGE, [list(png_bytes()), caret])
    expect(page.locator("[data-upload-status]")).to_contain_text("图片已上传并插入正文")
    expect(body).to_have_value(re.compile(r"!\[请填写图片说明\]\(/uploads/[0-9a-f]{32}\.png\)\n\n## 做法"))
    stored = re.search(r"/uploads/([0-9a-f]{32}\.png)", body.input_value()).group(1)
    with live_app.app_context():
        assert db.session.scalar(db.select(Upload).where(Upload.stored_name == stored)) is not None
    expect(page.locator("[data-preview] img[src^='/uploads/']")).to_have_count(1)
    page.locator("#markdown-help summary").click()
    screenshot(page, "new-case")


def test_the_diff_and_upload_pages_are_accessible(browser, live_server, writer, assert_accessible, screenshot):
    # The other staff pages are audited in test_accessibility.py.
    context = browser.new_context(base_url=live_server, locale="zh-CN", bypass_csp=True)
    audit = context.new_page()
    pages = {"editor-diff": f"/editor/cases/{HISTORY_SLUG}/diff?from=1&to=2", "editor-uploads": "/editor/uploads",
             "editor-returned-draft": f"/editor/cases/{HISTORY_SLUG}/edit"}
    try:
        log_in(audit, writer)
        for name, path in pages.items():
            assert audit.goto(path).status == 200, path
            screenshot(audit, name)
            assert_accessible(audit)
            if name == "editor-diff":
                expect(audit.locator(".diff-body ins")).to_have_text(["，补充了做法", "补充一段。"])
    finally:
        context.close()


def test_staff_land_on_the_dashboard_and_readers_see_reader_information(browser, live_server, writer, site,
                                                                        screenshot):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    try:
        log_in(page, writer)
        expect(page).to_have_url(re.compile(r"/editor/$"))
        expect(page.get_by_role("heading", name="编辑台", level=1)).to_be_visible()
        expect(page.locator("a:text-is('浏览器测试草稿')")).to_have_count(1)  # returned: listed once
        expect(page.get_by_text("被退回修改")).to_be_visible()
        screenshot(page, "dashboard")
        page.goto(f"/cases/{site['case_slug']}")
        main = page.locator("main")
        expect(main).not_to_contain_text("尚未收入")
        expect(main).not_to_contain_text("更新时间")
        expect(page.get_by_role("search")).to_have_count(1)
        screenshot(page, "case-page")
        page.goto("/")
        expect(page.get_by_role("search")).to_have_count(1)
        assert not [url for url in missing if "favicon" in url], missing
    finally:
        context.close()
