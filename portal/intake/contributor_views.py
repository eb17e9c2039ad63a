"""Contributors' pages: submit a practice, see my submissions and what editors said, resubmit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.decorators import role_required
from portal.extensions import db
from portal.intake import submitting
from portal.intake.drafting import draft_body
from portal.intake.forms import SubmissionForm
from portal.intake.models import Submission
from portal.intake.views import bp, get_submission_or_404
from portal.intake.wordfiles import WordFileRefused
from portal.markdown import render_markdown


def own_submission_or_404(submission_id: int) -> Submission:
    """A contributor sees only their own submissions; others' do not exist for them."""
    submission = get_submission_or_404(submission_id)
    if submission.contributor_id != current_user.id:
        abort(404, "没有这份报送。")
    return submission


@bp.get("/my/submissions")
@role_required("contributor")
def my_submissions():
    """List my submissions, newest first, with each status."""
    submissions = db.session.scalars(db.select(Submission).where(Submission.contributor_id == current_user.id)
                                     .order_by(Submission.created_at.desc(), Submission.id.desc())).all()
    return render_template("intake/my_submissions.html", submissions=submissions)


@bp.route("/my/submissions/new", methods=["GET", "POST"])
@role_required("contributor")
def new_submission():
    """Submit a practice by the structured form, a Word file, or both."""
    form = SubmissionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("intake/submit.html", form=form), 400
        try:
            submission = submitting.create(form, current_user)
        except WordFileRefused as refused:
            return render_template("intake/submit.html", form=form, refusal=str(refused)), 400
        flash("报送成功，编辑处理后会在这里显示结果。", "success")
        return redirect(url_for("intake.my_submission", submission_id=submission.id))
    return render_template("intake/submit.html", form=form)


@bp.get("/my/submissions/<int:submission_id>")
@role_required("contributor")
def my_submission(submission_id: int):
    """Show one of my submissions: status, editors' messages, and the form to add what they asked for."""
    submission = own_submission_or_404(submission_id)
    return render_submission(submission, filled_form(submission) if submission.status == "needs_more" else None)


def render_submission(submission: Submission, form: SubmissionForm | None, refusal: str = "", status: int = 200):
    """The submission page: what editors will work from (as the draft body), messages, the resubmit form."""
    preview = render_markdown(draft_body(submission)).html
    return render_template("intake/my_submission.html", submission=submission, form=form, refusal=refusal,
                           preview_html=preview), status


def filled_form(submission: Submission) -> SubmissionForm:
    form = SubmissionForm(obj=submission, keeps_document=bool(submission.document_md))
    form.region.data = submission.region.code if submission.region else ""
    form.area.data = submission.area.slug if submission.area else ""
    return form


@bp.post("/my/submissions/<int:submission_id>")
@role_required("contributor")
def resubmit(submission_id: int):
    """Send the submission back to the editors with what they asked for."""
    submission = own_submission_or_404(submission_id)
    if submission.status != "needs_more":
        abort(409, f"这份报送{submission.status_label}，现在不能修改。")
    form = SubmissionForm(keeps_document=bool(submission.document_md))
    if not form.validate_on_submit():
        return render_submission(submission, form, status=400)
    try:
        submitting.resubmit(submission, form, current_user)
    except WordFileRefused as refused:
        db.session.rollback()
        submission = own_submission_or_404(submission_id)
        return render_submission(submission, form, refusal=str(refused), status=400)
    flash("已重新提交，编辑会再次处理。", "success")
    return redirect(url_for("intake.my_submission", submission_id=submission.id))
