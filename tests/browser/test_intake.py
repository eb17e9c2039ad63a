"""报送 in a real browser: a contributor uploads a Word file, an editor asks for more, the contributor reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import log_in
from tests.helpers.intake import word_file

pytestmark = pytest.mark.browser
PASSWORD = "browser-intake-passphrase-2026"



def test_a_word_file_goes_from_county_to_editor_and_back(live_app, browser, live_server, page, tmp_path,
                                                          screenshot, assert_accessible, staff_audit_context):
    for username, role in (("intake-county", "contributor"), ("intake-editor", "editor")):
        result = live_app.test_cli_runner().invoke(
            args=["users", "create", username, "--role", role, "--password-stdin"], input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output
    document = tmp_path / "村民说事.docx"
    document.write_bytes(word_file())

    log_in(page, "intake-county", PASSWORD)
    expect(page).to_have_url(f"{live_server}/my/submissions")
    page.get_by_role("link", name="报送新做法").click()
    page.get_by_label("联系人及电话").fill("李某 0578-0000000")
    page.get_by_label("Word 文件（.docx，可选）").set_input_files(str(document))
    page.get_by_role("button", name="提交报送").click()
    expect(page.locator(".intake-status")).to_have_text("待处理")
    expect(page.locator(".prose table")).to_contain_text("120 件")
    expect(page.locator(".prose img")).to_have_count(1)
    screenshot(page, "intake-contributor-submitted")
    submission_url = page.url
    review_url = submission_url.replace(live_server, "").replace("/my/submissions/", "/editor/intake/")

    editor_context = browser.new_context(base_url=live_server, locale="zh-CN")
    editor = editor_context.new_page()
    log_in(editor, "intake-editor", PASSWORD)
    editor.goto("/editor/intake")
    editor.get_by_role("link", name="缙云县“村民说事”化解邻里纠纷").click()
    editor.get_by_label("需要补充什么").fill("请补充参与说事的村民人数。")
    editor.get_by_role("button", name="发送留言").click()
    expect(editor.locator(".intake-status").first).to_have_text("待补充")
    screenshot(editor, "intake-editor-review")
    editor_context.close()

    page.goto(submission_url)
    expect(page.locator(".intake-messages")).to_contain_text("请补充参与说事的村民人数。")
    expect(page.get_by_role("button", name="重新提交")).to_be_visible()

    audit = staff_audit_context.new_page()
    for url in ("/my/submissions/new", "/editor/intake", review_url):
        audit.goto(url)
        assert_accessible(audit)
    audit.close()
