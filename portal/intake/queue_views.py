"""The editors' intake queue: list submissions, read one, download its Word file, decide."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.auth.decorators import role_required
from portal.cases.fieldtypes import parse_tags
from portal.cases.models import Region
from portal.errors import error_response
from portal.extensions import db
from portal.intake import decisions, drafting
from portal.intake.forms import AcceptForm, AskForm, DeclineForm
from portal.intake.models import STATUS_LABELS, SUBMISSION_STATUSES, Submission
from portal.intake.submitting import DOCX_TYPE, attachment_dir
from portal.intake.views import bp, get_submission_or_404
from portal.markdown import render_markdown

DONE_MESSAGES = {"ask": "已请报送人补充，对方会在“我的报送”里看到留言。", "decline": "已标记为不采纳，报送人会看到原因。"}


def status_counts() -> dict[str, int]:
    rows = db.session.execute(db.select(Submission.status, db.func.count()).group_by(Submission.status))
    return {status: count for status, count in rows}


@bp.get("/editor/intake")
@role_required("editor")
def queue():
    """List submissions of one status (default: waiting for an editor), oldest first."""
    status = request.args.get("status", "submitted")
    if status not in SUBMISSION_STATUSES:
        abort(400, "未知的状态筛选。")
    newest_first = status in ("accepted", "declined")
    order = Submission.updated_at.desc() if newest_first else Submission.updated_at
    submissions = db.session.scalars(db.select(Submission).where(Submission.status == status).order_by(order)).all()
    return render_template("intake/queue.html", submissions=submissions, status=status,
                           status_labels=STATUS_LABELS, counts=status_counts())


@bp.get("/editor/intake/<int:submission_id>")
@role_required("editor")
def review(submission_id: int):
    """Show a submission as the draft it would become, with suggestions and the three decisions."""
    submission = get_submission_or_404(submission_id)
    return render_review(submission, accept_form(submission), AskForm(), DeclineForm())


def accept_form(submission: Submission) -> AcceptForm:
    """The accept form, filled with the contributor's choices or else the suggestions from the text."""
    form = AcceptForm()
    suggested = drafting.suggestions(submission)
    form.area.data = submission.area.slug if submission.area else (suggested.area.slug if suggested.area else "")
    form.region.data = (submission.region.code if submission.region
                        else suggested.region.code if suggested.region else "")
    form.tags.data = "、".join(suggested.tags)
    return form


def render_review(submission: Submission, accept: AcceptForm, ask: AskForm, decline: DeclineForm, status: int = 200):
    body = drafting.draft_body(submission)
    return render_template("intake/review.html", submission=submission, accept_form=accept, ask_form=ask,
                           decline_form=decline, suggestions=drafting.suggestions(submission),
                           preview_html=render_markdown(body).html), status


@bp.get("/editor/intake/<int:submission_id>/attachment")
@role_required("editor")
def attachment(submission_id: int):
    """Download the original Word file, never shown inline."""
    submission = get_submission_or_404(submission_id)
    if not submission.attachment_stored:
        abort(404, "这份报送没有附件。")
    response = send_from_directory(attachment_dir(), submission.attachment_stored, mimetype=DOCX_TYPE,
                                   as_attachment=True, download_name=submission.attachment_name or "报送.docx")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/editor/intake/<int:submission_id>/accept")
@role_required("editor")
def accept(submission_id: int):
    """Make the submission a draft case owned by me, and open it for editing."""
    submission = get_submission_or_404(submission_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return render_review(submission, form, AskForm(formdata=None), DeclineForm(formdata=None), 400)
    region = db.session.scalar(db.select(Region).where(Region.code == form.region.data))
    try:
        case = decisions.accept(submission, current_user, form.area.data, region, parse_tags(form.tags.data),
                                (form.comment.data or "").strip())
    except decisions.DecisionRefused as refused:
        return error_response(409, str(refused))
    except IntegrityError:
        db.session.rollback()
        return error_response(409, "保存草稿时网址名冲突（可能有人同时新建了同名案例），请重试。")
    flash(f"已采纳，草稿“{case.title}”归你所有，可以继续修改后提交审核。", "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))


@bp.post("/editor/intake/<int:submission_id>/ask")
@role_required("editor")
def ask(submission_id: int):
    """Ask the contributor for more, with a message they see."""
    return decide(submission_id, "ask", AskForm(), "message")


@bp.post("/editor/intake/<int:submission_id>/decline")
@role_required("editor")
def decline(submission_id: int):
    """Decline the submission with a reason the contributor sees."""
    return decide(submission_id, "decline", DeclineForm(), "reason")


def decide(submission_id: int, action: str, form, text_field: str):
    submission = get_submission_or_404(submission_id)
    if not form.validate_on_submit():
        forms = {"ask": AskForm(formdata=None), "decline": DeclineForm(formdata=None)} | {action: form}
        return render_review(submission, accept_form(submission), forms["ask"], forms["decline"], 400)
    try:
        decisions.decide(submission, action, current_user, form[text_field].data.strip())
    except decisions.DecisionRefused as refused:
        return error_response(409, str(refused))
    flash(DONE_MESSAGES[action], "success")
    return redirect(url_for("intake.review", submission_id=submission.id))
