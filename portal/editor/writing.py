"""Writing: the case form (new and edit), the no-JS and live previews, suggestions, conflicts."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.decorators import role_required
from portal.cases import fields
from portal.cases.fieldtypes import parse_tags
from portal.cases.house_template import starting_body, strip_prompts
from portal.cases.models import Case, Revision, Tag
from portal.editor import taxonomy_suggestions, working_copy
from portal.editor.access import edit_refusal
from portal.editor.diffing import compare
from portal.editor.forms import CaseForm, UploadForm, choice_values, slug_taken
from portal.editor.models import Upload
from portal.editor.names import display_names
from portal.editor.signals import case_saved, tools_for
from portal.editor.uploads import markdown_snippet
from portal.editor.views import bp, get_case_or_404
from portal.editor.workflow import (
    TRANSITIONS,
    TransitionRefused,
    available,
    is_own_work,
    latest_event,
    perform,
    published_revision,
    reviewed_revision,
)
from portal.errors import error_response
from portal.extensions import db
from portal.markdown import render_markdown
from portal.slugs import verdict

RECENT_UPLOADS = 6


def suggestion_text(form: CaseForm) -> str:
    """The text suggestions are drawn from: title, summary and body."""
    return "\n".join(part or "" for part in (form.title.data, form.summary.data, strip_prompts(form.body.data)))


def current_suggestions(form: CaseForm) -> taxonomy_suggestions.Suggestions:
    """Suggest an area, region and tags from the form's text, leaving out tags already chosen."""
    return taxonomy_suggestions.suggest_from_database(suggestion_text(form), set(parse_tags(form.tags.data)))


def accept_suggestions(form: CaseForm, suggestions: taxonomy_suggestions.Suggestions) -> None:
    """Without JavaScript, the suggestion buttons submit the form; apply what was clicked."""
    if form.apply_suggestions.data:
        picks = [f"tag:{name}" for name in suggestions.tags]
        picks += [f"area:{suggestions.area.slug}"] if suggestions.area else []
        picks += [f"region:{suggestions.region.code}"] if suggestions.region else []
    else:
        picks = [request.form.get("accept", "")]
    for pick in picks:
        _accept_one(form, *pick.partition(":")[::2])


def _accept_one(form: CaseForm, kind: str, value: str) -> None:
    if kind == "area" and value in choice_values(form.area):
        form.area.data = value
    elif kind == "region" and value in choice_values(form.region):
        form.region.data = value
    elif kind == "tag" and value.strip():
        form.tags.data = "、".join(parse_tags(f"{form.tags.data or ''}、{value}"))


def recent_uploads() -> list[tuple[Upload, str]]:
    """The current user's latest images with the Markdown that shows them."""
    uploads = db.session.scalars(db.select(Upload).where(Upload.uploader_id == current_user.id)
                                 .order_by(Upload.created_at.desc(), Upload.id.desc()).limit(RECENT_UPLOADS))
    return [(upload, markdown_snippet(upload)) for upload in uploads]


def render_edit(form: CaseForm, case: Case | None, status: int = 200):
    """Render the writing page: the form, the preview, suggestions, images and review actions."""
    suggestions = current_suggestions(form)
    if request.method == "POST" and not form.save.data:
        accept_suggestions(form, suggestions)
        suggestions = current_suggestions(form)
    context = {
        "form": form, "case": case, "suggestions": suggestions,
        "preview_html": render_markdown(strip_prompts(form.body.data)).html,
        "tag_names": db.session.scalars(db.select(Tag.name).order_by(Tag.name)).all(),
        "uploads": recent_uploads(), "upload_form": UploadForm(),
    }
    if case is not None:
        context |= review_context(case)
    return render_template("editor/edit.html", **context), status


def review_context(case: Case) -> dict:
    """What the edit page shows about the case's review: comment, allowed steps, refusal."""
    last = latest_event(case)
    # Explain a missing publish button instead of leaving the reviewer to wonder.
    four_eyes = (case.status == "in_review" and current_user.has_role("reviewer")
                 and not current_user.has_role("admin") and is_own_work(current_user, case))
    return {
        "returned": last if last and last.action == "return" and case.status == "draft" else None,
        "transitions": available(current_user, case), "four_eyes": four_eyes,
        "since_published": changes_since_published(case),
        "since_reviewed": changes_since_reviewed(case),
        "refusal": edit_refusal(current_user, case), "case_tools": tools_for(case),
        "working_copy": working_copy.working_copy_of(case),
        "publish_changes_refusal": working_copy.publish_refusal(current_user, case),
    }


def changes_since_reviewed(case: Case) -> tuple[int, int] | None:
    """For a reviewer looking at a case under review: (revision they last reviewed, latest), if they differ."""
    if case.status != "in_review" or not current_user.has_role("reviewer"):
        return None
    reviewed = reviewed_revision(current_user, case)
    latest = db.session.scalar(db.select(db.func.max(Revision.number)).where(Revision.case_id == case.id))
    return (reviewed, latest) if reviewed and latest and reviewed != latest else None


def changes_since_published(case: Case) -> tuple[int, int] | None:
    """For a case back under review: (revision last published, latest revision), if they differ."""
    if case.status != "in_review":
        return None
    published = published_revision(case)
    latest = db.session.scalar(db.select(db.func.max(Revision.number)).where(Revision.case_id == case.id))
    return (published, latest) if published and latest and published != latest else None


@bp.route("/cases/new", methods=["GET", "POST"])
@role_required("editor")
def new_case():
    """Write a new case; it starts as a draft by the current user."""
    form = CaseForm()
    if request.method == "GET":
        form.level.data = "县级"
        form.body.data = starting_body()
    if form.save.data and form.validate_on_submit():
        return create_case(form)
    return render_edit(form, None, 400 if form.errors else 200)


