"""`portal inbox ...`: send (and retry) the e-mail copies of notices."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.inbox import mail

inbox_cli = AppGroup("inbox", help="站内消息：补发邮件提醒。")


@inbox_cli.command("send-mail")
def send_mail() -> None:
    """Send notices waiting for e-mail, retrying those that failed before (up to 5 tries each)."""
    if not mail.configured():
        raise click.ClickException("没有配置邮件服务器（PORTAL_SMTP_HOST），不能发送邮件提醒。")
    sent, failed = mail.send_pending(retry_failed=True)
    click.echo(f"已发送 {sent} 封邮件提醒" + (f"，{failed} 封未能发出（稍后可再次运行本命令重试）。" if failed else "。"))
    if failed:
        raise SystemExit(1)
