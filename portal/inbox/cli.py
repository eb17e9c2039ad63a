"""`portal inbox ...`: send (and retry) the e-mail copies of notices."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.inbox import mail, notices

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


@inbox_cli.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=365, show_default=True, help="删除多少天以前的已读消息")
def prune(days: int) -> None:
    """Delete read notices older than --days (unread ones stay, however old)."""
    removed = notices.prune_read(days)
    click.echo(f"已删除 {removed} 条 {days} 天以前的已读消息。")
