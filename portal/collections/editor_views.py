"""Trainers and editors build collections in the browser: create, edit, add, remove, reorder, annotate.

Trainers work on their own collections and may only add published cases; editors work on all of
them. Only editors decide whether a collection is published or featured.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from portal.auth.decorators import role_required
from portal.cases.models import Case
from portal.collections import fields, review, working_copy
from portal.collections.access import edits_every_collection, may_edit
from portal.collections.forms import (
    AddItemForm,
    CollectionForm,
    ItemForm,
    MoveForm,
    RemoveForm,
    collection_form,
    item_form,
    item_posted,
    slug_taken,
)
from portal.collections.models import Collection, CollectionItem
from portal.collections.views import bp
from portal.extensions import db
from portal.slugs import verdict
from portal.timeutil import utcnow

PREFIX = "/editor/collections"
MAX_CASE_CHOICES = 200


@bp.get(PREFIX)
@role_required("trainer")
def editor_list():
    """List the collections the user may edit (editors: all of them, published or not)."""
    statement = select(Collection).order_by(Collection.title)
    if not edits_every_collection():
        statement = statement.where(Collection.author_id == current_user.id)
    collections = db.session.scalars(statement).all()
    pending = {copy.collection_id for copy in working_copy.pending()}
    return render_template("collections/editor/list.html", collections=collections, pending=pending)


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@role_required("trainer")
def editor_new():
    """Create a collection; its cases are added on the next page."""
    form = CollectionForm()
    if form.validate_on_submit() and slug_is_free(form, None):
        collection = Collection(author_id=current_user.id, slug=form.slug.data, published=False, featured=False)
        save_fields(collection, form)
        db.session.add(collection)
        db.session.flush()
        review.note_change(collection)
        db.session.commit()
        flash("合集已创建，现在可以添加案例。", "success")
        return redirect(url_for("collections.editor_edit", collection_id=collection.id))
    return render_template("collections/editor/new.html", form=form), 400 if form.errors else 200


@bp.get(f"{PREFIX}/slug-check")
@role_required("trainer")
def slug_check():
    """Propose a 网址名 from ?title=, or say whether ?slug= can be used (JSON for the new-collection page)."""
    return jsonify(verdict(request.args.get("title", ""), request.args.get("slug", ""), slug_taken))


@bp.route(f"{PREFIX}/<int:collection_id>", methods=["GET", "POST"])
@role_required("trainer")
def editor_edit(collection_id: int):
    """Edit a collection: its fields and every item's note and questions are one form, saved together;
    moving or removing an item from that form saves the typing first."""
    collection = collection_or_404(collection_id)
    target = working_copy.editing_target(collection)
    refuse_stale_page(target)
    form = collection_form(target)
    item_forms = posted_item_forms(target)
    valid = form.validate_on_submit() and slug_is_free(form, collection)
    if valid and all(item_form.validate() for item_form in item_forms.values()):
        before = fields.content_state(target)
        target.slug = form.slug.data
        save_fields(target, form)
        save_items(target, item_forms)
        moved = apply_item_action(target, request.form.get("move", ""), request.form.get("remove", ""))
        keep_change(collection, target, before)
        try:
            if review.may_publish() and not form.published.data:
                working_copy.fold_in(collection)  # unpublishing keeps the typed changes, as the draft
            review.set_switches(collection, form.published.data, form.featured.data)
        except review.PublishRefused as refused:
            db.session.rollback()
            abort(403, str(refused))
        db.session.commit()
        flash(f"合集已保存（基本信息与 {len(item_forms)} 个案例的导读、讨论题）。{moved}{pending_note(collection)}",
              "success")
        return redirect(url_for("collections.editor_edit", collection_id=collection.id))
    status = 400 if request.method == "POST" else 200
    return render_edit(target, form=form, item_forms=item_forms, status=status)


def refuse_stale_page(target) -> None:
    """Refuse a page loaded before the collection was published or unpublished: its item ids meant other items."""
    posted = request.form.get("editing") if request.method == "POST" else None
    if posted and posted != editing_mode(target):
        abort(409, "合集刚被发布或撤回，页面已过期：请刷新页面，重新输入后再保存。")


def editing_mode(target) -> str:
    """"copy" when the page edits a published collection's working copy, else "live"."""
    return getattr(target, "editing", "live")


