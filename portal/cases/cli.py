"""`portal cases stale`: the published cases overdue for re-checking (portal.cases.freshness)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from portal.cases import freshness
from portal.timeutil import china_today

cases_cli = AppGroup("cases", help="案例：核实与复核。")


@cases_cli.command("stale")
@click.option("--within", "within_days", type=click.IntRange(0, 3650), default=0, show_default=True,
              help="同时列出这么多天内到期的案例。")
def stale_command(within_days: int) -> None:
    """列出已过复核期限的已发布案例（过期最久的在前）。

    退出状态：0 表示没有过期的案例；1 表示有过期的案例（已逐行列出），便于定时任务据此提醒；
    --within 只多列出即将到期的案例，不影响退出状态。
    """
    today = china_today()
    due = freshness.due_cases(within_days=within_days, today=today)
    late = [item for item in due if item.due < today]
    for item in due:
        state = f"已过期 {item.days_overdue(today)} 天" if item.due < today else f"{(item.due - today).days} 天后到期"
        click.echo(f"{item.due.isoformat()}  {state}  最近核实 {item.checked.isoformat()}  "
                   f"{item.case.slug}  {item.case.title}")
    months = freshness.interval_months()
    click.echo(f"共 {len(late)} 个案例已过复核期限（默认每 {months} 个月核实一次）。" if late
               else f"没有过期的案例（默认每 {months} 个月核实一次）。", err=bool(due))
    sys.exit(1 if late else 0)
