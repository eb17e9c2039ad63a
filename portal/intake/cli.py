"""`portal intake list`: submissions from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.intake.models import STATUS_LABELS, SUBMISSION_STATUSES, Submission
from portal.timeutil import china_time

intake_cli = AppGroup("intake", help="报送：列出各县（市、区）报送的做法。")


@intake_cli.command("list")
@click.option("--status", type=click.Choice(SUBMISSION_STATUSES), help="只列出这种状态的报送")
def list_command(status: str | None) -> None:
    """列出报送（编号、状态、报送时间、报送人、标题）。"""
    query = db.select(Submission).order_by(Submission.created_at, Submission.id)
    if status:
        query = query.where(Submission.status == status)
    for submission in db.session.scalars(query):
        who = submission.contributor.shown_name if submission.contributor else "（已删除）"
        click.echo(f"{submission.id}\t{STATUS_LABELS[submission.status]}\t{china_time(submission.created_at)}\t"
                   f"{who}\t{submission.title}")
