"""待复核: published cases due for re-checking, and marking one re-checked (a revision note and an audit entry)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit
from portal.audit.labels import describe
from portal.auth.decorators import role_required
from portal.cases import fields, freshness
from portal.cases.models import Case, Revision
from portal.editor.forms import CheckedForm
from portal.editor.signals import case_saved
from portal.editor.views import bp, get_case_or_404
from portal.errors import error_response
from portal.extensions import db
from portal.timeutil import china_today

# The list shows what is overdue and what falls due within this many days.
DUE_SOON_DAYS = 30

describe(actions={"case.checked": "核实案例"}, details={"note": "核实说明", "review_by": "下次复核期限"})


@bp.get("/review-due")
@role_required("editor")
def review_due():
    """List published cases overdue or due soon for re-checking, the longest overdue first."""
    today = china_today()
    due = freshness.due_cases(within_days=DUE_SOON_DAYS, today=today)
    return render_template("editor/review_due.html", due=due, today=today, soon=DUE_SOON_DAYS,
                           interval=freshness.interval_months(), form=CheckedForm())


@bp.post("/cases/<slug>/checked")
@role_required("editor")
def mark_checked(slug: str):
    """Record that the case was checked today: a revision saying so, and an audit entry."""
    case = get_case_or_404(slug)
    form = CheckedForm()
    if not case.is_published:
        return error_response(409, "只有已发布的案例需要核实；草稿和审核中的案例在发布时会再次审读。")
    if not form.validate_on_submit():
        return error_response(400, "；".join(message for errors in form.errors.values() for message in errors))
    record_check(case, form.note.data.strip(), form.review_by.data)
    db.session.commit()
    flash(f"已记录核实：{case.title}（下次复核期限 {freshness.review_due(case):%Y-%m-%d}）。", "success")
    return redirect(request.form.get("next") if request.form.get("next", "").startswith("/editor/")
                    else url_for("editor.review_due"))


def record_check(case: Case, note: str, review_by) -> None:
    """Stamp today as the last check (and the chosen next date, if any); no commit."""
    fields.write_case(case, {"checked_on": china_today().isoformat(), "review_by": review_by},
                      keys=("checked_on", "review_by"))
    revision = Revision.record(case, current_user, f"核实：{note}" if note else "核实：内容仍然准确")
    db.session.flush()
    # Followers hear of it like of any other saved revision (the inbox answers this signal).
    case_saved.send(case, revision=revision, actor=current_user._get_current_object())
    audit.record(current_user, "case.checked", case, title=case.title, note=note,
                 review_by=review_by.isoformat() if review_by else "")
