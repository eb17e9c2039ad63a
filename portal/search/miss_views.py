"""/editor/search-misses: what readers searched for without a full match, and marking it answered."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.decorators import role_required
from portal.search import miss_answers, misses
from portal.search.forms import CaseAnswerForm, DeleteForm, SynonymAnswerForm
from portal.search.views import misses_bp as bp

PREFIX = "/editor/search-misses"
STATE_LABELS = {"open": "待处理", "answered": "已解答", "all": "全部"}


@bp.get(PREFIX)
@role_required("editor")
def search_misses():
    """Show editors what readers searched for without a full match, most frequent first."""
    state = request.args.get("state", "open")
    if state not in misses.STATES:
        abort(400, "未知的筛选。")
    return render_template("search/misses.html", rows=misses.listed(state), state=state,
                           state_labels=STATE_LABELS)


@bp.route(f"{PREFIX}/answer", methods=["GET", "POST"])
@role_required("editor")
def answer_miss():
    """Mark one missed query as answered by a case or by a new synonym (or reopen it)."""
    row = misses.miss_summary(request.values.get("q", ""))
    if row is None:
        abort(404, "没有这条搜索记录。")
    case_form, synonym_form = CaseAnswerForm(prefix="case"), SynonymAnswerForm(prefix="synonym")
    action = request.form.get("action") if request.method == "POST" else None
    try:
        if action == "case" and case_form.validate_on_submit():
            miss_answers.answer_with_case(row.normalized, case_form.case.data, current_user)
            return done(f"已标记“{row.normalized}”由案例解答。")
        if action == "synonym" and synonym_form.validate_on_submit():
            answer = miss_answers.answer_with_synonym(row.normalized, synonym_form.term.data, current_user)
            return done(f"已把“{row.normalized}”加为“{answer.synonym_term}”的同义词，下一次搜索即生效。")
        if action == "reopen" and DeleteForm().validate_on_submit():
            miss_answers.reopen(row.normalized, current_user)
            return done(f"已把“{row.normalized}”放回待处理。")
    except miss_answers.AnswerError as error:
        form = case_form if action == "case" else synonym_form
        field = form.case if action == "case" else form.term
        field.errors = [*field.errors, str(error)]
    status = 400 if request.method == "POST" else 200
    return render_template("search/miss_answer.html", row=row, case_form=case_form, synonym_form=synonym_form,
                           reopen_form=DeleteForm()), status


def done(message: str):
    flash(message, "success")
    return redirect(url_for("search_misses.search_misses"))
