"""Review workflow routes: submit, return, publish, unpublish, archive, restore to draft."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.decorators import role_required
from portal.editor.forms import ActionForm, ReturnForm
from portal.editor.views import bp, get_case_or_404
from portal.editor.workflow import TRANSITIONS, TransitionRefused, perform
from portal.errors import error_response
from portal.extensions import db

DONE_MESSAGES = {
    "submit": "已提交审核。", "withdraw": "已撤回审核申请，案例回到草稿，可以继续修改。",
    "return": "已退回作者修改。", "publish": "已发布，读者现在可以看到这个案例。",
    "unpublish": "已撤回发布，案例回到草稿。", "archive": "已归档。", "restore_draft": "已恢复为草稿。",
}


def take_step(slug: str, name: str, form_class=ActionForm):
    """Run one workflow step on the case, then return to its edit page."""
    case = get_case_or_404(slug)
    form = form_class()
    if not form.validate_on_submit():
        message = next(iter(form.errors.get("comment", [])), "表单无效，请返回重试。")
        return error_response(400, message)
    try:
        perform(TRANSITIONS[name], current_user, case, form.comment.data or "")
        db.session.commit()
    except TransitionRefused as refused:
        db.session.rollback()
        return error_response(409 if case.status not in TRANSITIONS[name].sources else 403, str(refused))
    except StaleDataError:
        db.session.rollback()
        return error_response(409, "案例刚被其他人修改过，请刷新页面后再试。")
    flash(DONE_MESSAGES[name], "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))


@bp.post("/cases/<slug>/submit")
@role_required("editor")
def submit(slug: str):
    """Send a draft to the reviewers."""
    return take_step(slug, "submit")


@bp.post("/cases/<slug>/withdraw")
@role_required("editor")
def withdraw(slug: str):
    """Take one's own submission back to draft before a reviewer acts on it."""
    return take_step(slug, "withdraw")


@bp.post("/cases/<slug>/return", endpoint="return")
@role_required("reviewer")
def return_to_author(slug: str):
    """Send a case under review back to draft with a required comment for the author."""
    return take_step(slug, "return", ReturnForm)


@bp.post("/cases/<slug>/publish")
@role_required("reviewer")
def publish(slug: str):
    """Approve a case under review and publish it."""
    return take_step(slug, "publish")


@bp.post("/cases/<slug>/unpublish")
@role_required("reviewer")
def unpublish(slug: str):
    """Take a published case off the site, back to draft."""
    return take_step(slug, "unpublish")


@bp.post("/cases/<slug>/archive")
@role_required("reviewer")
def archive(slug: str):
    """Archive a published case or a draft."""
    return take_step(slug, "archive")


@bp.post("/cases/<slug>/reopen")
@role_required("reviewer")
def restore_draft(slug: str):
    """Bring an archived case back as a draft."""
    return take_step(slug, "restore_draft")
