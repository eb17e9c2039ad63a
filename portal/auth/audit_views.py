"""The audit log at /admin/audit: filter by date range, user and action; export the selection as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Response, abort, render_template, request
from sqlalchemy import select

from portal.audit.labels import action_label, detail_rows
from portal.audit.models import AuditEntry
from portal.auth.decorators import role_required
from portal.auth.models import User
from portal.auth.views import admin_bp as bp
from portal.extensions import db
from portal.timeutil import CHINA, china_time

AUDIT_PER_PAGE = 50
CSV_COLUMNS = ("时间", "操作人", "操作", "对象", "详情")


@dataclass(frozen=True)
class AuditFilters:
    """The filters read from the query string; empty values mean "any"."""

    action: str = ""
    user: str = ""
    start: date | None = None
    end: date | None = None

    def query_args(self) -> dict:
        """The filters as query-string arguments, for links that keep them."""
        values = {"action": self.action, "user": self.user, "start": self.start, "end": self.end}
        return {key: str(value) for key, value in values.items() if value}


def read_filters() -> AuditFilters:
    """Read ?action=&user=&start=&end= (dates as YYYY-MM-DD, China time); a bad date is a 400."""
    start, end = _date("start", "开始日期"), _date("end", "结束日期")
    if start and end and start > end:
        abort(400, "开始日期不能晚于结束日期。")
    return AuditFilters(request.args.get("action", "").strip(), request.args.get("user", "").strip(), start, end)


def _date(name: str, label: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, f"{label}应写成 2026-01-31 这样的日期。")


def filtered(filters: AuditFilters):
    """The audit entries matching the filters, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.user == "-":
        query = query.where(AuditEntry.actor_id.is_(None))
    elif filters.user:
        query = query.join(User, AuditEntry.actor_id == User.id).where(User.username == filters.user)
    if filters.start:
        query = query.where(AuditEntry.created_at >= _china_midnight(filters.start))
    if filters.end:
        query = query.where(AuditEntry.created_at < _china_midnight(filters.end + timedelta(days=1)))
    return query


def _china_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA)


@bp.get("/audit")
@role_required("admin")
def audit():
    """Show the audit log, newest first, a page at a time, filtered by date range, user and action."""
    filters = read_filters()
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = db.paginate(filtered(filters), page=page, per_page=AUDIT_PER_PAGE, error_out=False)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/audit.html", pagination=pagination, actions=actions, users=users,
                           filters=filters, action_label=action_label, detail_rows=detail_rows,
                           target_label=target_label, actor_name=actor_name)


@bp.get("/audit.csv")
@role_required("admin")
def audit_csv():
    """Download the filtered audit log as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    entries = db.session.scalars(filtered(read_filters())).all()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([china_time(entry.created_at), actor_name(entry), action_label(entry.action),
                         target_label(entry), "；".join(f"{label}：{value}" for label, value in detail_rows(entry.detail))])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})


def actor_name(entry: AuditEntry) -> str:
    """Who did it: the account's shown name, or the command line."""
    if entry.actor:
        return entry.actor.shown_name
    return "（已删除的用户）" if entry.actor_id else "命令行"


def target_label(entry: AuditEntry) -> str:
    """What it was done to: a case or collection by its title (and 网址名), anything else as recorded."""
    title = (entry.detail or {}).get("title")
    return f"{title}（{entry.target}）" if title and entry.target and title != entry.target else entry.target
