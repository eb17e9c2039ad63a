"""History routes: the revision list with the review trail, diffs, and restoring an old revision."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.auth.decorators import role_required
from portal.cases import fields
from portal.cases.models import Case, Revision
from portal.cases.params import parameter_label
from portal.editor import working_copy
from portal.editor.access import edit_refusal
from portal.editor.comments import comments_on, post_comment
from portal.editor.diffing import compare
from portal.editor.forms import CommentForm, RestoreForm
from portal.editor.models import ReviewEvent
from portal.editor.names import display_names
from portal.editor.signals import case_saved, tools_for
from portal.editor.views import bp, get_case_or_404
from portal.editor.workflow import ACTION_LABELS
from portal.errors import error_response
from portal.extensions import db
from portal.timeutil import as_utc

MAX_REVISION = 2**31 - 1


def revisions_of(case: Case) -> list[Revision]:
    """Every revision of the case, newest first."""
    return list(db.session.scalars(db.select(Revision).where(Revision.case_id == case.id)
                                   .order_by(Revision.number.desc())))


def get_revision_or_404(case: Case, number: int) -> Revision:
    """Load revision `number` of the case, or answer 404."""
    # Larger numbers would overflow PostgreSQL's integer column (a 500) and cannot exist anyway.
    if number > MAX_REVISION:
        abort(404, f"第 {number} 版不存在。")
    revision = db.session.scalar(db.select(Revision).where(Revision.case_id == case.id,
                                                           Revision.number == number))
    if revision is None:
        abort(404, f"第 {number} 版不存在。")
    return revision


def timeline(revisions: list[Revision], events: list[ReviewEvent]) -> list[tuple[str, object]]:
    """Saves and review steps interleaved, newest first."""
    items = [("revision", r, as_utc(r.created_at), r.id) for r in revisions]
    items += [("event", e, as_utc(e.created_at), e.id) for e in events]
    items.sort(key=lambda item: (item[2], item[0] == "event", item[3]), reverse=True)
    return [(kind, item) for kind, item, _, _ in items]


@bp.get("/cases/<slug>/history")
@role_required("editor")
def history(slug: str):
    """List every revision (number, who, when, comment) and every review step."""
    return render_history(get_case_or_404(slug), CommentForm())


def render_history(case: Case, comment_form: CommentForm, status: int = 200):
    """The history page: revisions and review steps, then the staff discussion and its form."""
    revisions = revisions_of(case)
    events = list(db.session.scalars(db.select(ReviewEvent).where(ReviewEvent.case_id == case.id)))
    return render_template("editor/history.html", case=case, revisions=revisions,
                           timeline=timeline(revisions, events), action_labels=ACTION_LABELS,
                           can_restore=edit_refusal(current_user, case) is None, case_tools=tools_for(case),
                           comments=comments_on(case), comment_form=comment_form,
                           working_copy=working_copy.working_copy_of(case)), status


def revision_number(name: str, default: int) -> int:
    """Read ?from= / ?to= as a positive revision number; anything else is a 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
        abort(400, f"{parameter_label(name)}应为正整数，收到的是“{raw[:20]}”。")
    return int(raw)


@bp.get("/cases/<slug>/diff")
@role_required("editor")
def diff(slug: str):
    """Compare two revisions side by side: changed fields, then the body line by line."""
    case = get_case_or_404(slug)
    latest = db.session.scalar(db.select(db.func.max(Revision.number)).where(Revision.case_id == case.id))
    if latest is None:
        abort(404, "这个案例还没有修订记录。")
    to_number = revision_number("to", latest)
    from_number = revision_number("from", max(to_number - 1, 1))
    old, new = get_revision_or_404(case, from_number), get_revision_or_404(case, to_number)
    return render_template("editor/diff.html", case=case, old=old, new=new, latest=latest,
                           diff=compare(old.snapshot, new.snapshot, display_names()))


@bp.post("/cases/<slug>/revisions/<int:number>/restore")
@role_required("editor")
def restore(slug: str, number: int):
    """Make an old revision's content current again, as a new revision, with the reason given.

    A published case does not change in front of readers: the restored text becomes its working
    copy, which someone other than the restorer publishes. Every restore is audited.
    """
    case = get_case_or_404(slug)
    old = get_revision_or_404(case, number)
    form = RestoreForm()
    if not form.validate_on_submit():
        return error_response(400, next(iter(form.errors.get("comment", [])), "表单无效，请返回重试。"))
    refusal = edit_refusal(current_user, case)
    if refusal:
        abort(403, refusal)
    comment, published = form.comment.data.strip(), working_copy.keeps_changes_apart(case)
    try:
        revision = restore_text(case, old, f"恢复自第 {number} 版：{comment}"[:500])
        record_restore(case, number, revision.number, comment)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return error_response(409, "案例刚被其他人修改过，请刷新历史页面后再试。")
    flash(f"已把第 {number} 版恢复为新的第 {revision.number} 版。"
          + ("这是修改稿：读者仍看到已发布的版本，需另一位审核人发布后才会更新。" if published else ""), "success")
    return redirect(url_for("editor.history", slug=case.slug))


def restore_text(case: Case, old: Revision, comment: str) -> Revision:
    """Record the old revision's text as the newest: the case's own, or a published case's working copy."""
    if working_copy.keeps_changes_apart(case):
        values = {key: value for key, value in old.snapshot.items() if key != "status"}
        return working_copy.save_working_copy(case, values, current_user._get_current_object(), comment)
    fields.write_case(case, old.snapshot)
    revision = Revision.record(case, current_user, comment)
    db.session.flush()
    case_saved.send(case, revision=revision, actor=current_user._get_current_object())
    return revision


def record_restore(case: Case, number: int, new_number: int, comment: str) -> None:
    audit.record(current_user, "case.restore_revision", case, **{
        "title": case.title, "revision": number, "new_revision": new_number, "comment": comment,
        "from": case.status, "to": case.status})


@bp.post("/cases/<slug>/comments")
@role_required("editor")
def comment(slug: str):
    """Add a comment to the case's staff discussion (the text is kept and shown again if refused)."""
    case = get_case_or_404(slug)
    form = CommentForm()
    if not form.validate_on_submit():
        return render_history(case, form, 400)
    return post_comment(case, form.body.data.strip())