def keep_change(collection: Collection, target, before: dict) -> None:
    """Keep what the user changed: in the working copy of a published collection, else in the collection."""
    if target is collection:
        review.record_change(collection, before)
    else:
        working_copy.store(target)


def pending_note(collection: Collection) -> str:
    """Tell the user that readers do not see the changes yet."""
    if collection.published and working_copy.working_copy_of(collection):
        return "修改已存为待发布的修改稿，读者看到的仍是已发布版本，须由没有改过它的审核人发布。"
    return ""


def posted_item_forms(collection: Collection) -> dict[int, ItemForm]:
    """The item forms the page posted (items added meanwhile by someone else are left alone)."""
    if request.method != "POST":
        return {}
    # The collection form's token covers the whole page; the item fields carry none of their own.
    return {item.id: item_form(item, meta={"csrf": False}) for item in collection.items
            if item_posted(item, request.form)}


def save_items(collection: Collection, item_forms: dict[int, ItemForm]) -> None:
    """Copy every posted note and question list onto its item."""
    for item in collection.items:
        if item.id in item_forms:
            annotate(item, item_forms[item.id])


def annotate(item: CollectionItem, form: ItemForm) -> None:
    """Store the form's note and questions on the item, with Chinese punctuation made consistent."""
    fields.write_item(item, fields.form_values(form, fields.item_fields()))


def apply_item_action(collection: Collection, move: str, remove: str) -> str:
    """Apply a move ("<item id>:up|down") or removal ("<item id>") pressed in the page's form."""
    items = list(collection.items)
    by_id = {str(item.id): item for item in items}
    item_id, _, direction = move.partition(":")
    if item_id in by_id and direction in ("up", "down"):
        index = items.index(by_id[item_id])
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            collection.items[:] = items
            renumber(items)
        return "已调整顺序。"
    if remove in by_id:
        collection.items.remove(by_id[remove])
        renumber(collection.items)
        return f"已移除案例：{by_id[remove].case.title}。"
    return ""


@bp.post(f"{PREFIX}/<int:collection_id>/items")
@role_required("trainer")
def editor_add_item(collection_id: int):
    """Append a case to the collection."""
    collection = collection_or_404(collection_id)
    target = working_copy.editing_target(collection)
    form = AddItemForm()
    case = db.session.get(Case, form.case_id.data) if form.validate_on_submit() else None
    if case is None or not may_add(case) or any(item.case_id == case.id for item in target.items):
        if not form.case_id.errors:
            form.case_id.errors = ["请选择一个尚未加入本合集的案例"]
        return render_edit(target, add_form=form, status=400)
    target.items.append(target.new_item(case))
    changed(collection, target)
    db.session.commit()
    flash(f"已添加案例：{case.title}。{pending_note(collection)}", "success")
    return redirect_to_items(collection)


@bp.post(f"{PREFIX}/<int:collection_id>/items/<int:item_id>/annotate")
@role_required("trainer")
def editor_annotate_item(collection_id: int, item_id: int):
    """Save an item's trainer's note and discussion questions."""
    collection, target, item = item_or_404(collection_id, item_id)
    form = item_form(item)
    if not form.validate_on_submit():
        return render_edit(target, item_forms={item.id: form}, status=400)
    annotate(item, form)
    changed(collection, target)
    db.session.commit()
    flash(f"已保存导读与讨论题：{item.case.title}。{pending_note(collection)}", "success")
    return redirect_to_items(collection, item)


@bp.post(f"{PREFIX}/<int:collection_id>/items/<int:item_id>/move")
@role_required("trainer")
def editor_move_item(collection_id: int, item_id: int):
    """Move an item one place up or down."""
    collection, target, item = item_or_404(collection_id, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, "移动方向无效。")
    items = list(target.items)
    index = items.index(item)
    place = index - 1 if form.direction.data == "up" else index + 1
    if 0 <= place < len(items):
        items[index], items[place] = items[place], items[index]
        target.items[:] = items
        renumber(items)
        changed(collection, target)
        db.session.commit()
    return redirect_to_items(collection, item)


