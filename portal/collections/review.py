"""Collections get the same care as cases: a published collection changes only through a reviewer,
whoever changed a collection since it was last published cannot publish it, and every publish,
unpublish and feature change is audited."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from portal.audit.labels import describe
from portal.audit.models import AuditEntry
from portal.collections import fields
from portal.collections.models import Collection
from portal.extensions import db

PUBLISHER_ROLE = "reviewer"
LOCKED_WHEN_PUBLISHED = "合集已公开发布，只有审核人可以修改；如需修改，请审核人先取消“公开发布”，改好后再由另一位审核人发布。"
OWN_CHANGES = "你修改过这个合集（自上次发布以来），不能自己发布，请由另一位审核人发布。"
CONTENT_ACTION = "collection.update"
describe(actions={"collection.update": "修改合集", "collection.publish": "发布合集", "collection.unpublish": "撤回合集",
                  "collection.feature": "首页推荐合集", "collection.unfeature": "取消首页推荐"})
SWITCH_ACTIONS = {("published", True): "collection.publish", ("published", False): "collection.unpublish",
                  ("featured", True): "collection.feature", ("featured", False): "collection.unfeature"}


class PublishRefused(Exception):
    """Publishing is not allowed for this user now; the message says why."""


def may_publish() -> bool:
    """Return True if the current user may publish, unpublish or feature collections."""
    return bool(current_user.is_authenticated and current_user.has_role(PUBLISHER_ROLE))


def edit_refusal(collection: Collection) -> str | None:
    """Why the current user may not change this collection's content now, or None."""
    return LOCKED_WHEN_PUBLISHED if collection.published and not may_publish() else None


def record_change(collection: Collection, before: dict) -> None:
    """Note that the current user changed the collection's content (for the four-eyes check), if so.

    `before` is `fields.content_state(collection)` taken before the save."""
    if fields.content_state(collection) != before:
        note_change(collection)


def note_change(collection: Collection) -> None:
    """Note that the current user changed the collection's content."""
    _audit(CONTENT_ACTION, collection)


def set_switches(collection: Collection, published: bool, featured: bool) -> None:
    """Apply the publish and feature switches (publishers only), audited; raise PublishRefused."""
    if not may_publish() or (published, featured) == (collection.published, collection.featured):
        return
    if published and not collection.published and current_user.id in changers_since_publication(collection):
        raise PublishRefused(OWN_CHANGES)
    for name, value in (("published", published), ("featured", featured)):
        if getattr(collection, name) != value:
            setattr(collection, name, value)
            _audit(SWITCH_ACTIONS[(name, value)], collection)


def changers_since_publication(collection: Collection) -> set[int]:
    """Ids of everyone who changed the collection's content since it was last published."""
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == collection.slug, AuditEntry.action.in_((CONTENT_ACTION, "collection.publish")))
        .order_by(AuditEntry.created_at, AuditEntry.id)).all()
    changers: set[int] = set()
    for entry in entries:
        changers = set() if entry.action == "collection.publish" else changers | {entry.actor_id}
    return changers


def _audit(action: str, collection: Collection) -> None:
    db.session.add(AuditEntry(actor=current_user._get_current_object(), action=action, target=collection.slug,
                              detail={"title": collection.title}))
    db.session.flush()
