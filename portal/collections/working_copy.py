"""Changes to a published collection reach readers only through a second reviewer.

Anyone who may edit a published collection (its trainer, editors, reviewers) edits a working copy:
the collection's snapshot values (portal.collections.fields, plus its 网址名) stored beside it. The
edit page works on a `DraftCollection` built from those values; readers, handouts and the API keep
reading the collection's rows. Someone who did not change the working copy publishes it (the rows
take its values) or discards it; either is a review event and is audited.
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import func, select

from portal.audit.labels import describe
from portal.cases.models import Case
from portal.collections import fields, review
from portal.collections.models import Collection, CollectionReviewEvent, CollectionWorkingCopy
from portal.content.merging import three_way
from portal.content.problems import Problem
from portal.editor.working_copy import imported_message
from portal.extensions import db
from portal.markdown import render_markdown

describe(actions={"collection.publish_changes": "发布已发布合集的修改",
                  "collection.discard_changes": "放弃已发布合集的修改",
                  "collection.confirm_import": "核对导入后的合集修改稿"})
NOTHING_PENDING = "这个合集没有待发布的修改。"
IMPORTED_UNDER = ("修改稿开始后，{source} 的导入更新了读者看到的版本。请先在“待发布的修改”页核对导入带来的变化，"
                  "把需要保留的内容改进修改稿，再确认，之后才能发布。")


class WorkingCopyRefused(Exception):
    """The step on the working copy is not allowed; the message is shown to the user."""


class DraftItem:
    """One case of a working copy, shaped like a CollectionItem for the edit page (its id is the case's)."""

    def __init__(self, case: Case, position: int = 0):
        self.id = self.case_id = case.id
        self.case, self.position = case, position
        self.note_md, self.questions = "", []


class DraftCollection:
    """A published collection as its working copy has it, shaped like a Collection for the edit page."""

    editing = "copy"

    def __init__(self, live: Collection, values: dict, cases: dict[str, Case]):
        self.live = live
        self.id, self.author_id, self.author = live.id, live.author_id, live.author
        self.published, self.featured, self.updated_at = live.published, live.featured, live.updated_at
        self.slug = values["slug"]
        self.items = [self.entry_item(entry, cases[entry["case"]]) for entry in values["items"]
                      if entry["case"] in cases]
        fields.write_collection(self, {name: value for name, value in values.items() if name not in ("slug", "items")})

    @staticmethod
    def entry_item(entry: dict, case: Case) -> DraftItem:
        item = DraftItem(case)
        fields.write_item(item, entry)
        return item

    def new_item(self, case: Case) -> DraftItem:
        return DraftItem(case, len(self.items))

    def set_intro(self, intro: str) -> None:
        self.intro_md, self.intro_html = intro, render_markdown(intro).html


def working_copy_of(collection: Collection) -> CollectionWorkingCopy | None:
    """The collection's unpublished changes, if it has any."""
    return db.session.get(CollectionWorkingCopy, collection.id) if collection.id else None


def values_of(collection) -> dict:
    """A collection's (or draft's) content as the working copy stores it: 网址名 and content fields."""
    return {"slug": collection.slug, **fields.snapshot(collection, content_only=True)}


def comparable(values: dict) -> dict:
    """Stored values as a comparison sees them (normalized text)."""
    return {"slug": values["slug"], **fields.comparable_state({k: v for k, v in values.items() if k != "slug"})}


def editing_target(collection: Collection):
    """What the edit page changes: a published collection's working copy, else the collection itself."""
    if not collection.published:
        return collection
    copy = working_copy_of(collection)
    values = copy.values if copy else values_of(collection)
    return DraftCollection(collection, values, cases_of(values))


def cases_of(values: dict) -> dict[str, Case]:
    """The cases the values' items name, by slug (a case deleted since is left out)."""
    slugs = {entry["case"] for entry in values["items"]}
    return {case.slug: case for case in db.session.scalars(select(Case).where(Case.slug.in_(slugs)))}


def store(draft: DraftCollection) -> bool:
    """Keep the draft as the collection's working copy; note the change. Return whether anything changed."""
    collection, new = draft.live, values_of(draft)
    copy = working_copy_of(collection)
    if comparable(new) == comparable(copy.values if copy else values_of(collection)):
        return False
    if copy is None:
        newest = db.session.scalar(select(func.max(CollectionReviewEvent.id))) or 0
        copy = CollectionWorkingCopy(collection=collection, started_after=newest)
        db.session.add(copy)
    copy.values = new
    review.note_change(collection)
    return True


def changers(collection: Collection) -> set[int]:
    """Ids of everyone who changed the working copy."""
    copy = working_copy_of(collection)
    if copy is None:
        return set()
    return set(db.session.scalars(select(CollectionReviewEvent.actor_id).where(
        CollectionReviewEvent.collection_id == collection.id, CollectionReviewEvent.action == "change",
        CollectionReviewEvent.id > copy.started_after, CollectionReviewEvent.actor_id.is_not(None))))


def publish_refusal(collection: Collection) -> str | None:
    """Why the current user may not publish the working copy now, or None if they may."""
    copy = working_copy_of(collection)
    if copy is None or not collection.published:
        return NOTHING_PENDING
    if not review.may_publish():
        return "只有审核人可以发布修改。"
    if copy.imported_from:
        return IMPORTED_UNDER.format(source=copy.imported_from)
    # Four eyes for everyone, admins too: the text readers will see must be read by someone else.
    if current_user.id in changers(collection):
        return "你修改过这份修改稿，不能自己发布，请由另一位审核人审核后发布。"
    slug = copy.values["slug"]
    if slug != collection.slug and db.session.scalar(select(Collection.id).where(Collection.slug == slug)):
        return f"修改稿的网址名“{slug}”已被其他合集使用，请先在修改稿中换一个。"
    return None


def publish(collection: Collection, comment: str = "") -> None:
    """Put the working copy live: the collection's rows take its values (no commit)."""
    refusal = publish_refusal(collection)
    if refusal:
        raise WorkingCopyRefused(refusal)
    fold_in(collection)
    review.record(collection, "publish_changes", comment)


def discard(collection: Collection, comment: str = "") -> None:
    """Drop the working copy; readers' version stays (no commit)."""
    copy = working_copy_of(collection)
    if copy is None:
        raise WorkingCopyRefused(NOTHING_PENDING)
    if not (review.may_publish() or current_user.id in changers(collection)):
        raise WorkingCopyRefused("只有审核人或改过修改稿的人可以放弃它。")
    db.session.delete(copy)
    review.record(collection, "discard_changes", comment)


def confirm_import(collection: Collection, comment: str = "") -> None:
    """Someone compared what an import changed with the working copy: publishing may go ahead."""
    copy = working_copy_of(collection)
    if copy is None or not copy.imported_from:
        raise WorkingCopyRefused("修改稿开始后没有导入改动过这个合集，无需核对。")
    copy.live_before_import, copy.imported_from = None, None
    review.record(collection, "confirm_import", comment)


def fold_in(collection: Collection) -> None:
    """Make the working copy the collection's own content and drop it (publishing, or unpublishing)."""
    copy = working_copy_of(collection)
    if copy is None:
        return
    values = dict(copy.values)
    cases = cases_of(values)
    values["items"] = [entry for entry in values["items"] if entry["case"] in cases]
    collection.slug = values.pop("slug")
    fields.write_collection(collection, values, cases=cases)
    db.session.delete(copy)
    db.session.flush()


def guard_import(context, *, parsed: dict):
    """Before `portal content import` writes: remember the published version of each collection it may change
    that has a working copy, so that afterwards the copy and the import's report say it changed under it."""
    specs = {spec.slug: spec for spec in parsed.get("collections", [])}
    copies = [copy for copy in pending() if copy.collection.slug in specs]
    before = {copy.collection_id: values_of(copy.collection) for copy in copies}

    def changed_under_copies() -> list[Problem]:
        return [mark_imported(copy, before[copy.collection_id], specs[copy.collection.slug].source_file)
                for copy in copies
                if comparable(values_of(copy.collection)) != comparable(before[copy.collection_id])]
    return changed_under_copies


def mark_imported(copy: CollectionWorkingCopy, live_before: dict, source: str) -> Problem:
    """Carry the import's changes into the working copy where it left the field alone, hold the copy back
    until someone has compared the rest, and say so for the import's report."""
    merged = three_way(copy.values, live_before, values_of(copy.collection), comparable)
    copy.values = merged.values
    if copy.live_before_import is None:
        copy.live_before_import = live_before
    copy.imported_from = source
    return Problem(source, 1, f"合集“{copy.collection.title}”有尚未发布的修改稿：" + imported_message(
        [label(name) for name in merged.carried], [label(name) for name in merged.conflicts],
        f"/editor/collections/{copy.collection_id}/changes"))


def label(name: str) -> str:
    return "网址名" if name == "slug" else fields.field_named(name).label


def pending() -> list[CollectionWorkingCopy]:
    """Every collection's working copy, oldest change first (the 编辑台's list)."""
    return list(db.session.scalars(select(CollectionWorkingCopy).order_by(CollectionWorkingCopy.updated_at)))
