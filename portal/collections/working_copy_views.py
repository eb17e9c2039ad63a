"""Routes for a published collection's working copy: its differences from what readers see, publishing,
discarding, and confirming it after an import changed the published version."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.decorators import role_required
from portal.cases.models import Case
from portal.collections import working_copy
from portal.collections.access import edits_every_collection
from portal.collections.compare import differences
from portal.collections.editor_views import editable_or_404
from portal.collections.forms import ReviewStepForm
from portal.collections.views import bp
from portal.editor.signals import dashboard_sections
from portal.errors import error_response
from portal.extensions import db

PREFIX = "/editor/collections/<int:collection_id>/changes"
DONE = {
    working_copy.publish: "修改已发布，读者现在看到的是新版本。",
    working_copy.discard: "已放弃修改稿，读者看到的已发布版本没有变化。",
    working_copy.confirm_import: "已确认核对导入带来的变化，修改稿可以由审核人发布了。",
}


@bp.get(PREFIX)
@role_required("trainer")
def working_copy_changes(collection_id: int):
    """Compare what readers see now with the working copy waiting to be published."""
    collection, copy = copy_or_404(collection_id)
    live = working_copy.values_of(collection)
    titles = case_titles(live, copy.values, copy.live_before_import)
    imported = differences(copy.live_before_import, live, titles) if copy.live_before_import else None
    return render_template("collections/editor/changes.html", collection=collection, copy=copy,
                           diff=differences(live, copy.values, titles), imported=imported,
                           refusal=working_copy.publish_refusal(collection), form=ReviewStepForm())


@bp.post(f"{PREFIX}/publish")
@role_required("reviewer")
def working_copy_publish(collection_id: int):
    """A second reviewer puts the working copy live."""
    return take_step(collection_id, working_copy.publish)


@bp.post(f"{PREFIX}/discard")
@role_required("trainer")
def working_copy_discard(collection_id: int):
    """Drop the working copy; readers' version stays."""
    return take_step(collection_id, working_copy.discard)


@bp.post(f"{PREFIX}/confirm-import")
@role_required("trainer")
def working_copy_confirm_import(collection_id: int):
    """Say the import's changes to the published version were compared with the working copy."""
    return take_step(collection_id, working_copy.confirm_import)


def copy_or_404(collection_id: int):
    """The collection and its working copy, if the user may edit the collection; else 404 or 403."""
    collection = editable_or_404(collection_id)
    copy = working_copy.working_copy_of(collection)
    if copy is None:
        abort(404, working_copy.NOTHING_PENDING)
    return collection, copy


def case_titles(*versions: dict | None) -> dict[str, str]:
    """The titles of the cases the versions hold, by slug."""
    slugs = {entry["case"] for values in versions if values for entry in values["items"]}
    return dict(db.session.execute(select(Case.slug, Case.title).where(Case.slug.in_(slugs))).all())


def take_step(collection_id: int, step):
    """Run one working-copy step, then return to the collection's edit page."""
    collection, _copy = copy_or_404(collection_id)
    form = ReviewStepForm()
    if not form.validate_on_submit():
        return error_response(400, "表单无效，请返回重试。")
    try:
        step(collection, form.comment.data or "")
        db.session.commit()
    except working_copy.WorkingCopyRefused as refused:
        db.session.rollback()
        return error_response(403, str(refused))
    except StaleDataError:
        db.session.rollback()
        return error_response(409, "修改稿刚被其他人改过，请刷新页面后再试。")
    flash(DONE[step], "success")
    return redirect(url_for("collections.editor_edit", collection_id=collection.id))


def dashboard_changes(user) -> Markup | None:
    """The 编辑台's list of published collections with changes waiting to be published (editors and up)."""
    if not edits_every_collection():
        return None
    return Markup(render_template("collections/editor/_dashboard_changes.html", copies=working_copy.pending()))


def connect() -> None:
    """Show the pending changes on the 编辑台 (the editor feature asks through its dashboard signal)."""
    dashboard_sections.connect(dashboard_changes)
