"""Routes for a published case's working copy: its diff against what is live, publishing, discarding."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.decorators import role_required
from portal.editor import working_copy
from portal.editor.diffing import compare
from portal.editor.forms import ActionForm
from portal.editor.names import display_names
from portal.editor.views import bp, get_case_or_404
from portal.errors import error_response
from portal.extensions import db

DONE_MESSAGES = {
    working_copy.publish: "修改已发布，读者现在看到的是新版本。",
    working_copy.discard: "已放弃修改稿，读者看到的已发布版本没有变化；修改稿仍留在修订历史中。",
    working_copy.confirm_import: "已确认核对导入带来的变化，修改稿可以由审核人发布了。",
}


@bp.get("/cases/<slug>/changes")
@role_required("editor")
def changes(slug: str):
    """Compare what readers see now with the working copy waiting to be published."""
    case = get_case_or_404(slug)
    copy = working_copy.working_copy_of(case)
    if copy is None:
        abort(404, "这个案例没有待发布的修改。")
    imported = (compare(copy.live_before_import, case.snapshot(), display_names())
                if copy.live_before_import else None)
    return render_template("editor/changes.html", case=case, copy=copy, imported=imported,
                           diff=compare(case.snapshot(), copy.revision.snapshot, display_names()),
                           refusal=working_copy.publish_refusal(current_user, case), form=ActionForm())


@bp.post("/cases/<slug>/changes/publish")
@role_required("reviewer")
def publish_changes(slug: str):
    """A second reviewer puts the working copy live."""
    return take_step(slug, working_copy.publish)


@bp.post("/cases/<slug>/changes/discard")
@role_required("editor")
def discard_changes(slug: str):
    """Drop the working copy; readers' version stays."""
    return take_step(slug, working_copy.discard)


@bp.post("/cases/<slug>/changes/confirm-import")
@role_required("editor")
def confirm_import(slug: str):
    """Say the import's changes to the published case were compared with the working copy."""
    return take_step(slug, working_copy.confirm_import)


def take_step(slug: str, step):
    """Run one working-copy step, then return to the case's edit page."""
    case = get_case_or_404(slug)
    form = ActionForm()
    if not form.validate_on_submit():
        return error_response(400, "表单无效，请返回重试。")
    try:
        step(current_user._get_current_object(), case, form.comment.data or "")
        db.session.commit()
    except working_copy.WorkingCopyRefused as refused:
        db.session.rollback()
        return error_response(403 if working_copy.working_copy_of(case) else 409, str(refused))
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return error_response(409, "案例刚被其他人修改过，请刷新页面后再试。")
    flash(DONE_MESSAGES[step], "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))
