"""The editor's blueprints and its dashboard and case list; the other routes live in sibling modules."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from portal.auth.decorators import role_required
from portal.cases.models import STATUS_LABELS, STATUSES, Case
from portal.editor.models import ReviewEvent, WorkingCopy
from portal.editor.signals import dashboard_extras, sections_for
from portal.extensions import db

bp = Blueprint("editor", __name__, url_prefix="/editor", template_folder="templates",
               static_folder="static")
# Uploaded images, served to everyone (published cases show them).
uploads_bp = Blueprint("uploads", __name__)

RECENT_LIMIT = 10


def get_case_or_404(slug: str) -> Case:
    """Load a case by slug, whatever its status; editors see drafts too."""
    case = db.session.scalar(db.select(Case).where(Case.slug == slug))
    if case is None:
        abort(404, "没有这个案例。")
    return case


def latest_events(cases: list[Case]) -> dict[int, ReviewEvent]:
    """Map each case id to its most recent review event."""
    if not cases:
        return {}
    events = db.session.scalars(db.select(ReviewEvent).where(ReviewEvent.case_id.in_([c.id for c in cases]))
                                .order_by(ReviewEvent.created_at, ReviewEvent.id)).all()
    return {event.case_id: event for event in events}


def _cases(*conditions, order=None, limit: int | None = None) -> list[Case]:
    query = db.select(Case).where(*conditions).order_by(order if order is not None else Case.updated_at.desc())
    return list(db.session.scalars(query.limit(limit) if limit else query))


@bp.get("/")
@role_required("editor")
def dashboard():
    """Show my drafts (with reviewers' comments), cases awaiting review, and recent publications."""
    mine = Case.author_id == current_user.id
    drafts = _cases(mine, Case.status == "draft")
    submitted = _cases(mine, Case.status == "in_review")
    events = latest_events(drafts)
    # Each case appears once: a returned draft under 被退回, not again under 我的草稿.
    returned = [case for case in drafts if events.get(case.id) and events[case.id].action == "return"]
    drafts = [case for case in drafts if case not in returned]
    awaiting = [case for case in _cases(Case.status == "in_review", order=Case.updated_at)
                if case not in submitted] if current_user.has_role("reviewer") else []
    published = _cases(Case.status == "published", order=Case.published_at.desc(), limit=RECENT_LIMIT)
    return render_template("editor/dashboard.html", drafts=drafts, returned=returned, events=events,
                           submitted=submitted, awaiting=awaiting, published=published,
                           tools=dashboard_extras(current_user), working_copies=waiting_working_copies(),
                           other_sections=sections_for(current_user._get_current_object()))


def waiting_working_copies() -> list[WorkingCopy]:
    """Published cases' changes waiting for a second reviewer, oldest first."""
    return list(db.session.scalars(db.select(WorkingCopy).order_by(WorkingCopy.updated_at, WorkingCopy.case_id)))


@bp.get("/cases")
@role_required("editor")
def case_list():
    """List every case, drafts included, optionally filtered by status."""
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        abort(400, "未知的状态筛选。")
    conditions = [Case.status == status] if status else []
    return render_template("editor/case_list.html", cases=_cases(*conditions), status=status,
                           status_labels=STATUS_LABELS)
