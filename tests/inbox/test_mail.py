"""E-mail copies of notices: sent to a real local SMTP server after the action commits, never failing it."""

from __future__ import annotations

import pytest

from portal.config import ConfigError, load_config
from portal.extensions import db
from portal.inbox.models import Notice
from tests.helpers.inbox import SLUG, TITLE, notices, write_and_submit
from tests.helpers.mail import free_port, start_server, use_server

COMMENT = "请补充资料来源。"


@pytest.fixture
def smtp(app):
    controller, catcher = start_server()
    use_server(app, controller.port)
    yield catcher
    controller.stop()


def ask_for_mail(user, address: str = "zhang@lishui.example"):
    return user.post("/inbox/settings", {"address": address, "enabled": "y"}, token_url="/inbox/settings")


def wait_for_sender(app) -> None:
    app.extensions["inbox_mail"].wait()


def test_a_returned_case_is_mailed_to_the_author(app, staff, smtp):
    author, reviewer = staff("zhang", "editor", "张编辑"), staff("li", "reviewer", "李审核")
    assert ask_for_mail(author).status_code == 302
    write_and_submit(author)
    assert reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT}).status_code == 302
    wait_for_sender(app)

    [message] = smtp.wait_for(1)
    assert message["To"] == "zhang@lishui.example" and message["X-Envelope-To"] == "zhang@lishui.example"
    assert message["Subject"] == f"【善治案例库】《{TITLE}》被退回修改"
    assert "inbox@lishui.example" in message["From"]
    body = message.get_content()
    assert COMMENT in body and "李审核" in body
    assert f"https://anli.example/editor/cases/{SLUG}/edit" in body
    assert notices(app, "zhang")[0].mail_state == "sent"


def test_only_users_who_asked_get_mail(app, staff, smtp):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    write_and_submit(author)
    assert reviewer.post(f"/editor/cases/{SLUG}/publish").status_code == 302
    wait_for_sender(app)
    assert smtp.wait_for(1, timeout=0.5) == []
    assert notices(app, "zhang")[0].mail_state == ""


def test_mail_is_off_without_an_smtp_host(app, staff):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    assert "没有配置邮件发送服务" in author.get("/inbox/settings").get_data(as_text=True)
    assert ask_for_mail(author).status_code == 302
    write_and_submit(author)
    reviewer.post(f"/editor/cases/{SLUG}/publish")
    assert [(n.kind, n.mail_state) for n in notices(app, "zhang")] == [("published", "")]


def test_a_dead_mail_server_never_fails_the_action_and_the_command_retries(app, staff, runner):
    port = free_port()
    use_server(app, port)  # nothing listens there yet
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    ask_for_mail(author)
    write_and_submit(author)
    assert reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT}).status_code == 302
    wait_for_sender(app)
    [notice] = notices(app, "zhang")
    assert (notice.kind, notice.mail_state, notice.mail_attempts) == ("returned", "failed", 1)

    controller, catcher = start_server(port)
    try:
        result = runner.invoke(args=["inbox", "send-mail"])
        assert result.exit_code == 0, result.output
        assert "已发送 1 封邮件提醒" in result.output
        assert len(catcher.wait_for(1)) == 1
    finally:
        controller.stop()
    assert notices(app, "zhang")[0].mail_state == "sent"


def test_the_mail_settings_form_checks_the_address(app, staff):
    author = staff("zhang", "editor")
    bad = ask_for_mail(author, "not an address")
    assert bad.status_code == 400 and "邮箱地址格式不对" in bad.get_data(as_text=True)
    missing = ask_for_mail(author, "")
    assert missing.status_code == 400 and "请先填写邮箱地址" in missing.get_data(as_text=True)
    assert author.client.post("/inbox/settings", data={"address": "a@b.cn", "enabled": "y"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


def test_smtp_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_SMTP_HOST", "smtp.lishui.example")
    monkeypatch.setenv("PORTAL_SMTP_PORT", "587")
    monkeypatch.setenv("PORTAL_SMTP_SECURITY", "starttls")
    settings = load_config({"ENV_NAME": "testing"})
    assert (settings["SMTP_HOST"], settings["SMTP_PORT"], settings["SMTP_SECURITY"]) == (
        "smtp.lishui.example", 587, "starttls")
    monkeypatch.setenv("PORTAL_SMTP_SECURITY", "tls1.3")
    with pytest.raises(ConfigError, match="PORTAL_SMTP_SECURITY"):
        load_config({"ENV_NAME": "testing"})


def test_mail_is_off_by_default(monkeypatch):
    monkeypatch.delenv("PORTAL_SMTP_HOST", raising=False)
    assert load_config({"ENV_NAME": "testing"})["SMTP_HOST"] == ""
