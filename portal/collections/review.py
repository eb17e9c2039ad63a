"""Collections get the same care as cases: a published collection changes only through a reviewer,
whoever changed a collection since it was last published cannot publish it, and every publish,
unpublish and feature change is audited.

The four-eyes history is the collection's review events (keyed by its id, so renaming the slug
keeps it); the audit log gets the same steps for admins.
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from portal import audit
from portal.audit.labels import describe
from portal.collections.models import Collection, CollectionReviewEvent
from portal.extensions import db

PUBLISHER_ROLE = "reviewer"
LOCKED_WHEN_PUBLISHED = "合集已公开发布，只有审核人可以修改；如需修改，请审核人先取消“公开发布”，改好后再由另一位审核人发布。"
OWN_CHANGES = "你修改过这个合集（自上次发布以来），不能自己发布，请由另一位审核人发布。"
describe(actions={"collection.update": "修改合集", "collection.publish": "发布合集", "collection.unpublish": "撤回合集",
                  "collection.feature": "首页推荐合集", "collection.unfeature": "取消首页推荐"})
SWITCHES = {("published", True): "publish", ("published", False): "unpublish",
            ("featured", True): "feature", ("featured", False): "unfeature"}


class PublishRefused(Exception):
    """Publishing is not allowed for this user now; the message says why."""


def may_publish() -> bool:
    """Return True if the current user may publish, unpublish or feature collections."""
    return bool(current_user.is_authenticated and current_user.has_role(PUBLISHER_ROLE))


def edit_refusal(collection: Collection) -> str | None:
    """Why the current user may not change this collection's content now, or None."""
    return LOCKED_WHEN_PUBLISHED if collection.published and not may_publish() else None


def content_state(collection: Collection) -> tuple:
    """What readers see of the collection, to tell whether a save changed it."""
    items = tuple((item.case_id, item.note_md, tuple(item.questions or ())) for item in collection.items)
    return collection.slug, collection.title, collection.audience, collection.intro_md, items


def record_change(collection: Collection, before: tuple) -> None:
    """Note that the current user changed the collection's content (for the four-eyes check), if so."""
    if content_state(collection) != before:
        note_change(collection)


def note_change(collection: Collection) -> None:
    """Note that the current user changed the collection's content."""
    record(collection, "change", audited_as="collection.update")


def set_switches(collection: Collection, published: bool, featured: bool) -> None:
    """Apply the publish and feature switches (publishers only), audited; raise PublishRefused."""
    if not may_publish() or (published, featured) == (collection.published, collection.featured):
        return
    if published and not collection.published and current_user.id in changers_since_publication(collection):
        raise PublishRefused(OWN_CHANGES)
    for name, value in (("published", published), ("featured", featured)):
        if getattr(collection, name) != value:
            setattr(collection, name, value)
            record(collection, SWITCHES[(name, value)])


def changers_since_publication(collection: Collection) -> set[int]:
    """Ids of everyone who changed the collection's content since it was last published."""
    events = db.session.scalars(select(CollectionReviewEvent).where(
        CollectionReviewEvent.collection_id == collection.id,
        CollectionReviewEvent.action.in_(("change", "publish")))
        .order_by(CollectionReviewEvent.created_at, CollectionReviewEvent.id)).all()
    changers: set[int] = set()
    for event in events:
        changers = set() if event.action == "publish" else changers | {event.actor_id}
    return changers


def record(collection: Collection, action: str, comment: str = "", *, audited_as: str | None = None):
    """Add a review event by the current user, and its audit-log entry."""
    actor = current_user._get_current_object()
    event = CollectionReviewEvent(collection=collection, actor=actor, action=action, comment=comment.strip())
    db.session.add(event)
    audit.record(actor, audited_as or f"collection.{action}", collection, title=collection.title,
                 **({"comment": event.comment} if event.comment else {}))
    db.session.flush()
    return event
