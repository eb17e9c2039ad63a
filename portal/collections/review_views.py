"""The collection review request flow: a trainer submits, reviewers see the queue, publish or return.

Every step is a review event (audited, announced by `collection_review_event`); the rules live in
`portal.collections.review`.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from markupsafe import Markup

from portal.auth.decorators import role_required
from portal.collections import review
from portal.collections.editor_views import editable_or_404
from portal.collections.forms import ReviewStepForm
from portal.collections.views import bp
from portal.editor.signals import dashboard_sections
from portal.errors import error_response
from portal.extensions import db

PREFIX = "/editor/collections"
DONE = {
    "submit": "已提交审核，审核人会在待审核合集中看到它。审核期间合集不能修改，如需修改请先撤回。",
    "withdraw": "已撤回审核申请，可以继续修改。",
    "return": "已退回，合集作者会看到你的意见。",
    "publish": "已发布，读者现在可以看到这个合集。",
}


@bp.get(f"{PREFIX}/review")
@role_required("reviewer")
def review_queue():
    """The reviewers' queue: collections whose authors asked for review, oldest first."""
    return render_template("collections/editor/queue.html", waiting=review.waiting_for_review(),
                           form=ReviewStepForm())


@bp.post(f"{PREFIX}/<int:collection_id>/submit")
@role_required("trainer")
def review_submit(collection_id: int):
    """The author (or an editor) asks the reviewers to publish the collection."""
    return take_step(collection_id, "submit", lambda collection, comment: review.submit(collection, comment))


@bp.post(f"{PREFIX}/<int:collection_id>/withdraw")
@role_required("trainer")
def review_withdraw(collection_id: int):
    """Take a submission back to keep editing."""
    return take_step(collection_id, "withdraw", lambda collection, _comment: review.withdraw(collection))


@bp.post(f"{PREFIX}/<int:collection_id>/return")
@role_required("reviewer")
def review_return(collection_id: int):
    """Send a submitted collection back to its author with a comment."""
    return take_step(collection_id, "return", review.return_to_author)


@bp.post(f"{PREFIX}/<int:collection_id>/publish")
@role_required("reviewer")
def review_publish(collection_id: int):
    """Publish a submitted collection (not one the reviewer changed)."""
    return take_step(collection_id, "publish", review.publish)


def take_step(collection_id: int, name: str, step):
    """Run one review step, then go back to the collection's edit page."""
    collection = editable_or_404(collection_id)
    form = ReviewStepForm()
    if not form.validate_on_submit():
        return error_response(400, next(iter(form.errors.get("comment", [])), "表单无效，请返回重试。"))
    try:
        step(collection, form.comment.data or "")
        db.session.commit()
    except review.StepRefused as refused:
        db.session.rollback()
        return error_response(409, str(refused))
    flash(DONE[name], "success")
    return redirect(url_for("collections.editor_edit", collection_id=collection.id))


def dashboard_queue(user) -> Markup | None:
    """The 编辑台's list of collections waiting for review, for reviewers."""
    if not user.has_role(review.PUBLISHER_ROLE):
        return None
    return Markup(render_template("collections/editor/_dashboard_queue.html", waiting=review.waiting_for_review()))


def connect() -> None:
    """Show the queue on the 编辑台 (the editor feature asks through its dashboard signal)."""
    dashboard_sections.connect(dashboard_queue)