@bp.post(f"{PREFIX}/<int:collection_id>/items/<int:item_id>/remove")
@role_required("trainer")
def editor_remove_item(collection_id: int, item_id: int):
    """Take a case out of the collection."""
    collection, target, item = item_or_404(collection_id, item_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    title = item.case.title
    target.items.remove(item)
    renumber(target.items)
    changed(collection, target)
    db.session.commit()
    flash(f"已移除案例：{title}", "success")
    return redirect_to_items(collection)


def render_edit(collection, *, form: CollectionForm | None = None,
                add_form: AddItemForm | None = None, item_forms: dict | None = None, status: int = 200):
    """Show the edit page; forms passed in (with their errors) replace the fresh ones."""
    query = request.args.get("q", "").strip()[:100]
    add_form = add_form or AddItemForm(formdata=None)
    add_form.case_id.choices = [SelectChoice(case.id, f"{case.title}（{case.status_label}）")
                                for case in addable_cases(collection, query)]
    forms = {item.id: item_form(item, posted=False) for item in collection.items}
    forms.update(item_forms or {})
    live = getattr(collection, "live", collection)
    return render_template("collections/editor/edit.html", collection=collection,
                           form=form or collection_form(collection, posted=False), add_form=add_form,
                           item_forms=forms, query=query, refusal=review.edit_refusal(live),
                           editing=editing_mode(collection),
                           pending=working_copy.working_copy_of(live) if live.published else None), status


def addable_cases(collection: Collection, query: str) -> list[Case]:
    """Return cases not yet in the collection whose title contains `query`."""
    taken = {item.case_id for item in collection.items}
    statement = select(Case).order_by(Case.title).limit(MAX_CASE_CHOICES + len(taken))
    if not edits_every_collection():
        statement = statement.where(Case.status == "published")
    if query:
        statement = statement.where(Case.title.contains(query, autoescape=True))
    return [case for case in db.session.scalars(statement).unique() if case.id not in taken]


def save_fields(collection: Collection, form: CollectionForm) -> None:
    """Copy the form's content fields onto the collection and re-render its introduction."""
    fields.write_collection(collection, fields.form_values(form))


def may_add(case: Case) -> bool:
    """Return True if the current user may put this case in a collection (trainers: published only)."""
    return case.is_published or edits_every_collection()


def slug_is_free(form: CollectionForm, collection: Collection | None) -> bool:
    """Return True if no other collection uses the form's slug; otherwise mark the field."""
    other = db.session.scalar(select(Collection).where(Collection.slug == form.slug.data))
    if other is None or other is collection:
        return True
    form.slug.errors.append("这个网址名已被其他合集使用")
    return False


def editable_or_404(collection_id: int) -> Collection:
    """Return the collection with this id if the user may edit it; else answer 404 or 403."""
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        abort(404)
    if not may_edit(collection):
        abort(403)
    return collection


def collection_or_404(collection_id: int) -> Collection:
    """Like editable_or_404, but also refuse a POST while review holds the collection."""
    collection = editable_or_404(collection_id)
    refusal = review.edit_refusal(collection)
    if refusal and request.method == "POST":
        abort(403, refusal)
    return collection


def item_or_404(collection_id: int, item_id: int) -> tuple[Collection, object, CollectionItem]:
    """Return the collection, what the user edits of it (itself or its working copy) and one item, else 404."""
    collection = collection_or_404(collection_id)
    target = working_copy.editing_target(collection)
    item = next((item for item in target.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return collection, target, item


def renumber(items: list[CollectionItem]) -> None:
    """Store the list order as consecutive positions."""
    for position, item in enumerate(items):
        item.position = position


def changed(collection: Collection, target) -> None:
    """Keep an item step: in the working copy of a published collection, else mark the collection changed
    by the current user (cached editions, and the four-eyes check)."""
    if target is not collection:
        working_copy.store(target)
        return
    touch(collection)
    review.note_change(collection)


def touch(collection: Collection) -> None:
    """Mark the collection changed, so cached handouts and listings see a new edition."""
    collection.updated_at = utcnow()


def redirect_to_items(collection: Collection, item: CollectionItem | None = None):
    """Go back to the edit page, scrolled to the item just changed (or to the list)."""
    anchor = f"item-{item.id}" if item else "items"
    return redirect(url_for("collections.editor_edit", collection_id=collection.id, _anchor=anchor))