def create_case(form: CaseForm):
    """Save a new draft and its first revision."""
    case = Case(slug=form.slug.data, status="draft", author=current_user)
    fields.write_case(case, fields.form_values(form))
    db.session.add(case)
    try:
        db.session.flush()
        Revision.record(case, current_user, form.comment.data or "新建案例")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors = [*form.slug.errors, "这个网址标识刚被其他案例使用，请换一个。"]
        return render_edit(form, None, 400)
    flash("已保存为草稿（第 1 版）。", "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))


@bp.route("/cases/<slug>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_case(slug: str):
    """Edit a case; saving records a revision, or shows a conflict if someone saved in between."""
    case = get_case_or_404(slug)
    form = CaseForm(case=case)
    if request.method == "GET":
        form.fill_from(case)
    if form.save.data or form.submit_review.data:
        refusal = edit_refusal(current_user, case)
        if refusal:
            abort(403, refusal)
        if form.validate_on_submit():
            return save_case(case, form, then_submit=bool(form.submit_review.data))
    return render_edit(form, case, 400 if form.errors else 200)


def save_case(case: Case, form: CaseForm, *, then_submit: bool = False):
    """Apply the form to the case as a new revision (and submit it for review, in the same transaction),
    unless the case changed since the form was loaded."""
    if form.is_stale(case):
        return conflict(case, form)
    changed = changed_labels(working_copy.editing_snapshot(case), fields.form_values(form))
    if working_copy.keeps_changes_apart(case):
        return save_apart(case, form, changed)
    try:
        revision = record_form(case, form) if changed or not then_submit else None
        if then_submit:
            perform(TRANSITIONS["submit"], current_user, case, form.submit_comment.data or "")
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return conflict(get_case_or_404(case.slug), form)
    except TransitionRefused as refused:
        db.session.rollback()
        return error_response(409, f"{refused}（刚才输入的内容没有保存，请返回上一页复制保留。）")
    flash(saved_message(revision, changed, then_submit), "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))


def save_apart(case: Case, form: CaseForm, changed: list[str]):
    """Save a published case's changes as its working copy; readers keep the published version."""
    if not changed:
        flash("内容没有改动，没有保存新版本。", "info")
        return redirect(url_for("editor.edit_case", slug=case.slug))
    try:
        revision = working_copy.save_working_copy(case, fields.form_values(form), current_user._get_current_object(),
                                                 form.comment.data or "")
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return conflict(get_case_or_404(case.slug), form)
    flash(f"已保存修改稿（第 {revision.number} 版），改动：{'、'.join(changed)}。读者看到的仍是已发布的版本，"
          "须由另一位审核人发布后才会更新。", "success")
    return redirect(url_for("editor.edit_case", slug=case.slug))


def record_form(case: Case, form: CaseForm) -> Revision:
    """Apply the form's fields to the case and record them as its next revision (no commit)."""
    fields.write_case(case, fields.form_values(form))
    revision = Revision.record(case, current_user, form.comment.data or "")
    db.session.flush()  # stamped before a review step taken in the same request
    case_saved.send(case, revision=revision, actor=current_user._get_current_object())
    return revision


def changed_labels(before: dict, after: dict) -> list[str]:
    """Name, in Chinese, the content fields that differ between two snapshots."""
    old, new, labels = fields.comparable_state(before), fields.comparable_state(after), fields.field_labels()
    return [labels.get(key, "正文") for key in fields.content_keys() if old.get(key) != new.get(key)]


def saved_message(revision: Revision | None, changed: list[str], submitted: bool) -> str:
    """Say what was saved (which fields changed) and whether the case went to review."""
    saved = (f"已保存（第 {revision.number} 版），改动：{'、'.join(changed)}。" if revision and changed
             else f"已保存（第 {revision.number} 版），内容与上一版相同。" if revision else "内容没有改动，")
    return saved + ("已提交审核。" if submitted else "")


def conflict(case: Case, form: CaseForm):
    """Show both versions, theirs (saved) and yours (not saved), with yours in the form to save deliberately."""
    theirs, yours = working_copy.editing_snapshot(case), fields.form_values(form)
    yours["status"] = theirs["status"]
    latest = db.session.scalar(db.select(Revision).where(Revision.case_id == case.id)
                               .order_by(Revision.number.desc()).limit(1))
    # Saving this form again deliberately replaces theirs; theirs stays in the history.
    form.mark_loaded(case)
    return render_template("editor/conflict.html", case=case, form=form, latest=latest,
                           diff=compare(theirs, yours, display_names()), theirs=theirs, yours=yours,
                           tag_names=[], preview_html=render_markdown(yours["body"]).html), 409


@bp.post("/preview")
@role_required("editor")
def preview():
    """Render the posted Markdown with the published pages' sanitizer, plus fresh suggestions (JSON)."""
    form = CaseForm(meta={"csrf": False})
    suggestions = current_suggestions(form)
    return jsonify(html=render_markdown(strip_prompts(form.body.data)).html, suggestions={
        "area": {"value": suggestions.area.slug, "label": suggestions.area.name} if suggestions.area else None,
        "region": ({"value": suggestions.region.code, "label": suggestions.region.name}
                   if suggestions.region else None),
        "tags": suggestions.tags,
    })


@bp.get("/slug-check")
@role_required("editor")
def slug_check():
    """Propose a 网址名 from ?title=, or say whether ?slug= can be used (JSON for the new-case page)."""
    return jsonify(verdict(request.args.get("title", ""), request.args.get("slug", ""), slug_taken))
